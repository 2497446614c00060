"""Inline SVG figures of the lab report: drift curves with ± SE bands, profile bars, ratio bars.

Same conventions as the session report's chart (:mod:`drifttui.session.chart`):
plain SVG, a ``<title>`` for screen readers, tooltips as ``<title>``
children, system fonts, no scripts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

VARIANT_COLOURS = {
    "none": "#6b6b6b",
    "personality": "#e89b00",
    "role": "#2e7d32",
    "role+personality": "#1d6fd8",
    "full": "#6d4c8d",
}
"""Variant → colour (distinct hues; grey for the unconditioned model)."""

KIND_MARKS = {"emotional": ("E", "#b00020"), "meta": ("M", "#6d4c8d")}


def colour(variant: str) -> str:
    return VARIANT_COLOURS.get(variant, "#444")


def curve_chart(
    series: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    score: str,
    kinds: Mapping[Any, Mapping[str, int]] | None = None,
    width: int = 880,
    height: int = 300,
    y_range: tuple[float, float] | None = None,
    y_label: str | None = None,
) -> str:
    """One score vs turn: a line per variant with a mean ± 1 SE band.

    Args:
        series: ``{variant: [{"turn", "mean", "se", "n"}, ...]}``.
        score: Which score (for titles).
        kinds: ``{turn: {kind: count}}``: emotional / meta turns are marked under the axis.
        y_range: The value axis (default 0..1, the drift scores' range); a range spanning 0 gets a line at 0.
        y_label: Axis title (default "<score> drift").
    """
    lo_v, hi_v = y_range or (0.0, 1.0)
    left, right, top, bottom = 56, 170, 24, 58
    x0, x1, y0, y1 = left, width - right, top, height - bottom
    turns = sorted({int(p["turn"]) for pts in series.values() for p in pts})
    lo, hi = (turns[0], turns[-1]) if turns else (1, 1)

    def x(t: float) -> float:
        if hi == lo:
            return (x0 + x1) / 2
        return x0 + 14 + (t - lo) / (hi - lo) * (x1 - x0 - 28)

    def y(v: float) -> float:
        f = (v - lo_v) / (hi_v - lo_v) if hi_v > lo_v else 0.5
        return y0 + (1.0 - max(0.0, min(1.0, f))) * (y1 - y0)

    cid = f"curve-{escape(score)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-chart" id="{cid}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title" font-family="sans-serif" font-size="12">',
        f'<title id="{cid}-title">{escape(y_label or f"{score} drift")} by turn, mean ± 1 SE per variant</title>',
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="#fbfbfb" stroke="#999"/>',
    ]
    for i in range(5):
        tick = lo_v + (hi_v - lo_v) * i / 4
        ty = y(tick)
        out.append(f'<line x1="{x0}" y1="{ty:.1f}" x2="{x1}" y2="{ty:.1f}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{x0 - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="#444">{tick:.2f}</text>')
    if lo_v < 0 < hi_v:
        out.append(f'<line class="zero" x1="{x0}" y1="{y(0.0):.1f}" x2="{x1}" y2="{y(0.0):.1f}" stroke="#555" stroke-dasharray="4 3"/>')
    out.append(
        f'<text transform="translate(14 {(y0 + y1) / 2:.0f}) rotate(-90)" text-anchor="middle" fill="#333">'
        f"{escape(y_label or f'{score} drift')}</text>"
    )
    for t in turns:
        tx = x(t)
        out.append(f'<line x1="{tx:.1f}" y1="{y1}" x2="{tx:.1f}" y2="{y1 + 4}" stroke="#666"/>')
        out.append(f'<text x="{tx:.1f}" y="{y1 + 16}" text-anchor="middle" fill="#444">{t}</text>')
        marks = (kinds or {}).get(t) or (kinds or {}).get(str(t)) or {}
        total = sum(marks.values()) or 1
        label = []
        for kind, (letter, c) in KIND_MARKS.items():
            if marks.get(kind):
                share = marks[kind] / total
                label.append((letter if share >= 0.999 else f"{letter}{share:.0%}", c, kind, marks[kind]))
        for j, (text, c, kind, count) in enumerate(label):
            out.append(
                f'<text class="kind-mark" x="{tx:.1f}" y="{y1 + 30 + 11 * j}" text-anchor="middle" font-size="10" fill="{c}">'
                f"{escape(text)}<title>turn {t}: {kind} user turn in {count} conversation(s)</title></text>"
            )
    out.append(f'<text x="{(x0 + x1) / 2:.0f}" y="{height - 4}" text-anchor="middle" fill="#333">user turn</text>')
    if not turns:
        out.append(f'<text x="{(x0 + x1) / 2:.0f}" y="{(y0 + y1) / 2:.0f}" text-anchor="middle" fill="#777">no data</text>')
    for variant, pts in series.items():
        pts = sorted(pts, key=lambda p: p["turn"])
        if not pts:
            continue
        c = colour(variant)
        upper = [(x(p["turn"]), y(p["mean"] + (p.get("se") or 0.0))) for p in pts]
        lower = [(x(p["turn"]), y(p["mean"] - (p.get("se") or 0.0))) for p in reversed(pts)]
        if len(pts) > 1:
            poly = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower)
            out.append(f'<polygon class="band band-{escape(variant)}" points="{poly}" fill="{c}" fill-opacity="0.14" stroke="none"/>')
            line = " ".join(f"{x(p['turn']):.1f},{y(p['mean']):.1f}" for p in pts)
            out.append(
                f'<polyline class="series series-{escape(variant)}" points="{line}" fill="none" stroke="{c}" '
                'stroke-width="2.5" stroke-linejoin="round"/>'
            )
        for p in pts:
            se = p.get("se")
            se_text = "" if se is None else f" ± {se:.2f}"
            px, py = x(p["turn"]), y(p["mean"])
            if se:
                out.append(f'<line x1="{px:.1f}" y1="{y(p["mean"] + se):.1f}" x2="{px:.1f}" y2="{y(p["mean"] - se):.1f}" stroke="{c}" stroke-opacity="0.6"/>')
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{c}"><title>{escape(variant)}, turn {p["turn"]}: '
                f'{escape(score)} {p["mean"]:.2f}{se_text} (n={p["n"]})</title></circle>'
            )
    out.append('<g class="legend">')
    for i, variant in enumerate(series):
        ly = y0 + 10 + i * 20
        c = colour(variant)
        out.append(f'<rect x="{x1 + 14}" y="{ly - 6}" width="24" height="12" fill="{c}" fill-opacity="0.14"/>')
        out.append(f'<line x1="{x1 + 14}" y1="{ly}" x2="{x1 + 38}" y2="{ly}" stroke="{c}" stroke-width="2.5"/>')
        out.append(f'<text x="{x1 + 44}" y="{ly + 4}" fill="#222">{escape(variant)}</text>')
    ly = y0 + 10 + len(series) * 20 + 6
    out.append(f'<text x="{x1 + 14}" y="{ly + 4}" fill="#555" font-size="11">band: ± 1 SE</text>')
    out.append(f'<text x="{x1 + 14}" y="{ly + 20}" fill="#b00020" font-size="11">E: emotional turn</text>')
    out.append(f'<text x="{x1 + 14}" y="{ly + 36}" fill="#6d4c8d" font-size="11">M: meta-reflective turn</text>')
    out.append("</g></svg>")
    return "\n".join(out)


def profile_chart(
    title: str,
    scales: Sequence[tuple[str, str]],
    profiles: Mapping[str, Mapping[str, float]],
    *,
    target: Mapping[str, float] | None = None,
    default: Mapping[str, float] | None = None,
    width: int = 880,
) -> str:
    """Grouped horizontal bars: one group per scale, a bar per variant, the target (◆) and default (|) marked.

    Args:
        title: Figure title.
        scales: ``(key, label)`` pairs, e.g. ``("extraversion", "Extraversion")``, ``("EI", "E ← → I")``.
        profiles: ``{variant: {scale: value in [0, 1]}}``.
        target: The persona's target per scale (if set).
        default: The unconditioned model's profile.
    """
    variants = list(profiles)
    bar_h, gap = 9, 10
    group_h = max(1, len(variants)) * bar_h + gap
    left, right, top = 150, 150, 30
    height = top + len(scales) * group_h + 34
    x0, x1 = left, width - right

    def x(v: float) -> float:
        return x0 + max(0.0, min(1.0, v)) * (x1 - x0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-chart profile-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{x0}" y="16" fill="#222" font-weight="600">{escape(title)}</text>',
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 30}" stroke="{"#bbb" if tick == 0.5 else "#eee"}"/>')
        out.append(f'<text x="{tx:.1f}" y="{height - 16}" text-anchor="middle" fill="#555">{tick:.2f}</text>')
    for i, (key, label) in enumerate(scales):
        gy = top + i * group_h
        out.append(f'<text x="{x0 - 8}" y="{gy + group_h / 2:.1f}" text-anchor="end" fill="#222">{escape(label)}</text>')
        for j, variant in enumerate(variants):
            value = profiles[variant].get(key)
            if value is None:
                continue
            by = gy + j * bar_h
            out.append(
                f'<rect x="{x0}" y="{by:.1f}" width="{x(value) - x0:.1f}" height="{bar_h - 2}" fill="{colour(variant)}" '
                f'fill-opacity="0.75"><title>{escape(variant)}: {escape(label)} {value:.3f}</title></rect>'
            )
        span = max(1, len(variants)) * bar_h
        if default and key in default:
            dx = x(default[key])
            out.append(
                f'<line class="default-mark" x1="{dx:.1f}" y1="{gy - 2:.1f}" x2="{dx:.1f}" y2="{gy + span:.1f}" stroke="#111" '
                f'stroke-width="2" stroke-dasharray="3 2"><title>unconditioned model: {default[key]:.3f}</title></line>'
            )
        if target and key in target:
            tx, ty = x(target[key]), gy + span / 2 - 1
            out.append(
                f'<path class="target-mark" d="M{tx:.1f},{ty - 6:.1f} L{tx + 6:.1f},{ty:.1f} L{tx:.1f},{ty + 6:.1f} L{tx - 6:.1f},{ty:.1f} Z" '
                f'fill="#fff" stroke="#b00020" stroke-width="2"><title>target: {target[key]:.2f}</title></path>'
            )
    lx = x1 + 14
    for j, variant in enumerate(variants):
        ly = top + 6 + j * 18
        out.append(f'<rect x="{lx}" y="{ly - 6}" width="14" height="10" fill="{colour(variant)}" fill-opacity="0.75"/>')
        out.append(f'<text x="{lx + 20}" y="{ly + 3}" fill="#222">{escape(variant)}</text>')
    ly = top + 6 + len(variants) * 18 + 4
    out.append(f'<line x1="{lx + 7}" y1="{ly - 7}" x2="{lx + 7}" y2="{ly + 5}" stroke="#111" stroke-width="2" stroke-dasharray="3 2"/>')
    out.append(f'<text x="{lx + 20}" y="{ly + 3}" fill="#222">no persona</text>')
    ly += 18
    out.append(f'<path d="M{lx + 7},{ly - 7} L{lx + 13},{ly - 1} L{lx + 7},{ly + 5} L{lx + 1},{ly - 1} Z" fill="#fff" stroke="#b00020" stroke-width="2"/>')
    out.append(f'<text x="{lx + 20}" y="{ly + 3}" fill="#222">target</text>')
    out.append("</svg>")
    return "\n".join(out)


def ratio_chart(rows: Sequence[tuple[str, float | None]], *, width: int = 880, title: str = "Dispersion ratio") -> str:
    """Horizontal bars of dispersion ratios with the line at 1 (within = between)."""
    bar_h = 20
    left, right, top = 190, 60, 26
    height = top + len(rows) * bar_h + 30
    hi = max([1.2, *[r for _, r in rows if r is not None]]) * 1.05
    x0, x1 = left, width - right

    def x(v: float) -> float:
        return x0 + max(0.0, v) / hi * (x1 - x0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lab-chart ratio-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0):
        if tick > hi:
            break
        tx = x(tick)
        stroke, sw = ("#b00020", 2) if tick == 1.0 else ("#eee", 1)
        out.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 26}" stroke="{stroke}" stroke-width="{sw}"/>')
        out.append(f'<text x="{tx:.1f}" y="{height - 12}" text-anchor="middle" fill="#555">{tick:g}</text>')
    out.append(f'<text x="{x(1.0) + 4:.1f}" y="{top - 10}" fill="#b00020" font-size="11">within = between</text>')
    for i, (label, value) in enumerate(rows):
        by = top + i * bar_h
        out.append(f'<text x="{x0 - 8}" y="{by + 14}" text-anchor="end" fill="#222">{escape(label)}</text>')
        if value is None:
            out.append(f'<text x="{x0 + 4}" y="{by + 14}" fill="#777">–</text>')
            continue
        out.append(
            f'<rect x="{x0}" y="{by + 3}" width="{x(value) - x0:.1f}" height="{bar_h - 6}" fill="#1d6fd8" fill-opacity="0.7">'
            f"<title>{escape(label)}: {value:.3f}</title></rect>"
        )
        out.append(f'<text x="{x(value) + 4:.1f}" y="{by + 14}" fill="#222">{value:.2f}</text>')
    out.append("</svg>")
    return "\n".join(out)
