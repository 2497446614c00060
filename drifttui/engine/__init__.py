"""Inference engines behind one protocol (see :mod:`drifttui.engine._protocol`)."""

from __future__ import annotations

from pathlib import Path

from drifttui.engine._protocol import Engine, Generation
from drifttui.engine._types import (
    CancelToken,
    EngineInfo,
    Message,
    Reply,
    SamplingParams,
    TokenLogprobs,
)

__all__ = [
    "CancelToken",
    "Engine",
    "EngineInfo",
    "Generation",
    "Message",
    "Reply",
    "SamplingParams",
    "TokenLogprobs",
    "default_model_path",
    "open_engine",
]

ENGINES = ("llama", "ct2")


def default_model_path() -> Path:
    """The bundled default chat model (raises a clear error if it was not fetched)."""
    from drifttui.assets import DEFAULT_CHAT_MODEL, require

    return require(DEFAULT_CHAT_MODEL)


def open_engine(model: str | Path | None = None, *, engine: str = "llama", **options: object) -> Engine:
    """Load a model: ``model=None`` is the bundled default, ``engine`` is ``llama`` or ``ct2``."""
    path = Path(model).expanduser() if model is not None else default_model_path()
    if engine == "llama":
        from drifttui.engine._llama import LlamaEngine, check_gguf_file
        from drifttui.engine._selfcheck import ensure_verified

        check_gguf_file(path)
        ensure_verified(path)
        return LlamaEngine(path, **options)  # type: ignore[arg-type]
    if engine == "ct2":
        from drifttui.engine._ct2 import CT2Engine

        return CT2Engine(path, **options)  # type: ignore[arg-type]
    from drifttui.errors import UserError

    raise UserError(f"unknown engine {engine!r} (choose from: {', '.join(ENGINES)})")
