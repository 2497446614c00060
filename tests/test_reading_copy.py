"""The bundled model's reading copy: where BF16 reads log-probs faster, the scorer's slots read from it.

Generation stays on the Q8_0 copy; the scorer's two slots (``score``, ``score-plain``) live
in a second llama context on the BF16 copy, loaded when first read. Which copy is used
depends on the CPU (``_recode.reading_encoding``), so these tests force it with
``DRIFTTUI_READ_ENCODING`` and run on any machine (BF16 is slower on an AVX2-only build,
never wrong).
"""

from __future__ import annotations

import argparse

import numpy as np
import pytest

from drifttui.engine import Message, SamplingParams
from drifttui.engine import _recode
from drifttui.engine._llama import LlamaEngine
from drifttui.errors import UserError

pytestmark = pytest.mark.model

PERSONA = [Message("system", "You are Mara, a 34-year-old fisherwoman from Tromsø. Blunt, dry, never chirpy."), Message("user", "Hello.")]
PLAIN = [Message("user", "Hello.")]
CONTEXTS = [("score", PERSONA, 32), ("score-plain", PLAIN, 32)]
REPLIES = [
    "Och, the harbour's been quiet all week. I mended nets and watched the gulls fight over scraps.",
    "Of course! I'd be happy to help you with that. Here are some tips for planning your trip.",
    "Cod again. Always cod. My brother says I smell of the sea, and he's right, the swine.",
    "As an AI language model, I don't have personal experiences, but I can share some information.",
    "Storm's coming in from the west. I'll tie the boat twice and sit by the stove with my cat.",
    "Tromsø in winter is dark by two. You get used to it, or you leave. I stayed.",
]


@pytest.fixture(scope="module")
def copies(default_model_path, tmp_path_factory):
    """The Q8_0 and BF16 copies, and an F16 one (the shipped weights to within 0.003 nats/token) to compare against."""
    folder = tmp_path_factory.mktemp("copies")
    return {enc: _recode.recode(default_model_path, folder / f"smol-{enc}.gguf", enc) for enc in ("q8_0", "bf16", "f16")}


@pytest.fixture
def reading(copies, monkeypatch):
    """The engine's copies are the module's; the reading copy is BF16, whatever this CPU is."""
    monkeypatch.setattr(_recode, "recoded_path", lambda encoding=_recode.ENCODING: copies[encoding])
    monkeypatch.setenv(_recode.READ_ENV, "bf16")
    return copies


def _read(path, replies=REPLIES):
    engine = LlamaEngine(path, n_ctx=1024, n_parallel=1, recode=False)
    try:
        return [engine.logprobs_in(CONTEXTS, reply) for reply in replies]
    finally:
        engine.close()


def test_bf16_reads_the_shipped_model_more_closely_than_q8_0(copies):
    f16, bf16, q8 = (_read(copies[enc]) for enc in ("f16", "bf16", "q8_0"))

    def distance(results):
        return float(np.mean([np.abs(a.logprobs - b.logprobs).mean() for got, want in zip(results, f16) for a, b in zip(got, want)]))

    near, far = distance(bf16), distance(q8)
    assert near < 0.05, near  # measured: 0.017 nats/token from float32 compute (Q8_0: 0.097)
    assert near < far / 2, (near, far)
    gaps = {name: [r[0].logprobs.mean() - r[1].logprobs.mean() for r in results] for name, results in (("f16", f16), ("bf16", bf16))}
    assert np.corrcoef(gaps["f16"], gaps["bf16"])[0, 1] > 0.99


