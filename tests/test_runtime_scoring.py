"""The live chat's scoring path on the real default model: scored while it streams, or after."""

from __future__ import annotations

import pytest

from drifttui.conversation import Conversation
from drifttui.engine import Message, SamplingParams, open_engine
from drifttui.persona import default_persona
from drifttui.runtime import ChatRuntime, RuntimeOptions

pytestmark = pytest.mark.model


@pytest.mark.parametrize("while_streaming", [True, False])
def test_full_scores_after_a_streamed_reply(llama_engine, default_model_path, while_streaming):
    options = RuntimeOptions(record=False, probe_every=0, score_while_streaming=while_streaming)
    if while_streaming:  # the runtime opens its engine with one set of weights for the riders (its _default_engine)
        llama_engine = open_engine(default_model_path, n_ctx=2048, read_slots=())
    runtime = ChatRuntime(Conversation(default_persona()), options, engine_factory=lambda: llama_engine)
    runtime.load()
    assert runtime.scorer is not None and runtime.scorer_uses_model
    for slot in ("score", "score-plain"):  # the other case's reply may share a prefix with this one
        llama_engine.reset(slot)
    history = [Message("user", "What did you have for breakfast today?")]
    messages = [runtime.conversation.system_message(), *history]
    reply, _swipe = runtime.generate(messages, seed=11)
    assert reply.n_tokens > 5
    before = llama_engine.stats["prompt_evaluated"]
    scores = runtime.score(history, reply.text, 1)
    evaluated = llama_engine.stats["prompt_evaluated"] - before
    assert all(0.0 <= scores[k] <= 1.0 for k in ("local", "global", "factual"))
    if while_streaming:
        assert evaluated <= 4  # both contexts were extended token by token during the stream
    else:
        assert evaluated >= 2 * reply.n_tokens  # the reply is read in both contexts afterwards
    llama_engine.stream(messages, SamplingParams(max_tokens=0)).result()  # leave the shared engine usable
    if while_streaming:
        llama_engine.close()


@pytest.mark.parametrize("while_streaming", [True, False])
def test_scoring_while_streaming_opens_the_engine_with_one_copy(monkeypatch, while_streaming):
    """Riders decode in the stream's own context, so the scorer's slots must not move to a reading copy."""
    opened = []
    monkeypatch.setattr("drifttui.engine.open_engine", lambda model, engine, **options: opened.append(options))
    options = RuntimeOptions(record=False, probe_every=0, score_while_streaming=while_streaming)
    ChatRuntime(Conversation(default_persona()), options)._default_engine()
    assert ("read_slots" in opened[0]) == while_streaming
    assert opened[0].get("read_slots", None) in ((), None)


def test_a_prepared_scorer_reads_only_the_first_replys_tokens(default_model_path):
    """``prepare_scorer`` (run after loading, in the TUI's load worker) leaves the first turn only its reply to read."""
    from drifttui.drift.likelihood import GAP_TOKENS

    engine = open_engine(default_model_path, n_ctx=1024)
    try:
        runtime = ChatRuntime(Conversation(default_persona()), RuntimeOptions(record=False, probe_every=0), engine_factory=lambda: engine)
        runtime.load()
        before = engine.stats["prompt_evaluated"]
        runtime.prepare_scorer()
        warmed = engine.stats["prompt_evaluated"] - before
        assert warmed > 2 * GAP_TOKENS  # both contexts' prompts: the persona's system prompt and the model's own
        history = [Message("user", "What do you do all day?")]
        reply = "Fix teeth, mostly. Two chairs, one drill, and a cat who thinks the X-ray printer is a bed."
        before = engine.stats["prompt_evaluated"]
        scores = runtime.score(history, reply, 1)
        assert engine.stats["prompt_evaluated"] - before <= 2 * GAP_TOKENS  # the reply's tokens in each context, nothing else
        fresh = ChatRuntime(Conversation(default_persona()), RuntimeOptions(record=False, probe_every=0), engine_factory=lambda: engine)
        fresh.load()
        engine.reset()
        again = fresh.score(history, reply, 1)  # unprepared, from cold caches: the same scores
        for key in ("local", "global", "factual"):
            assert scores[key] == pytest.approx(again[key], abs=0.02), key
    finally:
        engine.close()


def test_engine_options_ask_for_one_copy_only_of_the_llama_engine():
    riding = RuntimeOptions(score_while_streaming=True, threads=3)
    assert riding.engine_options() == {"threads": 3, "read_slots": ()}
    assert riding.engine_options("ct2") == {"threads": 3}  # CTranslate2 has no reading copy (and no such option)
    assert RuntimeOptions(score_while_streaming=True, engine="ct2").engine_options() == {}
    assert RuntimeOptions().engine_options() == {}
