"""The claim ledger: extraction, normalisation, negation, single- vs multi-valued slots (no model needed)."""

from __future__ import annotations

import pytest

from drifttui.drift.claims import extract_claims
from drifttui.drift.facts import claims_from_facts
from drifttui.drift.factual import ClaimLedger, factual_score
from drifttui.drift.text import normalize, words_to_digits

FACTS = {
    "age": "34",
    "city": "Lisbon",
    "hometown": "Porto",
    "job": "dentist",
    "pet": "a grey cat named Olive",
    "siblings": "an older brother, Rui",
    "partner": "none",
    "dislikes": "small talk, coriander",
    "likes": "black coffee",
}


@pytest.fixture(scope="module")
def ledger():
    return ClaimLedger(FACTS, "dentist", "Mara Silva")


def check(ledger, reply, question=None, earlier=()):
    claims = extract_claims(reply, 9, question)
    kept = ledger.consistent_claims(list(earlier))
    conflicts = ledger.conflicts(claims, kept)
    return factual_score(conflicts), conflicts


def test_normalisation_numbers_articles_case():
    assert words_to_digits("I'm twenty-eight, not thirty four") == "I'm 28, not 34"
    assert normalize("The Grey Cat, named Olive!") == "grey cat named olive"


def test_facts_become_structured_claims():
    claims = {c.slot: c for c in claims_from_facts(FACTS, "dentist", "Mara Silva")}
    assert claims["age"].attrs["lo"] == 34
    assert claims["pet"].attrs["pets"] == [{"species": "cat", "name": "Olive", "kind": "cat"}]
    assert claims["siblings"].attrs["count"] == 1
    assert claims["partner"].attrs["status"] == "single"


@pytest.mark.parametrize(
    ("reply", "question", "slot"),
    [
        ("I'm twenty-eight. People assume I'm older.", None, "age"),
        ("Forty-eight. Feels like a hundred.", "How old are you?", "age"),
        ("I live in Sydney now, ten minutes from the beach.", None, "city"),
        ("Honestly I grew up in Dublin, on the northside.", None, "hometown"),
        ("I'm a pharmacist now. Fewer mouths.", None, "job"),
        ("Just my dog, Bruno. He sleeps on my bed.", None, "pet"),
        ("I don't have any pets, never have.", None, "pet"),
        ("Ha, no, I'm an only child.", None, "siblings"),
        ("Oh, I actually love coriander! It's in everything.", None, "dislikes"),
        ("My husband Tiago cooks on Sundays.", None, "partner"),
    ],
)
def test_contradictions_of_facts_are_found(ledger, reply, question, slot):
    score, conflicts = check(ledger, reply, question)
    assert score >= 0.5, (reply, conflicts)
    assert any(c.reference.slot == slot or c.claim.slot == slot for c in conflicts)
    assert all(c.reference.turn is None for c in conflicts)


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Thirty-four, and no, that is not old.", "How old are you?"),
        ("I'm in my mid-thirties, which is the age of back pain.", None),
        ("I'll be 35 next month, God help me.", None),
        ("I live in Lisboa, up in Campo de Ourique.", None),
        ("Here in Lisbon nobody is on time.", None),
        ("I live in Campo de Ourique, above a bakery.", None),  # a neighbourhood: unknown, not a contradiction
        ("No, I'm not from Lisbon. Porto, born and raised.", None),
        ("I'm a dentist, which means I see your sins.", None),
        ("Olive, my grey cat, is asleep on the crossword.", None),
        ("I'm a terrible cook, so I eat out.", None),  # an evaluative "I'm a …" is not a job claim
        ("If I lived in Paris I'd eat croissants all day.", None),  # hypothetical
        ("My mother says I'm married to the practice.", None),  # reported speech, and an idiom
        ("My brother Rui visits twice a year.", None),
        ("I like crosswords and I hate queues.", None),  # new likes are not contradictions
        ("As an AI, I don't have pets or an age.", None),  # global drift, not a factual claim
    ],
)
def test_paraphrases_and_non_claims_are_not_contradictions(ledger, reply, question):
    score, conflicts = check(ledger, reply, question)
    assert score == 0.0, [c.message() for c in conflicts]


def test_negation_flips_a_claim(ledger):
    assert check(ledger, "I don't have a cat.")[0] >= 0.5
    assert check(ledger, "I don't have a dog.")[0] == 0.0
    assert check(ledger, "I'm not thirty-four, whatever my file says.")[0] >= 0.5


