"""A one-line score gauge and text sparklines, coloured by drift level."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

WATCH = 0.35
"""Scores from here up are shown in amber: worth a look."""
DRIFT = 0.6
"""Scores from here up are shown in red: drift."""
COLOURS = {"ok": "green", "watch": "yellow", "drift": "red", "none": "grey50"}
BLOCKS = "▁▂▃▄▅▆▇█"


def level(score: float | None) -> str:
    """``ok``, ``watch``, ``drift`` (or ``none`` when there is no score)."""
    if score is None:
        return "none"
    return "drift" if score >= DRIFT else "watch" if score >= WATCH else "ok"


def compact(score: float) -> str:
    """A score in [0, 1] in three characters: ``.42``, and ``1.0`` for what rounds to one (not ``.00``)."""
    if round(score, 2) >= 1.0:
        return "1.0"
    return f"{score:.2f}"[1:]


def sparkline(values: Sequence[float | None], width: int) -> Text:
    """The last ``width`` values as coloured block characters (gaps for missing scores)."""
    text = Text()
    for value in list(values)[-width:]:
        if value is None:
            text.append("·", style=COLOURS["none"])
        else:
            index = min(len(BLOCKS) - 1, int(max(0.0, min(1.0, value)) * len(BLOCKS)))
            text.append(BLOCKS[index], style=COLOURS[level(value)])
    return text


class ScoreGauge(Widget):
    """``label  ███████░░░ 0.71`` — one of the three drift scores."""

    DEFAULT_CSS = """
    ScoreGauge { height: 1; width: 1fr; }
    """

    value: reactive[float | None] = reactive(None)
    """The score in [0, 1], or None while it is being computed / unavailable."""
    pending: reactive[bool] = reactive(False)
    """True while the score for the shown turn is being computed."""

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label

    def render(self) -> Text:
        width = max(4, self.size.width - 8 - 5)
        text = Text(f"{self.label:<8}", style="bold")
        if self.value is None:
            text.append("·" * width, style="grey35")
            text.append(" …" if self.pending else "  --", style="grey50")
            return text
        filled = round(max(0.0, min(1.0, self.value)) * width)
        colour = COLOURS[level(self.value)]
        text.append("█" * filled, style=colour)
        text.append("░" * (width - filled), style="grey35")
        text.append(f" {self.value:4.2f}", style=f"bold {colour}")
        return text
