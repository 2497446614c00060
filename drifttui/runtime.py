"""What a live chat runs on: engine, scorer, embedder and recorder, behind plain calls.

:class:`ChatRuntime` owns the heavy parts and the :class:`Conversation`. Its
methods are synchronous and thread-safe with respect to the engine (the engine
serialises its own calls), so a UI calls them from worker threads; the
conversation itself is only changed by the caller (the UI thread), which
passes the runtime message lists built on that thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drifttui.conversation import Conversation, Swipe
from drifttui.engine import CancelToken, Engine, Message, Reply, SamplingParams
from drifttui.persona import Persona


@dataclass
class RuntimeOptions:
    """How to start: model, engine, sampling, recording."""

    model: str | None = None
    engine: str = "llama"
    threads: int | None = None
    n_ctx: int = 2048
    params: SamplingParams = field(default_factory=lambda: SamplingParams(max_tokens=160))
    record: bool = True
    session_dir: Path | None = None
    superposition_n: int = 6
    control_n: int = 3
    sample_engine: str = "auto"
    """Engine for N-alternative sampling: ``auto`` (the one measured faster at batched sampling
    by ``scripts/bench_engines.py`` on this model, else the chat engine), ``chat``, ``llama`` or ``ct2``."""
    probe_every: int = 5
    """Ask the persona's probes every this many assistant turns (0: only on demand)."""
    score_while_streaming: bool = False
    """Let the engine score each reply's first tokens in the drift scorer's contexts as it streams:
    the full scores are then ready ~30-40 ms after the reply ends instead of ~0.2 s, but on the
    default model the stream's start runs at ~0.7x and Enter-to-scores takes ~1.3x as long
    (``scripts/bench_scoring.py`` measures both), so it is off unless asked for."""

    def engine_options(self, engine: str | None = None) -> dict[str, Any]:
        """Keyword options these settings give :func:`~drifttui.engine.open_engine` for ``engine`` (default: ``self.engine``)."""
        opts: dict[str, Any] = {"threads": self.threads} if self.threads else {}
        if self.score_while_streaming and (engine or self.engine) == "llama":
            opts["read_slots"] = ()  # the scoring contexts ride the stream: they must share its weights
        return opts


