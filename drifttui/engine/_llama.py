"""The llama.cpp engine (llama-cpp-python's low-level API).

One llama context holds every slot as its own KV-cache sequence, plus scratch
sequences for forks. The cache is unified, so a fork copies a slot's prefix
by reference (``llama_memory_seq_cp``) instead of evaluating it again, and N
samples of one turn decode in lockstep in a single batch.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from drifttui.engine._protocol import Generation
from drifttui.engine._recode import reading_weights, runtime_weights
from drifttui.engine._sampling import Sampler, log_softmax_at
from drifttui.engine._template import ChatTemplate
from drifttui.engine._textstream import TextStream
from drifttui.engine._types import CancelToken, EngineInfo, Measure, Message, Reply, SamplingParams, TokenLogprobs
from drifttui.errors import EngineError, ModelError

READ_SLOTS = ("score", "score-plain")
"""The slots that only read log-probs (the drift scorer's; see ``LlamaEngine(read_slots=...)``)."""

_LOG: deque[str] = deque(maxlen=50)
_backend_ready = False
_backend_lock = threading.Lock()


def _load_library():
    import llama_cpp

    global _backend_ready
    with _backend_lock:
        if not _backend_ready:

            @llama_cpp.llama_log_callback
            def _log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
                _LOG.append(text.decode("utf-8", "replace"))

            _load_library._callback = _log  # keep a reference: ctypes would free it
            llama_cpp.llama_log_set(_log, ctypes.c_void_p(0))
            llama_cpp.llama_backend_init()
            _backend_ready = True
    return llama_cpp


def check_gguf_file(path: Path) -> None:
    """Raise :class:`ModelError` unless ``path`` is a readable file that starts like a GGUF."""
    if not path.exists():
        raise ModelError("model file not found", path=path)
    if path.is_dir():
        raise ModelError("is a directory, not a GGUF model file", path=path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise ModelError(f"cannot read the model file: {exc.strerror}", path=path) from None
    if magic != b"GGUF":
        raise ModelError("not a GGUF model file (it does not start with the GGUF magic bytes)", path=path)


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Seq:
    """What one KV-cache sequence holds."""

    seq_id: int
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    """``logprobs[i]`` = log p(tokens[i] | tokens[:i]) where it was computed, else NaN."""
    pieces: list[bytes] = field(default_factory=list)
    """The text bytes of each token (special tokens rendered), for splicing prompts."""
    last_logits: np.ndarray | None = None
    """Logits after the last token, if kept."""
    mark: tuple[int, np.ndarray] | None = None
    """``(n, logits after tokens[:n])`` kept at the end of a scored prompt: the next reply
    scored after the same prompt needs them, and they no longer are the last logits."""
    last_used: float = 0.0
    """When an operation last used this sequence (eviction is least recently used first)."""

    def push(self, token: int, logprob: float, piece: bytes) -> None:
        self.tokens.append(token)
        self.logprobs.append(logprob)
        self.pieces.append(piece)

    def cut(self, n: int) -> None:
        del self.tokens[n:]
        del self.logprobs[n:]
        del self.pieces[n:]
        self.last_logits = None
        if self.mark is not None and self.mark[0] > n:
            self.mark = None

    def copy_prefix(self, other: _Seq, n: int) -> None:
        self.tokens = other.tokens[:n]
        self.logprobs = other.logprobs[:n]
        self.pieces = other.pieces[:n]
        self.last_logits = None
        self.mark = None


@dataclass
class _Plan:
    """What making ``seq`` hold ``target`` still takes: positions ``pos:`` to evaluate.

    ``need_from``: from there on ``seq.logprobs`` must be known afterwards.
    ``next_lp``: log p(target[pos]), when already known.
    """

    seq: _Seq
    target: Sequence[int]
    need_from: int | None
    pos: int
    next_lp: float = float("nan")

    @classmethod
    def make(cls, engine: LlamaEngine, seq: _Seq, target: Sequence[int], need_from: int | None) -> _Plan | None:
        """Cut ``seq`` back to what it shares with ``target``; None when nothing is left to do."""
        seq.last_used = time.monotonic()
        if not engine.reuse_prefix:
            engine._truncate(seq, 0)
        start = _common_prefix(seq.tokens, target)
        if need_from is not None:
            for i in range(max(need_from, 1), start):
                if np.isnan(seq.logprobs[i]):
                    start = i
                    break
        if start == len(target) == len(seq.tokens) and seq.last_logits is not None:
            return None
        plan = cls(seq, target, need_from, min(start, len(target) - 1))
        begin = plan.pos
        logits = seq.last_logits if begin == len(seq.tokens) else None
        if logits is None and seq.mark is not None and seq.mark[0] == begin:
            logits = seq.mark[1]  # begin <= start: the marked prefix is target's too
        if plan.wanted(begin) and begin > 0 and logits is None:
            begin -= 1  # log p(target[begin]) needs the logits after target[begin - 1]
        if begin < start:
            plan.next_lp = seq.logprobs[begin]  # the same token as cached: keep what is known
        elif logits is not None and plan.wanted(begin):
            plan.next_lp = log_softmax_at(logits, target[begin])
        if engine._truncate(seq, begin) != begin:
            begin, plan.next_lp = 0, float("nan")
        plan.pos = begin
        return plan

    def wanted(self, p: int) -> bool:
        """Does ``target[p]`` need its log-probability?"""
        return self.need_from is not None and p >= max(self.need_from, 1)

    def wants_logits(self, p: int) -> bool:
        return p == len(self.target) - 1 or self.wanted(p + 1)

    def take(self, engine: LlamaEngine, p: int, logits: np.ndarray | None) -> None:
        """Record ``target[p]`` as decoded, with the logits after it when asked for."""
        token = self.target[p]
        self.seq.push(token, self.next_lp, engine._text_piece(token))
        self.next_lp = float("nan")
        if logits is None:
            return
        if p + 1 < len(self.target):
            self.next_lp = log_softmax_at(logits, self.target[p + 1])
            if p + 1 == self.need_from:
                self.seq.mark = (p + 1, np.array(logits, copy=True))
        else:
            self.seq.last_logits = np.array(logits, copy=True)


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def token_piece(ll, vocab, token: int, special: bool = False) -> bytes:
    """The bytes of one token (special tokens rendered only with ``special``)."""
    buf = ctypes.create_string_buffer(64)
    n = ll.llama_token_to_piece(vocab, token, buf, len(buf), 0, special)
    if n < 0:
        buf = ctypes.create_string_buffer(-n)
        n = ll.llama_token_to_piece(vocab, token, buf, len(buf), 0, special)
    return buf.raw[:n]


def tokenize_text(ll, vocab, text: str | bytes, *, add_bos: bool = False, special: bool = True) -> list[int]:
    """Token ids of ``text`` through llama.cpp's tokenizer (shared by both engines, so they agree)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if not data and not add_bos:
        return []
    cap = len(data) + 8
    buf = (ll.llama_token * cap)()
    n = ll.llama_tokenize(vocab, data, len(data), buf, cap, add_bos, special)
    if n < 0:
        cap = -n
        buf = (ll.llama_token * cap)()
        n = ll.llama_tokenize(vocab, data, len(data), buf, cap, add_bos, special)
    return list(buf[:n])


class LlamaEngine:
    """A GGUF model run by llama.cpp on the CPU.

    Args:
        model_path: The GGUF file.
        n_ctx: Context window of one conversation in tokens (capped at the model's training context).
        threads: CPU threads (default: all available cores).
        n_parallel: Scratch sequences for forks and batched sampling.
        n_batch: Tokens evaluated per decode call while reading a prompt.
        reuse_prefix: Keep each slot's cache between calls (off only to measure what reuse saves).
        slots: Names of the cached contexts.
        recode: Load the bundled default model from its Q8_0 copy (:mod:`drifttui.engine._recode`;
            other models always run as given).
        read_slots: Slots that only read log-probs (the scorer's). Where a copy of the bundled
            model is faster at that than the one generation runs from (BF16 where the build
            runs AVX-512: :func:`~drifttui.engine._recode.reading_weights`), these slots live
            in a second llama context on that copy, loaded when first read; their
            :meth:`logprobs` come from it. Everything else, and anything *generated* on these
            slots, stays on the generation weights.
        kv_cells: Size of the KV cache shared by all slots and forks (default: two full
            windows plus room for the forks). When it fills up, the least recently used
            slots are evicted (and re-evaluated when next used), so this trades memory
            for recomputation, never correctness.
    """

    name = "llama"

    def __init__(
        self,
        model_path: str | Path,
        *,
        n_ctx: int = 2048,
        threads: int | None = None,
        n_parallel: int = 8,
        n_batch: int = 256,
        reply_budget: int = 320,
        kv_cells: int | None = None,
        reuse_prefix: bool = True,
        slots: Sequence[str] = ("main", "plain", "score", "score-plain"),
        recode: bool = True,
        read_slots: Sequence[str] = READ_SLOTS,
        _decoder: ThreadPoolExecutor | None = None,
        _stats: dict[str, int] | None = None,
    ) -> None:
        path = Path(model_path).expanduser()
        check_gguf_file(path)
        self._ll = ll = _load_library()
        weights = runtime_weights(path) if recode else path
        reading = reading_weights(path) if recode and any(s in read_slots for s in slots) else None
        if reading is not None and n_parallel == 0 and all(s in read_slots for s in slots):
            weights, reading = reading, None  # nothing here generates: the reading copy is the one context
        self.threads = threads or default_threads()
        self.reuse_prefix = reuse_prefix
        self.n_batch = n_batch
        self.n_parallel = n_parallel
        self._lock = threading.RLock()
        self._owns_decoder = _decoder is None
        self._decoder = _decoder or ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama-decode")
        # the second context, on the reading copy (made when first read from)
        self._reading_path = reading
        self._read_slots = frozenset(s for s in slots if s in read_slots) if reading is not None else frozenset()
        self._reader: LlamaEngine | None = None
        self._reader_lock = threading.Lock()

        mparams = ll.llama_model_default_params()
        _LOG.clear()
        self._model = ll.llama_model_load_from_file(str(weights).encode(), mparams)
        if not self._model and weights != path:  # a damaged re-encoded copy: drop it (made again next time), load the shipped file
            weights.unlink(missing_ok=True)
            weights = path
            self._model = ll.llama_model_load_from_file(str(weights).encode(), mparams)
        if not self._model:
            raise ModelError(f"llama.cpp could not load this model: {_last_error()}", path=weights)
        self._vocab = ll.llama_model_get_vocab(self._model)
        self.n_vocab = ll.llama_vocab_n_tokens(self._vocab)
        n_ctx_train = ll.llama_model_n_ctx_train(self._model)
        self.n_ctx = min(n_ctx, n_ctx_train) if n_ctx_train > 0 else n_ctx

        self._slots: dict[str, _Seq] = {name: _Seq(i) for i, name in enumerate(slots)}
        self._scratch = [_Seq(len(slots) + i) for i in range(n_parallel)]
        n_seq = len(slots) + n_parallel
        if kv_cells is None:
            kv_cells = 2 * self.n_ctx + n_parallel * reply_budget + 1024
        kv_cells = max(kv_cells, self.n_ctx + n_parallel * 16)
        cparams = ll.llama_context_default_params()
        cparams.n_ctx = kv_cells
        cparams.n_batch = max(n_batch, n_parallel)
        cparams.n_ubatch = max(n_batch, n_parallel)
        cparams.n_seq_max = n_seq
        cparams.n_threads = self.threads
        cparams.n_threads_batch = self.threads
        cparams.kv_unified = True
        cparams.swa_full = True
        cparams.no_perf = True
        self._ctx = ll.llama_init_from_model(self._model, cparams)
        if not self._ctx:
            ll.llama_model_free(self._model)
            raise ModelError(f"llama.cpp could not create a context for this model: {_last_error()}", path=path)
        self._mem = ll.llama_get_memory(self._ctx)
        self._batch_cap = max(n_batch, n_parallel)
        self._batch = ll.llama_batch_init(self._batch_cap, 0, n_seq)

        template_src = ll.llama_model_chat_template(self._model, None)
        self._bos = ll.llama_vocab_bos(self._vocab)
        self._add_bos = bool(ll.llama_vocab_get_add_bos(self._vocab))
        self.template = ChatTemplate(
            template_src.decode("utf-8", "replace") if template_src else None,
            bos_token=self._piece(self._bos, special=True).decode("utf-8", "replace") if self._bos >= 0 else "",
            eos_token=self._piece(ll.llama_vocab_eos(self._vocab), special=True).decode("utf-8", "replace"),
        )
        self.info = EngineInfo(
            engine=self.name,
            model_path=str(path),
            model_name=self._meta("general.name") or path.stem,
            n_ctx=self.n_ctx,
            chat_template=self.template.name,
            threads=self.threads,
            weights_path=str(weights),
            reading_weights=str(reading or ""),
        )
        self.stats = _stats if _stats is not None else {"prompt_evaluated": 0, "generated": 0}
        # Prompt tokens per decode call: small enough that a cancel lands quickly on big
        # models, and fixed per model (never timed), so a seed repeats a reply on any machine.
        n_params = ll.llama_model_n_params(self._model)
        self._chunk = min(n_batch, 128 if n_params < 600e6 else 64 if n_params < 3e9 else 32)

    # ----------------------------------------------------------------- basics
    def _meta(self, key: str) -> str | None:
        buf = ctypes.create_string_buffer(512)
        n = self._ll.llama_model_meta_val_str(self._model, key.encode(), buf, len(buf))
        return buf.value.decode("utf-8", "replace") if n >= 0 else None

    def _piece(self, token: int, special: bool = False) -> bytes:
        return token_piece(self._ll, self._vocab, token, special)

    def _text_piece(self, token: int) -> bytes:
        return self._piece(token, special=True)

    def tokenize(self, text: str | bytes, *, add_bos: bool = False, special: bool = True) -> list[int]:
        return tokenize_text(self._ll, self._vocab, text, add_bos=add_bos, special=special)

    def detokenize(self, tokens: Sequence[int]) -> str:
        return b"".join(self._piece(t) for t in tokens).decode("utf-8", "replace")

    def _bos_needed(self, text: str) -> bool:
        return self._add_bos and not (self.template.bos_token and text.startswith(self.template.bos_token))

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        text = self.template.render(messages)
        return self.tokenize(text, add_bos=self._bos_needed(text), special=True)

    def _splice(self, seq: _Seq, text: bytes, start: int = 0, pos: int = 0, *, special: bool = True) -> list[int]:
        """Tokens for ``text[pos:]``, reusing ``seq``'s tokens from index ``start`` while their text matches.

        The model's own generated tokens are kept even where the tokenizer
        would split the same text differently, so the cached prefix survives
        from one turn to the next.
        """
        i = start
        if self.reuse_prefix:
            while i < len(seq.tokens) and seq.pieces[i] and text.startswith(seq.pieces[i], pos):
                pos += len(seq.pieces[i])
                i += 1
            while i > start and pos < len(text) and 0x80 <= text[pos] < 0xC0:  # never split a character
                i -= 1
                pos -= len(seq.pieces[i])
        return seq.tokens[start:i] + self.tokenize(text[pos:], special=special)

    def _slot_prompt(self, seq: _Seq, messages: Sequence[Message]) -> tuple[list[int], bytes]:
        """Prompt tokens for ``messages``, spliced onto what ``seq`` caches; and the prompt's bytes."""
        text = self.template.render(messages)
        data = text.encode("utf-8")
        if self._bos_needed(text):
            if seq.tokens[:1] == [self._bos]:
                return [self._bos, *self._splice(seq, data, 1)], data
            return [self._bos, *self.tokenize(data, special=True)], data
        return self._splice(seq, data), data

    def reply_tokens(self, reply: str) -> list[int]:
        return self.tokenize(reply, add_bos=False, special=False)

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.prompt_tokens(messages))

    def _is_eog(self, token: int) -> bool:
        return bool(self._ll.llama_vocab_is_eog(self._vocab, token))

    def slot_tokens(self, slot: str = "main") -> list[int]:
        """The tokens a slot's cache holds (for tests and diagnostics; a read slot's in the reading context)."""
        if slot in self._read_slots and self._reader is not None:
            return self._reader.slot_tokens(slot)
        return list(self._slots[slot].tokens)

    def _reading(self) -> LlamaEngine | None:
        """The context the read slots live in, loaded on first use (None: there is none, read here)."""
        if not self._read_slots:
            return None
        with self._reader_lock:
            if self._reader is None and self._reading_path is not None:
                try:
                    self._reader = LlamaEngine(
                        self._reading_path,
                        n_ctx=self.n_ctx,
                        threads=self.threads,
                        n_parallel=0,
                        n_batch=min(self.n_batch, self._chunk),  # never more per decode: a smaller logits buffer
                        kv_cells=self.n_ctx + 256,  # room for one full context; the scorer's two are short
                        reuse_prefix=self.reuse_prefix,
                        slots=tuple(sorted(self._read_slots)),
                        recode=False,
                        _decoder=self._decoder,  # one decode thread for both contexts: one OpenMP team
                        _stats=self.stats,
                    )
                except ModelError:  # a damaged copy: drop it (made again next time), read here
                    self._reading_path.unlink(missing_ok=True)
                    self._reading_path = None
                    self._read_slots = frozenset()
                    self.info = replace(self.info, reading_weights="")
            return self._reader

    # ------------------------------------------------------------ KV plumbing
    def _decode(self, entries: Sequence[tuple[int, int, int, bool]], keep: Iterable[int] = ()) -> None:
        """Decode (token, pos, seq_id, want_logits) entries as one batch (``keep``: sequences not to evict)."""
        batch = self._batch
        for i, (token, pos, seq_id, logits) in enumerate(entries):
            batch.token[i] = token
            batch.pos[i] = pos
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = seq_id
            batch.logits[i] = logits
        batch.n_tokens = len(entries)
        rc = self._run_decode(batch)
        busy = {seq_id for _t, _p, seq_id, _l in entries} | set(keep)
        while rc == 1 and self._evict(busy):  # the KV cache is full: free the stalest slot, retry
            rc = self._run_decode(batch)
        if rc == 1:
            raise _CacheFull(f"the KV cache cannot hold {len(entries)} more tokens (llama_decode returned 1): {_last_error()}")
        if rc != 0:
            raise EngineError(f"llama_decode failed with code {rc}: {_last_error()}")

    def _run_decode(self, batch) -> int:
        """``llama_decode`` on the engine's one decode thread, whichever thread asks.

        llama.cpp's CPU backend runs on OpenMP, and libgomp keeps a separate team of
        worker threads for every thread that starts a parallel region. The TUI calls the
        engine from several worker threads (chat, scorer, superposition, probes); with a
        team per caller, the idle teams' spinning workers took the cores from the busy one
        and replies streamed at ~30 instead of ~60 tokens/s on 2 cores. One decode thread
        means one team.
        """
        return int(self._decoder.submit(self._ll.llama_decode, self._ctx, batch).result())

    def _evict(self, busy: set[int]) -> bool:
        """Empty the least recently used sequence not in ``busy``; False when none is left."""
        candidates = [s for s in (*self._slots.values(), *self._scratch) if s.tokens and s.seq_id not in busy]
        if not candidates:
            return False
        stalest = min(candidates, key=lambda s: s.last_used)
        self._truncate(stalest, 0)
        self.stats["evicted"] = self.stats.get("evicted", 0) + 1
        return True

    def _logits(self, i: int) -> np.ndarray:
        """Logits of the ``i``-th entry of the last decoded batch (a view: copy to keep)."""
        ptr = self._ll.llama_get_logits_ith(self._ctx, i)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    def _extend(
        self,
        seq: _Seq,
        target: Sequence[int],
        *,
        need_from: int | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Make ``seq`` hold exactly ``target``, keeping the logits after its last token.

        With ``need_from``, ``seq.logprobs[need_from:]`` are known afterwards.
        Only what the cache lacks is evaluated; returns how many tokens that was.
        On cancel the sequence is left holding a consistent prefix of ``target``.
        """
        return self._extend_all([_Plan.make(self, seq, target, need_from)], cancel)

    def _extend_all(self, plans: Sequence[_Plan | None], cancel: CancelToken | None = None) -> int:
        """Run several :meth:`_extend` plans (distinct sequences) in shared batches; returns tokens evaluated."""
        plans = [plan for plan in plans if plan is not None]
        todo = [(plan, p) for plan in plans for p in range(plan.pos, len(plan.target))]
        keep = {plan.seq.seq_id for plan in plans}
        evaluated = 0
        try:
            for start in range(0, len(todo), self._chunk):
                if cancel is not None and cancel.cancelled:
                    break
                chunk = todo[start : start + self._chunk]
                self._decode([(plan.target[p], p, plan.seq.seq_id, plan.wants_logits(p)) for plan, p in chunk], keep)
                for j, (plan, p) in enumerate(chunk):
                    plan.take(self, p, self._logits(j) if plan.wants_logits(p) else None)
                evaluated += len(chunk)
        finally:
            self.stats["prompt_evaluated"] += evaluated
        return evaluated

    def _truncate(self, seq: _Seq, n: int) -> int:
        """Drop everything from position ``n`` on; returns where the sequence now ends."""
        if n < len(seq.tokens) or n == 0:
            if not self._ll.llama_memory_seq_rm(self._mem, seq.seq_id, n, -1):
                # this cache cannot cut mid-sequence (recurrent models): start over
                self._ll.llama_memory_seq_rm(self._mem, seq.seq_id, 0, -1)
                n = 0
        seq.cut(n)
        return n

    def _fork(self, src: _Seq, dst: _Seq, target: Sequence[int], cancel: CancelToken | None = None) -> None:
        """Make scratch ``dst`` hold ``target``, sharing ``src``'s cached prefix; ``src`` is untouched."""
        src.last_used = dst.last_used = time.monotonic()
        self._truncate(dst, 0)
        common = _common_prefix(src.tokens, target) if self.reuse_prefix else 0
        whole = common == len(target) == len(src.tokens) and src.last_logits is not None
        if not whole:
            common = min(common, len(target) - 1)
        if common:
            self._ll.llama_memory_seq_cp(self._mem, src.seq_id, dst.seq_id, 0, common)
            dst.copy_prefix(src, common)
        if whole:
            dst.last_logits = src.last_logits
            return
        self._extend(dst, target, cancel=cancel)

    def _release(self, seq: _Seq) -> None:
        self._truncate(seq, 0)

    def reset(self, slot: str | None = None) -> None:
        """Forget the cache of one slot (or of all)."""
        if self._reader is not None and (slot is None or slot in self._read_slots):
            self._reader.reset(slot)
        with self._lock:
            for name, seq in self._slots.items():
                if slot is None or name == slot:
                    self._truncate(seq, 0)

    # --------------------------------------------------------------- generate
    def _seed(self, params: SamplingParams) -> int:
        return params.seed if params.seed is not None else int.from_bytes(os.urandom(4), "little")

    def _generate(
        self,
        seq: _Seq,
        prompt_len: int,
        evaluated: int,
        params: SamplingParams,
        cancel: CancelToken | None,
        riders: Sequence[tuple[_Seq, int | None]] = (),
    ) -> Generator[str, None, Reply]:
        """Sample a reply on ``seq`` (which holds the prompt); yields text deltas.

        Each of ``riders`` (sequences holding another prompt, with the logits after
        it, and how many reply tokens to take; None: all) gets every sampled token
        in the same decode call as ``seq``, with its log-probability there, so the
        reply is scored in those contexts as it streams.
        """
        seed = self._seed(params)
        sampler = Sampler(params, seed)
        text = TextStream(self.template.stops)
        logits = seq.last_logits
        n_tokens = 0
        finish = "length"
        started = time.perf_counter()
        limit = self.n_ctx
        # each rider with the length it stops at (its token cap, or the window)
        riders = [(r, limit if cap is None else min(limit, len(r.tokens) + cap)) for r, cap in riders if r.last_logits is not None]
        rider_logits = {r.seq_id: r.last_logits for r, _end in riders}
        while n_tokens < params.max_tokens:
            if cancel is not None and cancel.cancelled:
                finish = "cancelled"
                break
            if logits is None or len(seq.tokens) >= limit:
                break
            token = sampler(logits, seq.tokens)
            if self._is_eog(token):
                finish = "stop"
                break
            delta = text.push(self._piece(token))
            if delta:
                yield delta
            if text.stopped:
                finish = "stop"
                break
            lp = log_softmax_at(logits, token)
            piece = self._text_piece(token)
            for rider, end in riders:
                if len(rider.tokens) >= end:  # done: keep the logits after its last token
                    rider.last_logits = rider_logits[rider.seq_id]
            riders = [(r, end) for r, end in riders if len(r.tokens) < end]
            rider_lps = [log_softmax_at(rider_logits[r.seq_id], token) for r, _end in riders]
            self._decode([(token, len(seq.tokens), seq.seq_id, True), *((token, len(r.tokens), r.seq_id, True) for r, _end in riders)])
            seq.push(token, lp, piece)
            logits = self._logits(0)
            for i, (rider, _end) in enumerate(riders):
                rider.push(token, rider_lps[i], piece)
                rider_logits[rider.seq_id] = np.array(self._logits(i + 1), copy=True)  # the next decode overwrites the view
            n_tokens += 1
        seq.last_logits = None if logits is None else np.array(logits, copy=True)
        for rider, _end in riders:
            rider.last_logits = rider_logits[rider.seq_id]
        tail = text.finish()
        if tail:
            yield tail
        self.stats["generated"] += n_tokens
        return Reply(
            text=text.text.strip(),
            finish_reason=finish,  # type: ignore[arg-type]
            seed=seed,
            n_tokens=n_tokens,
            prompt_tokens=prompt_len,
            prompt_evaluated=evaluated,
            seconds=time.perf_counter() - started,
        )

    def _prompt(self, messages: Sequence[Message], seq: _Seq) -> list[int]:
        prompt, _ = self._slot_prompt(seq, messages)
        self._check_fits(prompt)
        return prompt

    def _check_fits(self, prompt: Sequence[int]) -> None:
        if len(prompt) >= self.n_ctx:
            raise EngineError(
                f"the prompt has {len(prompt)} tokens but the context window is {self.n_ctx}; trim the history first"
            )
        return prompt

    def stream(
        self,
        messages: Sequence[Message],
        params: SamplingParams,
        *,
        cancel: CancelToken | None = None,
        slot: str = "main",
        measure: Sequence[Measure] = (),
    ) -> Generation:
        def run() -> Generator[str, None, Reply]:
            with self._lock:
                seq = self._slots[slot]
                prompt = self._prompt(messages, seq)
                evaluated = self._extend(seq, prompt, cancel=cancel)
                riders: list[tuple[_Seq, int | None]] = []
                for name, context, *cap in measure:
                    if name in self._read_slots:
                        continue  # read in the reading context after the reply, not here
                    rider = self._slots[name]
                    if rider is seq or any(rider is r for r, _cap in riders) or (cancel is not None and cancel.cancelled):
                        continue
                    self._extend(rider, self._prompt(context, rider), cancel=cancel)
                    riders.append((rider, cap[0] if cap else None))
                if riders and (seq.tokens != prompt or seq.last_logits is None):
                    # a small KV pool: a rider's prompt evicted the chat's own; score after instead
                    riders = []
                    evaluated += self._extend(seq, prompt, cancel=cancel)
                if cancel is not None and cancel.cancelled:
                    return Reply("", "cancelled", params.seed or 0, prompt_tokens=len(prompt), prompt_evaluated=evaluated)
                return (yield from self._generate(seq, len(prompt), evaluated, params, cancel, riders))

        return Generation(run())

    def probe(
        self,
        messages: Sequence[Message],
        question: str,
        params: SamplingParams,
        *,
        slot: str = "main",
        cancel: CancelToken | None = None,
    ) -> Reply:
        with self._lock:
            prompt = self._prompt([*messages, Message("user", question)], self._slots[slot])
            scratch = self._scratch[0]
            try:
                self._fork(self._slots[slot], scratch, prompt, cancel)
                return Generation(self._generate(scratch, len(prompt), 0, params, cancel)).result()
            finally:
                self._release(scratch)

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
        with self._lock:
            seq = self._slots[slot]
            prompt = self._prompt(messages, seq)
            evaluated = self._extend(seq, prompt, cancel=cancel)
            base_seed = self._seed(params)
            replies: list[Reply] = []
            for wave in range(0, n, self.n_parallel):
                count = min(self.n_parallel, n - wave)
                seeds = [base_seed + wave + i for i in range(count)]
                replies += self._sample_wave(seq, prompt, seeds, params, cancel, evaluated, wave, on_reply)
                evaluated = 0
            return replies

    def _sample_wave(
        self,
        seq: _Seq,
        prompt: list[int],
        seeds: list[int],
        params: SamplingParams,
        cancel: CancelToken | None,
        evaluated: int,
        offset: int,
        on_reply: Callable[[int, Reply], None] | None,
    ) -> list[Reply]:
        count = len(seeds)
        scratch = self._scratch[:count]
        samplers = [Sampler(params, s) for s in seeds]
        texts = [TextStream(self.template.stops) for _ in seeds]
        generated: list[list[int]] = [[] for _ in seeds]
        finish: list[str | None] = [None] * count
        logits: list[np.ndarray | None] = [seq.last_logits] * count
        for s in scratch:
            self._fork(seq, s, prompt)
        started = time.perf_counter()
        elapsed = [0.0] * count
        replies: list[Reply | None] = [None] * count

        def done(i: int, reason: str) -> None:
            finish[i] = reason
            elapsed[i] = time.perf_counter() - started
            texts[i].finish()
            replies[i] = Reply(
                text=texts[i].text.strip(),
                finish_reason=reason,  # type: ignore[arg-type]
                seed=seeds[i],
                n_tokens=len(generated[i]),
                prompt_tokens=len(prompt),
                prompt_evaluated=evaluated if i == 0 else 0,
                seconds=elapsed[i],
            )
            if on_reply is not None:
                on_reply(offset + i, replies[i])

        try:
            while any(f is None for f in finish):
                if cancel is not None and cancel.cancelled:
                    for i in range(count):
                        if finish[i] is None:
                            done(i, "cancelled")
                    break
                entries = []
                owners = []
                for i in range(count):
                    if finish[i] is not None:
                        continue
                    history = prompt + generated[i]
                    if len(generated[i]) >= params.max_tokens or len(history) >= self.n_ctx:
                        done(i, "length")
                        continue
                    token = samplers[i](logits[i], history)
                    if self._is_eog(token):
                        done(i, "stop")
                        continue
                    texts[i].push(self._piece(token))
                    generated[i].append(token)
                    if texts[i].stopped:
                        done(i, "stop")
                        continue
                    entries.append((token, len(history), scratch[i].seq_id, True))
                    owners.append(i)
                if not entries:
                    break
                self._decode(entries)
                for k, i in enumerate(owners):
                    logits[i] = np.array(self._logits(k), copy=True)
        finally:
            for s in scratch:
                self._release(s)
        self.stats["generated"] += sum(len(g) for g in generated)
        return [r for r in replies if r is not None]

    # ---------------------------------------------------------------- scoring
    def logprobs(self, messages: Sequence[Message], reply: str, *, slot: str = "main", max_tokens: int | None = None) -> TokenLogprobs:
        return self.logprobs_in([(slot, messages, max_tokens)], reply)[0]

    def logprobs_in(self, contexts: Sequence[Measure], reply: str) -> list[TokenLogprobs]:
        """:meth:`logprobs` of ``reply`` in each ``(slot, messages[, max_tokens])`` context.

        Contexts on different slots are decoded together, in shared batches: one
        ``llama_decode`` for the scorer's two contexts instead of two. Contexts on
        read slots are read in the reading context (see ``read_slots``).
        """
        reader = self._reading() if any(c[0] in self._read_slots for c in contexts) else None
        if reader is not None:
            there = [i for i, c in enumerate(contexts) if c[0] in self._read_slots]
            here = [i for i, c in enumerate(contexts) if c[0] not in self._read_slots]
            found = dict(zip(there, reader.logprobs_in([contexts[i] for i in there], reply)))
            if here:
                found.update(zip(here, self.logprobs_in([contexts[i] for i in here], reply)))
            return [found[i] for i in range(len(contexts))]
        results: list[TokenLogprobs] = []
        jobs: list[tuple[_Seq, int, list[int]]] = []

        def read(seq: _Seq, start: int, target: list[int]) -> TokenLogprobs:
            values = np.array(seq.logprobs[start : len(target)], dtype=np.float32)
            return TokenLogprobs([self._piece(t).decode("utf-8", "replace") for t in target[start:]], values)

        def plan(seq: _Seq, start: int, target: list[int]) -> _Plan | None:
            return _Plan.make(self, seq, target, start) if len(target) > start else None

        def run() -> None:
            try:
                self._extend_all([plan(*job) for job in jobs])
                results.extend(read(*job) for job in jobs)
            except _CacheFull:
                if len(jobs) < 2:
                    raise
                # the KV cache cannot hold them all at once: one after the other (each may evict the others)
                for job in jobs:
                    self._extend_all([plan(*job)])
                    results.append(read(*job))
            jobs.clear()

        with self._lock:
            for name, messages, *cap in contexts:
                seq = self._slots[name]
                if any(seq is other for other, _s, _t in jobs):
                    run()  # one slot holds one context at a time: the earlier ones first
                prompt, _ = self._slot_prompt(seq, messages)
                self._check_fits(prompt)
                if seq.tokens[: len(prompt)] == prompt:
                    tokens = self._splice(seq, reply.encode("utf-8"), len(prompt), special=False)
                else:
                    tokens = self.reply_tokens(reply)
                if cap and cap[0] is not None:
                    tokens = tokens[: max(0, cap[0])]
                jobs.append((seq, len(prompt), (prompt + tokens)[: self.n_ctx]))
            run()
        return results

    # ------------------------------------------------------------------- close
    def close(self) -> None:
        if getattr(self, "_reader", None) is not None:
            self._reader.close()
            self._reader = None
        with self._lock:
            if getattr(self, "_ctx", None):
                self._ll.llama_batch_free(self._batch)
                self._ll.llama_free(self._ctx)
                self._ctx = None
            if getattr(self, "_model", None):
                self._ll.llama_model_free(self._model)
                self._model = None
            if getattr(self, "_decoder", None) is not None and getattr(self, "_owns_decoder", True):
                self._decoder.shutdown(wait=True)

    def __enter__(self) -> LlamaEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CacheFull(EngineError):
    """The KV cache has no room left for a batch, even after evicting every other sequence."""


def _last_error() -> str:
    lines = [line.strip() for line in _LOG if line.strip()]
    for line in reversed(lines):
        if "error" in line.lower() or "failed" in line.lower() or "unknown" in line.lower():
            return line
    return lines[-1] if lines else "no details"
