"""DriftScorer on the real default model: each score on clear positive and negative cases.

The engine and the embedder are loaded once per test session (conftest's
``llama_engine``). Assertions are about behaviour (which reply scores higher,
which evidence is given), never about wall-clock time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drifttui.drift import DriftScorer, Evidence, TurnScore, load_embedder
from drifttui.drift.likelihood import GAP_TOKENS, OPENER
from drifttui.engine import Message, SamplingParams
from drifttui.persona import load_persona

pytestmark = pytest.mark.model

PERSONAS = Path(__file__).parent / "data" / "personas"

# A stretch of chat with Mara (dry, short, no exclamation marks), ending on a user turn.
HISTORY = [
    Message("assistant", "Mm. Come in, sit down."),
    Message("user", "Hi! Nervous about my cleaning today, honestly."),
    Message("assistant", "Most people are. It's mostly scraping and me saying \"open wider.\" You'll survive."),
    Message("user", "How long have you been doing this?"),
    Message("assistant", "Nine years. Long enough to tell who flosses by the way they sit down."),
    Message("user", "So do I look like a flosser?"),
    Message("assistant", "You look like someone who flosses the two days before an appointment. Most people do."),
    Message("user", "What do you do when you're not staring into mouths?"),
    Message("assistant", "Crosswords. Black coffee. Sitting in silence with my cat, who is better company than most people."),
    Message("user", "What's the worst part of your job?"),
]
IN_CHARACTER = "The screaming is fine. It's the people who apologise for their breath for ten minutes that wear me down."
ASSISTANT = (
    "That's a great question! Every job has its challenges. Common difficulties include managing anxious "
    "patients and maintaining work-life balance. Let me know if you'd like more information!"
)
PLAIN_ASSISTANT = (
    "Dentistry can be a demanding profession. Dentists often work long hours, deal with patient anxiety, "
    "and must stay current with new techniques and technologies."
)
EFFUSIVE = "OMG honestly the worst part is saying goodbye to my patients!!! 😭😭 I just love every single one of them SO much, they're like family!!! 💕"
FACTUAL_WRONG = "I'm twenty-eight and I run a clinic. Nobody believes I'm the dentist."
FACTUAL_OK = "I'm thirty-four and still the youngest dentist in Alfama. Nobody believes it."


@pytest.fixture(scope="module")
def persona():
    return load_persona(PERSONAS / "mara.toml", warn=lambda _m: None)


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(notice=None)


@pytest.fixture(scope="module")
def scorer(persona, llama_engine, embedder):
    return DriftScorer(persona, engine=llama_engine, embedder=embedder)


def score(scorer, reply, history=HISTORY) -> TurnScore:
    return scorer.score(history, reply, len(history))


def test_global_separates_assistant_register_from_in_character(scorer):
    ok = score(scorer, IN_CHARACTER)
    bad = score(scorer, ASSISTANT)
    assert ok.global_ < 0.5 <= bad.global_
    assert any("great question" in e.message for e in bad.evidence_for("global"))
    assert bad.components["model.gap"] < ok.components["model.gap"]


def test_global_likelihood_gap_catches_assistant_voice_without_register_phrases(scorer):
    ok = score(scorer, IN_CHARACTER)
    bad = score(scorer, PLAIN_ASSISTANT)
    assert bad.components["global.register"] == 0.0  # no formula to match: the model signal must do it
    assert bad.components["model.gap"] < ok.components["model.gap"]
    assert bad.global_ > ok.global_
    gap_lines = [e for e in bad.evidence_for("global") if "likelihood gap" in e.message]
    assert gap_lines and "plain assistant" in gap_lines[0].message


def test_local_flags_a_voice_break_and_names_what_moved(scorer):
    ok = score(scorer, IN_CHARACTER)
    bad = score(scorer, EFFUSIVE)
    assert ok.local < 0.5 <= bad.local
    lines = [e.message for e in bad.evidence_for("local")]
    assert any("exclamations" in m or "emoji" in m for m in lines), lines
    assert any("turns" in m for m in lines)


def test_factual_contradiction_and_paraphrase(scorer):
    bad = score(scorer, FACTUAL_WRONG)
    ok = score(scorer, FACTUAL_OK)
    assert bad.factual >= 0.9
    assert ok.factual < 0.5  # at most the weak signal's ordering (drifttui.drift.mismatch), never an alarm
    assert not any("contradicts" in e.message for e in ok.evidence_for("factual"))
    assert bad.evidence_for("factual")[0].message.endswith("contradicts fact age=34")


EXPOSITORY = (
    "Tooth sensitivity typically occurs when the enamel wears down and exposes the dentin underneath. "
    "Common causes include aggressive brushing, gum recession and acidic foods, and studies suggest that "
    "desensitising toothpaste can reduce symptoms within a few weeks for many patients."
)


def test_global_catches_expository_assistant_prose(scorer):
    ok = score(scorer, IN_CHARACTER)
    bad = score(scorer, EXPOSITORY)
    assert ok.global_ < 0.5 <= bad.global_
    lines = " ".join(e.message for e in bad.evidence_for("global"))
    assert "studies suggest" in lines or "nobody's voice" in lines, lines


def test_factual_reads_a_short_answer_to_the_question(scorer):
    history = [*HISTORY[:-1], Message("user", "How old are you, if you don't mind me asking?")]
    bad = scorer.score(history, "Twenty-nine come spring. Don't tell my patients.", len(history))
    ok = scorer.score(history, "Thirty-four. Feels older on Mondays.", len(history))
    assert bad.factual >= 0.5 and ok.factual == 0.0
    assert "age=34" in bad.evidence_for("factual")[0].message


def test_local_rises_when_the_persona_turns_on_its_own_stance(scorer):
    ok = score(scorer, "Crosswords, always. Today's took me eleven minutes. Don't tell anyone.")
    bad = score(scorer, "To be honest, crosswords are a waste of time. I stopped doing them.")
    assert bad.local > ok.local
    assert any("change of mind" in e.message for e in bad.evidence_for("local"))


def test_factual_contradiction_of_an_earlier_turn(persona, llama_engine):
    no_siblings = load_persona(PERSONAS / "mara.toml", warn=lambda _m: None)
    no_siblings.facts = {k: v for k, v in persona.facts.items() if k != "siblings"}
    scorer = DriftScorer(no_siblings, engine=None)
    history = [*HISTORY[:-1], Message("user", "Any family?"), Message("assistant", "A sister, Ana. My sister Ana lives in Porto."),
               Message("user", "Do you have siblings?")]  # fmt: skip
    result = scorer.score(history, "No, I'm an only child.", len(history))
    assert result.factual >= 0.5
    line = result.evidence_for("factual")[0]
    assert line.turn == len(history) - 2 and f"turn {len(history) - 2}" in line.message


def test_score_is_pure_swipes_and_rescoring_agree(scorer):
    first = score(scorer, IN_CHARACTER).to_dict()
    score(scorer, ASSISTANT)  # a swipe of the same turn in between
    score(scorer, EFFUSIVE, HISTORY[:6])  # and an unrelated call
    again = score(scorer, IN_CHARACTER).to_dict()
    assert first == again


def test_fresh_scorer_gives_the_same_result(persona, llama_engine, embedder, scorer):
    """A cold cache may change the engine's float rounding, never the verdict.

    How much depends on the CPU's kernels: ≈1e-4 nats/token on some machines, up to ≈0.02 in the
    gap on an AVX-512 one (a prefix evaluated in other batch sizes quantizes activations differently).
    """
    a = score(scorer, ASSISTANT)
    b = score(DriftScorer(persona, engine=llama_engine, embedder=embedder), ASSISTANT)
    for key in ("local", "global_", "factual"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), abs=0.01)
    assert [e.score for e in a.evidence] == [e.score for e in b.evidence]
    assert b.components["model.gap"] == pytest.approx(a.components["model.gap"], abs=0.04)


def test_degrades_without_model_or_embedder_and_says_so(persona):
    lexical = DriftScorer(persona, engine=None, embedder=None)
    result = lexical.score(HISTORY, ASSISTANT, len(HISTORY))
    info = [e.message for e in result.evidence_for("info")]
    assert any("model log-prob signals unavailable" in m for m in info)
    assert any("embedder unavailable" in m for m in info)
    assert result.global_ >= 0.5  # the register alone still catches this one
    assert 0.0 <= result.local <= 1.0


def test_one_evidence_line_per_slip_even_when_two_claims_of_it_break_the_same_fact():
    """"I love yellow hibiscus" reads as two like-claims against "yellow hibiscus (tastes of soap)"; the panel shows it once."""
    tortoise = load_persona(PERSONAS / "ptolemy.toml", warn=lambda _m: None)
    result = DriftScorer(tortoise, engine=None, embedder=None).score(
        [Message("user", "What do you like to eat?")], "I love yellow hibiscus more than anything... the keeper brings them.", 1
    )
    lines = [e.message for e in result.evidence_for("factual")]
    assert result.factual >= 0.5 and len(lines) == 1 and "yellow hibiscus" in lines[0], lines


def test_turn_score_round_trips():
    t = TurnScore(3, 0.1, 0.9, 0.0, [Evidence("global", "global: x", 1, {"a": 1})], {"global.gap": -0.2})
    d = t.to_dict()
    assert set(d) == {"turn", "local", "global", "factual", "evidence", "components"}
    assert TurnScore.from_dict(d).to_dict() == d
    with pytest.raises(ValueError):
        Evidence("nonsense", "x")


def test_probes_run_in_a_fork_and_never_touch_the_chat(scorer, llama_engine, persona):
    messages = [Message("system", persona.system_prompt("full")), *HISTORY]
    llama_engine.stream(messages, SamplingParams(max_tokens=8, seed=1)).result()
    before = llama_engine.slot_tokens("main")
    results = scorer.run_probes(HISTORY)
    assert llama_engine.slot_tokens("main") == before
    assert [r.question for r in results] == [p.question for p in persona.probes]
    assert all(r.answer for r in results)
    again = scorer.run_probes(HISTORY)
    assert [r.answer for r in again] == [r.answer for r in results]  # greedy: the same history, the same answers
    assert 0.0 <= scorer.probe_score(results) <= 1.0
    lines = scorer.probe_evidence(results, turn=10)
    assert lines[-1].score == "probe" and "failed" in lines[-1].message


def test_probe_judge(persona):
    from drifttui.drift.factual import ClaimLedger
    from drifttui.drift.probes import judge_answer

    ledger = ClaimLedger(dict(persona.facts), persona.role, persona.name)
    age = next(p for p in persona.probes if "old" in p.question)
    assert judge_answer(age, "Thirty-four. Why?", ledger)[0]
    assert not judge_answer(age, "I'm 29.", ledger)[0]
    assert not judge_answer(age, "As an AI language model, I don't have an age.", ledger)[0]


def test_quick_scores_skip_the_model_and_match_the_no_model_scorer(scorer, persona, embedder, llama_engine):
    before = llama_engine.stats["prompt_evaluated"]
    quick = scorer.score(HISTORY, ASSISTANT, 10, model=False)
    assert llama_engine.stats["prompt_evaluated"] == before  # no model pass at all
    plain = DriftScorer(persona, engine=None, embedder=embedder).score(HISTORY, ASSISTANT, 10)
    assert (quick.local, quick.global_, quick.factual) == pytest.approx((plain.local, plain.global_, plain.factual))
    assert quick.components["quick"] == 1.0 and "model.gap" not in quick.components
    assert any("quick scores" in e.message for e in quick.evidence)
    assert quick.global_ > 0.5  # the assistant register alone already flags this reply
    assert scorer.score(HISTORY, FACTUAL_WRONG, 10, model=False).factual > 0.5
    full = scorer.score(HISTORY, ASSISTANT, 10)
    assert "model.gap" in full.components and "quick" not in full.components


def test_scoring_while_streaming_leaves_nothing_to_evaluate_and_agrees(persona, llama_engine, embedder, default_model_path):
    """A reply streamed with the scorer's contexts is scored in them as it streams.

    Afterwards the full scores need (almost) no model work, and the log-probs agree with
    scoring the same reply from scratch on a second engine.
    """
    from drifttui.engine import open_engine

    riding = open_engine(default_model_path, engine="llama", n_ctx=2048, read_slots=())  # riders share the stream's weights
    live = DriftScorer(persona, engine=riding, embedder=embedder)
    history = [*HISTORY, Message("user", "Tell me about your morning, then.")]
    contexts = live.model_contexts(history)
    assert [slot for slot, _, _ in contexts] == ["score", "score-plain"]
    assert contexts[0][1][0].role == "system" and contexts[1][1] == [OPENER]
    assert [cap for _, _, cap in contexts] == [GAP_TOKENS, GAP_TOKENS]
    prompt = [Message("system", persona.system_prompt("full")), *history]
    reply = riding.stream(prompt, SamplingParams(max_tokens=GAP_TOKENS + 24, seed=7), measure=contexts).result()
    assert reply.n_tokens > 10
    before = riding.stats["prompt_evaluated"]
    got = live.score(history, reply.text, len(history))
    assert riding.stats["prompt_evaluated"] - before <= 4  # at most a re-split last token per context
    riding.close()
    assert min(reply.n_tokens, GAP_TOKENS) - 2 <= got.components["model.tokens"] <= GAP_TOKENS

    fresh_engine = open_engine(default_model_path, engine="llama", n_ctx=2048, read_slots=())
    try:
        want = DriftScorer(persona, engine=fresh_engine, embedder=embedder).score(history, reply.text, len(history))
    finally:
        fresh_engine.close()
    for key in ("model.persona_lp", "model.plain_lp", "model.gap"):
        assert got.components[key] == pytest.approx(want.components[key], abs=0.05), key  # batch-size float noise only
    assert (got.local, got.global_, got.factual) == pytest.approx((want.local, want.global_, want.factual), abs=0.03)


def test_scorer_without_a_model_asks_for_no_streaming_contexts(persona):
    assert DriftScorer(persona).model_contexts([Message("user", "Hi")]) == []
