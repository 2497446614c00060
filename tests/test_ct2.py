"""The CTranslate2 engine: GGUF conversion, bad input, agreement with llama.cpp, CT2-specific behaviour."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from drifttui.engine import CancelToken, Message, SamplingParams
from drifttui.engine._convert import (
    convert_gguf,
    converted_path,
    is_complete,
    permute_rotary,
    unpermute_rotary,
)
from drifttui.errors import ModelError

SYSTEM = Message(
    "system",
    "You are Mara Silva, a 34-year-old dentist in Lisbon with a grey cat named Olive. "
    "You are introverted and dry. Stay in character.",
)
CHAT = [SYSTEM, Message("user", "Hi! Who are you and what do you do?")]
PROMPTS = [
    CHAT,
    [Message("user", "What is the capital of France?")],
    [SYSTEM, Message("user", "Describe your morning routine in three sentences.")],
    [Message("system", "You are a pirate."), Message("user", "Where is the treasure?")],
    [Message("user", "Write a haiku about the sea.")],
]


@pytest.fixture(scope="module")
def ct2_engine(default_model_path):
    from drifttui.engine import open_engine

    eng = open_engine(default_model_path, engine="ct2", n_ctx=2048)
    yield eng
    eng.close()


# ----------------------------------------------------------- tiny GGUF models
def _tiny_weights(rng: np.random.Generator, *, n_layers=2, n_embd=64, n_head=4, n_head_kv=2, n_ff=96, n_vocab=50):
    d = n_embd // n_head
    w = {"token_embd": rng.normal(0, 0.5, (n_vocab, n_embd)), "output_norm": 1 + rng.normal(0, 0.1, n_embd)}
    w["output"] = rng.normal(0, 0.2, (n_vocab, n_embd))
    for i in range(n_layers):
        w[f"{i}.attn_norm"] = 1 + rng.normal(0, 0.1, n_embd)
        w[f"{i}.ffn_norm"] = 1 + rng.normal(0, 0.1, n_embd)
        w[f"{i}.q"] = rng.normal(0, 0.15, (n_head * d, n_embd))
        w[f"{i}.k"] = rng.normal(0, 0.15, (n_head_kv * d, n_embd))
        w[f"{i}.v"] = rng.normal(0, 0.15, (n_head_kv * d, n_embd))
        w[f"{i}.o"] = rng.normal(0, 0.15, (n_embd, n_head * d))
        w[f"{i}.gate"] = rng.normal(0, 0.15, (n_ff, n_embd))
        w[f"{i}.up"] = rng.normal(0, 0.15, (n_ff, n_embd))
        w[f"{i}.down"] = rng.normal(0, 0.15, (n_embd, n_ff))
    hp = {"n_layers": n_layers, "n_embd": n_embd, "n_head": n_head, "n_head_kv": n_head_kv, "n_ff": n_ff, "n_vocab": n_vocab}
    return {k: v.astype(np.float32) for k, v in w.items()}, hp


def write_tiny_gguf(path: Path, weights: dict, hp: dict, *, arch: str = "llama", theta: float = 10000.0, odd_tensor=None) -> Path:
    """A llama GGUF as convert_hf_to_gguf.py writes it (Q/K rows permuted for llama.cpp's rotary)."""
    import gguf

    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name("tiny")
    writer.add_block_count(hp["n_layers"])
    writer.add_context_length(256)
    writer.add_embedding_length(hp["n_embd"])
    writer.add_feed_forward_length(hp["n_ff"])
    writer.add_head_count(hp["n_head"])
    writer.add_head_count_kv(hp["n_head_kv"])
    writer.add_rope_freq_base(theta)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(hp["n_embd"] // hp["n_head"])
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([f"t{i}" for i in range(hp["n_vocab"])])
    writer.add_tensor("token_embd.weight", weights["token_embd"])
    writer.add_tensor("output_norm.weight", weights["output_norm"])
    writer.add_tensor("output.weight", weights["output"])
    for i in range(hp["n_layers"]):
        p = f"blk.{i}."
        writer.add_tensor(p + "attn_norm.weight", weights[f"{i}.attn_norm"])
        writer.add_tensor(p + "ffn_norm.weight", weights[f"{i}.ffn_norm"])
        writer.add_tensor(p + "attn_q.weight", permute_rotary(weights[f"{i}.q"], hp["n_head"]))
        writer.add_tensor(p + "attn_k.weight", permute_rotary(weights[f"{i}.k"], hp["n_head_kv"]))
        writer.add_tensor(p + "attn_v.weight", weights[f"{i}.v"])
        writer.add_tensor(p + "attn_output.weight", weights[f"{i}.o"])
        writer.add_tensor(p + "ffn_gate.weight", weights[f"{i}.gate"])
        writer.add_tensor(p + "ffn_up.weight", weights[f"{i}.up"])
        writer.add_tensor(p + "ffn_down.weight", weights[f"{i}.down"])
    if odd_tensor is not None:
        writer.add_tensor("blk.0.odd.weight", odd_tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def numpy_llama_logprobs(weights: dict, hp: dict, ids: list[int], theta: float = 10000.0) -> np.ndarray:
    """Reference Hugging Face-layout llama forward (float64): log p(ids[t+1] | ids[:t+1])."""
    n_head, n_kv, n = hp["n_head"], hp["n_head_kv"], len(ids)
    d = hp["n_embd"] // n_head
    w = {k: v.astype(np.float64) for k, v in weights.items()}

    def rms(x, g):
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-5) * g

    inv = theta ** (-np.arange(0, d, 2) / d)
    ang = np.arange(n)[:, None] * inv[None, :]
    cos, sin = np.cos(np.concatenate([ang, ang], -1)), np.sin(np.concatenate([ang, ang], -1))

    def rope(x):  # (heads, n, d), rotate_half as in transformers
        half = np.concatenate([-x[..., d // 2 :], x[..., : d // 2]], -1)
        return x * cos + half * sin

    x = w["token_embd"][ids]
    mask = np.triu(np.full((n, n), -np.inf), 1)
    for i in range(hp["n_layers"]):
        h = rms(x, w[f"{i}.attn_norm"])
        q = rope((h @ w[f"{i}.q"].T).reshape(n, n_head, d).transpose(1, 0, 2))
        k = rope((h @ w[f"{i}.k"].T).reshape(n, n_kv, d).transpose(1, 0, 2))
        v = (h @ w[f"{i}.v"].T).reshape(n, n_kv, d).transpose(1, 0, 2)
        k = np.repeat(k, n_head // n_kv, axis=0)
        v = np.repeat(v, n_head // n_kv, axis=0)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d) + mask
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        x = x + (s @ v).transpose(1, 0, 2).reshape(n, -1) @ w[f"{i}.o"].T
        h = rms(x, w[f"{i}.ffn_norm"])
        g = h @ w[f"{i}.gate"].T
        x = x + ((g / (1 + np.exp(-g))) * (h @ w[f"{i}.up"].T)) @ w[f"{i}.down"].T
    logits = rms(x, w["output_norm"]) @ w["output"].T
    logits -= logits.max(-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    return np.array([logp[t, ids[t + 1]] for t in range(n - 1)])


# -------------------------------------------------------------- conversion
def test_unpermute_inverts_the_gguf_rotary_permutation():
    rng = np.random.default_rng(0)
    for heads, d, cols in ((9, 64, 576), (3, 64, 576), (4, 16, 8)):
        w = rng.normal(size=(heads * d, cols)).astype(np.float32)
        assert np.array_equal(unpermute_rotary(permute_rotary(w, heads), heads), w)
        assert not np.array_equal(permute_rotary(w, heads), w)


def test_conversion_matches_a_numpy_llama_forward(tmp_path):
    """A random tiny llama (GQA, untied output) written as GGUF, converted, scored: equal to numpy float64."""
    import ctranslate2

    weights, hp = _tiny_weights(np.random.default_rng(1))
    gguf_path = write_tiny_gguf(tmp_path / "tiny.gguf", weights, hp, theta=5000.0)
    out = convert_gguf(gguf_path, tmp_path / "tiny-ct2", quantization="float32", log=lambda _line: None)
    assert is_complete(out)
    gen = ctranslate2.Generator(str(out), compute_type="float32", intra_threads=1)
    ids = [3, 17, 5, 42, 8, 8, 21, 0, 33, 12, 49, 7]
    got = np.array(gen.score_batch([[f"t{i}" for i in ids]], max_input_length=0)[0].log_probs)
    ref = numpy_llama_logprobs(weights, hp, ids, theta=5000.0)
    assert np.allclose(got, ref, atol=2e-3), np.abs(got - ref).max()
    # int8 stays close
    out8 = convert_gguf(gguf_path, tmp_path / "tiny-ct2-int8", log=lambda _line: None)
    got8 = np.array(ctranslate2.Generator(str(out8), intra_threads=1).score_batch([[f"t{i}" for i in ids]])[0].log_probs)
    assert np.corrcoef(got8, ref)[0, 1] > 0.99


def test_conversion_is_cached_and_reports_progress(default_model_path):
    lines: list[str] = []
    first = convert_gguf(default_model_path, log=lines.append)  # usually already cached by the engine fixture
    assert first == converted_path(default_model_path)
    assert is_complete(first)
    started = time.perf_counter()
    again = convert_gguf(default_model_path, log=lines.append)
    assert again == first and time.perf_counter() - started < 2.0
    assert first.name.endswith("-ct2-int8") and len(first.name.split("-")[0]) == 16


def test_conversion_of_the_default_model_reports_progress(tmp_path, default_model_path):
    lines: list[str] = []
    out = convert_gguf(default_model_path, tmp_path / "smol", log=lines.append)
    assert is_complete(out)
    assert any("layer" in line and "/30" in line for line in lines)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


# ------------------------------------------------------------------ bad input
def test_unsupported_architecture_is_named(tmp_path):
    weights, hp = _tiny_weights(np.random.default_rng(2))
    path = write_tiny_gguf(tmp_path / "g.gguf", weights, hp, arch="gemma3")
    with pytest.raises(ModelError, match="gemma3"):
        convert_gguf(path, tmp_path / "out", log=lambda _line: None)
    assert not (tmp_path / "out").exists()


def test_unsupported_tensor_type_is_named(tmp_path):
    weights, hp = _tiny_weights(np.random.default_rng(3))
    path = write_tiny_gguf(tmp_path / "odd.gguf", weights, hp, odd_tensor=np.arange(64, dtype=np.int32))
    with pytest.raises(ModelError, match=r"blk\.0\.odd\.weight.*I32"):
        convert_gguf(path, tmp_path / "out", log=lambda _line: None)
    assert not (tmp_path / "out").exists()


def test_unknown_tensors_are_refused_not_ignored(tmp_path):
    weights, hp = _tiny_weights(np.random.default_rng(5))
    path = write_tiny_gguf(tmp_path / "qn.gguf", weights, hp, odd_tensor=np.ones(16, dtype=np.float32))
    with pytest.raises(ModelError, match=r"blk\.0\.odd\.weight"):
        convert_gguf(path, tmp_path / "out", log=lambda _line: None)


def test_not_a_gguf_and_missing_file(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_text("hello")
    with pytest.raises(ModelError, match="GGUF"):
        convert_gguf(bogus, tmp_path / "out")
    with pytest.raises(ModelError, match="not found"):
        convert_gguf(tmp_path / "missing.gguf", tmp_path / "out")


def test_interrupted_conversion_leaves_nothing(tmp_path, monkeypatch):
    import drifttui.engine._convert as conv

    weights, hp = _tiny_weights(np.random.default_rng(4))
    path = write_tiny_gguf(tmp_path / "t.gguf", weights, hp)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(type(_spec_class()), "save", boom)
    with pytest.raises(KeyboardInterrupt):
        conv.convert_gguf(path, tmp_path / "out", log=lambda _line: None)
    assert list(tmp_path.iterdir()) == [path]


def _spec_class():
    from ctranslate2.specs import transformer_spec

    return transformer_spec.TransformerDecoderModelSpec.from_config(1, 2)


def test_cli_convert_bad_file_is_one_line_exit_2(tmp_path):
    bogus = tmp_path / "x.gguf"
    bogus.write_text("nope")
    proc = subprocess.run(
        [sys.executable, "-m", "drifttui", "model", "convert", str(bogus)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "GGUF" in proc.stderr


def test_engine_without_conversion_asks_for_it(tmp_path, monkeypatch, default_model_path):
    from drifttui.engine._ct2 import CT2Engine

    monkeypatch.setenv("DRIFTTUI_CACHE_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="drifttui model convert"):
        CT2Engine(default_model_path, convert=False)


# ---------------------------------------------------------------- agreement
def test_tokenisation_is_identical_to_the_llama_engine(ct2_engine, llama_engine):
    texts = [
        "Hello, world!",
        "  leading spaces and\ttabs\n\nnew lines  ",
        "Ünïcödé — em dash, “quotes”, emoji 🐈‍⬛🦷, 日本語のテキスト",
        "def f(x):\n    return x ** 2  # code",
        "<|im_start|>user\nspecial tokens inside<|im_end|>",
        "numbers 1234567890 3.14159 -42",
    ]
    for text in texts:
        for special in (True, False):
            assert ct2_engine.tokenize(text, special=special) == llama_engine.tokenize(text, special=special), text
    for messages in PROMPTS:
        assert ct2_engine.prompt_tokens(messages) == llama_engine.prompt_tokens(messages)
        assert ct2_engine.count_tokens(messages) == llama_engine.count_tokens(messages)
    assert ct2_engine.template.source == llama_engine.template.source
    assert ct2_engine.info.model_name == llama_engine.info.model_name


def _greedy(engine, messages, n=16):
    params = SamplingParams(temperature=0, max_tokens=n, repeat_penalty=1.0, seed=1)
    return engine.reply_tokens(engine.stream(messages, params).result().text)


def _common(a, b):
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return k


def _agreement(engine, llama_engine, n=16):
    """Greedy common prefix per prompt, and llama's log-prob gap between its token and ``engine``'s at the split."""
    agree, gaps = [], []
    for messages in PROMPTS:
        theirs = _greedy(llama_engine, messages, n)
        ours = _greedy(engine, messages, n)
        k = _common(ours, theirs)
        agree.append(k)
        if k < min(len(ours), len(theirs)):
            prefix = theirs[:k]
            lp_theirs = llama_engine.logprobs(messages, llama_engine.detokenize(prefix + [theirs[k]])).logprobs[-1]
            lp_ours = llama_engine.logprobs(messages, llama_engine.detokenize(prefix + [ours[k]])).logprobs[-1]
            gaps.append(round(float(lp_theirs - lp_ours), 3))
    return agree, gaps


def _continuation_gap(engine, llama_engine, messages) -> float:
    """llama's mean log-prob per token of its own greedy continuation minus of ``engine``'s."""
    own = llama_engine.logprobs(messages, llama_engine.detokenize(_greedy(llama_engine, messages))).logprobs.mean()
    other = llama_engine.logprobs(messages, llama_engine.detokenize(_greedy(engine, messages))).logprobs.mean()
    return round(float(own - other), 3)


def test_greedy_decoding_agrees_with_llama(ct2_engine, llama_engine, capsys):
    """Greedy decoding may part from llama.cpp's only at near-ties: llama rates CT2's pick almost as high as its own.

    CT2's int8 mode quantizes activations per row, which costs ~0.05 nats of KL
    against float on this 135M model (llama.cpp's Q4_1 path stays within ~0.08
    nats per token of float), and this model's next-token distributions often
    have two candidates within a few tenths of a nat, so the greedy paths can
    split early (see docs: README performance section / closing note).
    """
    agree, gaps = _agreement(ct2_engine, llama_engine)
    fits = [_continuation_gap(ct2_engine, llama_engine, m) for m in PROMPTS]
    with capsys.disabled():
        print(f"\n[agreement] int8: greedy common prefix (of 16) per prompt {agree}; llama gap at the split {gaps} nats; "
              f"llama's own greedy continuation minus CT2's, nats/token {fits}")
    assert all(gap < 1.0 for gap in gaps), gaps
    # where the prefix is shared depends on the CPU's int8 kernels (1-16 tokens on one machine, 0-2 on another);
    # what must hold everywhere is that llama finds CT2's whole continuation about as likely as its own
    assert all(fit < 0.6 for fit in fits), fits


def test_float32_compute_agrees_more_closely(default_model_path, llama_engine, capsys):
    """Without activation quantization (compute_type float32) the splits are rarer or even closer ties."""
    from drifttui.engine._ct2 import CT2Engine

    with CT2Engine(default_model_path, n_ctx=1024, compute_type="float32", prefetch=False) as exact:
        agree, gaps = _agreement(exact, llama_engine)
    with capsys.disabled():
        print(f"[agreement] float32 compute: common prefix {agree}; llama gap at the split {gaps} nats")
    # llama.cpp's own kernels differ by build: an AVX2 build split at gaps <= 0.28 here, an AVX-512 one at up to 0.51
    assert all(gap < 0.6 for gap in gaps), gaps


def test_logprobs_of_a_fixed_reply_correlate_with_llama(ct2_engine, llama_engine, capsys):
    replies = [
        "I'm Mara. I fix teeth in Lisbon, and Olive, my cat, judges me every evening. I prefer books to people.",
        "The capital of France is Paris, a city on the Seine.",
    ]
    corr = []
    for reply, messages in zip(replies, PROMPTS[:2]):
        ours = ct2_engine.logprobs(messages, reply)
        theirs = llama_engine.logprobs(messages, reply)
        assert ours.tokens == theirs.tokens
        corr.append(float(np.corrcoef(ours.logprobs, theirs.logprobs)[0, 1]))
        assert abs(ours.mean - theirs.mean) < 0.35
    with capsys.disabled():
        print(f"[agreement] log-prob correlation ct2 vs llama: {np.round(corr, 4).tolist()}")
    assert min(corr) > 0.95


# ------------------------------------------------------------ CT2 behaviour
def test_break_out_of_a_stream_returns_within_200ms(ct2_engine):
    gen = ct2_engine.stream(CHAT, SamplingParams(max_tokens=300, seed=5, temperature=1.0))
    it = iter(gen)
    for i, _piece in enumerate(it):
        if i == 3:
            break
    started = time.perf_counter()
    it.close()
    assert time.perf_counter() - started < 0.2
    # the engine is usable right after
    assert ct2_engine.stream(CHAT, SamplingParams(max_tokens=4, seed=1)).result().n_tokens > 0


def test_cancel_from_another_thread_returns_within_200ms(ct2_engine):
    cancel = CancelToken()
    gen = ct2_engine.stream(CHAT, SamplingParams(max_tokens=400, seed=9, temperature=1.0), cancel=cancel)
    stamp: list[float] = []
    timer = threading.Timer(0.5, lambda: (stamp.append(time.perf_counter()), cancel.cancel()))
    timer.start()
    reply = gen.result()
    ended = time.perf_counter()
    timer.join()
    assert reply.finish_reason == "cancelled"
    assert ended - stamp[0] < 0.2


def test_seeds_reproduce_across_many_calls(ct2_engine):
    params = SamplingParams(max_tokens=20, temperature=1.0, seed=21)
    first = ct2_engine.stream(CHAT, params).result().text
    ct2_engine.sample(CHAT, 3, params.with_seed(5))  # other sampled calls in between
    ct2_engine.stream(CHAT, params.with_seed(99)).result()
    assert ct2_engine.stream(CHAT, params).result().text == first
    assert ct2_engine.sample(CHAT, 1, params)[0].text == first, "sample(n=1, seed) == stream(seed)"
    batch_a = [r.text for r in ct2_engine.sample(CHAT, 3, params)]
    batch_b = [r.text for r in ct2_engine.sample(CHAT, 3, params)]
    assert batch_a == batch_b


def test_sample_in_waves_and_prompt_evaluated_once_per_batch(default_model_path):
    from drifttui.engine._ct2 import CT2Engine

    with CT2Engine(default_model_path, n_ctx=1024, n_parallel=3, prefetch=False) as eng:
        replies = eng.sample(CHAT, 5, SamplingParams(max_tokens=8, seed=3))
        assert [r.seed for r in replies] == [3, 4, 5, 6, 7]
        prompt = eng.count_tokens(CHAT)
        assert [r.prompt_evaluated for r in replies] == [prompt, 0, 0, prompt, 0]
        assert all(r.prompt_tokens == prompt for r in replies)


def test_slots_are_checked_and_probe_leaves_nothing_behind(ct2_engine):
    with pytest.raises(KeyError):
        ct2_engine.stream(CHAT, SamplingParams(max_tokens=2), slot="nope").result()
    a = ct2_engine.probe(CHAT, "How old are you?", SamplingParams(max_tokens=12, temperature=0), slot="plain")
    b = ct2_engine.probe(CHAT, "How old are you?", SamplingParams(max_tokens=12, temperature=0), slot="main")
    assert a.text == b.text and a.text


def test_warmed_prefix_cache_saves_evaluation_and_keeps_replies(default_model_path):
    """The next turn evaluates only its new tokens; a cache hit gives the same reply as a full evaluation."""
    from drifttui.engine._ct2 import CT2Engine

    params = SamplingParams(max_tokens=16, seed=4)
    with CT2Engine(default_model_path, n_ctx=1024) as eng, CT2Engine(default_model_path, n_ctx=1024, reuse_prefix=False) as cold:
        assert eng.caches_prefix and not cold.caches_prefix
        first = eng.stream(CHAT, params).result()
        follow = [*CHAT, Message("assistant", first.text), Message("user", "And what is your cat's name?")]
        eng.wait_ready()
        hot = eng.stream(follow, params).result()
        assert hot.prompt_evaluated < 30 < hot.prompt_tokens, (hot.prompt_evaluated, hot.prompt_tokens)
        assert eng.stats["prefix_hits"] >= 1
        full = cold.stream(follow, params).result()
        assert full.prompt_evaluated == full.prompt_tokens
        assert hot.text == full.text
        # a regenerated reply (same prompt) also hits the cache
        eng.wait_ready()
        again = eng.stream(follow, params.with_seed(5)).result()
        assert again.prompt_evaluated <= 2


def test_context_window_is_enforced(ct2_engine):
    from drifttui.errors import EngineError

    huge = [Message("user", "word " * 5000)]
    with pytest.raises(EngineError, match="context window"):
        ct2_engine.stream(huge, SamplingParams(max_tokens=4)).result()
    lp = ct2_engine.logprobs(CHAT, "ok " * 3000)
    assert len(lp.logprobs) == ct2_engine.info.n_ctx - ct2_engine.count_tokens(CHAT)
