"""One chat message: a header (speaker, swipe counter, label, scores) over a Markdown body."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Markdown, Static

from drifttui.tui.widgets._gauge import COLOURS, compact, level

LABEL_STYLE = {
    "in-character": "green",
    "local": "yellow",
    "global": "red",
    "factual": "magenta",
    "other": "cyan",
}


class ChatMessage(Vertical):
    """A user or assistant turn. Assistant turns show ``‹n/m›`` and their drift scores.

    Streaming: :meth:`append` buffers pieces and a timer pushes them into the
    Markdown a few times a second; :meth:`finish` re-renders the full text once
    (a streamed code fence can otherwise end up blank).
    """

    DEFAULT_CSS = """
    ChatMessage { height: auto; margin: 0 0 1 0; padding: 0 1; border-left: tall $panel-lighten-2; }
    ChatMessage.user { border-left: tall $accent; background: $boost; }
    ChatMessage.assistant { border-left: tall $primary; }
    ChatMessage.-selected { border-left: thick $warning; background: $boost; }
    ChatMessage.-trimmed { opacity: 70%; }
    ChatMessage > .msg-header { height: 1; }
    ChatMessage > Markdown { margin: 0; padding: 0; }
    ChatMessage > Markdown > MarkdownBlock:last-child { margin-bottom: 0; }
    """

    selected: reactive[bool] = reactive(False)

    def __init__(
        self,
        turn: int,
        role: str,
        speaker: str,
        text: str = "",
        *,
        swipe_id: int = 0,
        n_swipes: int = 1,
        label: str | None = None,
        note: str = "",
        scores: dict[str, Any] | None = None,
        finish_reason: str = "stop",
    ) -> None:
        super().__init__(classes=role, id=f"turn-{turn}")
        self.finish_reason = finish_reason
        self.turn = turn
        self.role = role
        self.speaker = speaker
        self.text = text
        self.swipe_id = swipe_id
        self.n_swipes = n_swipes
        self.label = label
        self.note = note
        self.scores = scores
        self.streaming = False
        self.status = ""
        self._pending: list[str] = []
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Static(self._header(), classes="msg-header")
        yield Markdown(self.text or " ")

    @property
    def body(self) -> Markdown:
        return self.query_one(Markdown)

    # ---------------------------------------------------------------- header
    def _header(self) -> Text:
        text = Text()
        text.append(self.speaker, style="bold " + ("cyan" if self.role == "user" else "magenta"))
        if self.role == "assistant":
            if self.n_swipes > 1 or self.streaming:
                text.append(f"  ‹{self.swipe_id + 1}/{self.n_swipes}›", style="bold")
            if self.status:
                text.append(f"  {self.status}", style="italic grey62")
            elif self.finish_reason == "cancelled":
                text.append("  stopped", style="italic grey62")
            if self.label:
                text.append("  ")
                text.append(f" {self.label} ", style=f"reverse {LABEL_STYLE.get(self.label, 'white')}")
            if self.note:
                text.append(" ✎", style="grey62")
            if self.scores:
                text.append("  ")
                for key, short in (("local", "L"), ("global", "G"), ("factual", "F")):
                    value = self.scores.get(key)
                    style = COLOURS[level(value)]
                    text.append(f"{short}{'--' if value is None else compact(value)} ", style=style)
        return text

    def refresh_header(self) -> None:
        if self.is_mounted:
            self.query_one(".msg-header", Static).update(self._header())

    def watch_selected(self, selected: bool) -> None:
        self.set_class(selected, "-selected")

    # ------------------------------------------------------------- streaming
    def start_stream(self, *, swipe_id: int, n_swipes: int, status: str = "generating…") -> None:
        """Clear the body and show the counter for the alternative being generated."""
        self.text = ""
        self.swipe_id, self.n_swipes = swipe_id, n_swipes
        self.scores, self.label, self.note = None, None, ""
        self.streaming, self.status = True, status
        self._pending.clear()
        self.body.update(" ")
        self.refresh_header()
        if self._timer is None:
            self._timer = self.set_interval(1 / 15, self._flush)

    def append(self, piece: str) -> None:
        self._pending.append(piece)

    async def _flush(self) -> None:
        if not self._pending:
            return
        chunk = "".join(self._pending)
        self._pending.clear()
        first = not self.text
        self.text += chunk
        if first:
            await self.body.update(self.text.lstrip())
        else:
            await self.body.append(chunk)

    async def finish(self, text: str, *, finish_reason: str = "stop") -> None:
        """The stream ended: render the final text in full."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._pending.clear()
        self.streaming, self.status, self.finish_reason = False, "", finish_reason
        self.text = text
        await self.body.update(text or "*(empty reply)*")
        self.refresh_header()

    # ----------------------------------------------------------------- state
    async def show(
        self,
        text: str,
        *,
        swipe_id: int,
        n_swipes: int,
        scores: dict[str, Any] | None,
        label: str | None,
        note: str = "",
        status: str = "",
        finish_reason: str = "stop",
    ) -> None:
        """Show another swipe (or refreshed state) of this turn."""
        self.finish_reason = finish_reason
        self.swipe_id, self.n_swipes = swipe_id, n_swipes
        self.scores, self.label, self.note, self.status = scores, label, note, status
        if text != self.text:
            self.text = text
            await self.body.update(text or " ")
        self.refresh_header()

    def set_scores(self, scores: dict[str, Any] | None, status: str = "") -> None:
        self.scores, self.status = scores, status
        self.refresh_header()

    def set_label(self, label: str | None, note: str) -> None:
        self.label, self.note = label, note
        self.refresh_header()
