"""The model's own view of a reply: per-token log-probabilities under three contexts.

For a reply we ask the chat model how likely each of its tokens is:

* ``persona`` — the persona system prompt + the last user message;
* ``plain`` — the same user message with **no** system message: the model's
  unconditioned default assistant ("You are a helpful AI assistant named
  SmolLM…");
* ``history`` — the persona system prompt + a window of recent history (which
  holds the persona's own recent replies).

The mean log-prob per token, persona minus plain, is the *persona gap*: a
reply the default assistant explains as well as the persona does is drifting
toward the default (global drift). Neither context sees earlier replies, so a
chat that has drifted as a whole cannot vouch for its own drift. History minus
persona is the *history lift*: how much the persona's recent replies make this
one more expected — a break with them gets less lift (local drift).

Measured on the development set (docs/scoring.md), giving the plain context
the history too (so that it imitates the persona's voice) shrinks the gap of
in-character replies and separates drift less well; and a persona context
with history, used for the global gap, is fooled by sustained drift (after a
run of assistant-style replies their gap rises to look in character).

Cost is bounded by construction. ``persona`` and ``plain`` have no history:
each call evaluates only the user message and the reply after a cached system
prompt. The history window restarts every ``block`` messages instead of
sliding, so between restarts each turn only appends to the cached prefix of
its slot; at a restart the window (at most ``window + block - 1`` messages) is
read once. Each context has its own engine slot (``score``, ``score-plain``,
``score-history``), so none evicts another, the chat's ``main`` slot, or
``plain`` (where the TUI samples no-persona control replies).
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

DEFAULT_SLOTS = {"persona": "score", "plain": "score-plain", "history": "score-history"}
"""Engine slot used by each context kind (see ``LlamaEngine(slots=...)``)."""


@dataclass(frozen=True)
class Likelihoods:
    """Per-token log-probabilities of one reply under each context.

    Attributes:
        tokens: The reply's tokens (as the persona context tokenised it).
        persona: log p(token) with the persona prompt and the last user message.
        plain: log p(token) with no system prompt and the last user message.
        history: log p(token) with the persona prompt and the recent history (None if not computed).
        window: ``(first, last)`` history indices in the history context.
    """

    tokens: tuple[str, ...]
    persona: np.ndarray
    plain: np.ndarray
    history: np.ndarray | None = None
    window: tuple[int, int] = (0, 0)

    @property
    def n(self) -> int:
        return min(len(self.persona), len(self.plain))

    @property
    def gap(self) -> float:
        """Mean log-prob per token, persona minus plain (positive: the persona explains it better)."""
        if not len(self.persona) or not len(self.plain):
            return 0.0
        return float(self.persona.mean() - self.plain.mean())

    @property
    def lift(self) -> float | None:
        """Mean log-prob per token, history minus persona (positive: the recent replies make it more expected)."""
        if self.history is None or not len(self.history) or not len(self.persona):
            return None
        return float(self.history.mean() - self.persona.mean())

    def assistant_tokens(self, k: int = 3) -> list[tuple[str, float]]:
        """The tokens the plain assistant expects most over the persona: ``(token, nats)``."""
        if len(self.persona) != len(self.plain) or not len(self.persona):
            return []
        diff = self.plain - self.persona
        order = np.argsort(-diff)[:k]
        return [(self.tokens[i], float(diff[i])) for i in order if diff[i] > 0.5]


def window_start(history: Sequence[Message], size: int, block: int) -> int:
    """First history index of a window of ``size``..``size + block - 1`` messages that moves in blocks.

    The start only changes every ``block`` messages, so consecutive turns share
    a prefix (and the engine's cache). The window never starts on an assistant
    message when a user message follows.
    """
    n = len(history)
    if n <= size:
        return 0
    start = ((n - size) // max(1, block)) * max(1, block)
    while start < n - 1 and history[start].role != "user":
        start += 1
    return start


def _key(messages: Sequence[Message], reply: str) -> tuple:
    return (tuple((m.role, m.content) for m in messages), reply)


class LikelihoodModel:
    """Computes (and caches by text) :class:`Likelihoods` through an engine.

    Args:
        engine: Any :class:`~drifttui.engine.Engine` with ``logprobs``.
        system_prompt: The persona's system prompt (the ``full`` variant).
        window: Minimum messages of history in the history context (0 or 1: no history context).
        block: The history window restarts every this many messages.
        slots: Engine slot per context kind (``persona``, ``plain``, ``history``).
        max_prompt_tokens: The history window is shortened (by whole blocks) to stay under this.
        cache_size: Replies remembered.
    """

    def __init__(
        self,
        engine,
        system_prompt: str,
        *,
        window: int = 8,
        block: int = 8,
        slots: dict[str, str] | None = None,
        max_prompt_tokens: int | None = None,
        cache_size: int = 1024,
    ) -> None:
        self.engine = engine
        self.system = Message("system", system_prompt) if system_prompt else None
        self.window = window
        self.block = block
        self.slots = {**DEFAULT_SLOTS, **(slots or {})}
        n_ctx = getattr(getattr(engine, "info", None), "n_ctx", 2048)
        self.max_prompt_tokens = max_prompt_tokens or max(256, n_ctx - 400)
        self._cache: OrderedDict[tuple, np.ndarray | tuple] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- helpers
    def _logprobs(self, kind: str, messages: list[Message], reply: str) -> tuple[tuple[str, ...], np.ndarray]:
        key = (kind, *_key(messages, reply))
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit  # type: ignore[return-value]
        result = self.engine.logprobs(messages, reply, slot=self.slots[kind])
        value = (tuple(result.tokens), np.asarray(result.logprobs, dtype=np.float32))
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value

    def _with_system(self, messages: list[Message]) -> list[Message]:
        return [self.system, *messages] if self.system is not None else list(messages)

    def _history_window(self, history: Sequence[Message]) -> tuple[list[Message], int]:
        start = window_start(history, self.window, self.block)
        msgs = list(history[start:])
        count = getattr(self.engine, "count_tokens", None)
        while count is not None and len(msgs) > 1 and count(self._with_system(msgs)) > self.max_prompt_tokens:
            start = min(len(history) - 1, start + max(1, self.block))
            while start < len(history) - 1 and history[start].role != "user":
                start += 1
            msgs = list(history[start:])
        return msgs, start

    # ---------------------------------------------------------------- public
    def measure(self, history: Sequence[Message], reply: str) -> Likelihoods:
        """Log-probs of ``reply`` after ``history`` (user/assistant messages, oldest first).

        With ``window`` 0 or 1 only the two history-free contexts are computed.
        """
        history = [m for m in history if m.role != "system"]
        last_user = next((m for m in reversed(history) if m.role == "user"), None)
        short = [last_user] if last_user is not None else [OPENER]
        tokens, persona = self._logprobs("persona", self._with_system(short), reply)
        _, plain = self._logprobs("plain", short, reply)
        hist = None
        window = (len(history), len(history))
        if self.window > 1 and history:
            msgs, start = self._history_window(history)
            _, hist = self._logprobs("history", self._with_system(msgs), reply)
            window = (start, len(history) - 1)
        return Likelihoods(tokens, persona, plain, hist, window)
