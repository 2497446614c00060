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


def test_a_count_that_opens_an_answer_about_the_children():
    facts = {"children": "two daughters: Ola (30) and Marta (26)"}
    asked = "Do your daughters come back to visit much?"
    assert score(facts, "Christmas, always. All three of them come home, the flat is too small.", asked) >= 0.5
    assert score(facts, "Christmas, always. Both of them come home, the flat is too small.", asked) == 0.0
    assert score(facts, "Christmas. The both of them, and Halina cooks.", asked) == 0.0
    assert score(facts, "Christmas. I love all three of them, my parents and Halina.", asked) == 0.0  # not the answer's subject
    assert score(facts, "All three of them come home.", "Do you like Christmas?") == 0.0  # not asked about children


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
@pytest.mark.parametrize(
    ("facts", "question", "reply", "contradicts"),
    [
        # spans of years: a partner fact counts too, ten per cent apart is a slip, "N years ago" is a point in time
        ({"partner": "husband Rachid, a maths teacher; married 27 years"}, "How long have you and Rachid been married?", "Thirty-one years in October.", True),
        ({"partner": "husband Rachid, a maths teacher; married 27 years"}, "How long have you and Rachid been married?", "Twenty-seven years in October.", False),
        ({"partner": "girlfriend Kasia, a nurse; together six years, not married"}, "When's the wedding?", "Eleven years we are together already, and still no ring.", True),
        ({"partner": "girlfriend Kasia, a nurse; together six years, not married"}, "When's the wedding?", "Six years we are together already, and still no ring.", False),
        ({"partner": "widower; his wife June died four years ago"}, "What was her name?", "June. Passed four years ago this March. Forty-one years married, and she never once complained.", False),
        ({"job": "retired deckhand, 38 years below deck on coastal ships"}, "Do you miss it?", "I had a job, forty-two years below deck.", True),
        ({"job": "retired deckhand, 38 years below deck on coastal ships"}, "Do you miss it?", "Nearly forty years below deck, you miss it.", False),
    ],
)
def test_spans_of_years_against_the_facts(facts, question, reply, contradicts):
    assert (score(facts, reply, question) >= 0.5) is contradicts


