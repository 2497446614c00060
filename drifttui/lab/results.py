"""A finished lab run as data: the JSON-ready dict behind results.json, the report and the findings.

:func:`assemble` stores what was measured (settings, timing, every scored
reply, every questionnaire profile, the instability summary);
:func:`derive` computes every summary from those records, so
``drifttui lab --rebuild-report`` can redo the analysis from ``results.json``
alone, without the model.
"""

from __future__ import annotations

import time
from collections import Counter
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from drifttui.lab import curves as C
from drifttui.lab.findings import findings
from drifttui.lab.machine import cores, machine_load
from drifttui.lab.plan import HEADLINE
from drifttui.lab.questionnaire import BIG_FIVE, MBTI_AXES, Profile
from drifttui.lab.resistance import summarise as resistance_summary

if TYPE_CHECKING:
    from drifttui.lab.runner import LabRunner

RESULTS_FORMAT = "drifttui-lab"
RESULTS_VERSION = 1

CONTRAST_METRICS: tuple[str, ...] = ("global", "gap", "local")


def assemble(run: LabRunner, personas: dict[str, Any], info, instability: dict[str, Any], wall: float, load_before) -> dict[str, Any]:
    """The results dict of a finished run (what results.json holds and the report is drawn from)."""
    cfg = run.config
    records = run.records
    timing = {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(run.timing.cpu_seconds, 2),
        "cpu_share": round(run.timing.cpu_seconds / wall, 3) if wall > 0 else None,
        "turns": len(records),
        "turns_per_second": round(len(records) / wall, 4) if wall > 0 else None,
        "generated_replies": run.timing.generated_replies,
        "reused_replies": run.timing.reused_turns,
        "alternatives": run.timing.alternatives,
        "simulator_turns": run.timing.simulator_turns,
        "tokens_generated": run.timing.tokens,
        "tokens_per_second": round(run.timing.tokens / wall, 2) if wall > 0 else None,
        "questionnaire_profiles": run.timing.profiles,
        "phases": {k: round(v, 2) for k, v in sorted(run.timing.phases.items(), key=lambda kv: -kv[1])},
    }
    result: dict[str, Any] = {
        "format": RESULTS_FORMAT,
        "version": RESULTS_VERSION,
        "run": run.run_id,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "config": cfg.to_dict(),
        "model": {"name": info.model_name, "path": info.model_path},
        "engine": {"engine": info.engine, "n_ctx": info.n_ctx, "threads": info.threads, "chat_template": info.chat_template,
                   "threads_note": run.threads_note},
        "machine": {"cores": cores(), "load_before": load_before, "load_after": machine_load()},
        "timing": timing,
        "personas": {
            ref: {"name": p.name, "role": p.role, "personality": p.personality,
                  "target": {"mbti": p.target.mbti, "big_five": {k: p.target.big_five[k] for k in BIG_FIVE if k in p.target.big_five}}}
            for ref, p in personas.items()
        },
        "instability": instability,
        "resistance": {
            "items": len(run.items),
            "format": cfg.questionnaire,
            "scoring": "mean log-prob per token of answering with each statement; item = sigmoid(high - low)",
            "default": run.default_profile.to_dict(items=True),
            "comparisons": [c.to_dict() for c in run.comparisons],
        },
        "conversations": run.conversations,
        "records": [r.to_dict() for r in records],
        "notes": list(run.notes),
    }  # fmt: skip
    return derive(result)


def _records(result: dict[str, Any]) -> list[C.TurnRecord]:
    return [
        C.TurnRecord(r["persona"], r["variant"], int(r["seed"]), int(r["turn"]), r["kind"], dict(r["scores"]),
                     n_tokens=r.get("n_tokens", 0), alternatives=r.get("alternatives", 1), reused=r.get("reused", False))
        for r in result.get("records", [])
    ]  # fmt: skip


