"""The CTranslate2 engine: llama-architecture GGUFs converted to int8, run by ``ctranslate2.Generator``.

What it shares with the llama.cpp engine, so that the two are interchangeable:

* **Tokens and template.** Tokenisation, detokenisation, special tokens and
  the chat template come from the GGUF through llama.cpp in vocab-only mode
  (:class:`~drifttui.engine._gguf_vocab.GGUFVocab`), so both engines build
  the same token ids for the same messages.
* **Protocol.** ``stream`` / ``sample`` / ``logprobs`` / ``probe`` /
  ``count_tokens`` / ``close`` with the same arguments, slots included.

Where it differs (by design of CTranslate2):

* **Prefix cache, warmed in the background.** CTranslate2 keeps no KV cache
  between calls; it can only cache the state after an exact *static prompt*.
  So after each call the engine remembers, per slot, the prefixes the next
  call will most likely start with (after ``stream``: the prompt plus the
  reply, as the next turn's prompt renders it, and the prompt itself for a
  regenerated reply; after ``sample``: the prompt), and a background thread
  evaluates them into the static-prompt cache of the next generator (see
  *Seeds*). A call whose prompt starts with a cached prefix evaluates only
  the rest (``Reply.prompt_evaluated``), as with llama.cpp's slots; the
  cached prefixes were evaluated in the background meanwhile, so a turn that
  follows at once waits for that work. Results are bit-identical with or
  without a cache hit. Scoring (``logprobs``) cannot use it (``score_batch``
  takes no static prompt) and evaluates prompt + reply in one forward pass.
  With ``prefetch=False`` nothing is cached (``caches_prefix`` is False).
* **N samples** run as one batch: the shared prompt is evaluated once (as a
  CTranslate2 *static prompt*, batch size 1, or copied from the cache) and
  its state is tiled to the N sequences, which then decode in lockstep.
* **Seeds.** ``ctranslate2.set_random_seed`` is global and CTranslate2 seeds
  each worker thread's random generator once, lazily, at its first sampled
  token; a later ``set_random_seed`` does not reach a thread that has
  already sampled. So every sampled call runs on a *fresh* generator (never
  sampled from), with the seed set just before: the same seed then gives the
  same reply. The next fresh generator is loaded (and warmed) in the
  background after each call (``prefetch``), which costs a second copy of
  the weights in memory; greedy calls and scoring draw no random numbers
  and use the current generator. Within one :meth:`CT2Engine.sample` call
  the N replies share one random stream (seeded with the base seed): the
  whole set is reproducible from ``(seed, n)``, and ``sample(seed=s, n=1)``
  equals ``stream(seed=s)``, but reply *i* of a batch is not
  ``stream(seed=s+i)`` as with llama.cpp.
* **Sampling.** CTranslate2 samples with temperature, top-k and top-p;
  ``min_p`` is not supported (ignored), and ``repeat_penalty`` applies to the
  tokens of the reply so far rather than llama.cpp's last 64 tokens of
  prompt + reply.
* **Cancel** lands within one decoding step; a cancel during prompt
  evaluation (or while the next generator loads) returns at once while
  CTranslate2 finishes that work in the background (the next call queues
  behind it).
* **Quantisation.** CTranslate2's int8 mode quantizes activations per row as
  well as weights; on SmolLM2-135M that costs ~0.05–0.09 nats of KL against
  float at each position (llama.cpp's Q4_1 path stays closer to float), so
  greedy decoding can part from llama.cpp's where two candidates are within a
  few tenths of a nat. ``compute_type="float32"`` removes the activation
  rounding at ~3× the time.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import sys
import threading
import time
import weakref
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from drifttui.engine._protocol import Generation
from drifttui.engine._textstream import TextStream
from drifttui.engine._types import CancelToken, EngineInfo, Measure, Message, Reply, SamplingParams, TokenLogprobs
from drifttui.errors import EngineError, ModelError

_SEED_LOCK = threading.Lock()
"""Held from ``set_random_seed`` until the fresh generator has drawn its first sample."""

_POLL = 0.02
"""Seconds between cancel checks while waiting for CTranslate2."""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _llama_default_slots() -> tuple[str, ...]:
    """The llama engine's default slot names, so both engines accept the same ``slot=`` values."""
    import inspect

    from drifttui.engine._llama import LlamaEngine

    return tuple(inspect.signature(LlamaEngine.__init__).parameters["slots"].default)