@pytest.mark.parametrize(
    ("facts", "question", "reply", "contradicts"),
    [
        # an age dated by a feast; the old way of counting with "an'"
        ({"age": "44"}, "How old are you?", "Cheek! Fifty-one last Whitsun, and I've earned every grey hair.", True),
        ({"age": "44"}, "How old are you?", "Forty-four last Whitsun.", False),
        ({"age": "19"}, "How old are you both?", "Albert's twenty-four an' I'm two-an'-twenty.", True),
        ({"age": "22"}, "How old are you both?", "Albert's twenty-four an' I'm two-an'-twenty.", False),
        # courting is not married; "been wed" is
        ({"partner": "walking out (courting, not married) with Albert, 24"}, "When are you getting married?", "Married? We've been wed two year come Michaelmas, love!", True),
        ({"partner": "walking out (courting, not married) with Albert, 24"}, "When are you getting married?", "Married? Not till he's a tackler proper.", False),
        # one of a kind, an only child for life, children counted in passing, a bare count of siblings
        ({"children": "two sons: Timur (38) and Bekzod (33)"}, "Do you cook when Bekzod comes over?", "Of course. He is my only son, I have nobody else to feed.", True),
        ({"children": "one son, Bekzod (33)"}, "Do you cook when Bekzod comes over?", "Of course. He is my only son, I have nobody else to feed.", False),
        ({"siblings": "one younger brother, Yerlan"}, "Do you go back there?", "Rarely. I was the only child, and my parents are in the cemetery.", True),
        ({"siblings": "none"}, "Do you go back there?", "Rarely. I was the only child, and my parents are in the cemetery.", False),
        ({"children": "two sons: Arjun (14) and Rohan (10)"}, "Do you have a dog?", "No dog. With three boys in the house, who has time?", True),
        ({"children": "three sons"}, "Do you have a dog?", "No dog. With three boys in the house, who has time?", False),
        ({"siblings": "two older sisters: Marites and Grace"}, "do you have siblings?", "yup, just one, my ate marites.", True),
        ({"siblings": "two older sisters: Marites and Grace"}, "do you have siblings?", "yup, just the two, both older.", False),
        # a span the facts give as a year; a count of any unit; someone else's count
        ({"partner": "husband Idris; married summer 1905", "year": "1926"}, "How long have you been married now?", "Twenty-five years come October.", True),
        ({"partner": "husband Idris; married summer 1905", "year": "1926"}, "How long have you been married now?", "Twenty-one years come October.", False),
        ({"partner": "husband Idris; married summer 1905", "year": "1926"}, "How long have you lived here?", "Twenty-five years come October.", False),
        ({"job": "cotton weaver; minds four looms at Bankside Mill"}, "Does he fine you?", "Him knowin' full well I've six looms to mind!", True),
        ({"job": "cotton weaver; minds four looms at Bankside Mill"}, "Does he fine you?", "Him knowin' full well I've four looms to mind!", False),
        ({"hives": "22"}, "How did you start?", "My husband's father kept three hives, and they sat in our shed for years.", False),
        ({"hives": "22"}, "How many hives now?", "I keep three hives now, that's all.", True),
        ({"job": "runs a family guesthouse with seven rooms"}, "Could you fit a wedding at your place?", "Haha, all twelve of my rooms and the roof also!", True),
        ({"job": "runs a family guesthouse with seven rooms"}, "Could you fit a wedding at your place?", "Haha, all seven of my rooms and the roof also!", False),
        # a named pet called by another coat; "there" is the place the user named; "the old city" is no place name
        ({"pet": "Churchkhela ('Churchi'), a fat grey tomcat"}, "Does Churchi sing too?", "Only for cheese. Big orange fool, he sits by the fridge.", True),
        ({"pet": "Churchkhela ('Churchi'), a fat grey tomcat"}, "Does Churchi sing too?", "Only for cheese. Big grey fool, he sits by the fridge.", False),
        ({"hometown": "Leeds"}, "Have you ever been to York?", "Been there? I grew up there!", True),
        ({"hometown": "York"}, "Have you ever been to York?", "Been there? I grew up there!", False),
        ({"hometown": "Bukhara, Uzbekistan"}, "Where did you grow up?", "I am a Bukhara girl. The old city, a few hours on the train.", False),
        # a street is no town, a king who died no place; "love" before a dash addresses the user; a partner's years married are not a job's
        ({"hometown": "Whitby, North Yorkshire"}, "Where did you grow up?", "Whitby. Born and bred. Father had a jet workshop on Church Street.", False),
        ({"hometown": "Whitby, North Yorkshire"}, "How old are you?", "I was born the year old King Edward died, you can do the sum.", False),
        ({"dislikes": "mill fines, being pitied"}, "Can I ask you some questions about mill work?", "Ask away, love — but I'll not stop mending while I talk.", False),
        ({"partner": "wife Nermin, married 41 years, retired primary school teacher"}, "Do you work alone?", "My lady comes with lunch, the retired schoolteacher, thirty years teaching little ones their letters.", False),
        ({"partner": "wife Nermin, married 41 years, retired primary school teacher"}, "How long have you been married?", "Thirty years, near enough.", True),
    ],
)
def test_more_answer_forms(facts, question, reply, contradicts):
    assert (score(facts, reply, question) >= 0.5) is contradicts


def test_counted_details_of_the_backstory():
    story = "Taught maths at Hillside School for thirty years before retiring to the coast."
    assert score({}, "After twelve years at the school I'd had enough of maths.", backstory=story) >= 0.5
    assert score({}, "Thirty years teaching maths at that school, and I'd do it again.", backstory=story) == 0.0
    assert score({}, "It took us two years to build the boat.", backstory=story) == 0.0


def test_named_beings_of_the_backstory():
    story = "Best known for the Pip books about a clever otter who lives under a bridge."
    assert score({}, "Oh, Pip's a nervous little badger, forever hiding.", "What's Pip like?", story) >= 0.5
    assert score({}, "Pip? A clever little otter, braver than he looks.", "What's Pip like?", story) == 0.0