def _comparisons(result: dict[str, Any]) -> list[SimpleNamespace]:
    out = []
    for c in result.get("resistance", {}).get("comparisons", []):
        item = SimpleNamespace(**{k: v for k, v in c.items() if k != "profile"})
        item.profile = Profile.from_dict(c["profile"])
        out.append(item)
    return out


def derive(result: dict[str, Any]) -> dict[str, Any]:
    """(Re)compute every summary and the findings from ``result``'s records and profiles (in place; returned)."""
    records = _records(result)
    comparisons = _comparisons(result)
    variants = list(result["config"]["variants"])
    summary = C.variant_summary(records, variants)
    headline = None
    a, b = HEADLINE
    if a in variants and b in variants:
        headline = {"a": a, "b": b, "scores": {}}
        for score in C.METRICS:
            diff = C.paired_difference(records, a, b, score)
            headline["scores"][score] = {
                "a": summary[a][score], "b": summary[b][score], "diff": None if diff is None else diff.to_dict(),
            }  # fmt: skip
        for key in ("progress", "aim", "toward"):
            stat = paired_resistance(comparisons, a, b, key)
            headline[key] = None if stat is None else stat.to_dict()
    contrasts: dict[str, dict[str, Any]] = {m: {} for m in CONTRAST_METRICS}
    for i, x in enumerate(variants):
        for y in variants[i + 1 :]:
            for m in CONTRAST_METRICS:
                # later variants carry more conditioning: report "more conditioned − less conditioned"
                diff = C.paired_difference(records, y, x, m)
                if diff is not None:
                    contrasts[m][f"{y}|{x}"] = diff.to_dict()
    result.update(
        {
            "curves": C.curves(records, variants),
            "turn_kinds": {str(t): v for t, v in C.kinds_by_turn(records).items()},
            "summary": summary,
            "assistant_pull": {v: summary[v]["global"] for v in variants if v in summary},
            "by_kind": C.by_kind(records, variants),
            "kind_contrast": {k: s.to_dict() for k in ("emotional", "meta") if (s := C.kind_contrast(records, k))},
            "kind_contrast_conditioned": {
                k: s.to_dict()
                for k in ("emotional", "meta")
                if (s := C.kind_contrast([r for r in records if r.variant != "none"], k))
            },
            "trend": C.trend(records, variants),
            "headline": headline,
            "contrasts": contrasts,
        }
    )
    res = result.setdefault("resistance", {})
    res["start"] = resistance_summary(comparisons, variants, "start")
    res["end"] = resistance_summary(comparisons, variants, "end")
    res["letters"] = letter_stability(comparisons, res.get("default"))
    result["findings"] = findings(result)
    return result


def letter_stability(comparisons, default: dict[str, Any] | None) -> dict[str, Any] | None:
    """How often a conditioned start profile kept the default's letter on each MBTI axis, and the types measured."""
    if not default:
        return None
    mbti = default.get("mbti", "")
    rows = [c for c in comparisons if c.when == "start"]
    if not rows or len(mbti) != 4:
        return None
    kept = {}
    for (axis, _), letter in zip(MBTI_AXES.items(), mbti):
        kept[axis] = round(sum(1 for c in rows if c.profile.mbti[list(MBTI_AXES).index(axis)] == letter) / len(rows), 4)
    return {"default": mbti, "kept": kept, "types": dict(Counter(c.profile.mbti for c in rows).most_common()), "n": len(rows)}


def paired_resistance(comparisons, a: str, b: str, key: str) -> C.Stat | None:
    """Per persona, the start-profile ``key`` under ``a`` minus under ``b``."""
    start = {(c.persona, c.variant): c for c in comparisons if c.when == "start"}
    diffs = []
    for (persona, variant), c in start.items():
        other = start.get((persona, b))
        if variant == a and other is not None:
            x, y = getattr(c, key), getattr(other, key)
            if x is not None and y is not None:
                diffs.append(x - y)
    return C.mean_se(diffs) if diffs else None
