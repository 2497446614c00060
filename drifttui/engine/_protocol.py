"""The engine protocol: everything the app and the scorer ask of a model.

An engine keeps named *slots*, each an independently cached conversation
context (``"main"`` for the chat, ``"plain"`` for the no-persona control the
global drift score compares against). A call on a slot reuses the longest
cached prefix of that slot, so turn *k* only evaluates what is new. Forks
(probes, N samples) start from a slot's cache without changing it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Protocol, runtime_checkable

from drifttui.engine._types import CancelToken, EngineInfo, Message, Reply, SamplingParams, TokenLogprobs


class Generation:
    """A streaming reply: iterate for text pieces, then read :attr:`reply`.

    One underlying stream: leaving a ``for`` loop early and iterating again (or
    calling :meth:`result`) continues where it stopped. :meth:`close` abandons
    the stream (the engine's work on it stops and its lock is released).
    """

    def __init__(self, pieces: Generator[str, None, Reply]) -> None:
        self._pieces = pieces
        self.reply: Reply | None = None
        self._stream = self._run()

    def _run(self) -> Generator[str, None, None]:
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
        """Stop the stream early; :attr:`reply` stays ``None`` unless it had finished."""
        self._stream.close()


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
    ) -> Generation:
        """Stream the assistant's reply to ``messages``; the slot keeps prompt + reply cached."""
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

    def logprobs(self, messages: Sequence[Message], reply: str, *, slot: str = "main") -> TokenLogprobs:
        """Log-probability of each token of ``reply`` as the assistant's answer to ``messages``."""
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