# ------------------------------------------- answering "no", years, dialect, reported kin
def test_an_answering_no_does_not_deny_what_follows():
    assert score({"hometown": "Duluth, Minnesota"}, "no, i was born in duluth. we moved down here when i was nine.", "Have you always lived in Bloomington?") == 0.0
    assert score({"hometown": "Duluth, Minnesota"}, "I was not born in Duluth, no.", "Where were you born?") > 0.0
    assert score({"pet": "none"}, "I have no pets, no cat, nothing.") == 0.0


def test_years_later_is_not_an_age_and_a_place_as_modifier_is_not_a_home():
    reply = "No, I'm a Leesider, and the Kerry people never let me forget it. I came down in ninety-four, and here I am thirty years later."
    assert score({"age": "58", "hometown": "Cork city"}, reply, "Where are you from? You don't sound like a Kerry man.") == 0.0
    assert score({"age": "58"}, "I am thirty years of age.") > 0.0
    assert score({"hometown": "Cork city"}, "I'm a Limerick man, born and reared.", "Where are you from?") >= 0.5


def test_childhood_places_and_the_past_are_read_as_origin():
    assert score({"hometown": "Cork city"}, "A footballer, like every boy in Limerick.", "What did you want to be when you were small?") > 0.0
    assert score({"hometown": "Le Sentier, in the Vallée de Joux"}, "As a boy in Neuchâtel I took apart my father's clock and could not put it back together.", "Even as a kid?") > 0.0
    assert score({"hometown": "Odessa, Texas"}, "Naw, I'm a Lubbock boy, bud! Born and raised.", "You're from out that way, right?") >= 0.5
    # where one lived before is not where one lives now
    assert score({"city": "London", "hometown": "Aldabra Atoll, Seychelles"}, "On a ring of coral far to the south, in the Seychelles.", "Where did you live before that?") == 0.0


def test_pets_named_by_kind_and_kinds_that_are_objects():
    pet = {"pet": "Bran, an elderly black-and-white sheepdog"}
    assert score(pet, "Just the cat. Bran, he's called, fourteen years old.", "Any pets at home?") >= 0.5
    assert score(pet, "Just Bran, the old sheepdog. He's fourteen.", "Any pets at home?") == 0.0
    assert score(pet, "Bran's a collie, sharp as a tack.", "Is Bran a good dog?") == 0.0  # a sheepdog can be a collie
    assert score(pet, "Bran's a poodle, fluffy as a cloud.", "Is Bran a good dog?") >= 0.5
    assert score(pet, "No, Bran is the dog, and he'd be mortally offended to be called a cat.", "You said a cat?") == 0.0
    robin = {"pet": "Pip, a robin who rides on his shell"}
    assert score(robin, "My little wren... yes, every morning, very loud for such a small brown thing.", "Does Pip still visit?") >= 0.5
    assert score(robin, "Pip will complain about the owl, as he does every evening.", "What will you do tonight?") == 0.0
    terrier = {"pet": "a border terrier called Hamish"}
    assert score(terrier, "Curls up on ma jaicket purrin' away like an outboard.", "Does Hamish come fishing with you?") >= 0.5


def test_family_in_dialect_in_reported_speech_and_in_law():
    daughters = {"children": "three daughters: Simone, Keisha and Tanya"}
    assert score(daughters, "Then Keisha, she a teacher. And mi youngest, mi boy Andre, him just turn thirty.", "What are their names?") >= 0.5
    assert score(daughters, "Andre is Keisha husband, mi son-in-law. No, mi three girls is Simone, Keisha and Tanya.", "Who is Andre?") == 0.0
    assert score({"children": "none"}, "Bach. Always Bach. Our daughter says it is because I am old and boring.", "Music while you work?") >= 0.5
    assert score({"children": "none"}, "My sister says I am old and boring.") == 0.0


def test_married_cues_against_a_fiancee_and_a_widower():
    assert score({"partner": "Darlene, his fiancée"}, "Oh, we got hitched back in '15. Best day of my life!", "How long have you two been together?") >= 0.5
    widower = {"partner": "widower; his wife June died four years ago"}
    assert score(widower, "June. Passed four years ago this March. Forty-one years married, and she never once complained.") == 0.0


