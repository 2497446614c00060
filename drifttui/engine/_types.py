"""Plain data passed to and from engines."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Union

import numpy as np

Role = Literal["system", "user", "assistant"]
FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class SamplingParams:
    """How to sample a reply. ``seed=None`` draws a fresh seed per call."""

    temperature: float = 0.8
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    repeat_last_n: int = 64
    max_tokens: int = 160
    seed: int | None = None

    def with_seed(self, seed: int | None) -> SamplingParams:
        return replace(self, seed=seed)

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "min_p": self.min_p,
            "repeat_penalty": self.repeat_penalty,
            "repeat_last_n": self.repeat_last_n,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
        }


@dataclass
class Reply:
    """A finished (or cancelled) generation."""

    text: str
    finish_reason: FinishReason
    seed: int
    n_tokens: int = 0
    prompt_tokens: int = 0
    """Tokens in the prompt the reply was generated from."""
    prompt_evaluated: int = 0
    """Prompt tokens actually run through the model (the rest came from the cache)."""
    seconds: float = 0.0
    """Wall time spent generating the reply tokens (prompt evaluation excluded)."""

    @property
    def tokens_per_second(self) -> float:
        return self.n_tokens / self.seconds if self.seconds > 0 else 0.0


Measure = Union[tuple[str, Sequence["Message"]], tuple[str, Sequence["Message"], Union[int, None]]]
"""A context a streamed reply is also scored in: ``(slot, messages)``, or ``(slot, messages, max_tokens)``
to score its first ``max_tokens`` tokens only (see ``Engine.stream``)."""


@dataclass
class TokenLogprobs:
    """Per-token log-probabilities of a given reply under a given context."""

    tokens: list[str]
    logprobs: np.ndarray = field(repr=False)

    @property
    def total(self) -> float:
        return float(self.logprobs.sum()) if len(self.logprobs) else 0.0

    @property
    def mean(self) -> float:
        return float(self.logprobs.mean()) if len(self.logprobs) else 0.0


class CancelToken:
    """Set from any thread to stop a generation at the next token."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass(frozen=True)
class EngineInfo:
    """What the engine runs, for footers, session headers and reports."""

    engine: str
    model_path: str
    model_name: str
    n_ctx: int
    """Tokens one conversation may hold (the context window used for trimming)."""
    chat_template: str
    """"gguf" when the model's own template is used, otherwise the fallback's name."""
    threads: int
    weights_path: str = ""
    """The file actually loaded: ``model_path`` itself, or for the bundled model its Q8_0 copy."""
    reading_weights: str = ""
    """The file the scorer's log-probs are read from when it is not ``weights_path`` (the bundled model's BF16 copy where that is faster), else ""."""
