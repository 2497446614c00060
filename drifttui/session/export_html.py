"""A self-contained HTML report: inline CSS and SVG, no scripts, no external fetches.

A Content-Security-Policy meta tag forbids every external load, so the file
renders the same offline, from an e-mail attachment, or in a sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from drifttui.session.agreement import Agreement, fmt
from drifttui.session.chart import LABEL_COLOURS, SERIES, Chart, chart_points
from drifttui.session.reader import Session
from drifttui.session.report import header_facts, score_stats, timeline, top_evidence

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f3f3f1; color: #1d1d1d; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 60px; background: #fff; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .6em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; font-size: .92em; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: .9em; margin: .4em 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child, th.l, td.l { text-align: left; }
thead th { background: #f5f5f5; }
figure { margin: 0; overflow-x: auto; }
figcaption { font-size: .85em; color: #555; }
.warn { background: #fff4e0; border: 1px solid #e8b860; padding: 6px 10px; font-size: .9em; }
.msg { margin: 12px 0; padding: 10px 14px; border-radius: 8px; border: 1px solid #e2e2e2; }
.msg.user { background: #eef4ff; margin-left: 12%; }
.msg.assistant { background: #fafafa; margin-right: 6%; }
.msg .who { font-weight: 600; font-size: .9em; color: #333; }
.msg .meta { font-size: .8em; color: #666; margin-left: .5em; font-weight: normal; }
.msg .text { white-space: pre-wrap; margin-top: 4px; }
.scores { margin-top: 6px; font-size: .85em; display: flex; gap: 6px; flex-wrap: wrap; }
.score { border-radius: 10px; padding: 1px 8px; border: 1px solid; }
.score.over { font-weight: 700; }
.label { display: inline-block; margin-top: 6px; font-size: .85em; border-radius: 4px; padding: 1px 8px; border: 1px solid; }
.note { font-size: .88em; color: #444; font-style: italic; }
details { margin-top: 6px; font-size: .88em; }
details .swipe { border-left: 3px solid #ddd; padding: 2px 10px; margin: 6px 0; white-space: pre-wrap; }
ul.evidence { margin: 4px 0 0; padding-left: 18px; font-size: .82em; color: #444; }
.trim { text-align: center; color: #8a6d00; font-size: .85em; margin: 14px 0; border-top: 1px dashed #d8c37a; padding-top: 4px; }
.probes { font-size: .85em; margin: 4px 0 12px 6%; padding: 6px 12px; background: #f6f9f4; border: 1px solid #d5e3cf; border-radius: 6px; }
.probes .fail { color: #b00020; } .probes .pass { color: #2e7d32; }
"""


