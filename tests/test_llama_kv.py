"""llama.cpp engine, one llama context (``read_slots=()``: the scorer's slots stay in it): a full KV cache evicts the stalest slot instead of failing."""

from __future__ import annotations

import numpy as np

from drifttui.engine import Message, SamplingParams
from drifttui.engine._llama import LlamaEngine


def _history(tag: str, n: int) -> list[Message]:
    out = [Message("system", f"You are {tag}, a dentist in Lisbon.")]
    for i in range(n):
        out += [Message("user", f"{tag} question {i}: how was the clinic today?"), Message("assistant", f"Fine. Teeth. Day {i}.")]
    return out + [Message("user", "And now?")]


def test_slots_share_a_small_cache_by_evicting_the_stalest(default_model_path):
    small = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, kv_cells=600, n_parallel=2, slots=("main", "plain", "score"))
    roomy = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, n_parallel=2, slots=("main", "plain", "score"))
    a, b, c = _history("Mara", 8), _history("Olive", 8), _history("Viktor", 8)
    assert small.count_tokens(a) > 250
    reply = "Mm. The usual: fillings, floss lectures and one brave child."
    results = []
    for engine in (small, roomy):
        values = [engine.logprobs(h, reply, slot=s).logprobs for h, s in ((a, "main"), (b, "plain"), (c, "score"), (a, "main"))]
        results.append(values)
    assert small.stats.get("evicted", 0) > 0
    assert roomy.stats.get("evicted", 0) == 0
    for got, want in zip(*results):
        # the same numbers up to float noise (cells sit elsewhere in the cache, so sums reorder)
        assert got.shape == want.shape
        assert np.corrcoef(got, want)[0, 1] > 0.99
        assert abs(float(got.mean() - want.mean())) < 0.1
    # generation still works after evictions, in every slot
    for h, s in ((a, "main"), (b, "plain")):
        assert small.stream(h, SamplingParams(max_tokens=8, seed=1), slot=s).result().n_tokens > 0
    small.close()
    roomy.close()


def test_scoring_while_streaming_survives_a_small_cache(default_model_path):
    """Riders (contexts scored while a reply streams) in a KV pool too small for everything at once."""
    small = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, kv_cells=600, n_parallel=2, slots=("main", "score", "score-plain"))
    roomy = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, n_parallel=2, slots=("main", "score", "score-plain"))
    for tag in ("Mara", "Olive", "Viktor"):
        chat = _history(tag, 8)
        contexts = [("score", chat), ("score-plain", chat[1:])]  # two long contexts: the pool cannot hold them and the chat
        reply = small.stream(chat, SamplingParams(max_tokens=24, seed=3), measure=contexts).result()
        assert reply.n_tokens > 0 and reply.text
        for slot, context in contexts:
            got = small.logprobs(context, reply.text, slot=slot).logprobs
            want = roomy.logprobs(context, reply.text, slot=slot).logprobs
            assert got.shape == want.shape
            assert abs(float(got.mean() - want.mean())) < 0.1
    assert small.stats.get("evicted", 0) > 0
    small.close()
    roomy.close()


def test_a_cancelled_stream_leaves_its_riders_consistent(default_model_path):
    from drifttui.engine import CancelToken

    engine = LlamaEngine(default_model_path, read_slots=(), n_ctx=1024, n_parallel=1)
    chat = _history("Ines", 2)
    contexts = [("score", [chat[0], chat[-1]]), ("score-plain", [chat[-1]])]
    cancel = CancelToken()
    generation = engine.stream(chat, SamplingParams(max_tokens=200, seed=5), cancel=cancel, measure=contexts)
    pieces = []
    for piece in generation:
        pieces.append(piece)
        if len(pieces) == 6:
            cancel.cancel()
    assert generation.reply.finish_reason == "cancelled"
    kept = generation.reply.text
    assert kept
    before = engine.stats["prompt_evaluated"]
    values = [engine.logprobs(context, kept, slot=slot).logprobs for slot, context in contexts]
    assert engine.stats["prompt_evaluated"] - before <= 4
    engine.reset()
    for (slot, context), got in zip(contexts, values):
        want = engine.logprobs(context, kept, slot=slot).logprobs
        assert got.shape == want.shape and abs(float(got.mean() - want.mean())) < 0.1
    engine.close()


