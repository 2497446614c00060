"""Opening the current drift scorer for a recorded session (replay, export --rescore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drifttui.errors import DriftError
from drifttui.session.reader import Session
from drifttui.session.resume import resolve_model


def open_scorer(session: Session, *, model: str | Path | None = None, threads: int | None = None) -> tuple[Any, Any]:
    """``(scorer, engine)`` for ``session``: its persona, its (sha256-verified) model.

    The caller closes the engine.

    Raises:
        SessionError: the model is missing or its hash differs from the recorded one.
        DriftError: this build has no drift scorer.
    """
    try:
        from drifttui.drift import DriftScorer, load_embedder
    except ImportError:
        raise DriftError("the drift scorer (drifttui.drift.DriftScorer) is not available in this build") from None
    from drifttui.engine import open_engine

    model_path, _ = resolve_model(session, model)
    options: dict[str, Any] = {}
    n_ctx = session.header.engine.get("n_ctx")
    if isinstance(n_ctx, int):
        options["n_ctx"] = n_ctx
    if threads:
        options["threads"] = threads
    engine = open_engine(model_path, engine=str(session.header.engine.get("engine") or "llama"), **options)
    try:
        scorer = DriftScorer(session.persona, engine=engine, embedder=load_embedder())
    except BaseException:
        engine.close()
        raise
    return scorer, engine
