"""The engine protocol: everything the app and the scorer ask of a model.

An engine keeps named *slots*, each an independently cached conversation
context (``"main"`` for the chat, ``"plain"`` for the no-persona control the
global drift score compares against). A call on a slot reuses the longest
cached prefix of that slot, so turn *k* only evaluates what is new. Forks
(probes, N samples) start from a slot's cache without changing it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Protocol, runtime_checkable

from drifttui.engine._types import CancelToken, EngineInfo, Measure, Message, Reply, SamplingParams, TokenLogprobs


class Generation:
    """A streaming reply: iterate for text pieces, then read :attr:`reply`.

    One underlying stream: leaving a ``for`` loop early and iterating again (or
    calling :meth:`result`) continues where it stopped. While a stream is paused
    half-way it still holds the engine (its lock belongs to the thread iterating
    it): finish it, or :meth:`close` it on that thread — ``with engine.stream(...) as
    gen:`` does that on leaving the block.
    """

    def __init__(self, pieces: Generator[str, None, Reply]) -> None:
        self._pieces = pieces
        self.reply: Reply | None = None
        self._thread: threading.Thread | None = None
        self._stream = self._run()

    def _run(self) -> Generator[str, None, None]:
        self._thread = threading.current_thread()
        self.reply = yield from self._pieces

    def __iter__(self) -> Iterator[str]:
        return self._stream

    def result(self) -> Reply:
        """Run to the end (if not done yet) and return the reply."""
        for _ in self._stream:
            pass
        if self.reply is None:
            raise RuntimeError("this generation was closed before it finished")
        return self.reply

    def close(self) -> None:
        """Stop the stream early (the engine's work on it stops and the engine is free again).

        Must be called on the thread that iterated it: the engine's lock cannot be
        released from another thread.
        """
        paused = self._thread is not None and self.reply is None and self._stream.gi_frame is not None
        if paused and self._thread is not threading.current_thread():
            raise RuntimeError("close a generation on the thread that iterated it (it holds the engine's lock)")
        self._stream.close()

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@runtime_checkable
class Engine(Protocol):
    """A local chat model with cached contexts, forks and scoring."""

    info: EngineInfo

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """Tokens in the rendered prompt for ``messages`` (generation prompt included)."""
        ...

    def stream(
        self,
        messages: Sequence[Message],
        params: SamplingParams,
        *,
        cancel: CancelToken | None = None,
        slot: str = "main",
        measure: Sequence[Measure] = (),
    ) -> Generation:
        """Stream the assistant's reply to ``messages``; the slot keeps prompt + reply cached.

        ``measure``: ``(slot, messages, max_tokens)`` contexts in which the reply is also scored
        as it streams (its first ``max_tokens`` tokens; None: all), so a later :meth:`logprobs`
        of the reply on those slots with the same ``max_tokens`` finds it cached (the drift
        scorer's two contexts; see :meth:`drifttui.drift.DriftScorer.model_contexts`).
        Purely an optimisation: an engine may ignore it, and the later call does the work.
        """
        ...

    def sample(
        self,
        messages: Sequence[Message],
        n: int,
        params: SamplingParams,
        *,
        cancel: CancelToken | None = None,
        slot: str = "main",
        on_reply: Callable[[int, Reply], None] | None = None,
    ) -> list[Reply]:
        """``n`` alternative replies to the same context, seeds ``seed, seed+1, …``.

        The shared prompt is evaluated once; the slot keeps only the prompt.
        """
        ...

    def logprobs(self, messages: Sequence[Message], reply: str, *, slot: str = "main", max_tokens: int | None = None) -> TokenLogprobs:
        """Log-probability of each token of ``reply`` as the assistant's answer to ``messages``.

        With ``max_tokens``, of its first ``max_tokens`` tokens only (the cost of a score stays bounded).
        """
        ...

    def logprobs_in(self, contexts: Sequence[Measure], reply: str) -> list[TokenLogprobs]:
        """:meth:`logprobs` of ``reply`` in each ``(slot, messages[, max_tokens])`` context, in order.

        The same numbers as one :meth:`logprobs` call per context; an engine may evaluate
        them together (the drift scorer's two contexts in one batch).
        """
        ...

    def probe(
        self,
        messages: Sequence[Message],
        question: str,
        params: SamplingParams,
        *,
        slot: str = "main",
        cancel: CancelToken | None = None,
    ) -> Reply:
        """Answer ``question`` asked after ``messages`` in a fork: the slot is left as it was."""
        ...

    def close(self) -> None:
        """Free the model."""
        ...