def test_the_scorers_slots_read_from_the_reading_copy_and_generation_does_not(default_model_path, reading):
    engine = LlamaEngine(default_model_path, n_ctx=1024, n_parallel=1)
    q8_only = LlamaEngine(reading["q8_0"], n_ctx=1024, n_parallel=1, recode=False)
    try:
        assert engine.info.weights_path == str(reading["q8_0"])
        assert engine.info.reading_weights == str(reading["bf16"])
        assert engine._reader is None  # loaded when first read

        want = _read(reading["bf16"], REPLIES[:2])
        before = engine.stats["prompt_evaluated"]
        got = [engine.logprobs_in(CONTEXTS, reply) for reply in REPLIES[:2]]
        assert engine._reader is not None
        assert engine.stats["prompt_evaluated"] > before  # the reading context counts in the engine's stats
        for pair, wanted in zip(got, want):
            for a, b in zip(pair, wanted):
                assert a.tokens == b.tokens
                np.testing.assert_allclose(a.logprobs, b.logprobs, atol=1e-4)
        # the slots' caches are in the reading context; the engine's own stay empty
        assert engine.slot_tokens("score") and not engine._slots["score"].tokens

        # both contexts still decode as one batch there
        calls = []
        run = engine._reader._run_decode
        engine._reader._run_decode = lambda batch: calls.append(batch.n_tokens) or run(batch)
        engine.logprobs_in(CONTEXTS, REPLIES[2])
        assert calls == [2 * min(32, len(engine.reply_tokens(REPLIES[2])))]

        # a read on another slot stays on the generation weights
        main = engine.logprobs(PERSONA, REPLIES[0], slot="main")
        np.testing.assert_allclose(main.logprobs, q8_only.logprobs(PERSONA, REPLIES[0], slot="main").logprobs, atol=1e-4)

        # generation is the Q8_0 copy's, reply for reply; riders on read slots are dropped, not run on other weights
        chat = [PERSONA[0], Message("user", "How was the sea today?")]
        params = SamplingParams(max_tokens=24, seed=5)
        held = engine.slot_tokens("score")
        reply = engine.stream(chat, params, measure=CONTEXTS).result()
        assert reply.text == q8_only.stream(chat, params).result().text
        assert engine.slot_tokens("score") == held and not engine._slots["score"].tokens

        engine.reset("score")
        assert engine.slot_tokens("score") == [] and engine.slot_tokens("score-plain")
    finally:
        engine.close()
        engine.close()  # twice is harmless
        q8_only.close()


def test_an_engine_that_only_reads_opens_the_reading_copy_alone(default_model_path, reading, monkeypatch):
    """`drifttui score` (no probes) asks for the scorer's slots and nothing that generates: one context, on the copy."""
    engine = LlamaEngine(default_model_path, n_ctx=1024, n_parallel=0, slots=("score", "score-plain"))
    try:
        assert engine.info.weights_path == str(reading["bf16"]) and engine.info.reading_weights == ""
        got = [engine.logprobs_in(CONTEXTS, reply) for reply in REPLIES[:2]]
        assert engine._reader is None and engine._slots["score"].tokens
        for pair, wanted in zip(got, _read(reading["bf16"], REPLIES[:2])):
            for a, b in zip(pair, wanted):
                np.testing.assert_allclose(a.logprobs, b.logprobs, atol=1e-4)
    finally:
        engine.close()
    # a slot that can generate, or room to sample, keeps generation on the Q8_0 copy
    for options in ({"n_parallel": 1, "slots": ("score", "score-plain")}, {"n_parallel": 0, "slots": ("main", "score")}):
        engine = LlamaEngine(default_model_path, n_ctx=512, **options)
        try:
            assert engine.info.weights_path == str(reading["q8_0"]) and engine.info.reading_weights == str(reading["bf16"])
        finally:
            engine.close()

    from drifttui.commands import score

    opened = []
    monkeypatch.setattr("drifttui.engine.open_engine", lambda model=None, **options: opened.append(options) or LlamaEngine(default_model_path, **options))
    transcript = default_model_path.parent / "never-written.jsonl"
    monkeypatch.setattr(score, "read_transcript", lambda path: [(0, "assistant", REPLIES[0])])
    parser = argparse.ArgumentParser()
    score.register(parser.add_subparsers())
    for probe_every, only_reads in ((0, True), (2, False)):
        args = parser.parse_args(["score", str(transcript), "--json", "--no-embedder", "--probe-every", str(probe_every)])
        opened.clear()
        assert score.run(args) == 0
        assert (opened[0].get("n_parallel") == 0) is only_reads, opened