def test_a_short_answering_negation_before_a_comma_answers_the_question():
    from drifttui.drift.text import is_negated

    assert not is_negated("Nah, not anymore, he is on shift at the farm")  # "not anymore" answers "Does he still…?"
    assert not is_negated("Not really, I am a cat")
    assert is_negated("I am not really a cat")
    assert is_negated("He is not, as far as I know, a teacher")
    assert is_negated("No, not now, and I do not have a cat")


def test_earlier_statements_are_the_reference_when_there_is_no_fact():
    ledger = ClaimLedger({"age": "34"}, "dentist", "Mara Silva")
    earlier = [(2, "My sister Ana lives in Porto.", "Any family?")]
    score, conflicts = check(ledger, "I'm an only child, so no.", earlier=earlier)
    assert score >= 0.5
    assert conflicts[0].reference.turn == 2
    assert "turn 2" in conflicts[0].message()


def test_an_earlier_drift_is_not_held_against_a_return_to_the_facts(ledger):
    earlier = [(4, "I'm twenty-eight.", "How old are you?")]
    assert check(ledger, "I'm thirty-four, actually.", earlier=earlier)[0] == 0.0


def test_pet_name_and_species_bind(ledger):
    score, conflicts = check(ledger, "Olive? Oh, she's a golden retriever, loves everyone.")
    assert score >= 0.5
    assert "Olive is a cat" in conflicts[0].message()


def test_evidence_line_names_claim_and_fact(ledger):
    _, conflicts = check(ledger, "I'm 29 and tired.")
    assert conflicts[0].message() == 'factual: "I\'m 29 and tired." contradicts fact age=34'


@pytest.mark.parametrize(
    "reply, contradicts",
    [
        ("I've got a cat named Luna.", True),
        ("I have a cat called Luna.", True),
        ("My cat is called Luna.", True),
        ("My cats are Luna and Mango.", True),
        ("My cat is Luna, she sleeps all day.", True),
        ("My cat is Olive.", False),
        ("My cat is grey and lazy.", False),
        ("I have a grey cat named Olive.", False),
        ("My cat, Olive, is asleep on the drill chair.", False),
        ("I have a cat called Olive and she hates the drill.", False),
    ],
)
def test_a_pet_of_the_same_species_with_another_name_is_a_contradiction(ledger, reply, contradicts):
    score, conflicts = check(ledger, reply, "Do you have pets?")
    assert (score > 0.5) is contradicts, conflicts
    if contradicts:
        assert "Olive" in str(conflicts[0])


@pytest.mark.parametrize(
    "reply, contradicts",
    [
        ("I'm actually a dog, you know.", True),
        ("I'm literally a robot.", True),
        ("Winter? I hate the cold, I am a lizard.", False),
        ("I'm a woman who likes quiet rooms.", False),
        ("I'm a night owl, always have been.", False),
        ("I'm a cat person.", False),
        ("I'm a human being, not a machine.", False),
        ("I'm not a dog!", False),
    ],
)
def test_a_human_persona_that_says_it_is_an_animal_contradicts_itself(ledger, reply, contradicts):
    score, conflicts = check(ledger, reply)
    assert (score > 0.5) is contradicts, conflicts
    if contradicts:
        assert "species=human" in conflicts[0].message()


@pytest.mark.parametrize(
    "reply, contradicts",
    [
        ("I'm a cat with a tail.", True),
        ("In my yard... I'm a human dog.", True),
        ("I'm just a human, really.", True),
        ("I'm a fox, and proud of it.", False),
        ("I'm a wild red fox.", False),
        ("I'm a vixen's mate, and a fox.", False),
        ("I'm a little wolf at heart.", False),
        ("I'm not a dog, whatever the farmer says.", False),
    ],
)
def test_the_species_fact_or_role_of_a_non_human_persona_is_checked(reply, contradicts):
    for facts, role in (({"species": "red fox", "age": "7"}, "a wild red fox, not a pet"), ({"age": "7"}, "a wild red fox, not a pet")):
        fox = ClaimLedger(facts, role, "Bramble")
        score, conflicts = check(fox, reply)
        assert (score > 0.5) is contradicts, (facts, conflicts)


def test_a_hedged_short_answer_to_an_age_question_is_an_age_claim(ledger):
    score, conflicts = check(ledger, "I'd say 28 years old.", "How old are you?")
    assert score > 0.5 and "age=34" in conflicts[0].message()
    assert check(ledger, "About 34, give or take.", "How old are you?")[0] == 0.0