def html_page(title: str, body: str, css: str = "") -> str:
    """A self-contained HTML document: inline CSS, no scripts, fonts or remote resources (the CSP forbids them)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{CSS}{css}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _score_badges(scores: Mapping[str, object] | None, thresholds: Mapping[str, float]) -> str:
    if not scores:
        return '<div class="scores"><span class="score" style="border-color:#bbb;color:#777">not scored</span></div>'
    out = ['<div class="scores">']
    for name, colour in SERIES.items():
        value = scores.get(name)
        if not isinstance(value, (int, float)):
            continue
        over = " over" if value >= thresholds.get(name, 0.5) else ""
        out.append(f'<span class="score{over}" style="border-color:{colour};color:{colour}">{name} {value:.2f}</span>')
    out.append("</div>")
    return "".join(out)


def _agreement_table(agreement: Agreement) -> str:
    if agreement.empty:
        return "<p>No labelled turn has scores, so there is nothing to compare yet.</p>"
    counts = ", ".join(f"{escape(k)} {v}" for k, v in sorted(agreement.label_counts.items()))
    rows = []
    for r in agreement.rows:
        truth = "any drift" if r.target == "any" else f"label = {escape(r.target)}"
        rows.append(
            f'<tr><td><span style="color:{SERIES[r.score]}">■</span> {r.score}</td><td class="l">{truth}</td>'
            f"<td>{r.n}</td><td>{r.positives}</td><td>{r.threshold:.2f}</td><td>{fmt(r.precision)}</td>"
            f"<td>{fmt(r.recall)}</td><td>{fmt(r.auroc)}</td><td>{fmt(r.kendall_tau)}</td></tr>"
        )
    return (
        f"<p>Labelled turns with scores: {len(agreement.items)} ({counts}). “Any drift” counts every label but "
        "<em>in-character</em> as drift; precision and recall use the threshold; “–” means undefined "
        "(e.g. no positive label).</p>"
        '<table id="agreement"><thead><tr><th>score</th><th class="l">truth</th><th>n</th><th>positives</th>'
        "<th>threshold</th><th>precision</th><th>recall</th><th>AUROC</th><th>Kendall τ</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _turn_html(session: Session, index: int, thresholds: Mapping[str, float]) -> str:
    turn = session.conversation.turns[index]
    if turn.role == "user":
        who = escape(session.header.user_name or "You")
        return (
            f'<div class="msg user" id="turn-{index}"><div class="who">{who}<span class="meta">turn {index}</span></div>'
            f'<div class="text">{escape(turn.text)}</div></div>'
        )
    name = escape(session.header.character_name or session.conversation.persona.name)
    meta = f"turn {index}"
    if len(turn.swipes) > 1:
        meta += f" · swipe {turn.swipe_id + 1}/{len(turn.swipes)}"
    if turn.swipe.source != "model":
        meta += f" · {escape(turn.swipe.source)}"
    parts = [
        f'<div class="msg assistant" id="turn-{index}"><div class="who">{name}<span class="meta">{meta}</span></div>',
        f'<div class="text">{escape(turn.text)}</div>',
    ]
    if turn.swipe.scores or turn.swipe.source == "model":
        parts.append(_score_badges(turn.swipe.scores, thresholds))
    if turn.label:
        colour = LABEL_COLOURS.get(turn.label, "#555")
        on = session.labelled_swipe(index)
        extra = f" (on swipe {on + 1})" if on != turn.swipe_id else ""
        parts.append(
            f'<span class="label" style="border-color:{colour};color:{colour}">your label: {escape(turn.label)}{extra}</span>'
        )
    if turn.note:
        parts.append(f'<div class="note">{escape(turn.note)}</div>')
    evidence = top_evidence(turn.swipe.scores)
    if evidence:
        parts.append('<ul class="evidence">' + "".join(f"<li>{escape(e)}</li>" for e in evidence) + "</ul>")
    if len(turn.swipes) > 1:
        parts.append(f"<details><summary>All {len(turn.swipes)} swipes</summary>")
        for k, swipe in enumerate(turn.swipes):
            shown = " (shown)" if k == turn.swipe_id else ""
            parts.append(
                f'<div class="swipe"><strong>swipe {k + 1}{shown}</strong>'
                f"{_score_badges(swipe.scores, thresholds)}{escape(swipe.text)}</div>"
            )
        parts.append("</details>")
    parts.append("</div>")
    return "".join(parts)


def to_html(session: Session, agreement: Agreement, thresholds: Mapping[str, float]) -> str:
    """The whole report as one HTML document."""
    name = escape(session.header.character_name or session.conversation.persona.name)
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in header_facts(session))
    stats_rows = "".join(
        f'<tr><td><span style="color:{SERIES[s.score]}">■</span> {s.score}</td><td>{s.n}</td><td>{fmt(s.mean)}</td>'
        f"<td>{fmt(s.maximum)}</td><td>{s.threshold:.2f}</td><td>{s.over}</td></tr>"
        for s in score_stats(session, thresholds)
    )
    chart = Chart(chart_points(session), thresholds, title=f"Drift of {session.conversation.persona.name} by turn").render()
    body = []
    for item in timeline(session):
        if item.kind == "trim" and item.trim is not None:
            t = item.trim
            body.append(
                f'<div class="trim">context trimmed before turn {t.at_turn}: the window now starts at turn '
                f"{t.first_kept} ({t.dropped_tokens} tokens dropped)</div>"
            )
        elif item.kind == "probe" and item.probe is not None:
            rows = "".join(
                f'<li class="{"pass" if r.get("passed") else "fail"}">{"✓" if r.get("passed") else "✗"} '
                f"{escape(str(r.get('question', '?')))} → <q>{escape(str(r.get('answer', '')).strip())}</q></li>"
                for r in item.probe.results
            )
            body.append(
                f'<div class="probes"><strong>Probes after turn {item.index}</strong> '
                f"(asked in a fork; not part of the chat)<ul>{rows}</ul></div>"
            )
        else:
            body.append(_turn_html(session, item.index, thresholds))
    warnings = ""
    if session.warnings:
        warnings = '<p class="warn">' + "<br>".join(escape(w) for w in session.warnings) + "</p>"
    return html_page(
        f"{name} — drift session report",
        f"""<h1>{name} — drift session</h1>
<dl class="facts">{facts}</dl>
{warnings}
<h2>Drift by turn</h2>
<figure>
{chart}
<figcaption>Lines: the scores of the swipe shown at each assistant turn; hollow circles: the other swipes of that turn;
dashed: alert threshold; boxes under the axis: your labels (ok = in-character, L/G/F = local/global/factual drift,
? = other); ✓/✗ above: probe results.</figcaption>
</figure>
<table id="score-summary"><thead><tr><th>score</th><th>scored turns</th><th>mean</th><th>max</th><th>threshold</th>
<th>turns ≥ threshold</th></tr></thead><tbody>{stats_rows}</tbody></table>
<h2>Agreement with your labels</h2>
{_agreement_table(agreement)}
<h2>Transcript</h2>
{"".join(body)}""",
    )
