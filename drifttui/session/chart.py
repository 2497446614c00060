"""The drift-vs-turn chart as inline SVG (no scripts, no fonts to fetch)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

SERIES = {
    "local": "#d62839",
    "global": "#1d6fd8",
    "factual": "#e89b00",
}
"""Score → line colour (distinct hues, readable on white and for most colour-blind readers)."""

LABEL_COLOURS = {
    "in-character": "#2e7d32",
    "local": "#d62839",
    "global": "#1d6fd8",
    "factual": "#e89b00",
    "other": "#6d4c8d",
}
LABEL_SHORT = {"in-character": "ok", "local": "L", "global": "G", "factual": "F", "other": "?"}


@dataclass
class ChartPoint:
    """Scores of one swipe of one assistant turn."""

    turn: int
    scores: Mapping[str, float | None]
    selected: bool = True
    label: str | None = None
    probes: tuple[bool, ...] = ()
    """Pass/fail of probes asked after this turn (shown on the selected point only)."""


@dataclass
class Chart:
    points: Sequence[ChartPoint]
    thresholds: Mapping[str, float] = field(default_factory=dict)
    width: int = 880
    height: int = 340
    title: str = "Drift score by turn"

    left: int = 56
    right: int = 150
    top: int = 28
    bottom: int = 64

    def x(self, turn: int) -> float:
        turns = sorted({p.turn for p in self.points})
        lo, hi = (turns[0], turns[-1]) if turns else (0, 1)
        span = self.width - self.left - self.right
        if hi == lo:
            return self.left + span / 2
        return self.left + 12 + (turn - lo) / (hi - lo) * (span - 24)

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + (1.0 - max(0.0, min(1.0, value))) * span

    def render(self) -> str:
        w, h = self.width, self.height
        x0, x1 = self.left, w - self.right
        y0, y1 = self.top, h - self.bottom
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" id="drift-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'role="img" aria-labelledby="drift-chart-title" font-family="sans-serif" font-size="12">',
            f'<title id="drift-chart-title">{escape(self.title)}</title>',
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="#fbfbfb" stroke="#999"/>',
        ]
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            ty = self.y(tick)
            out.append(f'<line x1="{x0}" y1="{ty:.1f}" x2="{x1}" y2="{ty:.1f}" stroke="#e3e3e3"/>')
            out.append(f'<text x="{x0 - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#444">{tick:.2f}</text>')
        out.append(
            f'<text transform="translate(14 {(y0 + y1) / 2:.0f}) rotate(-90)" text-anchor="middle" fill="#333">'
            "drift score (higher = more drift)</text>"
        )
        turns = sorted({p.turn for p in self.points})
        step = max(1, len(turns) // 16)
        for i, turn in enumerate(turns):
            tx = self.x(turn)
            out.append(f'<line x1="{tx:.1f}" y1="{y1}" x2="{tx:.1f}" y2="{y1 + 4}" stroke="#666"/>')
            if i % step == 0:
                out.append(f'<text x="{tx:.1f}" y="{y1 + 16}" text-anchor="middle" fill="#444">{turn}</text>')
        out.append(f'<text x="{(x0 + x1) / 2:.0f}" y="{h - 6}" text-anchor="middle" fill="#333">turn</text>')
        out += self._thresholds(x0, x1)
        if not self.points:
            out.append(
                f'<text x="{(x0 + x1) / 2:.0f}" y="{(y0 + y1) / 2:.0f}" text-anchor="middle" fill="#777">'
                "no scores recorded (export with --rescore to compute them)</text>"
            )
        out += self._series()
        out += self._labels(y1)
        out += self._legend(x1 + 14, y0)
        out.append("</svg>")
        return "\n".join(out)

    def _thresholds(self, x0: float, x1: float) -> list[str]:
        out = []
        values = {k: self.thresholds[k] for k in SERIES if k in self.thresholds}
        if values and len(set(values.values())) == 1:
            ty = self.y(next(iter(values.values())))
            out.append(
                f'<line class="threshold" x1="{x0}" y1="{ty:.1f}" x2="{x1}" y2="{ty:.1f}" stroke="#555" '
                'stroke-dasharray="6 4" stroke-width="1.2"/>'
            )
            return out
        for name, value in values.items():
            ty = self.y(value)
            out.append(
                f'<line class="threshold threshold-{name}" x1="{x0}" y1="{ty:.1f}" x2="{x1}" y2="{ty:.1f}" '
                f'stroke="{SERIES[name]}" stroke-opacity="0.55" stroke-dasharray="6 4" stroke-width="1.2"/>'
            )
        return out

    def _series(self) -> list[str]:
        out = []
        chosen = sorted((p for p in self.points if p.selected), key=lambda p: p.turn)
        for name, colour in SERIES.items():
            for p in self.points:
                value = p.scores.get(name)
                if not p.selected and isinstance(value, (int, float)):
                    out.append(
                        f'<circle class="swipe-point" cx="{self.x(p.turn):.1f}" cy="{self.y(value):.1f}" r="3.5" '
                        f'fill="#fff" stroke="{colour}" stroke-width="1.5" stroke-opacity="0.8">'
                        f"<title>turn {p.turn}, other swipe: {name} {value:.2f}</title></circle>"
                    )
            segment: list[str] = []
            segments: list[list[str]] = []
            for p in chosen:
                value = p.scores.get(name)
                if isinstance(value, (int, float)):
                    segment.append(f"{self.x(p.turn):.1f},{self.y(value):.1f}")
                elif segment:
                    segments.append(segment)
                    segment = []
            if segment:
                segments.append(segment)
            for seg in segments:
                out.append(
                    f'<polyline class="series series-{name}" points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                    'stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>'
                )
            for p in chosen:
                value = p.scores.get(name)
                if isinstance(value, (int, float)):
                    out.append(
                        f'<circle class="point point-{name}" cx="{self.x(p.turn):.1f}" cy="{self.y(value):.1f}" r="4.5" '
                        f'fill="{colour}"><title>turn {p.turn}: {name} {value:.2f}</title></circle>'
                    )
        return out

    def _labels(self, y1: float) -> list[str]:
        out = []
        for p in self.points:
            if not p.selected:
                continue
            tx = self.x(p.turn)
            if p.label:
                colour = LABEL_COLOURS.get(p.label, "#555")
                short = LABEL_SHORT.get(p.label, p.label[:2])
                out.append(
                    f'<g class="annotation"><rect x="{tx - 13:.1f}" y="{y1 + 22}" width="26" height="15" rx="3" '
                    f'fill="{colour}" fill-opacity="0.15" stroke="{colour}"/>'
                    f'<text x="{tx:.1f}" y="{y1 + 33}" text-anchor="middle" font-size="10" fill="#222">{escape(short)}</text>'
                    f"<title>turn {p.turn}: your label {escape(p.label)}</title></g>"
                )
            for j, passed in enumerate(p.probes):
                mark, colour = ("✓", "#2e7d32") if passed else ("✗", "#b00020")
                out.append(
                    f'<text class="probe-mark" x="{tx + 9 * j - 4.5 * (len(p.probes) - 1):.1f}" y="{self.top - 8}" '
                    f'text-anchor="middle" fill="{colour}">{mark}<title>turn {p.turn}: probe '
                    f'{"passed" if passed else "failed"}</title></text>'
                )
        return out

    def _legend(self, x: float, y: float) -> list[str]:
        out = ['<g class="legend">']
        for i, (name, colour) in enumerate(SERIES.items()):
            ly = y + 10 + i * 20
            out.append(f'<line x1="{x}" y1="{ly}" x2="{x + 24}" y2="{ly}" stroke="{colour}" stroke-width="3"/>')
            out.append(f'<circle cx="{x + 12}" cy="{ly}" r="4" fill="{colour}"/>')
            out.append(f'<text x="{x + 30}" y="{ly + 4}" fill="#222">{name}</text>')
        ly = y + 10 + 3 * 20
        out.append(f'<circle cx="{x + 12}" cy="{ly}" r="3.5" fill="#fff" stroke="#555" stroke-width="1.5"/>')
        out.append(f'<text x="{x + 30}" y="{ly + 4}" fill="#222">other swipes</text>')
        ly += 20
        out.append(f'<line x1="{x}" y1="{ly}" x2="{x + 24}" y2="{ly}" stroke="#555" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{x + 30}" y="{ly + 4}" fill="#222">threshold</text>')
        ly += 20
        out.append(f'<text x="{x}" y="{ly + 4}" fill="#222">▭ your label</text>')
        out.append(f'<text x="{x}" y="{ly + 22}" fill="#222">✓✗ probe result</text>')
        out.append("</g>")
        return out


def chart_points(session: object, thresholds: Mapping[str, float] | None = None) -> list[ChartPoint]:
    """One point per scored assistant swipe of a :class:`~drifttui.session.Session`."""
    probes: dict[int, list[bool]] = {}
    for record in getattr(session, "probes", []):
        probes.setdefault(record.turn, []).extend(bool(r.get("passed")) for r in record.results)
    points = []
    for index, turn in session.assistant_turns():  # type: ignore[attr-defined]
        for k, swipe in enumerate(turn.swipes):
            if not swipe.scores:
                continue
            selected = k == turn.swipe_id
            points.append(
                ChartPoint(
                    turn=index,
                    scores={name: swipe.scores.get(name) for name in SERIES},
                    selected=selected,
                    label=turn.label if selected else None,
                    probes=tuple(probes.get(index, ())) if selected else (),
                )
            )
    return points
