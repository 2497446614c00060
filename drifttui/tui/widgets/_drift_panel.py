"""The drift panel: three gauges, their history, probe results and the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from drifttui.tui.widgets._gauge import COLOURS, DRIFT, WATCH, ScoreGauge, sparkline

SCORES = (("local", "local"), ("global", "global"), ("factual", "factual"))


class DriftPanel(VerticalScroll):
    """Everything the scorer says about the selected turn, plus the whole chat's history."""

    DEFAULT_CSS = """
    DriftPanel { width: 34; min-width: 28; border-left: tall $panel-lighten-1; padding: 0 1; scrollbar-size-vertical: 1; }
    DriftPanel > .title { text-style: bold; height: 1; }
    DriftPanel > .section { margin-top: 1; text-style: bold; color: $text-muted; height: 1; }
    DriftPanel > #history, DriftPanel > #probes, DriftPanel > #evidence, DriftPanel > #notes { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Drift", classes="title", id="drift-title")
        for key, label in SCORES:
            yield ScoreGauge(label, id=f"gauge-{key}")
        yield Static("history", classes="section")
        yield Static("", id="history")
        yield Static("probes", classes="section")
        yield Static(Text("none yet (Ctrl+F asks them)", style="grey50"), id="probes")
        yield Static("evidence", classes="section")
        yield Static("", id="evidence")
        yield Static("", id="notes")

    # --------------------------------------------------------------- updates
    def show_turn(self, turn: int | None, swipe_id: int, n_swipes: int, scores: dict[str, Any] | None, *, pending: bool) -> None:
        """Gauges and evidence for one assistant turn (``scores`` None while pending)."""
        title = "Drift" if turn is None else f"Drift · turn {turn}" + (f" · {swipe_id + 1}/{n_swipes}" if n_swipes > 1 else "")
        self.query_one("#drift-title", Static).update(title)
        for key, _label in SCORES:
            gauge = self.query_one(f"#gauge-{key}", ScoreGauge)
            gauge.pending = pending
            gauge.value = None if scores is None else scores.get(key)
        self.query_one("#evidence", Static).update(self._evidence(scores, pending))

    def _evidence(self, scores: dict[str, Any] | None, pending: bool) -> Text:
        if scores is None:
            return Text("scoring…" if pending else "no scores for this turn", style="grey50")
        items = scores.get("evidence") or []
        if not items:
            return Text("nothing notable: in character", style="green")
        text = Text()
        for item in items[:12]:
            kind = item.get("score", "info")
            value = scores.get(kind) if kind in ("local", "global", "factual") else None
            colour = "grey62" if kind == "info" else COLOURS["drift" if value is not None and value >= DRIFT else "watch" if value is not None and value >= WATCH else "ok"]
            text.append("• ", style=colour)
            text.append(str(item.get("message", "")))
            text.append("\n")
        text.rstrip()
        return text

    def show_history(self, rows: Sequence[dict[str, Any] | None]) -> None:
        """Sparklines of each score over all assistant turns (the shown swipe of each)."""
        width = max(8, self.size.width - 6) if self.size.width else 24
        text = Text()
        for key, _label in SCORES:
            text.append(f"{key[0].upper()} ", style="bold")
            text.append_text(sparkline([None if r is None else r.get(key) for r in rows], width))
            text.append("\n")
        text.rstrip()
        self.query_one("#history", Static).update(text if rows else Text("no turns yet", style="grey50"))

    def show_probes(self, turn: int | None, results: Sequence[Any], *, pending: bool = False, error: str | None = None) -> None:
        widget = self.query_one("#probes", Static)
        if pending:
            widget.update(Text("asking probes in a fork…", style="italic cyan"))
            return
        if error:
            widget.update(Text(f"probes failed: {error}", style="red"))
            return
        if not results:
            widget.update(Text("this persona has no probes", style="grey50"))
            return
        passed = sum(1 for r in results if _get(r, "passed"))
        text = Text(f"{passed}/{len(results)} pass", style="bold " + ("green" if passed == len(results) else "yellow" if passed else "red"))
        text.append(f" (after turn {turn})\n" if turn is not None else "\n", style="grey62")
        for r in results:
            ok = _get(r, "passed")
            text.append("✓ " if ok else "✗ ", style="green" if ok else "red")
            answer = " ".join(str(_get(r, "answer") or "").split())
            text.append(f"{_get(r, 'question')} ", style="bold")
            text.append(f"{answer[:60]}{'…' if len(answer) > 60 else ''}\n", style="grey70")
        text.rstrip()
        widget.update(text)

    def show_notes(self, notes: Sequence[str]) -> None:
        self.query_one("#notes", Static).update(Text("\n".join(f"⚠ {n}" for n in notes), style="yellow") if notes else "")


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
