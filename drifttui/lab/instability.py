"""Instability: how far N regenerations of one turn spread, against how far personas differ.

At each sampled turn every conversation draws N alternative replies to the
same user message in one batched call (:meth:`Engine.sample`). For persona
*p* under variant *v* at (seed, turn):

* **within** — mean pairwise distance among *p*'s N alternatives;
* **between** — mean distance from *p*'s alternatives to the alternatives of
  the *other* personas under the same variant, seed and turn.

Distances are sentence-embedding cosine distances (word edit distance without
an embedder), from :mod:`drifttui.drift.dispersion`. The **dispersion ratio**
is within ÷ between, aggregated as a ratio of means. The superposition claim
(Shanahan) is that it can reach 1: regenerating one persona's turn moves the
reply as far as swapping the persona does.

Variant ``none`` is left out of the overall and per-persona ratios: with no
system prompt every "persona" is the same model in the same context (the lab
generates that chat once and reuses it), so the "other personas'"
alternatives are the same texts and the ratio is N/(N−1) by construction. It
is kept per variant as a check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from drifttui.drift.dispersion import analyse
from drifttui.lab.curves import mean_se


@dataclass
class AltGroup:
    """The N alternatives one conversation drew at one sampled turn."""

    persona: str
    variant: str
    seed: int
    turn: int
    texts: list[str]


@dataclass
class Spread:
    """Dispersion of one persona's alternatives at one (variant, seed, turn)."""

    persona: str
    variant: str
    seed: int
    turn: int
    within: float
    between: float | None
    characters: int
    """Groups ("characters") the alternatives form (average-linkage clustering)."""


def spreads(groups: Sequence[AltGroup], embedder=None) -> tuple[list[Spread], str]:
    """One :class:`Spread` per group, and the distance method used."""
    by_key: dict[tuple[str, int, int], list[AltGroup]] = {}
    for g in groups:
        by_key.setdefault((g.variant, g.seed, g.turn), []).append(g)
    out: list[Spread] = []
    method = "word edit distance (no embedder)" if embedder is None else "embedding cosine"
    for (variant, seed, turn), members in by_key.items():
        for g in members:
            texts = [t for t in g.texts if t.strip()]
            if len(texts) < 2:
                continue
            control = [t for other in members if other.persona != g.persona for t in other.texts if t.strip()]
            sup = analyse(texts, control, embedder)
            method = sup.method
            out.append(Spread(g.persona, variant, seed, turn, sup.within, sup.between, len(sup.groups)))
    return out, method


def _ratio(rows: Sequence[Spread]) -> dict[str, Any] | None:
    paired = [r for r in rows if r.between is not None]
    if not paired:
        return None
    within = mean_se(r.within for r in paired)
    between = mean_se(r.between for r in paired)  # type: ignore[misc]
    ratio = within.mean / between.mean if between.mean > 1e-9 else None
    per = [r.within / r.between for r in paired if r.between and r.between > 1e-9]
    return {
        "within": within.to_dict(),
        "between": between.to_dict(),
        "ratio": None if ratio is None else round(ratio, 4),
        "ratio_of_each": mean_se(per).to_dict() if per else None,
        "characters": round(sum(r.characters for r in paired) / len(paired), 3),
        "n": len(paired),
    }


def summarise(groups: Sequence[AltGroup], embedder=None, *, alternatives: int = 0, sampled_turns: Sequence[int] = ()) -> dict[str, Any]:
    """Everything the report shows about instability (JSON-ready)."""
    rows, method = spreads(groups, embedder)
    conditioned = [r for r in rows if r.variant != "none"]
    personas = list(dict.fromkeys(r.persona for r in rows))
    variants = list(dict.fromkeys(r.variant for r in rows))
    return {
        "method": method,
        "alternatives": alternatives,
        "sampled_turns": list(sampled_turns),
        "overall": _ratio(conditioned),
        "per_persona": {p: s for p in personas if (s := _ratio([r for r in conditioned if r.persona == p]))},
        "per_variant": {v: s for v in variants if (s := _ratio([r for r in rows if r.variant == v]))},
        "per_persona_variant": [
            {"persona": p, "variant": v, **s}
            for p in personas
            for v in variants
            if (s := _ratio([r for r in rows if r.persona == p and r.variant == v]))
        ],
        "reference_none": "variant none has no persona: its 'personas' replay one shared chat, so its ratio is N/(N-1) by construction",
    }
