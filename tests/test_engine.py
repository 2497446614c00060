"""The engine protocol, exercised on the real default model (every engine in conftest.ENGINES)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from drifttui.engine import CancelToken, Message, SamplingParams

SYSTEM = Message(
    "system",
    "You are Mara Silva, a 34-year-old dentist in Lisbon with a grey cat named Olive. "
    "You are introverted and dry. Stay in character.",
)
CHAT = [SYSTEM, Message("user", "Hi! Who are you and what do you do?")]


def test_stream_yields_pieces_that_make_the_reply(engine):
    gen = engine.stream(CHAT, SamplingParams(max_tokens=40, seed=3))
    pieces = list(gen)
    reply = gen.reply
    assert reply is not None
    assert len(pieces) > 1, "a reply arrives as several pieces, not one block"
    assert "".join(pieces).strip() == reply.text
    assert reply.n_tokens > 0 and reply.finish_reason in ("stop", "length")
    assert reply.prompt_tokens == engine.count_tokens(CHAT)


def test_same_seed_same_reply_other_seed_other_reply(engine):
    params = SamplingParams(max_tokens=40, seed=11, temperature=0.9)
    first = engine.stream(CHAT, params).result()
    again = engine.stream(CHAT, params).result()
    other = [engine.stream(CHAT, params.with_seed(s)).result().text for s in (12, 13, 14)]
    assert first.text == again.text
    assert first.seed == again.seed == 11
    assert any(text != first.text for text in other)


def test_cancel_mid_stream_stops_at_once(engine):
    cancel = CancelToken()
    gen = engine.stream(CHAT, SamplingParams(max_tokens=200, seed=5, temperature=1.0), cancel=cancel)
    seen_after_cancel = 0
    for i, _piece in enumerate(gen):
        if cancel.cancelled:
            seen_after_cancel += 1
        if i == 3:
            cancel.cancel()
    assert gen.reply.finish_reason == "cancelled"
    assert seen_after_cancel <= 1
    assert gen.reply.n_tokens < 10


def test_cancel_from_another_thread_during_prompt_evaluation(engine):
    """A cancel that lands while a long prompt is still being read stops before any token."""
    long_history = [SYSTEM]
    for i in range(30):
        long_history += [Message("user", f"Tell me about day {i} at the clinic."), Message("assistant", "Mm. Teeth. " * 8)]
    long_history.append(Message("user", "And today?"))
    cancel = CancelToken()
    cancel.cancel()
    reply = engine.stream(long_history, SamplingParams(max_tokens=50, seed=1), cancel=cancel, slot="plain").result()
    assert reply.finish_reason == "cancelled"
    assert reply.n_tokens == 0
    timer = threading.Timer(0.05, (cancel2 := CancelToken()).cancel)
    timer.start()
    reply2 = engine.stream(long_history, SamplingParams(max_tokens=400, seed=1), cancel=cancel2, slot="plain").result()
    timer.join()
    assert reply2.finish_reason == "cancelled"


def test_sample_n_alternatives_share_one_prompt_evaluation(engine):
    n = 4
    seen = []
    replies = engine.sample(CHAT, n, SamplingParams(max_tokens=30, seed=100), on_reply=lambda i, r: seen.append(i))
    assert len(replies) == n
    assert sorted(seen) == list(range(n))
    assert [r.seed for r in replies] == [100, 101, 102, 103]
    assert len({r.text for r in replies}) > 1, "different seeds should give different characters"
    assert all(r.text and r.n_tokens > 0 for r in replies)
    assert sum(r.prompt_evaluated for r in replies) <= replies[0].prompt_tokens


def test_sample_reproduces_by_seed(engine):
    a = engine.sample(CHAT, 2, SamplingParams(max_tokens=24, seed=7))
    b = engine.sample(CHAT, 2, SamplingParams(max_tokens=24, seed=7))
    assert [r.text for r in a] == [r.text for r in b]


def test_logprobs_of_a_given_reply(engine):
    reply = "I fix teeth in Lisbon. Olive, my cat, judges me every evening."
    lp = engine.logprobs(CHAT, reply)
    assert len(lp.tokens) == len(lp.logprobs) > 5
    assert "".join(lp.tokens).strip() == reply
    assert np.all(lp.logprobs <= 0) and np.all(np.isfinite(lp.logprobs))
    again = engine.logprobs(CHAT, reply)
    assert np.allclose(lp.logprobs, again.logprobs, atol=1e-3)
    gibberish = engine.logprobs(CHAT, "Purple quantum spatula xylophone borrowed nine ledgers.")
    assert lp.mean > gibberish.mean, "an on-topic reply is likelier than word salad"


def test_logprobs_of_the_first_tokens_only(engine):
    reply = "I fix teeth in Lisbon. Olive, my cat, judges me every evening."
    full = engine.logprobs(CHAT, reply)
    head = engine.logprobs(CHAT, reply, max_tokens=5)
    assert head.tokens == full.tokens[:5]
    assert np.allclose(head.logprobs, full.logprobs[:5], atol=0.05)
    assert engine.logprobs(CHAT, reply, max_tokens=0).tokens == []


def test_logprobs_in_several_contexts_equal_one_call_each(engine):
    """``logprobs_in``: a reply in several contexts at once (the scorer's two), as one ``logprobs`` call each would give."""
    persona = [CHAT[0], Message("user", "Hello.")]
    plain = [Message("user", "Hello.")]
    engine.reset()
    for reply in ("Oh, hello. Mind the drill, it bites.", "Of course! I'd be happy to help you with anything you need."):
        both = engine.logprobs_in([("score", persona, 6), ("score-plain", plain), ("main", CHAT, 0)], reply)
        assert [len(x.tokens) for x in both[:2]] == [6, len(engine.reply_tokens(reply))]
        assert both[2].tokens == [] and both[2].logprobs.shape == (0,)
        for got, (slot, context, cap) in zip(both, (("score", persona, 6), ("score-plain", plain, None))):
            want = engine.logprobs(context, reply, slot=slot, max_tokens=cap)
            assert got.tokens == want.tokens
            np.testing.assert_allclose(got.logprobs, want.logprobs, atol=0.4)  # batch layout moves float sums
            assert abs(float(got.logprobs.mean() - want.logprobs.mean())) < 0.06
    assert engine.logprobs_in([], "Hi.") == []


def test_logprobs_match_what_generation_saw(engine):
    """Greedy tokens are the argmax: each of their log-probs must be the best available (≥ log 1/V)."""
    params = SamplingParams(max_tokens=20, temperature=0, seed=1)
    reply = engine.stream(CHAT, params).result()
    lp = engine.logprobs(CHAT, reply.text)
    assert lp.mean > -1.5, "greedy text should be likely under the same context"


def test_probe_runs_in_a_fork_and_leaves_the_chat_alone(engine):
    if not hasattr(engine, "slot_tokens"):
        pytest.skip("engine keeps no per-slot cache")
    engine.stream(CHAT, SamplingParams(max_tokens=16, seed=2)).result()
    before = engine.slot_tokens("main")
    answer = engine.probe(CHAT, "How old are you?", SamplingParams(max_tokens=24, temperature=0))
    assert answer.text
    assert engine.slot_tokens("main") == before
    # the cached prefix is still used: the next turn evaluates only the new text
    follow = CHAT + [Message("assistant", "Mm."), Message("user", "And your cat?")]
    reply = engine.stream(follow, SamplingParams(max_tokens=8, seed=2)).result()
    assert reply.prompt_evaluated < reply.prompt_tokens / 2


def test_turn_k_does_not_reevaluate_the_history(engine):
    history = [SYSTEM]
    evaluated = []
    for k in range(6):
        history.append(Message("user", f"Question number {k}: what did you have for lunch?"))
        reply = engine.stream(history, SamplingParams(max_tokens=20, seed=k), slot="main").result()
        evaluated.append((reply.prompt_evaluated, reply.prompt_tokens))
        history.append(Message("assistant", reply.text))
    last_evaluated, last_total = evaluated[-1]
    assert last_total > 100
    assert last_evaluated < 40, f"turn 6 re-evaluated {last_evaluated} of {last_total} prompt tokens"


def test_count_tokens_grows_with_messages(engine):
    assert engine.count_tokens(CHAT) < engine.count_tokens(CHAT + [Message("assistant", "Mm. Teeth. Lisbon.")])


def test_generation_continues_after_an_early_break_and_close_abandons_it():
    from drifttui.engine import Generation, Reply

    def pieces():
        for p in ("a", "b", "c"):
            yield p
        return Reply(text="abc", finish_reason="stop", seed=0)

    gen = Generation(pieces())
    for piece in gen:
        assert piece == "a"
        break
    assert gen.result().text == "abc"  # the same stream, not a closed one
    assert list(Generation(pieces())) == ["a", "b", "c"]

    closed = Generation(pieces())
    next(iter(closed))
    closed.close()
    assert closed.reply is None
    with pytest.raises(RuntimeError, match="closed"):
        closed.result()


def test_stream_resumes_after_break_on_the_real_model(engine):
    gen = engine.stream([Message("user", "Say hello.")], SamplingParams(max_tokens=8, seed=1))
    for _ in gen:
        break
    reply = gen.result()
    assert reply.n_tokens >= 1 and reply.text


def test_llama_decodes_on_one_thread_whoever_calls(llama_engine):
    """OpenMP keeps a worker team per calling thread; decoding from one thread keeps one team."""
    seen: list[str] = []
    real = llama_engine._ll

    class Recording:
        def __getattr__(self, name):
            return getattr(real, name)

        def llama_decode(self, ctx, batch):
            seen.append(threading.current_thread().name)
            return real.llama_decode(ctx, batch)

    llama_engine._ll = Recording()
    try:
        workers = [
            threading.Thread(target=lambda: llama_engine.stream([Message("user", "Hi there.")], SamplingParams(max_tokens=4, seed=3)).result()),
            threading.Thread(target=lambda: llama_engine.logprobs([Message("user", "Hi there.")], "Hello, friend.", slot="plain")),
        ]
        for w in workers:
            w.start()
            w.join()
    finally:
        llama_engine._ll = real
    assert seen and len(set(seen)) == 1 and seen[0].startswith("llama-decode")


def test_a_paused_generation_is_closed_on_its_own_thread_and_as_a_context_manager():
    import threading as th

    from drifttui.engine import Generation, Reply

    lock = th.RLock()

    def pieces():
        with lock:
            yield "a"
            yield "b"
        return Reply(text="ab", finish_reason="stop", seed=0)

    def free_elsewhere() -> bool:
        got: list[bool] = []
        t = th.Thread(target=lambda: got.append(lock.acquire(blocking=False) and (lock.release() or True)))
        t.start()
        t.join()
        return got[0]

    with Generation(pieces()) as gen:
        next(iter(gen))
        assert not free_elsewhere()  # a paused stream holds the engine
    assert free_elsewhere()  # leaving the block closed it

    paused = Generation(pieces())
    ready, go = th.Event(), th.Event()

    def worker() -> None:
        next(iter(paused))
        ready.set()
        go.wait(5)
        paused.close()  # on its own thread it closes

    started = th.Thread(target=worker)
    started.start()
    ready.wait(5)
    with pytest.raises(RuntimeError, match="thread that iterated"):
        paused.close()
    go.set()
    started.join()
    assert free_elsewhere()