def test_a_capped_rider_stops_after_its_tokens_and_its_score_is_cached(default_model_path):
    """``measure`` entries with a token cap ride along for that many reply tokens only; ``logprobs`` with the cap then evaluates nothing."""
    engine = LlamaEngine(default_model_path, read_slots=(), n_ctx=1024, n_parallel=1)
    chat = [*_history("Ines", 2)[:-1], Message("user", "Tell me, in detail, about your whole week at the clinic, day by day.")]
    context = [chat[0], chat[-1]]
    prompt_len = engine.count_tokens(context)
    reply = engine.stream(chat, SamplingParams(max_tokens=40, seed=5, temperature=0.0), measure=[("score", context, 8)]).result()
    assert reply.n_tokens > 12  # the reply went on after the rider stopped
    assert len(engine.slot_tokens("score")) == prompt_len + 8
    before = engine.stats["prompt_evaluated"]
    capped = engine.logprobs(context, reply.text, slot="score", max_tokens=8)
    assert engine.stats["prompt_evaluated"] - before <= 2  # at most a re-split last token
    assert len(capped.logprobs) == 8
    full = engine.logprobs(context, reply.text, slot="score")  # extends the cached eight
    assert len(full.logprobs) > 12
    assert capped.tokens == full.tokens[:8]
    np.testing.assert_allclose(capped.logprobs, full.logprobs[:8], atol=0.05)
    engine.reset()
    fresh = engine.logprobs(context, reply.text, slot="score", max_tokens=8)
    np.testing.assert_allclose(capped.logprobs, fresh.logprobs, atol=0.1)  # scored while streaming = scored afterwards
    engine.close()


def test_the_two_scoring_contexts_decode_in_one_batch(default_model_path):
    """``logprobs_in`` decodes the reply in both scoring contexts in one ``llama_decode`` and reads no prompt token twice."""
    engine = LlamaEngine(default_model_path, read_slots=(), n_ctx=1024, n_parallel=1)
    fresh = LlamaEngine(default_model_path, read_slots=(), n_ctx=1024, n_parallel=1)
    persona = [Message("system", "You are Ines, a dentist in Lisbon."), Message("user", "Hello.")]
    plain = [Message("user", "Hello.")]
    contexts = [("score", persona, 32), ("score-plain", plain, 32)]
    engine.logprobs_in(contexts, "Yes.")  # the prompts are cached, as after a chat's first turn
    calls = []
    run = engine._run_decode
    engine._run_decode = lambda batch: calls.append(batch.n_tokens) or run(batch)
    for reply in ("Oh, it's you. Open wide, and mind the drill.", "Of course! I would be happy to help you with anything you need today."):
        calls.clear()
        n = len(engine.reply_tokens(reply))
        before = engine.stats["prompt_evaluated"]
        got = engine.logprobs_in(contexts, reply)
        assert calls == [2 * n], "one batch holding both contexts' reply tokens"
        assert engine.stats["prompt_evaluated"] - before == 2 * n, "the prompts' last logits were kept, not re-read"
        fresh.reset()
        for result, (slot, context, cap) in zip(got, contexts):
            want = fresh.logprobs(context, reply, slot=slot, max_tokens=cap)
            assert result.tokens == want.tokens
            assert abs(float(result.logprobs.mean() - want.logprobs.mean())) < 0.06
            assert np.corrcoef(result.logprobs, want.logprobs)[0, 1] > 0.98
    # the same slot twice: one after the other, each right
    a, b = engine.logprobs_in([("score", persona), ("score", plain)], "Hello there.")
    assert np.allclose(a.logprobs, engine.logprobs(persona, "Hello there.", slot="score").logprobs, atol=0.06)
    assert np.allclose(b.logprobs, engine.logprobs(plain, "Hello there.", slot="score").logprobs, atol=0.06)
    engine.close()
    fresh.close()


def test_contexts_too_big_to_batch_together_are_scored_one_after_the_other(default_model_path):
    """A KV pool that holds each scoring context but not both: ``logprobs_in`` still gives every number right."""
    small = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, kv_cells=600, n_parallel=1, slots=("main", "score", "score-plain"))
    roomy = LlamaEngine(default_model_path, read_slots=(), n_ctx=512, n_parallel=1, slots=("main", "score", "score-plain"))
    reply = "Mm. The usual: fillings, floss lectures and one brave child who bit me."
    for tag in ("Mara", "Olive", "Mara"):
        chat = _history(tag, 11)
        contexts = [("score", chat), ("score-plain", chat[1:])]
        assert 300 < small.count_tokens(chat[1:]) and small.count_tokens(chat) < 420
        got = small.logprobs_in(contexts, reply)
        want = roomy.logprobs_in(contexts, reply)
        for g, w in zip(got, want):
            assert g.tokens == w.tokens and np.all(np.isfinite(g.logprobs))
            assert abs(float(g.logprobs.mean() - w.logprobs.mean())) < 0.1
    assert small.stats.get("evicted", 0) > 0
    small.close()
    roomy.close()
