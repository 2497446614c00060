"""Drift curves: each score by turn, mean ± standard error, per variant; and the summaries behind the findings.

A :class:`TurnRecord` is one scored assistant reply of one lab conversation.
Turn numbers are 1-based user turns (exchanges), the same in every
conversation, so curves line up across personas, variants and seeds.

Standard errors: per turn, over the conversations that reached it; for whole
conversations, each conversation's mean is one observation (turns of one
chat are not independent). Paired comparisons (variant A − variant B) pair
conversations with the same persona and seed, which heard the same user.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SCORES: tuple[str, ...] = ("global", "local", "factual")
"""The drift scores of :class:`~drifttui.drift.DriftScorer`, each in [0, 1] (higher = more drift)."""

METRICS: tuple[str, ...] = (*SCORES, "gap")
"""Everything recorded per reply: the three scores and the lab's history-free persona gap (nats/token,
higher = the persona prompt explains the reply better than no prompt; lower = more like the default assistant)."""


@dataclass(frozen=True)
class Stat:
    """A mean with its standard error (``se`` is None for a single value) and count."""

    mean: float
    se: float | None
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"mean": round(self.mean, 4), "se": None if self.se is None else round(self.se, 4), "n": self.n}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stat:
        return cls(float(data["mean"]), None if data.get("se") is None else float(data["se"]), int(data["n"]))


def mean_se(values: Iterable[float]) -> Stat:
    """Mean and standard error of the mean (sample SD with n − 1, over √n). Empty → NaN mean, n 0."""
    xs = [float(v) for v in values]
    n = len(xs)
    if n == 0:
        return Stat(float("nan"), None, 0)
    mean = sum(xs) / n
    if n == 1:
        return Stat(mean, None, 1)
    var = sum((x - mean) ** 2 for x in xs) / (n - 1)
    return Stat(mean, math.sqrt(var / n), n)


@dataclass
class TurnRecord:
    """One scored reply of a lab conversation."""

    persona: str
    variant: str
    seed: int
    turn: int
    """1-based user turn (exchange) the reply answers."""
    kind: str
    """Kind of the user turn it answers: ``neutral``, ``emotional`` or ``meta``."""
    scores: dict[str, float]
    n_tokens: int = 0
    alternatives: int = 1
    reused: bool = False
    """The reply was generated once for an identical context and reused (variant ``none``)."""
    components: dict[str, float] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona, "variant": self.variant, "seed": self.seed, "turn": self.turn, "kind": self.kind,
            "scores": {k: round(v, 4) for k, v in self.scores.items()}, "n_tokens": self.n_tokens,
            "alternatives": self.alternatives, "reused": self.reused,
        }  # fmt: skip


def _variants(records: Sequence[TurnRecord], variants: Sequence[str] | None) -> list[str]:
    return list(variants) if variants is not None else list(dict.fromkeys(r.variant for r in records))


def curves(records: Sequence[TurnRecord], variants: Sequence[str] | None = None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{variant: {score: [{"turn", "mean", "se", "n"}, ...]}}`` over all conversations of the variant."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for variant in _variants(records, variants):
        rows = [r for r in records if r.variant == variant]
        turns = sorted({r.turn for r in rows})
        out[variant] = {}
        for score in METRICS:
            series = []
            for t in turns:
                stat = mean_se(r.scores[score] for r in rows if r.turn == t and score in r.scores)
                if stat.n:
                    series.append({"turn": t, **stat.to_dict()})
            out[variant][score] = series
    return out


def conversation_means(records: Sequence[TurnRecord]) -> dict[tuple[str, str, int], dict[str, float]]:
    """Mean of each score per conversation ``(persona, variant, seed)``."""
    groups: dict[tuple[str, str, int], list[TurnRecord]] = {}
    for r in records:
        groups.setdefault((r.persona, r.variant, r.seed), []).append(r)
    out = {}
    for key, rows in groups.items():
        out[key] = {s: sum(v) / len(v) for s in METRICS if (v := [r.scores[s] for r in rows if s in r.scores])}
    return out


def variant_summary(records: Sequence[TurnRecord], variants: Sequence[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """``{variant: {score: Stat}}`` with conversations as the unit."""
    means = conversation_means(records)
    out = {}
    for variant in _variants(records, variants):
        rows = [m for (p, v, s), m in means.items() if v == variant]
        out[variant] = {score: mean_se(m[score] for m in rows if score in m).to_dict() for score in METRICS}
    return out


def paired_difference(records: Sequence[TurnRecord], a: str, b: str, score: str) -> Stat | None:
    """Mean over (persona, seed) of conversation mean under ``a`` minus under ``b``; None without pairs."""
    means = conversation_means(records)
    diffs = []
    for (persona, variant, seed), m in means.items():
        if variant != a:
            continue
        other = means.get((persona, b, seed))
        if other is not None and score in m and score in other:
            diffs.append(m[score] - other[score])
    return mean_se(diffs) if diffs else None


def by_kind(records: Sequence[TurnRecord], variants: Sequence[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """``{variant: {kind: {score: Stat}}}``: drift of replies to each kind of user turn."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for variant in _variants(records, variants):
        out[variant] = {}
        for kind in ("neutral", "emotional", "meta"):
            rows = [r for r in records if r.variant == variant and r.kind == kind]
            if rows:
                out[variant][kind] = {s: mean_se(r.scores[s] for r in rows if s in r.scores).to_dict() for s in METRICS}
    return out


