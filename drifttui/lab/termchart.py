"""The drift curves in the terminal: sparklines for every score and a small plot of global drift.

Plain Unicode, no dependency, 80 columns. Sparklines share one fixed scale
(▁ = 0 … █ = 1), so variants and scores compare at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SPARKS = "▁▂▃▄▅▆▇█"
MARKERS = {"none": "N", "personality": "P", "role": "R", "role+personality": "B", "full": "F"}


def spark(values: Sequence[float | None]) -> str:
    """One character per value on a fixed 0..1 scale (space for a missing value)."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
            continue
        i = int(round(max(0.0, min(1.0, v)) * (len(SPARKS) - 1)))
        out.append(SPARKS[i])
    return "".join(out)


def _series(points: Sequence[Mapping[str, Any]], turns: Sequence[int]) -> list[float | None]:
    by = {int(p["turn"]): float(p["mean"]) for p in points}
    return [by.get(t) for t in turns]


def sparklines(curves: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]], scores: Sequence[str] = ("global", "local", "factual")) -> list[str]:
    """A table: score, variant, sparkline over turns, first → last, mean."""
    turns = sorted({int(p["turn"]) for v in curves.values() for pts in v.values() for p in pts})
    if not turns:
        return ["(no scored turns)"]
    width = max(len(v) for v in curves) if curves else 4
    head = f"{'':8}{'':{width}}  turn {turns[0]}…{turns[-1]}".ljust(8 + width + 2 + max(len(turns), 10)) + "   first → last   mean"
    lines = [head]
    for score in scores:
        for i, (variant, by_score) in enumerate(curves.items()):
            values = _series(by_score.get(score, []), turns)
            known = [v for v in values if v is not None]
            if not known:
                continue
            line = f"{score if i == 0 else '':8}{variant:{width}}  {spark(values).ljust(max(len(turns), 10))}"
            line += f"   {known[0]:.2f} → {known[-1]:.2f}   {sum(known) / len(known):.2f}"
            lines.append(line)
    return lines


def plot(curves: Mapping[str, Mapping[str, Sequence[Mapping[str, Any]]]], score: str = "global", *, height: int = 8, step: int = 3) -> list[str]:
    """A small line plot of one score: a letter per variant per turn (``*`` where variants overlap)."""
    turns = sorted({int(p["turn"]) for v in curves.values() for p in v.get(score, [])})
    if not turns:
        return []
    grid = [[" "] * (len(turns) * step) for _ in range(height)]
    for variant, by_score in curves.items():
        mark = MARKERS.get(variant, variant[:1].upper())
        for j, value in enumerate(_series(by_score.get(score, []), turns)):
            if value is None:
                continue
            row = height - 1 - int(round(max(0.0, min(1.0, value)) * (height - 1)))
            col = j * step + step // 2
            grid[row][col] = mark if grid[row][col] in (" ", mark) else "*"
    lines = [f"{score} drift by turn"]
    for i, row in enumerate(grid):
        level = 1.0 - i / (height - 1)
        label = f"{level:4.2f} ┤" if i in (0, height // 2, height - 1) else "     │"
        lines.append(label + "".join(row))
    lines.append("     └" + "─" * (len(turns) * step))
    axis = "".join(str(t).center(step) for t in turns)
    lines.append("      " + axis)
    legend = "  ".join(f"{MARKERS.get(v, v[:1].upper())} = {v}" for v in curves)
    lines.append("      " + legend + "  (* = overlap)")
    return lines


def render(results: Mapping[str, Any]) -> str:
    """The terminal summary: curves, then the findings."""
    curves = results.get("curves") or {}
    out = ["", "Drift curves (mean over conversations; ▁ = 0 … █ = 1)"]
    out += sparklines(curves)
    out.append("")
    out += plot(curves, "global")
    out.append("")
    out.append("Findings")
    for f in results.get("findings", []):
        out.append(_wrap("• " + f, 100, "  "))
    return "\n".join(out)


def _wrap(text: str, width: int, indent: str) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width=width, subsequent_indent=indent)) or text
