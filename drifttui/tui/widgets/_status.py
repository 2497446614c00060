"""The status line: model, persona, tok/s, context usage, recording."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    model: reactive[str] = reactive("loading model…")
    persona: reactive[str] = reactive("")
    tokens_per_second: reactive[float] = reactive(0.0)
    context: reactive[tuple[int, int]] = reactive((0, 0))
    activity: reactive[str] = reactive("")
    recording: reactive[str] = reactive("")

    def render(self) -> Text:
        used, size = self.context
        parts = [
            ("", self.model, "bold"),
            (" · ", self.persona, "bold magenta"),
            (" · ", f"{self.tokens_per_second:.0f} tok/s" if self.tokens_per_second else "– tok/s", ""),
        ]
        text = Text()
        for sep, value, style in parts:
            text.append(sep)
            text.append(value, style=style)
        if size:
            share = used / size
            colour = "red" if share > 0.85 else "yellow" if share > 0.6 else ""
            text.append(" · ")
            text.append(f"ctx {used}/{size}", style=colour)
        if self.activity:
            text.append(" · ")
            text.append(self.activity, style="italic cyan")
        if self.recording:
            text.append(" · ")
            text.append("● ", style="red")
            text.append(self.recording)
        return text
