"""The model's own view of a reply: per-token log-probabilities under two contexts.

For a reply we ask the chat model how likely each of its first
:data:`GAP_TOKENS` tokens is as the answer to a fixed neutral user turn
(:data:`OPENER`, "Hello."):

* ``persona`` — after the persona's system prompt;
* ``plain`` — with **no** system message: the model's unconditioned default
  assistant ("You are a helpful AI assistant named SmolLM…").

The mean log-prob per token, persona minus plain, is the *persona gap*: a
reply the default assistant explains as well as the persona does is drifting
toward the default. Neither context sees earlier replies, so a chat that has
drifted as a whole cannot vouch for its own drift, nor the user's question:
both contexts read the reply alone, so they are the same for every turn of a
persona and the engine keeps them cached. A turn costs at most
2 × :data:`GAP_TOKENS` evaluated tokens, whatever the reply's length or the
chat's. Measured on 2,297 labelled turns (docs/scoring.md, *Design
measurements*): reading the first 32 tokens after the opener separates drift as
well as the earlier measure (the whole reply after the last user message;
local AUROC 0.894 vs 0.896, global 0.996 vs 0.997, mean of 15 splits) at under
half the model work; its gap runs 0.17 nats/token higher, which the scorer
subtracts (``ScorerConfig.gap_shift``). The lab's cross-check keeps the question
(``with_question=True``). A third context with a window of recent history (the
"history lift") was measured and dropped in v5: it added nothing to the local
score and cost a third of the model time.

Each context has its own engine slot (``score``, ``score-plain``), so neither
evicts the other, the chat's ``main`` slot, or ``plain`` (where the TUI samples
no-persona control replies). Both are asked for in one ``engine.logprobs_in``
call, which the llama engine decodes as one batch. With ``drifttui --score-while-streaming`` the TUI
hands both contexts to the engine when it streams a reply
(:meth:`LikelihoodModel.contexts`); the llama engine then decodes each of the
reply's first tokens in all three sequences in one batch, and scoring after the
reply finds the log-probs cached (``scripts/bench_scoring.py`` measures what
that costs the stream). On a CPU where the llama engine reads the scoring
slots from a faster copy of the model (BF16: ``LlamaEngine(read_slots=...)``),
nothing rides the stream; ``--score-while-streaming`` opens the engine with one
copy.
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

GAP_TOKENS = 32
"""Reply tokens the contexts read by default (see :class:`LikelihoodModel`)."""

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
        engine: Any :class:`~drifttui.engine.Engine` (``logprobs_in``, or ``logprobs`` once per context).
        system_prompt: The persona's system prompt (the ``full`` variant).
        slots: Engine slot per context kind (``persona``, ``plain``).
        max_tokens: Read only the reply's first ``max_tokens`` tokens (None: all of it).
        with_question: Put the chat's last user message before the reply in both contexts
            (the lab's cross-check); by default both read the reply after the fixed :data:`OPENER`.
        cache_size: Replies remembered.
    """

    def __init__(
        self,
        engine,
        system_prompt: str,
        *,
        slots: dict[str, str] | None = None,
        max_tokens: int | None = GAP_TOKENS,
        with_question: bool = False,
        cache_size: int = 1024,
    ) -> None:
        self.engine = engine
        self.max_tokens = max_tokens
        self.with_question = with_question
        self.system = Message("system", system_prompt) if system_prompt else None
        self.slots = {**DEFAULT_SLOTS, **(slots or {})}
        self._cache: OrderedDict[tuple, tuple[tuple[str, ...], np.ndarray]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _logprobs(self, contexts: dict[str, list[Message]], reply: str) -> dict[str, tuple[tuple[str, ...], np.ndarray]]:
        """Tokens and log-probs of ``reply`` in each context (kind → messages), cached; the missing ones in one engine call."""
        keys = {kind: (kind, *_key(messages, reply)) for kind, messages in contexts.items()}
        found: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
        with self._lock:
            for kind, key in keys.items():
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    found[kind] = hit
        missing = [kind for kind in contexts if kind not in found]
        if missing:
            requests = [(self.slots[kind], contexts[kind], self.max_tokens) for kind in missing]
            batched = getattr(self.engine, "logprobs_in", None)  # engines written before it: one call each
            if batched is not None:
                results = batched(requests, reply)
            else:
                results = [self.engine.logprobs(m, reply, slot=slot, max_tokens=cap) for slot, m, cap in requests]
            with self._lock:
                for kind, result in zip(missing, results):
                    found[kind] = self._cache[keys[kind]] = (tuple(result.tokens), np.asarray(result.logprobs, dtype=np.float32))
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return found

    def contexts(self, history: Sequence[Message]) -> list[tuple[str, list[Message], int | None]]:
        """``(slot, messages, max_tokens)`` of each context a reply after ``history`` is measured in.

        The same for every turn (the opener), unless ``with_question``: then the last user message
        of ``history`` (system and assistant messages are skipped). Passed to
        ``engine.stream(measure=...)``, these let the engine score the reply in both contexts
        while it is generated, so :meth:`measure` finds it cached.
        """
        last_user = next((m for m in reversed(history) if m.role == "user"), None) if self.with_question else None
        short = [last_user] if last_user is not None else [OPENER]
        system = [self.system] if self.system is not None else []
        return [(self.slots["persona"], [*system, *short], self.max_tokens), (self.slots["plain"], short, self.max_tokens)]

    def measure(self, history: Sequence[Message], reply: str) -> Likelihoods:
        """Log-probs of ``reply``'s first ``max_tokens`` tokens in both contexts (``history``: user/assistant messages, oldest first)."""
        (_, persona_context, _), (_, plain_context, _) = self.contexts(history)
        found = self._logprobs({"persona": persona_context, "plain": plain_context}, reply)
        (tokens, persona), (_, plain) = found["persona"], found["plain"]
        return Likelihoods(tokens, persona, plain)