class ChatRuntime:
    """The live chat: conversation + engine + scorer + recorder.

    Args:
        conversation: The chat to hold.
        options: How to run it.
        engine_factory: Builds the engine (default: :func:`drifttui.engine.open_engine`).
        scorer_factory: Builds the drift scorer from (persona, engine, embedder);
            ``None`` disables scoring.
        embedder_factory: Loads the sentence embedder (may return ``None``).
        recorder: An already-open session recorder (resume); otherwise one is
            started on :meth:`load` when ``options.record``.
    """

    def __init__(
        self,
        conversation: Conversation,
        options: RuntimeOptions | None = None,
        *,
        engine_factory: Callable[[], Engine] | None = None,
        scorer_factory: Callable[[Persona, Engine, Any], Any] | None = None,
        embedder_factory: Callable[[], Any] | None = None,
        recorder: Any = None,
    ) -> None:
        self.conversation = conversation
        self.options = options or RuntimeOptions()
        self._engine_factory = engine_factory or self._default_engine
        self._scorer_factory = scorer_factory if scorer_factory is not None else _default_scorer
        self._embedder_factory = embedder_factory if embedder_factory is not None else _default_embedder
        self.engine: Engine | None = None
        self.scorer: Any = None
        self.embedder: Any = None
        self.recorder: Any = recorder
        self.notes: list[str] = []
        """Things the user should know (scorer or embedder unavailable, …)."""
        self.last_tps = 0.0
        self._record_lock = threading.Lock()
        self._batch_engine: Engine | None = None
        self._batch_lock = threading.Lock()

    # ------------------------------------------------------------------ load
    def _default_engine(self) -> Engine:
        from drifttui.engine import open_engine

        return open_engine(self.options.model, engine=self.options.engine, n_ctx=self.options.n_ctx, **self.options.engine_options())

    def load(self) -> None:
        """Load engine, embedder and scorer, and start recording (slow: call from a worker)."""
        self.engine = self._engine_factory()
        try:
            self.embedder = self._embedder_factory()
        except Exception as exc:  # the embedder is optional: say so, keep going
            self.embedder = None
            self.notes.append(f"sentence embedder unavailable: {exc}")
        if self.embedder is None and self._embedder_factory is _default_embedder:
            reason = _embedder_reason()
            if reason:
                self.notes.append(f"sentence embedder unavailable: {reason}")
        if self._scorer_factory is not None:
            try:
                self.scorer = self._scorer_factory(self.conversation.persona, self.engine, self.embedder)
            except ImportError as exc:
                self.notes.append(f"drift scorer unavailable: {exc}")
        if self.recorder is None and self.options.record:
            self.recorder = self._start_recording()

    def prepare_scorer(self) -> None:
        """Warm the scorer's caches so the first turn scores as fast as the rest (slow: call from a worker, after :meth:`load`)."""
        prepare = getattr(self.scorer, "prepare", None)
        if prepare is None:
            return
        try:
            prepare()
        except Exception:  # noqa: BLE001 - only a warm-up: the first real turn meets (and reports) the same failure
            pass

    def _start_recording(self) -> Any:
        from drifttui.session import make_header, start_session

        assert self.engine is not None
        header = make_header(
            self.conversation,
            model_path=self.engine.info.model_path,
            engine_info=self.engine.info,
            sampling=self.options.params,
        )
        return start_session(self.conversation, header, directory=self.options.session_dir)

    def sync(self) -> None:
        """Append what changed in the conversation to the session file (fsynced)."""
        if self.recorder is not None:
            with self._record_lock:
                self.recorder.sync()

    def close_recording(self) -> None:
        """Write what is left and close the session file (the engine stays loaded)."""
        if self.recorder is not None:
            self.sync()
            self.recorder.close()
            self.recorder = None

    def close(self) -> None:
        self.close_recording()
        if self._batch_engine is not None:
            self._batch_engine.close()
            self._batch_engine = None
        if self.engine is not None:
            self.engine.close()
            self.engine = None

    # -------------------------------------------------------------- context
    def context(self, upto: int | None = None) -> list[Message]:
        """Messages for generating turn ``upto`` (call on the thread that owns the conversation)."""
        assert self.engine is not None
        return self.conversation.context(
            self.engine.count_tokens, self.engine.info.n_ctx, upto=upto, reserve=self.options.params.max_tokens + 16
        )

    def context_usage(self) -> tuple[int, int]:
        """(tokens the next prompt takes, window size)."""
        if self.engine is None:
            return 0, 0
        messages = [m for m in (self.conversation.system_message(), *self.conversation.history(start=self.conversation.context_start)) if m.content]
        return self.engine.count_tokens(messages), self.engine.info.n_ctx

    # -------------------------------------------------------------- actions
    def generate(
        self,
        messages: Sequence[Message],
        *,
        seed: int | None = None,
        cancel: CancelToken | None = None,
        on_piece: Callable[[str], None] | None = None,
    ) -> tuple[Reply, Swipe]:
        """Stream one reply (worker thread); returns it and the swipe to store."""
        assert self.engine is not None
        params = self.options.params.with_seed(seed)
        contexts = getattr(self.scorer, "model_contexts", None) if self.options.score_while_streaming else None
        measure = contexts(messages) if contexts is not None else ()
        generation = self.engine.stream(messages, params, cancel=cancel, measure=measure)
        for piece in generation:
            if on_piece is not None:
                on_piece(piece)
        reply = generation.reply
        assert reply is not None
        self.last_tps = reply.tokens_per_second or self.last_tps
        return reply, Swipe.from_reply(reply, params)

    def score(self, history: Sequence[Message], text: str, turn: int, *, quick: bool = False) -> dict[str, Any] | None:
        """Drift scores of ``text`` as the reply after ``history`` (worker thread).

        ``quick``: without the model's log-prob passes (milliseconds), for showing at once.
        """
        if self.scorer is None:
            return None
        if quick:
            return self.scorer.score(list(history), text, turn, model=False).to_dict()
        return self.scorer.score(list(history), text, turn).to_dict()

    @property
    def scorer_uses_model(self) -> bool:
        """True when full scores need model passes (then quick scores are worth showing first)."""
        return bool(getattr(self.scorer, "uses_model", False))

    def probes(self, history: Sequence[Message]) -> list[Any]:
        """Ask the persona's probe questions in forks (worker thread)."""
        if self.scorer is None or not self.conversation.persona.probes:
            return []
        return list(self.scorer.run_probes(list(history), self.engine))

    def sample(
        self,
        messages: Sequence[Message],
        n: int,
        *,
        cancel: CancelToken | None = None,
        on_reply: Callable[[int, Reply], None] | None = None,
        seed: int | None = None,
    ) -> list[tuple[Reply, Swipe]]:
        """N alternatives of one turn in one batched call (worker thread)."""
        params = self.options.params.with_seed(seed)
        replies = self.sampling_engine().sample(messages, n, params, cancel=cancel, on_reply=on_reply)
        return [(r, Swipe.from_reply(r, params)) for r in replies]

    def sampling_engine(self) -> Engine:
        """The engine N alternatives are drawn with (see :attr:`RuntimeOptions.sample_engine`)."""
        assert self.engine is not None
        chat = self.engine.info.engine
        choice = self.options.sample_engine
        if choice == "auto":
            try:
                from drifttui.engine._ct2 import preferred_batch_engine

                choice = preferred_batch_engine(self.engine.info.model_path, default=chat)
            except ImportError:
                choice = chat
        if choice in ("chat", chat):
            return self.engine
        with self._batch_lock:
            if self._batch_engine is None:
                from drifttui.engine import open_engine

                self._batch_engine = open_engine(self.engine.info.model_path, engine=choice, n_ctx=self.engine.info.n_ctx)
            return self._batch_engine

    def control(self, messages: Sequence[Message], n: int, *, cancel: CancelToken | None = None, seed: int | None = None) -> list[str]:
        """Replies to the same turn with no persona at all (the model's own default)."""
        assert self.engine is not None
        plain = [m for m in messages if m.role != "system"]
        params = self.options.params.with_seed(seed)
        return [r.text for r in self.engine.sample(plain, n, params, cancel=cancel, slot="plain")]


def _default_scorer(persona: Persona, engine: Engine, embedder: Any) -> Any:
    from drifttui.drift import DriftScorer

    return DriftScorer(persona, engine=engine, embedder=embedder)


def _default_embedder() -> Any:
    from drifttui.drift.embed import load_embedder

    return load_embedder()


def _embedder_reason() -> str | None:
    try:
        from drifttui.drift.embed import embedder_unavailable_reason
    except ImportError as exc:
        return str(exc)
    return embedder_unavailable_reason()
