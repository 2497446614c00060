"""Persona drift scoring: local, global and factual scores per assistant turn, with evidence.

A pure library (no Textual): usable headless, in tests and in the TUI's worker
threads. See docs/scoring.md for what each score measures and how well.

>>> from drifttui.drift import DriftScorer
>>> scorer = DriftScorer(persona, engine=engine, embedder=load_embedder())  # doctest: +SKIP
>>> scorer.score(history, reply, turn=len(history)).to_dict()  # doctest: +SKIP
"""

from drifttui.drift.scorer import DriftScorer, Logit, ScorerConfig
from drifttui.drift.types import Evidence, ProbeResult, TurnScore

__all__ = [
    "DriftScorer",
    "Evidence",
    "Logit",
    "ProbeResult",
    "ScorerConfig",
    "TurnScore",
    "load_embedder",
]


def load_embedder(**options):
    """The sentence embedder (all-MiniLM-L6-v2 on CTranslate2), or None if unavailable (never raises)."""
    try:
        from drifttui.drift.embed import load_embedder as _load
    except ImportError:  # pragma: no cover - embed.py missing
        return None
    return _load(**options)
