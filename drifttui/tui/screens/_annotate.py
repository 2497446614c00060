"""Label an assistant turn (in character / local / global / factual / other) and add a note."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from drifttui.conversation import LABELS

DESCRIPTIONS = {
    "in-character": "in character: the persona holds",
    "local": "local drift: breaks with its own recent replies",
    "global": "global drift: no longer fits the persona (assistant register)",
    "factual": "factual: contradicts its facts or earlier claims",
    "other": "other (say why in the note)",
}


@dataclass
class Annotation:
    label: str | None
    note: str


class AnnotateScreen(ModalScreen[Annotation | None]):
    """Pick a label with ↑/↓ (or 1-5), type a note, Enter to save, Esc to cancel."""

    DEFAULT_CSS = """
    AnnotateScreen { align: center middle; }
    AnnotateScreen > Vertical { width: 64; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1; }
    AnnotateScreen OptionList { height: auto; max-height: 8; }
    AnnotateScreen Input { margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="drifttui.annotate.cancel"),
        Binding("ctrl+d", "clear", "Remove label", id="drifttui.annotate.clear"),
    ]

    def __init__(self, turn: int, excerpt: str, label: str | None, note: str) -> None:
        super().__init__()
        self.turn = turn
        self.excerpt = excerpt
        self.label = label
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]Label turn {self.turn}[/b]  [dim]{self.excerpt}[/dim]")
            options = OptionList(*[Option(f"{i + 1}  {DESCRIPTIONS[label]}", id=label) for i, label in enumerate(LABELS)], id="labels")
            yield options
            yield Input(self.note, placeholder="note (optional) · Enter saves · Esc cancels · Ctrl+D unlabels", id="note")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = LABELS.index(self.label) if self.label in LABELS else 0
        options.focus()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit() and isinstance(self.focused, OptionList):
            index = int(event.character) - 1
            if 0 <= index < len(LABELS):
                self.query_one(OptionList).highlighted = index
                self.query_one(Input).focus()
                event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        index = self.query_one(OptionList).highlighted
        label = LABELS[index] if index is not None else None
        self.dismiss(Annotation(label, event.value.strip()))

    def action_clear(self) -> None:
        self.dismiss(Annotation(None, ""))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
