"""A tiny deterministic engine for fast UI tests (never a substitute for the real path).

Like httpx's ``MockTransport``: it speaks the whole protocol, replies come
from a function of (messages, seed), and every token waits ``delay`` seconds
so tests can see streaming, cancel mid-reply and watch the UI stay live.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable, Generator, Sequence

import numpy as np

from drifttui.engine._protocol import Generation
from drifttui.engine._types import CancelToken, EngineInfo, Message, Reply, SamplingParams, TokenLogprobs

WORDS = (
    "mm teeth lisbon olive cat clinic quiet coffee tram rain porcelain drill patient floss "
    "evening window books tea calm sure maybe honestly"
).split()


def default_reply(messages: Sequence[Message], seed: int) -> str:
    rng = random.Random(seed * 7919 + len(messages))
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return (" ".join(words).capitalize() + ".").replace(" mm ", " mm, ")


class FakeEngine:
    """Deterministic, fast, cancellable. ``reply_fn(messages, seed) -> text`` decides what is said."""

    name = "fake"

    def __init__(
        self,
        reply_fn: Callable[[Sequence[Message], int], str] = default_reply,
        *,
        delay: float = 0.002,
        n_ctx: int = 2048,
    ) -> None:
        self.reply_fn = reply_fn
        self.delay = delay
        self.calls: list[tuple[str, int]] = []
        self.prompts: list[list[Message]] = []
        """Every message list the engine was asked to continue, in order."""
        self._next_seed = 0
        self.info = EngineInfo(
            engine="fake",
            model_path="fake.gguf",
            model_name="Fake 0B",
            n_ctx=n_ctx,
            chat_template="fake",
            threads=1,
        )

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return sum(len(m.content.split()) + 4 for m in messages) + 3

    def _seed(self, params: SamplingParams) -> int:
        if params.seed is not None:
            return params.seed
        self._next_seed += 1  # deterministic even without a seed, so UI snapshots are stable
        return self._next_seed

    def _run(self, messages: Sequence[Message], params: SamplingParams, cancel: CancelToken | None) -> Generator[str, None, Reply]:
        seed = self._seed(params)
        self.prompts.append(list(messages))
        words = self.reply_fn(messages, seed).split(" ")[: params.max_tokens]
        out: list[str] = []
        finish = "stop"
        for i, word in enumerate(words):
            if cancel is not None and cancel.cancelled:
                finish = "cancelled"
                break
            if self.delay:
                time.sleep(self.delay)
            piece = word if i == 0 else " " + word
            out.append(piece)
            yield piece
        return Reply(
            text="".join(out).strip(),
            finish_reason=finish,  # type: ignore[arg-type]
            seed=seed,
            n_tokens=len(out),
            prompt_tokens=self.count_tokens(messages),
            prompt_evaluated=self.count_tokens(messages),
            seconds=len(out) / 100.0,  # a fixed 100 tok/s, so the status line is stable
        )

    def stream(self, messages, params, *, cancel=None, slot="main", measure=()) -> Generation:
        self.calls.append(("stream", len(messages)))
        return Generation(self._run(messages, params, cancel))

    def sample(self, messages, n, params, *, cancel=None, slot="main", on_reply=None) -> list[Reply]:
        self.calls.append(("sample", n))
        base = self._seed(params)
        replies = []
        for i in range(n):
            reply = Generation(self._run(messages, params.with_seed(base + i), cancel)).result()
            replies.append(reply)
            if on_reply is not None:
                on_reply(i, reply)
            if cancel is not None and cancel.cancelled:
                break
        return replies

    def logprobs(self, messages, reply, *, slot="main", max_tokens=None) -> TokenLogprobs:
        words = reply.split()[:max_tokens]
        rng = np.random.default_rng(zlib.crc32(f"{len(messages)}:{reply}".encode()))
        return TokenLogprobs([w + " " for w in words], -rng.uniform(0.1, 3.0, size=len(words)).astype(np.float32))

    def logprobs_in(self, contexts, reply) -> list[TokenLogprobs]:
        return [self.logprobs(messages, reply, slot=name, max_tokens=cap[0] if cap else None) for name, messages, *cap in contexts]

    def probe(self, messages, question, params, *, slot="main", cancel=None) -> Reply:
        self.calls.append(("probe", len(messages)))
        return Generation(self._run([*messages, Message("user", question)], params, cancel)).result()

    def close(self) -> None:
        pass
