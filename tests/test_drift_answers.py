"""Claims made without a set form: answers to questions, cue words, the persona's own anchors; and the gazetteer."""

from __future__ import annotations

import pytest

from drifttui.drift.breeds import breeds_in, same_breed
from drifttui.drift.factual import ClaimLedger, factual_score
from drifttui.drift.places import lookup, places_compatible, resolve


def score(facts: dict, reply: str, question: str = "", backstory: str = "", earlier: list | None = None) -> float:
    ledger = ClaimLedger(facts, "", "Pat Doe", backstory)
    return factual_score(ledger.conflicts(ledger.extract(reply, 5, question), earlier or []))


# ------------------------------------------------------------------ gazetteer
def test_gazetteer_knows_where_places_are():
    assert lookup("Wichita")[0].admin1 == "KS"
    assert places_compatible("Salford", "Manchester")  # next door
    assert places_compatible("Yorkshire", "Leeds")
    assert places_compatible("Lisboa", "Lisbon")
    assert places_compatible("Wichita", resolve("Tulsa, Oklahoma")) is False
    assert places_compatible("Kansas", resolve("Tulsa, Oklahoma")) is False
    assert places_compatible("Bangor", resolve("Portland, Maine")) is False  # same state, another city
    assert places_compatible("Maine", resolve("Portland, Maine"))
    assert [p.admin1 for p in resolve("Portland, Maine")] == ["ME"]
    assert places_compatible("Nowhereville", "Leeds") is None


def test_near_a_place_allows_its_surroundings():
    assert places_compatible("Bradford", "Leeds", near=True)
    assert not places_compatible("Bristol", "Leeds", near=True)


# ----------------------------------------------------------------------- age
@pytest.mark.parametrize(
    ("reply", "age", "contradicts"),
    [
        ("Sixty-one come March. Don't remind me.", "58", True),
        ("Sixty-one come March. Don't remind me.", "60", False),
        ("Oh, forty-two and counting.", "42", False),
        ("Forty-two. Thirty years driving, mind.", "42", False),
    ],
)
def test_answers_to_how_old(reply, age, contradicts):
    assert (score({"age": age}, reply, "How old are you these days?") >= 0.5) is contradicts


def test_birthdays_and_turning_ages():
    assert score({"age": "80"}, "Not since my ninetieth birthday, no.", "Do you still swim?") >= 0.5
    assert score({"age": "79"}, "We're planning a party for my eightieth next spring.") == 0.0
    assert score({"age": "14"}, "My uncle gave it to me when I turned twelve.") == 0.0
    assert score({"age": "1200"}, "I am barely two hundred winters old, little one.") >= 0.5


# -------------------------------------------------------------------- places
def test_places_in_answers_and_cue_sentences():
    home = {"hometown": "Bristol", "city": "Cardiff"}
    assert score(home, "A mill town just outside Leeds. Grey, but it was home.", "Where did you grow up?") >= 0.5
    assert score({"hometown": "Bradford", "city": "York"}, "A mill town just outside Leeds.", "Where did you grow up?") == 0.0
    assert score(home, "Growing up on a sheep farm in Montana, I was sure I'd be a cowboy.") >= 0.5
    assert score(home, "Sheffield born and bred, me.") >= 0.5
    assert score(home, "Two daughters. Carla's down in Lubbock now.", "Do you have family nearby?") == 0.0
    assert score(home, "Little Paris, they called our street, for the cafés.", "Where did you grow up?") == 0.0
    assert score(home, "I drove up to Leeds last week for a match.") == 0.0


def test_born_here_when_the_hometown_is_elsewhere():
    assert score({"hometown": "Bergen", "city": "Oslo"}, "Born and raised right here. Never lived anywhere else.") >= 0.5
    assert score({"hometown": "Oslo", "city": "Oslo"}, "Born and raised right here. Never lived anywhere else.") == 0.0


# ---------------------------------------------------------------------- pets
def test_breeds_compare_by_breed_and_family():
    collie, heeler, retriever, lab = (breeds_in(x)[0] for x in ("border collie", "blue heeler", "retriever", "labrador"))
    assert not same_breed(collie, heeler)
    assert same_breed(retriever, lab)
    assert breeds_in("my golden years") == ()


def test_what_the_persona_says_its_pet_is():
    pet = {"pet": "a dachshund named Pluto"}
    assert score(pet, "Beagle through and through. Nose always on the ground.", "Is Pluto a good boy?") >= 0.5
    assert score(pet, "Pluto? Sausage dog, pure stubbornness on four short legs.", "How's Pluto?") == 0.0
    assert score(pet, "My sister had a poodle once. Pluto hated it.", "Is Pluto friendly?") == 0.0
    assert score({"pet": "a grey cat named Olive"}, "Olive? She barks at the postman every morning.", "How is Olive?") >= 0.5
    assert score({"pet": "a raven named Wick"}, "Wick? Owls are like that, all night long.", "Does Wick sleep?") >= 0.5
    assert score({"pet": "a grey cat named Olive"}, "Dogs are fine. Loud, but fine.", "I have a dog, actually.") == 0.0


# -------------------------------------------------------------------- family
def test_counts_of_children():
    assert score({"children": "two sons, Tom and Ben"}, "My four kids keep me busy, bless them.") >= 0.5
    assert score({"children": "twin sons, Tom and Ben"}, "My two boys are all grown up now.") == 0.0
    assert score({"children": "three: daughters Ana and Eva, son Rui"}, "My two girls and my boy, all far away.", "Do you have kids?") == 0.0


def test_partner_status_from_cues():
    assert score({"partner": "boyfriend Marco"}, "Marco and I are off to Rome for our third wedding anniversary!") >= 0.5
    widow = {"partner": "widow of Tom, who died in 2015"}
    assert score(widow, "Tom? He's out in the shed fixing the mower, as usual.", "How is Tom?") >= 0.5
    assert score(widow, "Tom? I still miss him every single day.", "Do you think of Tom?") == 0.0


# ------------------------------------------------------- likes and dislikes
def test_likes_anchored_on_the_persona_items():
    assert score({"dislikes": "pineapple on pizza, rain"}, "honestly i lowkey adore pineapple on pizza now") >= 0.5
    assert score({"dislikes": "pineapple on pizza, rain"}, "I can't stand pineapple on pizza, never could.") == 0.0


# ------------------------------------------------------------- the backstory
def test_counted_details_of_the_backstory():
    story = "Taught maths at Hillside School for thirty years before retiring to the coast."
    assert score({}, "After twelve years at the school I'd had enough of maths.", backstory=story) >= 0.5
    assert score({}, "Thirty years teaching maths at that school, and I'd do it again.", backstory=story) == 0.0
    assert score({}, "It took us two years to build the boat.", backstory=story) == 0.0


def test_named_beings_of_the_backstory():
    story = "Best known for the Pip books about a clever otter who lives under a bridge."
    assert score({}, "Oh, Pip's a nervous little badger, forever hiding.", "What's Pip like?", story) >= 0.5
    assert score({}, "Pip? A clever little otter, braver than he looks.", "What's Pip like?", story) == 0.0
