"""The lab report: one self-contained HTML file in the style of the session export.

Inline CSS (the session export's, plus a few rules) and inline SVG; no
scripts, fonts or external loads (the same Content-Security-Policy as the
session report). Built from the results dict alone, so a report can be
rebuilt from ``results.json``.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

from drifttui.lab.findings import NAMES, num, pm, vname
from drifttui.lab.progress import duration
from drifttui.lab.questionnaire import BIG_FIVE, MBTI_AXES
from drifttui.lab.svgcharts import colour, curve_chart, profile_chart, ratio_chart
from drifttui.session.export_html import html_page

LAB_CSS = """
ul.findings li { margin: .35em 0; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em; vertical-align: -1px; }
td.num { font-variant-numeric: tabular-nums; }
.small { font-size: .85em; color: #555; }
"""

SCALE_LABELS = [(t, t.capitalize()) for t in BIG_FIVE] + [(a, f"{f} vs {s}  (→ {f})") for a, (f, s) in MBTI_AXES.items()]


def _sw(variant: str) -> str:
    return f'<span class="swatch" style="background:{colour(variant)}"></span>{escape(vname(variant))}'


def _facts(r: dict[str, Any]) -> str:
    cfg, t, e, m = r["config"], r["timing"], r["engine"], r.get("machine") or {}
    load = m.get("load_before")
    load_after = m.get("load_after")
    rows = [
        ("Model", f"{r['model']['name']} ({r['model']['path']})"),
        ("Engine", f"{e['engine']}, {e['threads']} thread(s), n_ctx {e['n_ctx']}" + (f" — {e['threads_note']}" if e.get("threads_note") else "")),
        ("Machine", f"{m.get('cores', '?')} cores; 1/5/15-min load {', '.join(f'{x:.1f}' for x in load) if load else '?'} at the start, "
                    f"{', '.join(f'{x:.1f}' for x in load_after) if load_after else '?'} at the end"),
        ("Grid", f"{len(cfg['personas'])} personas × {len(cfg['variants'])} variants × {cfg['seeds']} seed(s) × {cfg['turns']} turns"),
        ("User", f"{cfg['user']}" + (f" ({cfg['simulator']})" if cfg["user"] == "simulator" else "")
                 + f"; emotional share {cfg['emotional_share']:g}, meta-reflective share {cfg['meta_share']:g}"),
        ("Sampling", f"temperature {cfg['temperature']:g}, max {cfg['max_tokens']} tokens per reply"),
        ("Instability", f"{cfg['alternatives']} alternatives at turns {', '.join(map(str, cfg['sampled_turns'])) or '–'}"),
        ("Run time", f"{duration(t['wall_seconds'])} ({t['wall_seconds']:.0f} s) for {t['turns']} scored turns: "
                     f"<strong>{num(t['turns_per_second'], 3)} turns/s</strong>, {num(t['tokens_per_second'], 1)} generated tokens/s"),
        ("Work", f"{t['generated_replies']} replies generated, {t.get('reused_replies', 0)} reused, {t['alternatives']} alternatives, "
                 f"{t['simulator_turns']} simulator turns, {t['questionnaire_profiles']} questionnaire profiles, {t['tokens_generated']} tokens"),
        ("Time by phase", ", ".join(f"{k} {duration(v)}" for k, v in t["phases"].items())),
        ("Run", f"{r['run']} at {r['created']}"),
    ]  # fmt: skip
    return '<dl class="facts">' + "".join(
        f"<dt>{escape(k)}</dt><dd>{v if k in ('Run time',) else escape(v)}</dd>" for k, v in rows
    ) + "</dl>"


def _summary_table(r: dict[str, Any]) -> str:
    rows = []
    for v, scores in r["summary"].items():
        cells = "".join(f'<td class="num">{pm(scores.get(s))}</td>' for s in ("global", "local", "factual", "gap"))
        n = scores["global"]["n"]
        rows.append(f"<tr><td>{_sw(v)}</td>{cells}<td>{n}</td></tr>")
    return (
        '<table id="variant-summary"><thead><tr><th>variant</th><th>global (assistant pull)</th><th>local</th><th>factual</th>'
        "<th>persona gap</th><th>conversations</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="small">Mean ± SE with each conversation\'s mean as one observation. Scores are in [0, 1], higher = more drift, '
        "all measured against each persona's full description (the same yardstick for every variant). The reduced variants carry "
        "no facts, so their factual score counts contradictions the prompt gave no way to avoid.</p>"
    )


def _headline_table(r: dict[str, Any]) -> str:
    h = r.get("headline")
    if not h:
        return "<p>The headline comparison needs both <em>role+personality</em> and <em>personality</em> in --variants.</p>"
    rows = []
    for s in ("global", "local", "factual", "gap"):
        e = h["scores"].get(s)
        if not e:
            continue
        rows.append(
            f'<tr><td>{"persona gap (higher = better)" if s == "gap" else s}</td><td class="num">{pm(e["a"])}</td><td class="num">{pm(e["b"])}</td>'
            f'<td class="num">{pm(e["diff"], sign=True)}</td><td>{e["diff"]["n"] if e["diff"] else 0}</td></tr>'
        )
    for key, label in (("progress", "questionnaire: share of the way to target"), ("aim", "questionnaire: aim at target"),
                       ("toward", "questionnaire: gain toward target")):
        if h.get(key):
            nd = 2 if key == "aim" else 3
            rows.append(f'<tr><td>{label}</td><td></td><td></td><td class="num">{pm(h[key], nd, sign=True)}</td><td>{h[key]["n"]}</td></tr>')
    return (
        f'<table id="headline"><thead><tr><th>measure</th><th>{_sw(h["a"])}</th><th>{_sw(h["b"])}</th>'
        "<th>paired difference</th><th>pairs</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="small">Pairs: the same persona and seed (so the same user turns) under each variant. Drift: lower is better; '
        "questionnaire gain and aim: higher is better.</p>"
    )


def _kind_table(r: dict[str, Any]) -> str:
    rows = []
    for v, kinds in r["by_kind"].items():
        cells = "".join(
            f'<td class="num">{pm(kinds[k]["global"]) if k in kinds else "–"}</td>' for k in ("neutral", "emotional", "meta")
        )
        rows.append(f"<tr><td>{_sw(v)}</td>{cells}</tr>")
    contrast = r.get("kind_contrast_conditioned") or {}
    extra = ""
    if contrast:
        extra = (
            '<p class="small">Within-conversation difference from neutral turns, persona variants only: '
            + "; ".join(f"{k} {pm(s, sign=True)}" for k, s in contrast.items())
            + ".</p>"
        )
    return (
        '<table id="by-kind"><thead><tr><th>variant</th><th>after neutral</th><th>after emotional</th><th>after meta-reflective</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + extra
    )


def _instability(r: dict[str, Any]) -> str:
    ins = r.get("instability") or {}
    if not ins.get("per_persona_variant"):
        return "<p>No alternatives were drawn (or only one persona ran), so there is nothing to compare.</p>"
    names = r.get("personas", {})
    rows = []
    for row in ins["per_persona_variant"]:
        name = names.get(row["persona"], {}).get("name", row["persona"])
        rows.append(
            f'<tr><td>{escape(name)}</td><td>{_sw(row["variant"])}</td><td class="num">{pm(row["within"])}</td>'
            f'<td class="num">{pm(row["between"])}</td><td class="num">{num(row["ratio"])}</td>'
            f'<td class="num">{row["characters"]:.1f}</td><td>{row["n"]}</td></tr>'
        )
    bars = []
    overall = ins.get("overall")
    if overall:
        bars.append(("all persona variants", overall.get("ratio")))
    for p, s in (ins.get("per_persona") or {}).items():
        bars.append((names.get(p, {}).get("name", p), s.get("ratio")))
    for v, s in (ins.get("per_variant") or {}).items():
        if v != "none":
            bars.append((f"variant: {vname(v)}", s.get("ratio")))
    total = ""
    if overall:
        total = (
            f'<p><strong>Dispersion ratio {num(overall["ratio"])}</strong>: within {pm(overall["within"])} ÷ between '
            f'{pm(overall["between"])} over {overall["n"]} persona-turns ({escape(ins["method"])}).</p>'
        )
    return (
        total
        + f"<figure>{ratio_chart(bars)}<figcaption>Dispersion ratio = mean distance among one persona's alternatives ÷ mean distance "
        "to the other personas' alternatives at the same turn. At 1 (red line), regenerating a turn moves the reply as far as switching "
        "persona. Variant <em>none</em> is left out of the chart and of the overall and per-persona ratios: with no persona prompt "
        "every “persona” replays one shared chat (the same alternatives), so its ratio is N/(N−1) by construction; the table "
        "keeps it as a check.</figcaption></figure>"
        '<table id="instability"><thead><tr><th>persona</th><th>variant</th><th>within</th><th>between</th><th>ratio</th>'
        "<th>characters</th><th>turns</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        '<p class="small">Characters: groups the alternatives of one turn form (average-linkage clustering, as in the TUI\'s '
        "superposition view).</p>"
    )


def _resistance(r: dict[str, Any]) -> str:
    res = r["resistance"]
    default = res["default"]
    ds = default["scores"]
    names = r.get("personas", {})
    out = [
        f'<p>Unconditioned profile: <strong>{escape(default["mbti"])}</strong>; '
        + ", ".join(f"{escape(k)} {ds[k]:.3f}" for k, _ in SCALE_LABELS if k in ds)
        + (f'. Option-(a) bias {num(default.get("position_bias"), 3)} (0.5 = none)' if default.get("position_bias") is not None else "")
        + f'. {res["items"]} items asked in the <em>{escape(res.get("format", "statement"))}</em> form, scored by {escape(res["scoring"])}.</p>'
    ]
    rows = []
    for when, label in (("start", "prompt alone"), ("end", "after the chat")):
        for v, e in (res.get(when) or {}).items():
            pull = (r.get("assistant_pull") or {}).get(v)
            rows.append(
                f"<tr><td>{_sw(v)}</td><td>{label}</td><td class='num'>{pm(e.get('moved'), 3)}</td>"
                f"<td class='num'>{pm(e.get('d_target'), 3)}</td><td class='num'>{pm(e.get('toward'), 3, sign=True)}</td>"
                f"<td class='num'>{pm(e.get('aim'), 2, sign=True)}</td><td class='num'>{pm(e.get('progress'), 2, sign=True)}</td>"
                f"<td class='num'>{pm(e.get('letters'), 1)}</td>"
                f"<td class='num'>{pm(pull) if when == 'start' and pull else ''}</td><td>{e['n']}</td></tr>"
            )
    out.append(
        '<table id="resistance"><thead><tr><th>variant</th><th>profile</th><th>moved off default</th><th>distance to target</th>'
        "<th>gain toward target</th><th>aim</th><th>share of the way</th><th>MBTI letters matched</th><th>assistant pull</th><th>n</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        '<p class="small">Moved off default: mean |measured − unconditioned| over the nine scales. Distance to target: mean '
        "|measured − target| over the target's Big Five traits; gain = the unconditioned model's distance minus this one (positive = "
        "closer). Aim: cosine between the move and the way to the target (+1 straight at it). Share of the way: the move projected on "
        "the way to the target (1 = reached it, negative = away). Assistant pull: mean global drift of the "
        "variant's replies.</p>"
    )
    starts = [c for c in res["comparisons"] if c["when"] == "start"]
    for persona in dict.fromkeys(c["persona"] for c in starts):
        info = names.get(persona, {})
        target: dict[str, float] = dict(info.get("target", {}).get("big_five", {}))
        mbti = info.get("target", {}).get("mbti", "")
        if len(mbti) >= 4:
            for (axis, (first, _)), letter in zip(MBTI_AXES.items(), mbti.upper()):
                target[axis] = 1.0 if letter == first else 0.0
        profiles = {c["variant"]: c["profile"]["scores"] for c in starts if c["persona"] == persona}
        types = ", ".join(f"{vname(c['variant'])} {c['profile']['mbti']}" for c in starts if c["persona"] == persona)
        title = f"{info.get('name', persona)} — target {mbti or 'no MBTI'}; measured: {types}"
        out.append(
            f"<figure>{profile_chart(title, SCALE_LABELS, profiles, target=target, default=ds)}</figure>"
        )
    out.append(
        '<p class="small">Bars: the profile measured after each variant\'s system prompt alone; dashed line: the unconditioned '
        "model; diamond: the persona's target (MBTI targets drawn at 1 or 0). MBTI rows give the probability of the first letter.</p>"
    )
    return "".join(out)


def _conversations(r: dict[str, Any]) -> str:
    rows = []
    names = r.get("personas", {})
    for c in r["conversations"]:
        m = c["means"]
        reused = " (reused)" if c.get("reused_from") else ""
        rows.append(
            f'<tr><td>{escape(names.get(c["persona"], {}).get("name", c["persona"]))}</td><td>{_sw(c["variant"])}</td>'
            f'<td>{c["seed"]}</td><td class="num">{num(m.get("global"))}</td><td class="num">{num(m.get("local"))}</td>'
            f'<td class="num">{num(m.get("factual"))}</td><td class="l"><a href="{escape(c["session"])}"><code>{escape(c["session"])}</code></a>{reused}</td></tr>'
        )
    return (
        '<table id="conversations"><thead><tr><th>persona</th><th>variant</th><th>seed</th><th>global</th><th>local</th>'
        '<th>factual</th><th class="l">session file</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
        '<p class="small">Every conversation is an ordinary session file: <code>drifttui replay FILE</code> re-scores it, '
        "<code>drifttui export FILE --format html</code> shows the transcript with its swipes (the alternatives).</p>"
    )


def to_html(r: dict[str, Any]) -> str:
    """The whole lab report as one HTML document."""
    model = escape(r["model"]["name"])
    charts = []
    for score, what in (
        ("global", "drift toward the default assistant"),
        ("local", "breaks with the persona's own recent replies"),
        ("factual", "contradictions of facts or earlier statements"),
    ):
        series = {v: r["curves"][v][score] for v in r["curves"]}
        charts.append(
            f"<figure>{curve_chart(series, score=score, kinds=r.get('turn_kinds'))}"
            f"<figcaption>{score.capitalize()} drift ({what}) by user turn: mean ± 1 SE over conversations, per variant.</figcaption></figure>"
        )
    gap_series = {v: r["curves"][v].get("gap", []) for v in r["curves"]}
    if any(gap_series.values()):
        extent = max(abs(p["mean"]) + (p.get("se") or 0.0) for pts in gap_series.values() for p in pts)
        top = max(0.5, math.ceil(extent * 4) / 4)
        charts.append(
            f"<figure>{curve_chart(gap_series, score='gap', kinds=r.get('turn_kinds'), y_range=(-top, top), y_label='persona gap (nats/token)')}"
            "<figcaption>Persona gap by user turn (the lab's history-free cross-check of global drift): mean log-prob per token of "
            "the reply after the persona's full prompt and the user's message, minus after the message alone. Above 0 the persona "
            "explains the reply better than the default assistant does; at or below 0 the reply is what the default assistant would "
            "say. Unlike the scorer's global score it ignores earlier replies, so a chat that drifted as a whole cannot vouch for "
            "itself.</figcaption></figure>"
        )
    findings = "".join(f"<li>{escape(f)}</li>" for f in r["findings"])
    notes = ""
    if r.get("notes"):
        notes = '<p class="warn">' + "<br>".join(escape(n) for n in r["notes"]) + "</p>"
    variants_legend = ", ".join(f"<em>{escape(v)}</em> = {escape(n)}" for v, n in NAMES.items() if v in r["config"]["variants"])
    settings = "".join(
        f"<dt>{escape(str(k))}</dt><dd><code>{escape(json.dumps(v))}</code></dd>" for k, v in r["config"].items()
    )
    return html_page(
        f"Persona lab — {model}",
        f"""<h1>Persona lab — {model}</h1>
{_facts(r)}
{notes}
<h2>Findings</h2>
<ul class="findings" id="findings">{findings}</ul>
<h2>Role + personality vs personality alone</h2>
{_headline_table(r)}
<h2>Drift curves</h2>
<p class="small">Variants: {variants_legend}. Each conversation starts without a greeting; the only conditioning is the system prompt.</p>
{"".join(charts)}
{_summary_table(r)}
<h3>Drift after each kind of user turn (global)</h3>
{_kind_table(r)}
<h2>Instability</h2>
{_instability(r)}
<h2>Resistance</h2>
{_resistance(r)}
<h2>Conversations</h2>
{_conversations(r)}
<h2>Settings</h2>
<dl class="facts" id="settings">{settings}</dl>
<p class="small">Every figure above is in <code>results.json</code> next to this file.</p>""",
        LAB_CSS,
    )