def test_one_copy_when_asked_or_when_bf16_is_not_faster(default_model_path, reading, monkeypatch):
    for setting in ("q8_0", "Q8_0 "):
        monkeypatch.setenv(_recode.READ_ENV, setting)
        assert _recode.reading_weights(default_model_path) is None
    monkeypatch.delenv(_recode.READ_ENV)
    monkeypatch.setattr("drifttui.engine._selfcheck.cpu_features", lambda: "SSE3 AVX AVX2 F16C FMA BMI2 LLAMAFILE")
    assert _recode.reading_encoding() == "q8_0"
    monkeypatch.setattr("drifttui.engine._selfcheck.cpu_features", lambda: "AVX2 AVX512 AVX512_VNNI LLAMAFILE")
    assert _recode.reading_encoding() == "bf16"  # measured x1.27 over Q8_0 without AVX512_BF16, x1.67-1.74 with it
    monkeypatch.setattr("drifttui.engine._selfcheck.cpu_features", lambda: "AVX2 AVX512 AVX512_VNNI AVX512_BF16 LLAMAFILE")
    assert _recode.reading_encoding() == "bf16"
    assert _recode.reading_weights(default_model_path) == reading["bf16"]
    engine = LlamaEngine(default_model_path, n_ctx=512, n_parallel=1, read_slots=())  # the app's --score-while-streaming
    try:
        assert engine.info.reading_weights == ""
        engine.logprobs_in(CONTEXTS, REPLIES[0])
        assert engine._reader is None and engine._slots["score"].tokens
    finally:
        engine.close()
    monkeypatch.setenv(_recode.ENV_SWITCH, "0")  # the shipped file for everything
    assert _recode.reading_weights(default_model_path) is None


def test_other_models_have_no_reading_copy(default_model_path, reading, tmp_path):
    import shutil

    other = tmp_path / "mine.gguf"
    shutil.copyfile(default_model_path, other)
    assert _recode.reading_weights(other) is None
    assert _recode.existing_reading_copy(other) is None
    assert _recode.existing_reading_copy(default_model_path) == reading["bf16"]


def test_a_bad_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(_recode.READ_ENV, "q4")
    with pytest.raises(UserError, match=r"DRIFTTUI_READ_ENCODING='q4' is not an encoding .* \(use one of q8_0, bf16, f16, or unset it\)"):
        _recode.reading_encoding()


def test_a_bad_setting_exits_2_with_one_line(tmp_path, monkeypatch, capsys):
    from drifttui.cli import main

    transcript = tmp_path / "t.jsonl"
    transcript.write_text('{"role": "user", "content": "Hi"}\n{"role": "assistant", "content": "Hello, dear."}\n')
    monkeypatch.setenv(_recode.READ_ENV, "fast")
    assert main(["score", str(transcript)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drifttui: error: DRIFTTUI_READ_ENCODING='fast'") and err.count("\n") == 1 and "Traceback" not in err


def test_a_damaged_reading_copy_is_dropped_and_reading_falls_back(default_model_path, copies, tmp_path, monkeypatch):
    damaged = tmp_path / "smol-bf16.gguf"
    damaged.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\0" * 256)  # a GGUF header and nothing after it
    paths = {**copies, "bf16": damaged}
    monkeypatch.setattr(_recode, "recoded_path", lambda encoding=_recode.ENCODING: paths[encoding])
    monkeypatch.setenv(_recode.READ_ENV, "bf16")
    engine = LlamaEngine(default_model_path, n_ctx=1024, n_parallel=1)
    try:
        assert engine.info.reading_weights == str(damaged)
        got = engine.logprobs_in(CONTEXTS, REPLIES[0])
        assert engine._reader is None and engine.info.reading_weights == ""
        want = _read(copies["q8_0"], REPLIES[:1])[0]
        for a, b in zip(got, want):
            np.testing.assert_allclose(a.logprobs, b.logprobs, atol=1e-4)
    finally:
        engine.close()
    assert not damaged.exists()  # made again on the next load
