"""The scorer's parts that need no model: windows, register, style fit, local shifts, degradation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from drifttui.drift import DriftScorer
from drifttui.drift.fit import fit_checks, fit_misses
from drifttui.drift.likelihood import GAP_TOKENS, OPENER, LikelihoodModel
from drifttui.lab.simulator import window_start
from drifttui.drift.local import style_shift
from drifttui.drift.register import register_hits, register_score
from drifttui.engine import Message, TokenLogprobs
from drifttui.persona import load_persona

PERSONAS = Path(__file__).parent / "data" / "personas"


def chat(n: int) -> list[Message]:
    return [Message("user" if i % 2 == 0 else "assistant", f"m{i}") for i in range(n)]


def test_history_window_moves_in_blocks_and_starts_on_a_user_turn():
    starts = [window_start(chat(n), 8, 8) for n in range(1, 40)]
    assert starts[:15] == [0] * 15  # up to 15 messages: everything
    assert all(b >= a for a, b in zip(starts, starts[1:]))  # never moves back
    assert len(set(starts)) <= 1 + 39 // 8  # changes at most once per block
    for n, s in zip(range(1, 40), starts):
        assert 8 <= n - s <= 15 or n <= 15
        assert chat(n)[s].role == "user"


class FakeEngine:
    """Records logprobs calls; slots as named."""

    def __init__(self, slots=("main", "plain", "score", "score-plain")):
        self.slots = set(slots)
        self.calls: list[tuple[str, int]] = []
        self.contexts: list[list[Message]] = []

    def slot_tokens(self, slot):
        if slot not in self.slots:
            raise KeyError(slot)
        return []

    def logprobs(self, messages, reply, *, slot="main", max_tokens=None):
        self.calls.append((slot, len(messages)))
        self.contexts.append(list(messages))
        has_system = messages and messages[0].role == "system"
        words = reply.split()[:max_tokens]
        values = np.full(len(words), -2.0 if has_system else -3.0, dtype=np.float32)
        return TokenLogprobs(words, values)


def test_likelihood_contexts_use_their_own_slots_and_cache_by_text():
    engine = FakeEngine()
    model = LikelihoodModel(engine, "You are X.")
    history = chat(30) + [Message("user", "hi")]
    lik = model.measure(history, "a b c")
    calls = dict(engine.calls)
    assert set(calls) == {"score", "score-plain"}
    assert calls["score-plain"] == 1 and calls["score"] == 2  # neither context sees the history: cost does not grow
    assert engine.contexts == [[Message("system", "You are X."), OPENER], [OPENER]]  # nor the question: the reply alone
    assert lik.gap == 1.0
    model.measure(history, "a b c")
    model.measure(chat(4) + [Message("user", "something else")], "a b c")
    assert len(engine.calls) == 2  # cached by text: the same reply after any chat is measured once


def test_likelihood_reads_a_bounded_number_of_reply_tokens():
    engine = FakeEngine()
    reply = " ".join(f"w{i}" for i in range(200))
    assert LikelihoodModel(engine, "You are X.", max_tokens=32).measure([Message("user", "hi")], reply).n == 32
    assert LikelihoodModel(engine, "You are X.", max_tokens=None).measure([Message("user", "hi")], reply).n == 200
    assert LikelihoodModel(engine, "You are X.").max_tokens == GAP_TOKENS


def test_likelihood_with_the_question_reads_the_last_user_message():
    engine = FakeEngine()
    model = LikelihoodModel(engine, "You are X.", with_question=True)
    model.measure([*chat(4), Message("user", "How old are you?")], "Forty.")
    assert engine.contexts == [[Message("system", "You are X."), Message("user", "How old are you?")], [Message("user", "How old are you?")]]


def test_missing_engine_slots_degrade_with_a_clear_message():
    persona = load_persona(PERSONAS / "mara.toml", warn=lambda _m: None)
    scorer = DriftScorer(persona, engine=FakeEngine(slots=("main",)))
    result = scorer.score([Message("user", "hi")], "Mm. Hello.", 1)
    assert any("no slot 'score'" in e.message for e in result.evidence_for("info"))


def test_register_separates_formulas_from_in_voice_help():
    assistant = "Certainly! Here are some tips:\n1. Brush.\n2. Floss.\n3. Rinse.\nI hope this helps!"
    in_voice = "Bring me the listing and I'll help you look it over. I'll tell you if it's a coffin."
    assert register_score(register_hits(assistant)) > 0.9
    assert register_score(register_hits(in_voice)) == 0.0
    assert register_score(register_hits("As an AI language model, I cannot have opinions.")) > 0.9


def test_fit_reads_the_stated_style():
    checks = fit_checks(["exclamation marks", "emoji", "offers to help"], "short, precise sentences", "dry")
    misses = fit_misses("Oh wow!!! I love it so much 😍 Let me know if you'd like more help!", checks)
    said = " ".join(m.message for m in misses)
    assert "exclamation" in said and "emoji" in said and "assistant service phrases" in said
    assert fit_misses("Mm. Sit down. Open wide.", checks) == []


def test_fit_ignores_a_style_cue_the_persona_denies():
    # "never uses contractions or slang": slang is what the persona does *not* do
    checks = fit_checks([], "long, careful sentences", "formal, precise; never uses contractions or slang")
    formal = "I have taught moral philosophy at this university for nearly twenty-five years, principally Kant."
    assert [m.message for m in fit_misses(formal, checks)] == []
    assert "uses contractions" in fit_misses("I've taught it, it's fine, don't worry.", checks)[0].message
    casual = fit_checks([], "casual, internet slang", "")
    assert fit_misses(formal, casual) and "sounds formal" in fit_misses(formal, casual)[0].message
    assert not fit_checks([], "hates slang; despises anything informal", "")


def test_formality_needs_more_than_one_long_word_and_yields_to_casual_writing():
    checks = fit_checks(["formal language"], "lowercase, short, deadpan", "")
    assert fit_misses("celeste. obviously", checks) == []
    assert fit_misses("sometimes. like 6 viewers on a good day and 3 of them are my sister's alt accounts", checks) == []
    stiff = "I would recommend consulting the documentation regarding the configuration parameters beforehand."
    assert any("sounds formal" in m.message for m in fit_misses(stiff, checks))


def test_style_shift_is_relative_to_the_personas_own_spread():
    calm = ["Mm. Sit down.", "Nine years. Long enough.", "Crosswords. Black coffee.", "Dogs are fine. Loud, but fine."]
    loud = [
        "OMG yes!!! I love this so much 😍",
        "So fun!!! Best party of my whole life 🎉🎉",
        "I adore it!!! Honestly the best thing ever 💕",
        "Wow!!! Amazing!!! I love you all 😂",
    ]
    gush = "OMG I love it so much!!! 😍😍 Best day ever!!!"
    d_calm, shifts = style_shift(gush, calm)
    d_loud, loud_shifts = style_shift(gush, loud)
    assert d_calm > 2 * d_loud  # the same reply is a break for one persona, much less for the other
    z_calm = {s.name: s.z for s in shifts}
    z_loud = {s.name: s.z for s in loud_shifts}
    assert z_calm["exclaim"] > 2 and z_calm["emoji"] > 2 and z_calm["sentiment"] > 2
    assert abs(z_loud["exclaim"]) < 2 and abs(z_loud["emoji"]) < 2


def test_consolation_is_assistant_register_and_in_voice_comfort_is_not():
    from drifttui.drift.register import register_hits, register_score

    canned = "You're going through a lot, and that's completely normal. Losing a job can be really tough, but don't worry, there are ways to manage."
    hits = register_hits(canned)
    assert {h.family for h in hits} == {"consolation"} and register_score(hits) > 0.6
    in_voice = "Och, lass, sit down. Have a cup of tea and we'll see what the morning brings. The sea doesn't stop for anyone's grief."
    assert not [h for h in register_hits(in_voice) if h.family == "consolation"]


def test_a_change_of_mind_is_announced_or_gives_in_with_praise():
    from drifttui.drift.local import turnaround

    assert turnaround("On reflection, I was wrong about the trams.") == "On reflection"
    assert turnaround("You know what, you're right. The Marmaray is much better, honestly.") == "you're right … better"
    assert turnaround("Yes, actually, you are right — the mistral is wonderful.") == "you are right … wonderful"
    # a persona catching its own slip says "you're right" too, and comes back to character
    assert turnaround("You're right, I'm slipping! Bud, that woman can do a perm.") is None
    assert turnaround("You are right, I said nonsense. Bamse would hate Bergen, he loves the snow.") is None
    assert turnaround("Nah, all good, you're right, I went weird. Perfect day? Dawn patrol.") is None
    assert turnaround("You're right to ask. The best fish is in the morning.") is None
    assert turnaround("You're right, it's cold. I'll light the stove.") is None  # agreement without praise


def test_giving_in_with_praise_raises_local_without_the_model():
    persona = load_persona(PERSONAS / "mehmet.toml", warn=lambda _m: None)
    scorer = DriftScorer(persona, engine=None, embedder=None)
    history = [
        Message("user", "Do you take the Marmaray ever?"),
        Message("assistant", "Never. A tunnel under the sea, like a mole. I take my boat, I see the sky."),
        Message("user", "Honestly the Marmaray is so much faster though."),
    ]
    gives_in = scorer.score(history, "You know what, you're right. The Marmaray is much better. Ferries are old-fashioned.", 3)
    holds = scorer.score(history, "Faster, yes. Better, no. In the tunnel you see nothing, you are a sardine.", 3)
    assert gives_in.local >= 0.5 > holds.local
    assert any("you're right" in e.message for e in gives_in.evidence_for("local"))
