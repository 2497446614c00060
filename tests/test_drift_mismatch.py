"""The weak factual signal (drifttui.drift.mismatch) with the real sentence embedder: what a sentence is about, and its details."""

from __future__ import annotations

import pytest

from drifttui.drift import DriftScorer, load_embedder
from drifttui.drift.mismatch import WEIGHT, FactIndex, details
from drifttui.engine import Message
from drifttui.persona import load_persona
from tests.test_drift_scorer import PERSONAS

FACTS = {
    "age": "61",
    "city": "Oban",
    "pet": "Bess, a nine-year-old border collie",
    "siblings": "older brother Donald (75, crofter on Barra)",
    "job": "retired harbour master",
}
BACKSTORY = "Fergus ran the harbour at Oban for thirty years. He sold his boat when he retired."


@pytest.fixture(scope="module")
def embedder():
    emb = load_embedder(notice=None)
    if emb is None:
        pytest.fail("the sentence embedder must load for these tests (scripts/setup.sh converts it)")
    return emb


@pytest.fixture(scope="module")
def index(embedder):
    return FactIndex(FACTS, BACKSTORY, embedder.encode)


def test_details_by_kind():
    d = details("Aye, Bess is fourteen now, a black collie, and Donald still calls her a pup.")
    assert d["number"] == {14} and {"bess", "donald"} <= d["name"] and d["colour"] == {"black"} and d["species"] == {"dog"}
    assert details("I was a nurse in Leeds.")["occupation"] == {"nurse"}
    assert details("It costs £20 and 5% more.")["number"] == frozenset()  # money and percentages are not details of a person


def test_a_sentence_about_a_fact_with_another_detail_is_a_mismatch(index):
    found = index.mismatches("She'll be fourteen come March and the back legs are going on her.", "Does Bess go everywhere with you?")
    assert found and found[0].kind == "number" and found[0].said == (14,) and found[0].expected == (9,)
    assert "Bess" in found[0].fact
    assert found[0].message().startswith("factual (weak):")


def test_names_of_times_are_compared_only_with_names_of_times(embedder):
    family = FactIndex({"siblings": "older brother Donald, a crofter"}, "", embedder.encode)
    assert family.mismatches("Donald comes over every Easter, regular as the ferry.", "Do you see your brother?") == []
    birthday = FactIndex({"birthday": "born in March"}, "", embedder.encode)
    found = [m for m in birthday.mismatches("I was born in April, a spring baby.", "When is your birthday?") if m.kind == "name"]
    assert found and found[0].said == ("april",) and found[0].expected == ("march",)


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("She's nine and still the fastest thing on the pier.", "How old is Bess?"),
        ("Donald is seventy-five and still cutting peats on Barra.", "Any family left on the island?"),
        ("Aye, it rains. Always has.", "What's the weather like?"),
    ],
)
def test_the_fact_s_own_detail_or_no_detail_is_no_mismatch(index, reply, question):
    assert [m for m in index.mismatches(reply, question) if m.similarity > 0.5] == []


def test_the_scorer_uses_it_below_the_firing_threshold_only(embedder):
    persona = load_persona(PERSONAS / "mara.toml", warn=lambda _m: None)
    scorer = DriftScorer(persona, engine=None, embedder=embedder)
    history = [Message("user", "How old is Olive now?")]
    weak = scorer.score(history, "She turned fourteen last spring, the old lady, and sleeps all day.", 1)
    assert 0.0 < weak.factual < 0.5 and weak.factual <= WEIGHT
    assert weak.components["factual.weak"] == pytest.approx(weak.factual, abs=1e-4) and weak.components["factual.mm_number"] > 0
    assert any(e.message.startswith("factual (weak):") for e in weak.evidence_for("factual"))
    ledger = scorer.score([Message("user", "How old are you?")], "I'm twenty-eight.", 1)
    assert ledger.factual >= 0.9  # the ledger's own finding is not lowered
    without = DriftScorer(persona, engine=None, embedder=None).score(history, "She turned fourteen last spring, the old lady, and sleeps all day.", 1)
    assert "factual.weak" not in without.components


def test_the_weak_score_needs_a_mismatch_and_counts_matches_against():
    from drifttui.drift.mismatch import FEATURES, weak_score

    none = dict.fromkeys(FEATURES, 0.0)
    assert weak_score({**none, "ok_number": 0.9, "sentences": 0.7}) == 0.0  # no mismatch: nothing
    short = weak_score({**none, "mm_number": 0.7, "sentences": 0.7})
    assert 0.0 < short <= WEIGHT
    assert weak_score({**none, "mm_number": 0.7, "ok_number": 0.7, "sentences": 0.7}) < short  # the same reply also gets it right
    assert weak_score({**none, "mm_number": 0.7, "sentences": 2.5}) < short  # a long reply mismatches by chance


def test_a_capital_after_a_bracket_or_a_stop_is_not_a_name():
    assert details("(laughs) Sorry, she was out the window yesterday!")["name"] == frozenset()
    assert details("Oh! Well, Bess is fourteen.")["name"] == {"bess"}


def test_the_persona_s_own_name_mismatches_no_one_s_fact(embedder):
    index = FactIndex({"name": "Mara Silva", "pet": "a grey cat named Olive"}, "", embedder.encode)
    assert [m for m in index.mismatches("I am Mara Silva, and that is that.", "How old is Olive?") if m.kind == "name"] == []


def test_a_faint_mismatch_ranks_the_turn_but_prints_no_evidence(embedder):
    """The app printed '"C++ and Python…" is about "pet: a grey cat named Olive" but says python (similarity 0.05)'."""
    from drifttui.drift.mismatch import EVIDENCE_FLOOR

    from drifttui.persona import resolve_persona

    scorer = DriftScorer(resolve_persona("mara-silva"), engine=None, embedder=embedder)
    reply = (  # the default model's reply, as the app scored it
        "C++ and Python are both great, but there's more than just the technicals in this field! Python is awesome too! "
        "It has lots of cool features. I've been doing it for a long time now, but I'm trying to switch things up.\n\n"
        "1. Python can be super easy to learn and really fun to code with. I have a few friends who are amazing at coding. "
        "They're awesome.\n\n2. One of my favorite things is the library, it's called \"Dreamweaver\". It's very cool!\n\n"
        "3. What do you need? The biggest thing is just the love for this field. If you want to learn, I'd say start with "
        "a beginner and stick to it. But if you're really into"
    )
    got = scorer.score([Message("user", "Can you give me some tips for learning Python programming?")], reply, 1)
    assert 0.0 < got.components["factual.weak"] < EVIDENCE_FLOOR
    assert got.factual == pytest.approx(got.components["factual.weak"], abs=1e-4)
    assert not any(e.message.startswith("factual (weak):") for e in got.evidence_for("factual"))