def kind_contrast(records: Sequence[TurnRecord], kind: str, score: str = "global") -> Stat | None:
    """Within each conversation, mean ``score`` after ``kind`` turns minus after neutral turns; mean ± SE over conversations."""
    groups: dict[tuple[str, str, int], list[TurnRecord]] = {}
    for r in records:
        groups.setdefault((r.persona, r.variant, r.seed), []).append(r)
    diffs = []
    for rows in groups.values():
        hit = [r.scores[score] for r in rows if r.kind == kind and score in r.scores]
        base = [r.scores[score] for r in rows if r.kind == "neutral" and score in r.scores]
        if hit and base:
            diffs.append(sum(hit) / len(hit) - sum(base) / len(base))
    return mean_se(diffs) if diffs else None


def trend(records: Sequence[TurnRecord], variants: Sequence[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Per variant and score: mean over the first third of turns vs the last third, and the change (paired per conversation)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    turns = sorted({r.turn for r in records})
    if len(turns) < 2:
        return out
    third = max(1, len(turns) // 3)
    early, late = set(turns[:third]), set(turns[-third:])
    for variant in _variants(records, variants):
        rows = [r for r in records if r.variant == variant]
        convs: dict[tuple[str, int], list[TurnRecord]] = {}
        for r in rows:
            convs.setdefault((r.persona, r.seed), []).append(r)
        out[variant] = {}
        for score in METRICS:
            e, l, d = [], [], []
            for conv in convs.values():
                ev = [r.scores[score] for r in conv if r.turn in early and score in r.scores]
                lv = [r.scores[score] for r in conv if r.turn in late and score in r.scores]
                if ev and lv:
                    e.append(sum(ev) / len(ev))
                    l.append(sum(lv) / len(lv))
                    d.append(l[-1] - e[-1])
            if d:
                out[variant][score] = {
                    "early": mean_se(e).to_dict(),
                    "late": mean_se(l).to_dict(),
                    "change": mean_se(d).to_dict(),
                    "early_turns": sorted(early),
                    "late_turns": sorted(late),
                }
    return out


def kinds_by_turn(records: Sequence[TurnRecord]) -> dict[int, dict[str, int]]:
    """How many conversations heard each kind of user turn at each turn (for chart annotations)."""
    seen: dict[tuple[str, str, int, int], str] = {}
    for r in records:
        seen[(r.persona, r.variant, r.seed, r.turn)] = r.kind
    out: dict[int, dict[str, int]] = {}
    for (_, _, _, turn), kind in seen.items():
        out.setdefault(turn, {}).setdefault(kind, 0)
        out[turn][kind] += 1
    return dict(sorted(out.items()))
