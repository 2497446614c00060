"""Pick a persona from the library, or a recorded session to continue."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class _PickerScreen(ModalScreen[str | None]):
    """A titled option list; Enter picks (returns the option id), Esc cancels."""

    DEFAULT_CSS = """
    _PickerScreen { align: center middle; }
    _PickerScreen > Vertical { width: 76; max-width: 95%; height: auto; max-height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    _PickerScreen OptionList { height: auto; max-height: 18; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="drifttui.picker.cancel")]
    TITLE_TEXT = ""
    EMPTY_TEXT = "nothing to pick"

    def options(self) -> list[Option]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        options = self.options()
        with Vertical():
            yield Label(f"[b]{self.TITLE_TEXT}[/b]  [dim]Enter picks · Esc cancels[/dim]")
            if options:
                yield OptionList(*options)
            else:
                yield Label(f"[dim]{self.EMPTY_TEXT}[/dim]")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PersonaPicker(_PickerScreen):
    """The persona library (``drifttui persona list``); picking one starts a new chat."""

    TITLE_TEXT = "New chat with persona"
    EMPTY_TEXT = "no personas found"

    def options(self) -> list[Option]:
        from drifttui.persona import library, load_persona

        items = []
        for entry in library():
            try:
                persona = load_persona(entry.path, warn=lambda _m: None)
            except Exception as exc:  # a broken file is listed, not fatal
                items.append(Option(f"{entry.name}  [red]{exc}[/red]", id=str(entry.path), disabled=True))
                continue
            summary = getattr(persona, "summary", "") or persona.role
            items.append(Option(f"[b]{persona.name}[/b]  [dim]{summary}[/dim]", id=str(entry.path)))
        return items


class SessionPicker(_PickerScreen):
    """Recorded sessions, newest first; picking one continues it."""

    TITLE_TEXT = "Open a recorded session"
    EMPTY_TEXT = "no recorded sessions yet"

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def options(self) -> list[Option]:
        files = []
        for folder in (self.directory, self.directory / "examples"):
            if folder.is_dir():
                files += [p for p in folder.glob("*.jsonl") if p.is_file()]
        files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        items = []
        for path in files[:200]:
            shown = path.relative_to(self.directory) if path.is_relative_to(self.directory) else path
            kib = path.stat().st_size / 1024
            items.append(Option(f"{shown}  [dim]{kib:.0f} KiB[/dim]", id=str(path)))
        return items