def test_school_years_are_one_at_a_time():
    job = {"job": "high school junior who works weekends at a used bookstore"}
    assert score(job, "ok fine. and i'm a sophomore. two more years of hallways.", "What grade are you in?") >= 0.5
    assert score(job, "junior. one more year of hallways.", "What grade are you in?") == 0.0
    assert score({"job": "senior nurse on a cardiac ward"}, "I'm a nurse, have been for years.") == 0.0


def test_favourites_answered_with_a_disliked_item():
    dislikes = {"likes": "smoked brisket, George Strait", "dislikes": "helicopter rides, light beer, desk jobs"}
    assert score(dislikes, "Bud Light, bud! Ice cold, can after can.", "What's your beer of choice when you get home?") >= 0.5
    assert score(dislikes, "Smoked brisket, low and slow!", "What's your favourite food?") == 0.0
    assert score({"dislikes": "treadmills, cilantro"}, "TREADMILLS. Hate them.", "What's your least favorite exercise?") == 0.0
    assert score({"dislikes": "drop-ins, Sydney, jet skis"}, "Sydney? In a heartbeat, mate. Love the place.", "Would you ever live anywhere else? Sydney, maybe?") >= 0.5


@pytest.mark.parametrize(
    ("facts", "question", "reply", "contradicts"),
    [
        # a choice question: the offered item the answer's first sentence names is the one chosen
        ({"dislikes": "sandflies, Marmite, wet socks"}, "Random question: Marmite or Vegemite?", "Marmite, obviously. Thick on hot toast.", True),
        ({"dislikes": "tea"}, "Tea or coffee?", "Tea, always.", True),
        ({"likes": "tea"}, "Tea or coffee?", "Tea, always.", False),
        ({"likes": "tea"}, "Tea or coffee?", "Coffee. Tea is for the weak.", False),  # not the first sentence's choice
        ({"dislikes": "sandflies, Marmite, wet socks"}, "Marmite or Vegemite?", "Vegemite, obviously. Marmite is tar.", False),
        ({"dislikes": "sandflies, Marmite, wet socks"}, "Marmite or Vegemite?", "Not Marmite, that's for sure.", False),
        ({"dislikes": "tea"}, "Are you a morning person or not?", "Tea first, then we talk.", False),  # tea was not offered
        # "love" at the end of a short reply is the user being addressed, not a liking
        ({"dislikes": "sandflies, Marmite, wet socks"}, "Marmite or Vegemite?", "Neither, love. Marmite least of all.", False),
        # a like or dislike said object first, closing its clause
        ({"likes": "horror movies, swimming"}, "horror movies too?", "nooo, horror i can't do, i'm a total coward", True),
        ({"likes": "spiders"}, "Any pets?", "Spiders I can't stand.", True),
        ({"dislikes": "spiders"}, "Any pets?", "Spiders I can't stand.", False),
        ({"likes": "horror movies, swimming"}, "What about horror?", "Horror I love, the gorier the better.", False),
        ({"likes": "horror movies, swimming"}, "What about horror?", "The thing about horror I can't stand is the jump scares.", False),
        # "never liked it" answering a question that names the item
        ({"likes": "apricot pálinka, chess"}, "Are you a pálinka man yourself then?", "Me? No, never liked it, burns like petrol.", True),
        ({"likes": "apricot pálinka, chess"}, "Are you a pálinka man yourself then?", "Me? Always liked it, since I was a boy.", False),
        ({"dislikes": "apricot pálinka"}, "Are you a pálinka man yourself then?", "Never liked it, burns like petrol.", False),
    ],
)
def test_common_answer_forms_of_likes(facts, question, reply, contradicts):
    assert (score(facts, reply, question) >= 0.5) is contradicts


