"""The multi-line message box: Enter sends, Ctrl+J / Alt+Enter / Shift+Enter add a line.

With the box empty, ←/→ swipe the last assistant message and ↑/↓ select
which assistant turn the drift panel shows — the way SillyTavern users know.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("ctrl+j", "alt+enter", "shift+enter", "ctrl+enter")


class ChatInput(TextArea):
    DEFAULT_CSS = """
    ChatInput { height: auto; min-height: 3; max-height: 8; border: tall $accent 40%; }
    ChatInput:focus { border: tall $accent; }
    """

    @dataclass
    class Submitted(Message):
        """The user pressed Enter with this text."""

        input: ChatInput
        text: str

    @dataclass
    class Swipe(Message):
        """←/→ on an empty box: ``direction`` is -1 or +1."""

        direction: int

    @dataclass
    class Select(Message):
        """↑/↓ on an empty box: move the selected turn by ``direction``."""

        direction: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", compact=True)
        self.placeholder = "Message (Enter sends · Ctrl+J newline · ←/→ swipe · F1 help)"

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text = self.text.strip()
            if text:
                self.post_message(self.Submitted(self, text))
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
            return
        await super()._on_key(event)

    def action_cursor_left(self, select: bool = False) -> None:
        if not self.text and not select:
            self.post_message(self.Swipe(-1))
            return
        super().action_cursor_left(select)

    def action_cursor_right(self, select: bool = False) -> None:
        if not self.text and not select:
            self.post_message(self.Swipe(+1))
            return
        super().action_cursor_right(select)

    def action_cursor_up(self, select: bool = False) -> None:
        if not self.text and not select:
            self.post_message(self.Select(-1))
            return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        if not self.text and not select:
            self.post_message(self.Select(+1))
            return
        super().action_cursor_down(select)
