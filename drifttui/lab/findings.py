"""The findings of a lab run in plain words, generated from its numbers.

Every sentence quotes the figures it rests on. A difference is called a
difference only when it exceeds twice its standard error; otherwise the
sentence says the run cannot tell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NAMES = {
    "none": "no persona",
    "personality": "personality only",
    "role": "role only",
    "role+personality": "role + personality",
    "full": "the full persona",
}


def vname(variant: str) -> str:
    return NAMES.get(variant, variant)


def num(x: float | None, nd: int = 2) -> str:
    return "–" if x is None else f"{x:.{nd}f}"


def signed(x: float | None, nd: int = 2) -> str:
    return "–" if x is None else f"{x:+.{nd}f}"


def pm(stat: Mapping[str, Any] | None, nd: int = 2, *, sign: bool = False) -> str:
    """``0.31 ± 0.03`` (``0.31`` when there is no error estimate)."""
    if not stat:
        return "–"
    mean = signed(stat["mean"], nd) if sign else num(stat["mean"], nd)
    se = stat.get("se")
    return mean if se is None else f"{mean} ± {se:.{nd}f}"


def clear(stat: Mapping[str, Any] | None) -> int:
    """+1 / −1 when the mean is more than 2 SE from 0, else 0 (and 0 without an SE)."""
    if not stat or stat.get("se") is None:
        return 0
    if abs(stat["mean"]) > 2 * stat["se"] and abs(stat["mean"]) > 1e-9:
        return 1 if stat["mean"] > 0 else -1
    return 0


def duration(seconds: float) -> str:
    from drifttui.lab.progress import duration as d

    return d(seconds)


def _headline(r: dict[str, Any]) -> list[str]:
    h = r.get("headline")
    if not h:
        return []
    a, b = h["a"], h["b"]
    g = h["scores"]["global"]
    diff = g["diff"]
    n = diff["n"] if diff else 0
    verdict = clear(diff)
    if verdict < 0:
        head = f"{vname(a).capitalize()} held the persona better than {vname(b)}"
    elif verdict > 0:
        head = f"{vname(a).capitalize()} held the persona worse than {vname(b)}"
    else:
        head = f"This run cannot tell {vname(a)} from {vname(b)} on global drift"
    out = [
        f"{head}: global drift {num(g['a']['mean'])} vs {num(g['b']['mean'])} "
        f"(paired difference {pm(diff, sign=True)} over {n} persona × seed pair{'s' if n != 1 else ''}; lower = closer to the persona)."
    ]
    others = []
    for score in ("local", "factual"):
        s = h["scores"][score]
        v = clear(s["diff"])
        word = "lower" if v < 0 else "higher" if v > 0 else "no clear difference"
        others.append(f"{score} {num(s['a']['mean'])} vs {num(s['b']['mean'])} ({word}, {pm(s['diff'], sign=True)})")
    gap = h["scores"].get("gap")
    if gap and gap.get("diff"):
        v = clear(gap["diff"])
        word = "closer to the persona" if v > 0 else "closer to the default assistant" if v < 0 else "no clear difference"
        others.append(
            f"history-free persona gap {signed(gap['a']['mean'])} vs {signed(gap['b']['mean'])} nats/token ({word}, {pm(gap['diff'], sign=True)})"
        )
    out.append(f"The other measures, {vname(a)} vs {vname(b)}: " + "; ".join(others) + ".")
    progress, aim = h.get("progress"), h.get("aim")
    if progress or aim:
        v = clear(progress)
        word = "further toward" if v > 0 else "less far toward" if v < 0 else "no clearly different distance toward"
        out.append(
            f"On the questionnaire, {vname(a)} moved the model's self-description {word} the persona's target than {vname(b)} "
            f"(paired difference in share of the way {pm(progress, 3, sign=True)}; in aim {pm(aim, sign=True)})."
        )
    return out


def _pull(r: dict[str, Any]) -> list[str]:
    pull = r.get("assistant_pull") or {}
    if not pull:
        return []
    parts = [f"{vname(v)} {pm(s)}" for v, s in pull.items() if s and s.get("n")]
    out = [f"Assistant pull (mean global drift of a variant's replies, ± SE over conversations): {', '.join(parts)}."]
    gaps = [(v, e["gap"]) for v, e in (r.get("summary") or {}).items() if e.get("gap") and e["gap"].get("n")]
    if gaps:
        out.append(
            "Cross-check without history (persona gap, nats/token; above 0 = the persona explains the reply better than the default "
            "assistant): " + ", ".join(f"{vname(v)} {pm(g, sign=True)}" for v, g in gaps) + "."
        )
    if "none" in pull and len(pull) > 1:
        best = min((v for v in pull if v != "none"), key=lambda v: pull[v]["mean"])
        if pull[best]["mean"] < pull["none"]["mean"]:
            out.append(
                f"Without any persona prompt the model's replies score {num(pull['none']['mean'])} against the personas; "
                f"the strongest conditioning here, {vname(best)}, brings that to {num(pull[best]['mean'])}."
            )
        else:
            out.append(
                f"No persona variant scores lower global drift than no persona at all ({num(pull['none']['mean'])}): the scorer "
                "judges each reply with the chat's recent replies in context, so a chat that is assistant-like throughout vouches "
                "for itself; the history-free persona gap is the fairer comparison here."
            )
    return out


def _contrasts(r: dict[str, Any]) -> list[str]:
    contrasts = r.get("contrasts") or {}
    gap = contrasts.get("gap") or {}
    out = []
    vs_none = [(k.split("|")[0], s) for k, s in gap.items() if k.endswith("|none")]
    if vs_none:
        clear_all = all(clear(s) > 0 for _, s in vs_none)
        head = "Every persona prompt moved the replies away from the default assistant" if clear_all else "Against no persona"
        out.append(
            f"{head} (persona gap vs no persona, paired per persona: "
            + "; ".join(f"{vname(v)} {pm(s, sign=True)}" for v, s in vs_none)
            + " nats/token)."
        )
    found = []
    for metric, label in (("global", "global drift"), ("gap", "persona gap")):
        for key, s in (contrasts.get(metric) or {}).items():
            a, b = key.split("|")
            if "none" in (a, b) or {a, b} == set(_headline_pair(r)) or not clear(s):
                continue
            found.append(f"{vname(a)} vs {vname(b)}, {label} {pm(s, sign=True)}")
    conditioned = [v for v in r.get("config", {}).get("variants", []) if v != "none"]
    if found:
        out.append("Clear differences between other persona variants: " + "; ".join(found) + ".")
    elif len(conditioned) > 2:
        out.append("No other pair of persona variants differs clearly (beyond 2 SE) on global drift or the persona gap.")
    return out


def _headline_pair(r: dict[str, Any]) -> tuple[str, str]:
    h = r.get("headline") or {}
    return (h.get("a", ""), h.get("b", ""))


def _trend(r: dict[str, Any]) -> list[str]:
    trend = r.get("trend") or {}
    out = []
    for metric, label, up, down in (
        ("global", "global drift", "rose", "fell"),
        ("gap", "the history-free persona gap", "rose (toward the persona)", "fell (toward the default assistant)"),
    ):
        parts = []
        span = ""
        for v, scores in trend.items():
            g = scores.get(metric)
            if not g:
                continue
            c = clear(g["change"])
            word = up if c > 0 else down if c < 0 else "stayed level"
            fmt = signed if metric == "gap" else num
            parts.append(f"{vname(v)} {word} ({fmt(g['early']['mean'])} → {fmt(g['late']['mean'])}, {pm(g['change'], sign=True)})")
            span = f" from {_turns(g['early_turns'])} to {_turns(g['late_turns'])}"
        if parts:
            out.append(f"Over the conversation{span}, {label}: " + "; ".join(parts) + ".")
    return out


def _turns(turns: list[int]) -> str:
    return f"turn {turns[0]}" if len(turns) == 1 else f"turns {turns[0]}–{turns[-1]}"


def _kinds(r: dict[str, Any]) -> list[str]:
    kc = r.get("kind_contrast_conditioned") or r.get("kind_contrast") or {}
    if not kc:
        return []
    parts = []
    for kind, label in (("emotional", "emotional"), ("meta", "meta-reflective")):
        s = kc.get(kind)
        if not s:
            continue
        c = clear(s)
        word = "more" if c > 0 else "less" if c < 0 else "no clearly different"
        parts.append(f"after {label} user turns {word} global drift than after neutral ones ({pm(s, sign=True)})")
    if not parts:
        return []
    return ["With a persona prompt, replies showed " + "; ".join(parts) + " (within-conversation differences)."]


def _instability(r: dict[str, Any]) -> list[str]:
    ins = r.get("instability") or {}
    overall = ins.get("overall")
    if not overall or overall.get("ratio") is None:
        if ins.get("alternatives", 0) >= 2:
            return ["Instability could not be measured: it needs at least two personas under a persona variant."]
        return []
    ratio = overall["ratio"]
    turns = ", ".join(str(t) for t in ins.get("sampled_turns", []))
    if ratio >= 1:
        verdict = "regenerating one persona's turn moves the reply as far as, or further than, switching to another persona"
    elif ratio >= 0.8:
        verdict = f"regenerating one persona's turn moves the reply {ratio:.0%} as far as switching persona: nearly as far"
    else:
        verdict = f"regenerating one persona's turn moves the reply {ratio:.0%} as far as switching persona"
    out = [
        f"Dispersion ratio {ratio:.2f} (within {pm(overall['within'])} ÷ between {pm(overall['between'])}; "
        f"{ins.get('alternatives')} alternatives at turns {turns}; {ins.get('method')}): {verdict}. "
        f"The alternatives of one turn formed {overall['characters']:.1f} distinct characters on average."
    ]
    by_variant = [(v, e["ratio"]) for v, e in (ins.get("per_variant") or {}).items() if e.get("ratio") is not None and v != "none"]
    if len(by_variant) >= 2:
        out.append("By variant: " + "; ".join(f"{vname(v)} {x:.2f}" for v, x in by_variant) + ".")
    per = ins.get("per_persona") or {}
    ranked = sorted(((p, s["ratio"]) for p, s in per.items() if s.get("ratio") is not None), key=lambda x: -x[1])
    if len(ranked) >= 2:
        names = r.get("personas", {})
        top = ", ".join(f"{names.get(p, {}).get('name', p)} {x:.2f}" for p, x in ranked)
        out.append(f"Per persona (most unstable first): {top}.")
    return out


def _resistance(r: dict[str, Any]) -> list[str]:
    res = r.get("resistance") or {}
    default = res.get("default")
    out = []
    if default:
        s = default["scores"]
        b5 = ", ".join(f"{k[0].upper()} {s[k]:.2f}" for k in ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism") if k in s)
        bias = default.get("position_bias")
        bias_text = f" Its bias toward option (a) is {num(bias)} (0.50 = none), cancelled by keying items both ways." if bias is not None else ""
        out.append(
            f"Unconditioned, the model describes itself as {default['mbti']} (Big Five {b5}; "
            f"La Cava & Tagarelli found open models cluster on ENFJ).{bias_text}"
        )
    start = res.get("start") or {}
    if start:
        moved = [(v, e["moved"]) for v, e in start.items() if e.get("moved")]
        progress = [(v, e["progress"]) for v, e in start.items() if e.get("progress")]
        if moved:
            out.append(
                "Moved off the default profile (mean |change| over the nine 0–1 scales, ± SE over personas): "
                + "; ".join(f"{vname(v)} {pm(m, 3)}" for v, m in moved)
                + "."
            )
        if progress:
            best_v, best = max(progress, key=lambda x: x[1]["mean"])
            if best["mean"] < 0.25:
                verdict = (
                    f"The model resists: even {vname(best_v)} covers only {best['mean']:.0%} of the way from its own profile to "
                    "the persona's target"
                )
            else:
                verdict = f"{vname(best_v).capitalize()} gets furthest: {best['mean']:.0%} of the way to the persona's target"
            aims = [(v, e["aim"]) for v, e in start.items() if e.get("aim")]
            out.append(
                f"{verdict} (share of the way, projected: "
                + "; ".join(f"{vname(v)} {pm(p, sign=True)}" for v, p in progress)
                + "; direction, cosine with the way to the target: "
                + "; ".join(f"{vname(v)} {pm(a, sign=True)}" for v, a in aims)
                + ")."
            )
        letters = [(v, e["letters"]) for v, e in start.items() if e.get("letters")]
        if letters:
            out.append(
                "MBTI letters matching the target (of 4; 2 is chance): "
                + "; ".join(f"{vname(v)} {pm(s, 1)}" for v, s in letters)
                + "."
            )
    stab = res.get("letters")
    if stab:
        types = ", ".join(f"{t} ×{n}" for t, n in stab["types"].items())
        kept = "; ".join(f"{stab['default'][i]} {share:.0%}" for i, share in enumerate(stab["kept"].values()))
        out.append(
            f"The {stab['n']} conditioned profiles came out as {types}; share keeping the default's letter on each axis: {kept}."
        )
    end = res.get("end") or {}
    pairs = [(v, start[v], end[v]) for v in end if v in start and start[v].get("moved") and end[v].get("moved")]
    if pairs:
        text = (
            "After the conversation, the questionnaire again: distance from the default (start → end) "
            + "; ".join(f"{vname(v)} {num(a['moved']['mean'], 3)} → {num(b['moved']['mean'], 3)}" for v, a, b in pairs)
        )
        if end.get("none", {}).get("moved"):
            text += f"; with no persona at all, {num(end['none']['moved']['mean'], 3)} (the chat itself moves the self-description)"
        aims = [(v, a["aim"], b["aim"]) for v, a, b in pairs if a.get("aim") and b.get("aim")]
        if aims:
            text += "; aim at the target " + "; ".join(
                f"{vname(v)} {signed(a['mean'])} → {signed(b['mean'])}" for v, a, b in aims
            )
        out.append(text + ".")
    return out


def _throughput(r: dict[str, Any]) -> list[str]:
    t = r.get("timing") or {}
    if not t:
        return []
    e = r.get("engine", {})
    load = (r.get("machine") or {}).get("load_before")
    load_text = f", 1-min load {load[0]:.1f} on {r['machine']['cores']} cores at the start" if load else ""
    reused = f", {t['reused_replies']} reused" if t.get("reused_replies") else ""
    out = [
        f"Throughput: {t['turns']} scored turns in {duration(t['wall_seconds'])}, {num(t['turns_per_second'])} turns/s "
        f"({t['generated_replies']} replies generated{reused}, {t['alternatives']} alternatives, "
        f"{num(t['tokens_per_second'], 1)} generated tokens/s; engine {e.get('engine')}, {e.get('threads')} thread(s){load_text})."
    ]
    cpu, share = t.get("cpu_seconds"), t.get("cpu_share")
    if cpu and share and e.get("threads") == 1 and share < 0.9:
        out.append(
            f"The run got {share:.0%} of a core ({duration(cpu)} of CPU time): on an idle core the same work would take about "
            f"{duration(cpu)}, {t['turns'] / cpu:.2f} turns/s."
        )
    return out


def findings(results: dict[str, Any]) -> list[str]:
    """Plain-word findings of a lab run (its results dict), most important first."""
    out: list[str] = []
    for part in (_headline, _pull, _contrasts, _trend, _kinds, _instability, _resistance, _throughput):
        out += part(results)
    return out
