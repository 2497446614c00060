"""The model's own view of a reply: per-token log-probabilities under two contexts.

For a reply we ask the chat model how likely each of its tokens is:

* ``persona`` — the persona system prompt + the last user message;
* ``plain`` — the same user message with **no** system message: the model's
  unconditioned default assistant ("You are a helpful AI assistant named
  SmolLM…").

The mean log-prob per token, persona minus plain, is the *persona gap*: a
reply the default assistant explains as well as the persona does is drifting
toward the default. Neither context sees earlier replies, so a chat that has
drifted as a whole cannot vouch for its own drift (docs/scoring.md, *Design
measurements*). A third context with a window of recent history (the "history
lift", how much the persona's own recent replies make a reply more expected)
was measured and dropped: on 517 labelled turns by four authors it added
nothing to the local score (leave-one-persona-out AUROC 0.888 without it,
0.886 with it) and cost a third of the model time.

Cost is bounded by construction: each call evaluates only the user message and
the reply after a cached system prompt, each context in its own engine slot
(``score``, ``score-plain``), so neither evicts the other, the chat's ``main``
slot, or ``plain`` (where the TUI samples no-persona control replies). With
``drifttui --score-while-streaming`` the TUI hands both contexts to the engine
when it streams a reply (:meth:`LikelihoodModel.contexts`); the llama engine then
decodes each new token in all three sequences in one batch, and scoring after the
reply finds the log-probs cached (``scripts/bench_scoring.py`` measures what that
costs the stream).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from drifttui.engine import Message

OPENER = Message("user", "Hello.")
"""Stands in for the user turn when a reply has none before it (a greeting): every context gets the same one."""

DEFAULT_SLOTS = {"persona": "score", "plain": "score-plain"}
"""Engine slot used by each context kind (see ``LlamaEngine(slots=...)``)."""


@dataclass(frozen=True)
class Likelihoods:
    """Per-token log-probabilities of one reply under each context.

    Attributes:
        tokens: The reply's tokens (as the persona context tokenised it).
        persona: log p(token) with the persona prompt and the last user message.
        plain: log p(token) with no system prompt and the last user message.
    """

    tokens: tuple[str, ...]
    persona: np.ndarray
    plain: np.ndarray

    @property
    def n(self) -> int:
        return min(len(self.persona), len(self.plain))

    @property
    def gap(self) -> float:
        """Mean log-prob per token, persona minus plain (positive: the persona explains it better)."""
        if not len(self.persona) or not len(self.plain):
            return 0.0
        return float(self.persona.mean() - self.plain.mean())

    def assistant_tokens(self, k: int = 3) -> list[tuple[str, float]]:
        """The tokens the plain assistant expects most over the persona: ``(token, nats)``."""
        if len(self.persona) != len(self.plain) or not len(self.persona):
            return []
        diff = self.plain - self.persona
        order = np.argsort(-diff)[:k]
        return [(self.tokens[i], float(diff[i])) for i in order if diff[i] > 0.5]


def _key(messages: Sequence[Message], reply: str) -> tuple:
    return (tuple((m.role, m.content) for m in messages), reply)


class LikelihoodModel:
    """Computes (and caches by text) :class:`Likelihoods` through an engine.

    Args:
        engine: Any :class:`~drifttui.engine.Engine` with ``logprobs``.
        system_prompt: The persona's system prompt (the ``full`` variant).
        slots: Engine slot per context kind (``persona``, ``plain``).
        cache_size: Replies remembered.
    """

    def __init__(self, engine, system_prompt: str, *, slots: dict[str, str] | None = None, cache_size: int = 1024) -> None:
        self.engine = engine
        self.system = Message("system", system_prompt) if system_prompt else None
        self.slots = {**DEFAULT_SLOTS, **(slots or {})}
        self._cache: OrderedDict[tuple, tuple[tuple[str, ...], np.ndarray]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _logprobs(self, kind: str, messages: list[Message], reply: str) -> tuple[tuple[str, ...], np.ndarray]:
        key = (kind, *_key(messages, reply))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        result = self.engine.logprobs(messages, reply, slot=self.slots[kind])
        value = (tuple(result.tokens), np.asarray(result.logprobs, dtype=np.float32))
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def contexts(self, history: Sequence[Message]) -> list[tuple[str, list[Message]]]:
        """``(slot, messages)`` of each context a reply after ``history`` is measured in.

        Only the last user message of ``history`` counts (system and assistant messages are
        skipped). Passed to ``engine.stream(measure=...)``, these let the engine score the
        reply in both contexts while it is generated, so :meth:`measure` finds it cached.
        """
        last_user = next((m for m in reversed(history) if m.role == "user"), None)
        short = [last_user] if last_user is not None else [OPENER]
        system = [self.system] if self.system is not None else []
        return [(self.slots["persona"], [*system, *short]), (self.slots["plain"], short)]

    def measure(self, history: Sequence[Message], reply: str) -> Likelihoods:
        """Log-probs of ``reply`` after ``history`` (user/assistant messages, oldest first): only its last user message counts."""
        (_, persona_context), (_, plain_context) = self.contexts(history)
        tokens, persona = self._logprobs("persona", persona_context, reply)
        _, plain = self._logprobs("plain", plain_context, reply)
        return Likelihoods(tokens, persona, plain)
