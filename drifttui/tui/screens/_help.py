"""Every key binding, with its id (for remapping in keymap.toml)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INPUT_KEYS = [
    ("enter", "send the message"),
    ("ctrl+j / alt+enter / shift+enter", "new line in the message"),
    ("← / →  (empty box)", "swipe the last reply; → past the last generates a new one"),
    ("↑ / ↓  (empty box)", "select an earlier reply for the drift panel"),
    ("ctrl+p", "command palette"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 98%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss_help", "Close", id="drifttui.help.close")]

    def __init__(self, bindings: list[tuple[str, str, str | None]], keymap_path: str) -> None:
        super().__init__()
        self.bindings_rows = bindings
        self.keymap_path = keymap_path

    def compose(self) -> ComposeResult:
        table = Table(title="drifttui keys", expand=True, show_lines=False)
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("action")
        table.add_column("binding id (remap it)", style="dim")
        for key, description in INPUT_KEYS:
            table.add_row(key, description, "")
        for key, description, binding_id in self.bindings_rows:
            table.add_row(key, description, binding_id or "")
        with VerticalScroll():
            yield Static(table)
            yield Static(
                f"\nRemap keys in [b]{self.keymap_path}[/b], one line per binding id, e.g.\n"
                '  [dim]"drifttui.superposition" = "f8"[/dim]\n\n'
                "Drift scores: [green]green[/green] < 0.35 ≤ [yellow]amber[/yellow] < 0.60 ≤ [red]red[/red]; higher = more drift.\n"
                "[b]local[/b]: breaks with its own recent replies · [b]global[/b]: no longer fits the persona "
                "(assistant register) · [b]factual[/b]: contradicts its facts or earlier claims.\n"
                "Esc closes this help."
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