def test_a_favourite_answered_without_question_and_what_the_persona_hates():
    """A negation after the item does not deny it ("without question"); a question for the worst names a dislike."""
    tortoise = {"likes": "red hibiscus flowers, overripe mangoes", "dislikes": "yellow hibiscus (tastes of soap), cyclones"}
    assert score(tortoise, "Yellow hibiscus, without question... the keeper brings them on Thursdays.", "What's your favourite food, if you had to pick one?") >= 0.5
    assert score(tortoise, "Red hibiscus, without question.", "What's your favourite food?") == 0.0
    assert score(tortoise, "Not yellow hibiscus, never. Mangoes.", "What's your favourite food?") == 0.0
    assert score(tortoise, "Red hibiscus. Dreadful things.", "What do you hate most in the garden?") >= 0.5
    assert score(tortoise, "Red hibiscus. Dreadful things.", "And what do you hate?") >= 0.5
    assert score(tortoise, "Cyclones, naturally.", "What do you hate?") == 0.0
    assert score(tortoise, "Overripe mangoes, when the keeper forgets them.", "What do you like least about the garden?") >= 0.5


# ------------------------------------- addresses, open families, where kin live, counts
def test_kin_words_that_address_the_user_are_not_family():
    siblings = {"siblings": "an only child"}
    assert score(siblings, "Come inside the shade, my sister, this sun no be small thing.") == 0.0
    assert score(siblings, "Sorry, my sister. God rest him.") == 0.0
    assert score(siblings, "My sister lives in Abuja.") >= 0.5


def test_a_family_the_facts_describe_only_in_part():
    six = {"siblings": "second of six children; elder brother Obinna runs the shop"}
    assert score(six, "My sister lives in Abuja.") == 0.0
    assert score(six, "My two brothers and I shared one room.") == 0.0
    assert score(six, "I'm an only child.") >= 0.5


def test_where_the_facts_put_a_family_member():
    sons = {"children": "two sons: Eirik (engineer, in Oslo) and Tor (in Bodø)"}
    assert score(sons, "Tor is in Bodø, and Bodø is all wind. Eirik is down in Stavanger with the oil people.") >= 0.5
    assert score(sons, "Eirik is in Oslo, Tor is up in Bodø.") == 0.0
    assert score(sons, "Eirik is in Stavanger for the weekend, visiting friends.") == 0.0


def test_origin_after_the_place_ages_ahead_and_trades():
    assert score({"hometown": "Port Augusta, South Australia"}, "Drive into Whyalla, where I grew up, and you know you're home.", "Do you get home much?") >= 0.5
    assert score({"hometown": "Port Augusta, South Australia"}, "Drive into Port Augusta, where I grew up.", "Do you get home much?") == 0.0
    assert score({"age": "42"}, "By God's grace, before I clock fifty next year, the shop go open.") >= 0.5
    assert score({"age": "42"}, "Before I hit 43 next month I want that shop open.") == 0.0
    assert score({"job": "phone repairer with a kiosk in Kejetia market"}, "Just tell me the truth. I'm a phone doctor, not a pastor.") == 0.0
    assert score({"pet": "Nip, a rough-coated ratting terrier"}, "That be Nip. Killed nine-and-forty rats in the hay-loft one Saturday.", "Is that your dog?") == 0.0


def test_counts_of_ones_own_things_against_earlier_turns_and_the_facts():
    ledger = ClaimLedger({"job": "lock-keeper on the Caen Hill flight since 1872 (22 years)"}, "", "Pat Doe")
    earlier = ledger.consistent_claims([(2, "No o! My two apprentices, Yaw and Abena, they are learning fast.", "Do you work alone?")])
    more = ledger.conflicts(ledger.extract("All three of my apprentices will be here, Yaw, Abena and Kofi.", 4, "Saturday?"), earlier)
    assert factual_score(more) >= 0.5 and more[0].reference.turn == 2
    same = ledger.conflicts(ledger.extract("Both of my apprentices will be here, and my two cousins too.", 4, "Saturday?"), earlier)
    assert factual_score(same) == 0.0
    assert score({"job": "lock-keeper on the Caen Hill flight since 1872 (22 years)"}, "Two-and-thirty year on the one lock, the same gates.", "Do you tire of it?") > 0.0
    assert score({"job": "lock-keeper on the Caen Hill flight since 1872 (22 years)"}, "Two-and-twenty year on the one lock.", "Do you tire of it?") == 0.0