def _release_memory() -> None:
    """Give freed heap memory back to the OS (a dropped generator's weights would otherwise stay in RSS)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _wait_future(future: Future, cancel: CancelToken | None) -> Any:
    """``future.result()``, or None as soon as ``cancel`` is set."""
    from concurrent.futures import TimeoutError as FutureTimeout

    while True:
        if cancel is not None and cancel.cancelled:
            return None
        try:
            return future.result(timeout=_POLL)
        except FutureTimeout:
            continue


def _next_event(events: queue.Queue, cancel: CancelToken | None) -> Any:
    """The next step (or exception) from CTranslate2; None when it finished or ``cancel`` was set."""
    while True:
        if cancel is not None and cancel.cancelled:
            return None
        try:
            return events.get(timeout=_POLL)
        except queue.Empty:
            continue


_LIVE: weakref.WeakSet[_Generators] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    """Free every generator before the interpreter shuts down.

    A ``ctranslate2.Generator`` that ran an asynchronous (callback) generation
    and is still alive at interpreter exit makes the process die with
    ``terminate called without an active exception`` (CTranslate2 4.8), so
    none may outlive this hook.
    """
    for gens in list(_LIVE):
        gens.close()


MAX_CACHED_PREFIXES = 8
"""Static-prompt states one generator may cache (CTranslate2's cache never evicts)."""


@dataclass
class _Gen:
    """One loaded ``ctranslate2.Generator`` and what its static-prompt cache holds."""

    generator: Any
    keys: set[tuple[int, ...]] = field(default_factory=set)
    fresh: bool = True
    """Never sampled from: its worker thread's random generator is still unseeded."""


class _Generators:
    """The current ``ctranslate2.Generator`` and, for sampling, a fresh one in reserve.

    Args:
        model_dir: The converted model.
        strings: The model's token strings (CTranslate2 takes prompts as strings).
        threads: Intra-op threads.
        compute_type: CTranslate2 compute type.
        prefetch: Load (and warm) the next fresh generator in the background after each call.
    """

    def __init__(self, model_dir: Path, strings: list[str], *, threads: int, compute_type: str, prefetch: bool) -> None:
        self.model_dir = model_dir
        self.strings = strings
        self.threads = threads
        self.compute_type = compute_type
        self.waiters: set[threading.Thread] = set()
        """Threads waiting for CTranslate2 jobs (each holds its generator until the job ends)."""
        self.loads = 0
        self.warmed_tokens = 0
        self._current: _Gen | None = self._load()
        self._spare: Future | None = None
        self._spare_is_current = False
        """The background job warms the current (still fresh) generator rather than a new one."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ct2-prefetch") if prefetch else None
        _LIVE.add(self)

    def _load(self) -> _Gen:
        import ctranslate2

        try:
            generator = ctranslate2.Generator(
                str(self.model_dir),
                device="cpu",
                compute_type=self.compute_type,
                inter_threads=1,
                intra_threads=self.threads,
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"CTranslate2 could not load the converted model: {exc}", path=self.model_dir) from None
        self.loads += 1
        return _Gen(generator)

    def _warm(self, gen: _Gen, keys: Sequence[tuple[int, ...]]) -> _Gen:
        """Evaluate each prefix in ``keys`` into ``gen``'s static-prompt cache (greedy: no random draws)."""
        for key in keys:
            if key in gen.keys or len(key) < 2 or len(gen.keys) >= MAX_CACHED_PREFIXES:
                continue
            gen.generator.generate_batch(
                [[self.strings[key[-1]]]],
                static_prompt=[self.strings[t] for t in key],
                cache_static_prompt=True,
                max_length=1,
                sampling_topk=1,
                include_prompt_in_result=False,
            )
            gen.keys.add(key)
            self.warmed_tokens += len(key)
        return gen

    def any(self) -> _Gen:
        """A generator for calls that draw no random numbers (greedy decoding, scoring)."""
        assert self._current is not None, "engine closed"
        return self._current

    def fresh(self, cancel: CancelToken | None = None) -> _Gen | None:
        """A generator that has never sampled, so the next ``set_random_seed`` reaches it.

        Waits for the background load or warm-up if one is running; returns
        None if ``cancel`` is set meanwhile.
        """
        current = self.any()
        if self._spare is None and not current.fresh:
            if self._executor is not None:  # load in the background so a cancel is not held up
                self._spare, self._spare_is_current = self._executor.submit(self._load), False
            else:
                self._current = current = self._load()
                _release_memory()
        if self._spare is not None and (self._spare_is_current or not current.fresh):
            replaced = _wait_future(self._spare, cancel)
            if replaced is None:
                return None  # cancelled; the spare stays pending for the next call
            self._spare, self._spare_is_current = None, False
            if replaced is not current:
                self._current, current = replaced, replaced
                _release_memory()
        current.fresh = False
        return current

    def prefetch(self, keys: Sequence[tuple[int, ...]]) -> None:
        """In the background: have a fresh generator ready (loading one if needed) with ``keys`` warmed into it."""
        if self._executor is None:
            return
        keys = sorted({k for k in keys if k}, key=len, reverse=True)
        previous = self._spare
        if previous is not None:
            if keys:
                self._spare = self._executor.submit(lambda: self._warm(previous.result(), keys))
        elif self._current is not None and self._current.fresh:
            if keys:  # the current generator has not sampled yet: warm it instead of loading another
                current = self._current
                self._spare = self._executor.submit(lambda: self._warm(current, keys))
                self._spare_is_current = True
        else:
            self._spare = self._executor.submit(lambda: self._warm(self._load(), keys))
            self._spare_is_current = False

    def wait_ready(self) -> None:
        """Block until the background work on the spare generator (if any) has finished."""
        if self._spare is not None:
            self._spare.result()

    def close(self) -> None:
        """Free the generators (waiting for running jobs and background loads to end)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self._spare = None
        self._current = None
        for thread in list(self.waiters):
            thread.join(timeout=10)
        _release_memory()


class CT2Engine:
    """A llama-family GGUF model, converted once to CTranslate2 int8, run on the CPU.

    Args:
        model_path: The GGUF file (it supplies the tokenizer and chat template;
            the converted weights are cached under ``cache_dir()/converted``).
        n_ctx: Context window of one conversation in tokens (capped at the model's training context).
        threads: CPU threads (default: all available cores).
        n_parallel: Sequences decoded together by :meth:`sample` (more are done in waves).
        slots: Names of the contexts callers may address; each remembers the prefix its
            next call will likely start with. Default: the llama engine's default slots.
        compute_type: CTranslate2 compute type (``int8``; ``int8_float32``, ``float32``, … also work).
        convert: Convert the GGUF on first use if no converted copy is cached
            (otherwise raise :class:`ModelError` asking for ``drifttui model convert``).
        prefetch: Keep a fresh generator loaded in the background for the next seeded call, with
            the slots' likely next prefixes evaluated into its cache (off: less memory, no prefix
            cache, and each seeded call after the first loads a generator first).
        notice: Receives the conversion notice and progress lines.
        n_batch: Accepted for compatibility with the llama engine; unused.
        reply_budget: Accepted for compatibility with the llama engine; unused.
        reuse_prefix: Use the warmed prefix cache (off only to measure what it saves).
    """

    name = "ct2"

    def __init__(
        self,
        model_path: str | Path,
        *,
        n_ctx: int = 2048,
        threads: int | None = None,
        n_parallel: int = 8,
        slots: Sequence[str] | None = None,
        compute_type: str = "int8",
        convert: bool = True,
        prefetch: bool = True,
        notice: Callable[[str], None] | None = _stderr,
        n_batch: int | None = None,
        reply_budget: int | None = None,
        reuse_prefix: bool = True,
    ) -> None:
        from drifttui.engine._convert import convert_gguf, converted_path, is_complete
        from drifttui.engine._gguf_vocab import GGUFVocab
        from drifttui.engine._llama import check_gguf_file

        path = Path(model_path).expanduser()
        check_gguf_file(path)
        model_dir = converted_path(path)
        if not is_complete(model_dir):
            if not convert:
                raise ModelError(
                    "this model has not been converted for the ct2 engine yet",
                    path=path,
                    hint=f"run `drifttui model convert {path}` once",
                )
            log = notice or (lambda _line: None)
            log(f"drifttui: converting {path.name} for the ct2 engine (once; cached in {model_dir.parent}) …")
            convert_gguf(path, model_dir, log=log)
        self.model_dir = model_dir
        self.threads = threads or _default_threads()
        self.n_parallel = max(1, n_parallel)
        self._slots = tuple(slots) if slots is not None else _llama_default_slots()
        self._lock = threading.RLock()
        self._vocab = GGUFVocab(path)
        self.template = self._vocab.template
        try:
            strings = json.loads((model_dir / "vocabulary.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"the converted model's vocabulary is unreadable: {exc}", path=model_dir) from None
        if len(strings) != self._vocab.n_vocab:
            raise ModelError(
                f"the converted model has {len(strings)} tokens but the GGUF has {self._vocab.n_vocab}; "
                f"run `drifttui model convert --force {path}`",
                path=model_dir,
            )
        self._strings: list[str] = strings
        self._gens = _Generators(model_dir, strings, threads=self.threads, compute_type=compute_type, prefetch=prefetch)
        self.caches_prefix = bool(prefetch and reuse_prefix)
        """Whether calls reuse prefixes evaluated earlier (in the background)."""
        self._next_prefix: dict[str, tuple[tuple[int, ...], ...]] = {}
        n_train = self._vocab.n_ctx_train
        self.n_ctx = min(n_ctx, n_train) if n_train > 0 else n_ctx
        self.info = EngineInfo(
            engine=self.name,
            model_path=str(path),
            model_name=self._vocab.meta("general.name") or path.stem,
            n_ctx=self.n_ctx,
            chat_template=self.template.name,
            threads=self.threads,
        )
        self.stats: dict[str, float] = {"prompt_evaluated": 0, "generated": 0, "prompt_seconds": 0.0, "prefix_hits": 0}

    # ----------------------------------------------------------------- basics
    @property
    def generator_loads(self) -> int:
        """How many times a CTranslate2 generator was loaded (one per seeded call, after the first)."""
        return self._gens.loads

    def slot_tokens(self, slot: str = "main") -> list[int]:
        """The longest prefix remembered for ``slot``'s next call (for tests and diagnostics).

        It is evaluated into the next generator's cache in the background, so a
        call starting with it evaluates only the rest.
        """
        self._check_slot(slot)
        return list(max(self._next_prefix.get(slot, ()), key=len, default=()))

    def wait_ready(self) -> None:
        """Wait for the background generator load (benchmarks: time a call as if the user had paused)."""
        self._gens.wait_ready()

    def tokenize(self, text: str | bytes, *, add_bos: bool = False, special: bool = True) -> list[int]:
        return self._vocab.tokenize(text, add_bos=add_bos, special=special)

    def detokenize(self, tokens: Sequence[int]) -> str:
        return self._vocab.detokenize(tokens)

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        """Token ids of the rendered prompt, exactly as the llama engine builds them."""
        return self._vocab.prompt_tokens(self.template.render(messages))

    def reply_tokens(self, reply: str) -> list[int]:
        return self._vocab.tokenize(reply, add_bos=False, special=False)

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.prompt_tokens(messages))

    def reset(self, slot: str | None = None) -> None:
        """Forget the prefix remembered for one slot (or all); already warmed states stay until the generator is replaced."""
        with self._lock:
            if slot is None:
                self._next_prefix.clear()
            else:
                self._check_slot(slot)
                self._next_prefix.pop(slot, None)

    def _remember(self, slot: str, *prefixes: Sequence[int] | None) -> None:
        """Note the prefixes ``slot``'s next call will likely start with (most likely first)."""
        if self.caches_prefix:
            self._next_prefix[slot] = tuple(tuple(p) for p in prefixes if p is not None and len(p) >= 2)

    def _continuation(self, messages: Sequence[Message], reply: str) -> list[int] | None:
        """Tokens the next turn's prompt will start with: ``messages`` + ``reply``, minus the last token.

        The last token is left out because it may merge with the text that follows it.
        """
        try:
            text = self.template.render([*messages, Message("assistant", reply)], add_generation_prompt=False)
        except Exception:  # a template that rejects this shape: just no cache
            return None
        return self._vocab.prompt_tokens(text)[:-1]

    def _prefetch(self) -> None:
        """After a call: the next fresh generator, with the slots' next prefixes warmed, in the background."""
        if self._gens is not None:
            keys = [key for keys in self._next_prefix.values() for key in keys]
            self._gens.prefetch(keys if self.caches_prefix else [])

    def _plan(self, gen: _Gen, prompt: list[int], n: int) -> tuple[list[int], list[int], bool]:
        """How to feed ``prompt`` for ``n`` sequences: (static prompt, start tokens, use the cache).

        A cached prefix is used when the rest, evaluated once per sequence, costs
        less than the whole prompt evaluated once.
        """
        if self.caches_prefix:
            best: tuple[int, ...] = ()
            for key in list(gen.keys):  # the background warm-up may add keys meanwhile
                if len(best) < len(key) < len(prompt) and tuple(prompt[: len(key)]) == key:
                    best = key
            if best and n * (len(prompt) - len(best)) < len(prompt):
                return list(best), prompt[len(best) :], True
        return prompt[:-1], prompt[-1:], False

    def _check_slot(self, slot: str) -> None:
        if slot not in self._slots:
            raise KeyError(slot)

    def _prompt(self, messages: Sequence[Message]) -> list[int]:
        prompt = self.prompt_tokens(messages)
        if len(prompt) >= self.n_ctx:
            raise EngineError(
                f"the prompt has {len(prompt)} tokens but the context window is {self.n_ctx}; trim the history first"
            )
        return prompt

    def _seed(self, params: SamplingParams) -> int:
        return params.seed if params.seed is not None else int.from_bytes(os.urandom(4), "little")

    def _options(self, params: SamplingParams, prompt_len: int) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_length": max(1, min(params.max_tokens, self.n_ctx - prompt_len)),
            "end_token": self._vocab.eog_ids,
            "include_prompt_in_result": False,
            "beam_size": 1,
            "repetition_penalty": params.repeat_penalty if params.repeat_penalty > 0 else 1.0,
        }
        if params.temperature <= 0:
            options["sampling_topk"] = 1
        else:
            options["sampling_topk"] = params.top_k if params.top_k > 0 else 0
            options["sampling_topp"] = params.top_p if 0 < params.top_p < 1 else 1.0
            options["sampling_temperature"] = params.temperature
        return options

    # -------------------------------------------------------------- decoding
    def _steps(
        self,
        prompt: list[int],
        n: int,
        params: SamplingParams,
        seed: int,
        cancel: CancelToken | None,
        stopped: list[bool],
        meta: dict[str, int],
    ) -> Iterator[tuple[int, int, bool]]:
        """Decode ``n`` sequences from ``prompt`` in one batch; yields ``(index, token, is_last)`` here.

        The prompt is split into a CTranslate2 static prompt (evaluated once,
        or copied from the generator's cache, and tiled to the batch) and start
        tokens (evaluated per sequence; the last one starts decoding).
        Setting ``stopped[i]`` ends sequence ``i`` at its next step;
        ``meta["evaluated"]`` receives the prompt tokens this call evaluates.
        """
        greedy = params.temperature <= 0
        slot_gen = self._gens.any() if greedy else self._gens.fresh(cancel)
        if slot_gen is None:  # cancelled while the next generator was still loading
            meta["evaluated"] = 0
            return
        static, rest, cached = self._plan(slot_gen, prompt, n)
        meta["evaluated"] = n * len(rest) if cached else len(prompt)
        self.stats["prefix_hits"] += int(cached)
        gen = slot_gen.generator
        del slot_gen
        events: queue.Queue = queue.Queue()
        closed = threading.Event()

        def callback(step: Any) -> bool:
            events.put((step.batch_id, step.token_id, step.is_last))
            return closed.is_set() or (cancel is not None and cancel.cancelled) or stopped[step.batch_id]

        options = self._options(params, len(prompt))
        if static:
            options.update(static_prompt=[self._strings[t] for t in static], cache_static_prompt=cached)
        start = [[self._strings[t] for t in rest] for _ in range(n)]

        gens = self._gens

        def wait(results: list[Any], generator: Any) -> None:
            try:
                for result in results:
                    result.result()
            except Exception as exc:  # surfaced in the calling thread
                events.put(exc)
            del results, generator  # the last reference may be here: free the weights in this thread, not the caller's
            _release_memory()
            gens.waiters.discard(threading.current_thread())
            events.put(None)

        submitted = time.perf_counter()
        try:
            with nullcontext() if greedy else _SEED_LOCK:
                if not greedy:
                    import ctranslate2

                    ctranslate2.set_random_seed(seed & 0xFFFFFFFF)
                try:
                    results = gen.generate_batch(start, asynchronous=True, callback=callback, **options)
                except (RuntimeError, ValueError) as exc:
                    raise EngineError(f"CTranslate2 generation failed: {exc}") from None
                waiter = threading.Thread(target=wait, args=(results, gen), daemon=True, name="ct2-wait")
                gens.waiters.add(waiter)
                waiter.start()
                del gen, results
                # the seed is read at the first sampled token: hold the lock until it was drawn
                item = _next_event(events, cancel)
            if item is not None:
                self.stats["prompt_seconds"] += time.perf_counter() - submitted
                self.stats["prompt_evaluated"] += meta["evaluated"]
            while item is not None:
                if isinstance(item, Exception):
                    raise EngineError(f"CTranslate2 generation failed: {item}")
                yield item
                item = _next_event(events, cancel)
        finally:
            closed.set()

    def _decode(
        self,
        prompt: list[int],
        seeds: list[int],
        params: SamplingParams,
        cancel: CancelToken | None,
        *,
        offset: int = 0,
        on_reply: Callable[[int, Reply], None] | None = None,
    ) -> Generator[tuple[int, str], None, list[Reply]]:
        """Sample ``len(seeds)`` replies in one batch (RNG seeded with ``seeds[0]``); yields ``(index, text delta)``."""
        n = len(seeds)
        if params.max_tokens <= 0:
            replies = [Reply("", "length", s, prompt_tokens=len(prompt)) for s in seeds]
            for i, reply in enumerate(replies):
                if on_reply is not None:
                    on_reply(offset + i, reply)
            return replies
        texts = [TextStream(self.template.stops) for _ in range(n)]
        counts = [0] * n
        stopped = [False] * n
        replies: list[Reply | None] = [None] * n
        limit = self._options(params, len(prompt))["max_length"]
        started: float | None = None
        meta = {"evaluated": len(prompt)}

        def done(i: int, reason: str) -> str:
            stopped[i] = True
            tail = texts[i].finish()
            replies[i] = Reply(
                text=texts[i].text.strip(),
                finish_reason=reason,  # type: ignore[arg-type]
                seed=seeds[i],
                n_tokens=counts[i],
                prompt_tokens=len(prompt),
                prompt_evaluated=meta["evaluated"] if i == 0 and started is not None else 0,
                seconds=time.perf_counter() - started if started is not None else 0.0,
            )
            if on_reply is not None:
                on_reply(offset + i, replies[i])
            return tail

        steps = self._steps(prompt, n, params, seeds[0], cancel, stopped, meta)
        try:
            for i, token, last in steps:
                if started is None:
                    started = time.perf_counter()
                if cancel is not None and cancel.cancelled:
                    break
                if replies[i] is not None:
                    continue
                if self._vocab.is_eog(token):
                    tail = done(i, "stop")
                else:
                    delta = texts[i].push(self._vocab.piece(token))
                    counts[i] += 1
                    if delta:
                        yield i, delta
                    if texts[i].stopped:
                        tail = done(i, "stop")
                    elif last or counts[i] >= limit:
                        tail = done(i, "length")
                    else:
                        continue
                if tail:
                    yield i, tail
                if all(r is not None for r in replies):
                    break
        finally:
            steps.close()
        cancelled = cancel is not None and cancel.cancelled
        for i in range(n):
            if replies[i] is None:
                tail = done(i, "cancelled" if cancelled else "length")
                if tail and not cancelled:
                    yield i, tail
        self.stats["generated"] += sum(counts)
        return [r for r in replies if r is not None]

    # ------------------------------------------------------------- protocol
    def stream(
        self,
        messages: Sequence[Message],
        params: SamplingParams,
        *,
        cancel: CancelToken | None = None,
        slot: str = "main",
        measure: Sequence[Measure] = (),
    ) -> Generation:
        """Stream the reply to ``messages``; the slot then remembers prompt + reply as its next prefix.

        ``measure`` is accepted and ignored: CTranslate2's generator cannot extend other
        sequences in the same step, so :meth:`logprobs` scores the reply afterwards.
        """
        self._check_slot(slot)

        def run() -> Generator[str, None, Reply]:
            with self._lock:
                prompt = self._prompt(messages)
                seed = self._seed(params)
                if cancel is not None and cancel.cancelled:
                    return Reply("", "cancelled", seed, prompt_tokens=len(prompt))
                try:
                    reply = yield from self._single(prompt, params, seed, cancel)
                    # the next turn continues this reply; a regenerated reply starts from the same prompt
                    self._remember(slot, self._continuation(messages, reply.text) if reply.text else None, prompt[:-1])
                    return reply
                finally:
                    self._prefetch()

        return Generation(run())

    def _single(
        self, prompt: list[int], params: SamplingParams, seed: int, cancel: CancelToken | None
    ) -> Generator[str, None, Reply]:
        decoding = self._decode(prompt, [seed], params, cancel)
        try:
            while True:
                try:
                    _index, delta = next(decoding)
                except StopIteration as stop:
                    return stop.value[0]
                yield delta
        finally:
            decoding.close()

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
        """``n`` replies decoded as one batch per ``n_parallel``; the prompt is evaluated once per batch."""
        self._check_slot(slot)
        with self._lock:
            prompt = self._prompt(messages)
            base = self._seed(params)
            replies: list[Reply] = []
            try:
                for wave in range(0, n, self.n_parallel):
                    if cancel is not None and cancel.cancelled:
                        break
                    seeds = [base + wave + i for i in range(min(self.n_parallel, n - wave))]
                    decoding = self._decode(prompt, seeds, params, cancel, offset=wave, on_reply=on_reply)
                    try:
                        while True:
                            next(decoding)
                    except StopIteration as stop:
                        replies += stop.value
                self._remember(slot, prompt[:-1])
            finally:
                self._prefetch()
            return replies

    def logprobs(self, messages: Sequence[Message], reply: str, *, slot: str = "main", max_tokens: int | None = None) -> TokenLogprobs:
        """Log-probability of each token of ``reply`` after ``messages`` (one forward pass of prompt + reply)."""
        return self.logprobs_in([(slot, messages, max_tokens)], reply)[0]

    def logprobs_in(self, contexts: Sequence[Measure], reply: str) -> list[TokenLogprobs]:
        """:meth:`logprobs` of ``reply`` in each ``(slot, messages[, max_tokens])`` context, scored as one batch."""
        for name, *_rest in contexts:
            self._check_slot(name)
        with self._lock:
            reply_tokens = self.reply_tokens(reply)
            jobs: list[tuple[int, list[int]]] = []
            for _name, messages, *cap in contexts:
                prompt = self._prompt(messages)
                tokens = reply_tokens if not cap or cap[0] is None else reply_tokens[: max(0, cap[0])]
                jobs.append((len(prompt), (prompt + tokens)[: self.n_ctx]))
            scored = [target for start, target in jobs if len(target) > start]
            try:
                batch = [[self._strings[t] for t in target] for target in scored]
                results = iter(self._gens.any().generator.score_batch(batch, max_input_length=0) if batch else [])
            except (RuntimeError, ValueError) as exc:
                raise EngineError(f"CTranslate2 scoring failed: {exc}") from None
            self.stats["prompt_evaluated"] += sum(len(target) for target in scored)
            out = []
            for start, target in jobs:
                if len(target) <= start:
                    out.append(TokenLogprobs([], np.zeros(0, dtype=np.float32)))
                    continue
                values = np.asarray(next(results).log_probs[start - 1 :], dtype=np.float32)
                out.append(TokenLogprobs([self._vocab.piece(t).decode("utf-8", "replace") for t in target[start:]], values))
            return out

    def probe(
        self,
        messages: Sequence[Message],
        question: str,
        params: SamplingParams,
        *,
        slot: str = "main",
        cancel: CancelToken | None = None,
    ) -> Reply:
        """Answer ``question`` asked after ``messages`` in a fork: the slot's remembered prefix is left as it was."""
        self._check_slot(slot)
        with self._lock:
            prompt = self._prompt([*messages, Message("user", question)])
            try:
                return Generation(self._single(prompt, params, self._seed(params), cancel)).result()
            finally:
                self._prefetch()

    # ------------------------------------------------------------------ close
    def close(self) -> None:
        with self._lock:
            if getattr(self, "_gens", None) is not None:
                self._gens.close()
                self._gens = None  # type: ignore[assignment]
            if getattr(self, "_vocab", None) is not None:
                self._vocab.close()

    def __enter__(self) -> CT2Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def preferred_batch_engine(model_path: str | Path, default: str = "llama") -> str:
    """The engine measured faster at batched sampling on this model (``scripts/bench_engines.py``).

    Reads ``cache_dir()/bench/engines-<sha16>.json``; without a measurement returns ``default``.
    """
    from drifttui.engine._convert import gguf_digest
    from drifttui.paths import cache_dir

    try:
        path = cache_dir() / "bench" / f"engines-{gguf_digest(Path(model_path))[:16]}.json"
        choice = json.loads(path.read_text(encoding="utf-8")).get("faster_batched")
    except (OSError, ValueError):
        return default
    return choice if choice in ("llama", "ct2") else default