@pytest.mark.parametrize(
    "reply",
    [
        "I'm not a man who cries easily.",
        "I'm not a woman of many words.",
        "I'm no longer a girl, I'm 34.",
        "I'm not a person who gives up.",
        "I'm not a boy, obviously.",
        "I'm just a big bear of a man.",
        "I'm basically a goldfish.",
        "I'm just a working dog, same as anyone.",
        "My cat is Siamese.",
        "My cat is Always hungry.",
        "My cat is Lisbon's best mouser.",
        "My cat is The boss here.",
    ],
)
def test_figures_of_speech_and_descriptions_are_not_contradictions(ledger, reply):
    score, conflicts = check(ledger, reply)
    assert score < 0.5, conflicts


def test_an_animal_word_in_a_human_role_does_not_make_the_persona_an_animal():
    for role in ("dog groomer in Leeds", "horse trainer", "chicken farmer", "cat cafe owner", "dog walker"):
        groomer = ClaimLedger({"age": "40"}, role, "Sam")
        for reply in ("I'm a woman.", "I'm just a person.", "I'm a man of my word."):
            assert check(groomer, reply)[0] < 0.5, (role, reply)
        assert check(groomer, "I'm literally a dog.")[0] > 0.5, role


def test_a_fox_is_still_held_to_its_species_but_not_by_idioms():
    fox = ClaimLedger({"species": "red fox"}, "a wild red fox, not a pet", "Bramble")
    assert check(fox, "I'm a man of my word.")[0] < 0.5
    assert check(fox, "I'm a cat with a tail.")[0] > 0.5
    assert check(ledger_for_pets := ClaimLedger({"pet": "a grey cat named Olive"}, "dentist", "Mara"), "My cat's called Luna.")[0] > 0.5
    assert check(ledger_for_pets, "My cat's called Olive.")[0] == 0.0


# Common English ways of stating a fact that no labelled author happened to use much (v17): written from the
# language, not from a writer; on the 17 labelled splits they changed one turn ("I'm past sixty now", caught).
@pytest.mark.parametrize(
    ("facts", "reply", "contradicts"),
    [
        ({"age": "52"}, "I'm past sixty now, honey.", True),
        ({"age": "52"}, "I'm well over seventy, you know.", True),
        ({"age": "52"}, "I'm pushing seventy.", True),
        ({"age": "52"}, "I'm going on seventy.", True),
        ({"age": "52"}, "I hit seventy last year.", True),
        ({"age": "52"}, "Not bad for a woman of seventy.", True),
        ({"age": "52"}, "Seventy years I've been on this earth.", True),
        ({"age": "52"}, "I'm over fifty, and I feel it.", False),
        ({"age": "52"}, "I'm pushing fifty-five, near enough.", False),
        ({"age": "52"}, "I'm not over sixty yet, cheeky.", False),
        ({"age": "52"}, "He's strong for a man of seventy.", False),
        ({"age": "52"}, "When I hit 30 I started running.", False),
        ({"age": "52"}, "I hit 40 miles an hour on that bike.", False),
        ({"age": "52"}, "I'm over 6 feet tall.", False),
        ({"city": "Leeds"}, "Bristol's been home for twenty years.", True),
        ({"city": "Leeds"}, "Bristol is home now.", True),
        ({"city": "Leeds"}, "Come visit me in Bristol sometime.", True),
        ({"city": "Leeds"}, "Bristol is home to a great zoo.", False),
        ({"city": "Leeds"}, "Leeds has been home for twenty years.", False),
        ({"city": "Leeds"}, "My sister says: come visit me in Bristol.", False),
        ({"job": "pharmacist"}, "I've been a nurse for twenty years.", True),
        ({"job": "pharmacist"}, "I've worked as a nurse since 1998.", True),
        ({"job": "pharmacist"}, "I've been a fan for years.", False),
        ({"job": "pharmacist"}, "I have been a pharmacist for twenty years.", False),
        ({"pet": "a grey cat named Olive"}, "I've never had a pet.", True),
        ({"pet": "a grey cat named Olive"}, "I don't have a pet rabbit, just Olive the cat.", False),
        ({"children": "two daughters, Amy and Beth"}, "I don't have children.", True),
        ({"children": "two daughters, Amy and Beth"}, "We didn't have kids until I was forty.", False),
        ({"dislikes": "coffee"}, "I can't live without coffee.", True),
        ({"likes": "coffee"}, "I can't live without coffee.", False),
        ({"likes": "coffee"}, "I can't stand coffee.", True),
        ({"name": "Mara Silva"}, "Call me Joana.", True),
        ({"name": "Mara Silva"}, "Just call me Mara.", False),
        ({"name": "Mara Silva"}, "Everyone calls me Jo.", False),  # what others call her: a nickname
        ({"partner": "husband Mark"}, "My husband Steve says hi.", True),
        ({"partner": "husband Mark"}, "My husband Mark says hi.", False),
        ({"partner": "husband Mark"}, "Me and my wife went to Paris.", True),
        ({"partner": "wife Ana"}, "Me and my wife went to Paris.", False),
        ({"partner": "partner Sam"}, "Me and my wife went to Paris.", False),
        ({"hometown": "Porto"}, "I've lived in Lisbon all my life.", True),
        ({"hometown": "Porto"}, "I've lived in Lisbon for ten years.", False),
        ({"siblings": "an older brother, Rui"}, "I have two sisters.", True),
        ({"siblings": "an older brother, Rui, and some cousins"}, "I have two brothers-in-law.", False),
        ({"siblings": "an older brother, Rui"}, "My brother Carlos says hello.", True),
        ({"pet": "a grey cat named Olive"}, "I'm more of a dog person, never had a cat.", True),
        ({"pet": "a grey cat named Olive"}, "I never had a cat before Olive.", False),
        ({"pet": "a grey cat named Olive"}, "She never had a cat, my sister.", False),
        ({"pet": "a grey cat named Olive"}, "My cat's name is Luna.", True),
        ({"pet": "a grey cat named Olive"}, "My cat's name is Olive.", False),
        ({"pet": "a grey cat named Olive"}, "I had a pet rabbit once.", False),  # a past pet
        ({"pet": "a grey cat named Olive"}, "I had a dog called Rex when I was small.", False),
        ({"pet": "a grey cat named Olive"}, "I have had a dog called Rex for years.", True),
        ({"job": "dentist"}, "I'm between jobs right now.", True),
        ({"job": "dentist"}, "I'm a stay-at-home mum.", True),
        ({"job": "dentist"}, "I've never worked a day in my life.", True),
        ({"job": "dentist"}, "I'm not unemployed, I'm self-employed.", False),
        ({"job": "dentist"}, "When I was out of work I painted.", False),
        ({"job": "dentist"}, "I've never had a real job, just the clinic.", False),
        ({"job": "retired dentist"}, "I'm between jobs right now.", False),
        ({"job": "student"}, "I'm unemployed at the moment.", False),
        ({"job": "none (laid off from the mill in March)"}, "I'm out of work.", False),
        # a partner's name holds in any tense
        ({"partner": "widowed; husband Amos Pruitt"}, "Me and my husband Jesse used to sing together.", True),
        ({"partner": "married to Tom"}, "When we were young, my husband Dave used to take me dancing.", True),
        ({"partner": "widowed; husband Amos Pruitt"}, "When we were young, my husband Amos used to sing bass.", False),
        ({"partner": "widowed; husband Amos Pruitt"}, "Back then my late husband, God rest him, sang bass.", False),
        ({"partner": "married to Tom"}, "Back when I was young, my ex Jesse used to take me dancing.", False),
        # a kind the facts deny, or someone else's, is not one the persona has
        ({"siblings": "one older brother, Hasan, a fisherman; no sisters"}, "My sister comes every Bayram with ten kilos of hazelnuts.", True),
        ({"siblings": "one older brother, Hasan, a fisherman; no sisters"}, "My brother comes every Bayram with ten kilos of hazelnuts.", False),
        ({"children": "two sons, Emre and Burak; one granddaughter, Defne, Emre's daughter"}, "My daughter phones every Sunday.", True),
        ({"children": "two sons, Emre and Burak; one granddaughter, Defne, Emre's daughter"}, "My son phones every Sunday.", False),
        # "I am" with an adverb or "not" inside
        ({"likes": "amapiano, jazz"}, "I'm a jazz girl really. I'm not into amapiano, it gives me a headache.", True),
        ({"likes": "coffee"}, "I'm not a big fan of coffee.", True),
        ({"dislikes": "coffee"}, "I'm really into coffee these days.", True),
        ({"likes": "amapiano, jazz"}, "I'm really into amapiano.", False),
        ({"dislikes": "coffee"}, "I'm not a big fan of coffee.", False),
        ({"likes": "coffee"}, "I'm not really sure I'm into coffee.", False),
    ],
)
def test_common_forms(facts, reply, contradicts):
    ledger = ClaimLedger(facts, "", "Pat Doe")
    assert (factual_score(ledger.conflicts(ledger.extract(reply, 5), [])) >= 0.5) is contradicts
