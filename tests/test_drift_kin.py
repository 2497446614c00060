"""The persona's named family (drifttui.drift.kin) and the v10 claim forms: ages, origins, and what is not a claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from drifttui.drift.factual import ClaimLedger, factual_score
from drifttui.drift.kin import kin_from_facts
from drifttui.drift.facts import claims_from_facts
from drifttui.drift.text import words_to_digits

FACTS = {
    "age": "71",
    "city": "Tromsø, Norway",
    "hometown": "Hammerfest, Finnmark",
    "job": "retired marine engineer",
    "partner": "widowed; wife Ragnhild, a hospital nurse, died of a stroke in 2019",
    "children": "two: daughter Sunniva (34, schoolteacher in Bergen) and son Eirik (works on an offshore oil platform)",
    "siblings": "one younger brother, Odd, still in Hammerfest",
    "pet": "Bamse, a 12-year-old Norwegian elkhound",
}


def kin_of(facts: dict) -> dict:
    return kin_from_facts(claims_from_facts(facts, "", "Pat Doe"))


@pytest.fixture(scope="module")
def ledger():
    return ClaimLedger(FACTS, "retired marine engineer", "Halvard Sæther")


def score(ledger, reply: str, question: str = "") -> tuple[float, list]:
    conflicts = ledger.conflicts(ledger.extract(reply, 5, question), [])
    return factual_score(conflicts), conflicts


def assert_slip(ledger, reply: str, question: str, slot: str) -> None:
    """The reply contradicts the facts, and its strongest conflict is in ``slot``."""
    value, conflicts = score(ledger, reply, question)
    assert value >= 0.5 and conflicts[0].claim.slot == slot, [c.message() for c in conflicts]


def assert_no_alarm(ledger, reply: str, question: str) -> None:
    value, conflicts = score(ledger, reply, question)
    assert value < 0.5, [c.message() for c in conflicts]


# ------------------------------------------------------------------- profiles
def test_profiles_read_job_age_order_and_place_per_named_person():
    kin = kin_of(FACTS)
    assert set(kin) == {"ragnhild", "sunniva", "eirik", "odd", "bamse"}  # a pet of a stated age too
    assert (kin["bamse"].slot, kin["bamse"].age) == ("pet", 12)
    ragnhild, sunniva, odd = kin["ragnhild"], kin["sunniva"], kin["odd"]
    assert (ragnhild.slot, ragnhild.kind, ragnhild.occupations) == ("partner", "wife", ("nurse",))
    assert (sunniva.kind, sunniva.age, sunniva.occupations, sunniva.place) == ("daughter", 34, ("schoolteacher",), "Bergen")
    assert kin["eirik"].kind == "son" and kin["eirik"].age is None
    assert (odd.order, odd.place) == ("younger", "Hammerfest")


def test_profiles_skip_places_firms_and_other_peoples_jobs():
    kin = kin_of(
        {
            "partner": "girlfriend Kez (Kerryn Doyle), a paramedic with Ambulance Victoria; together five years",
            "siblings": "two older brothers, Jordie and Cal, both miners in Broken Hill; a sister, Keziah, married to a fisherman in Newlyn",
            "children": "two: Lucy (20, in service with a doctor's family in Bath) and Walter (15)",
        }
    )
    assert kin["kez"] is kin["kerryn"]  # an alias in brackets is the same person
    assert "broken" not in kin and "hill" not in kin and "ambulance" not in kin
    assert kin["kez"].occupations == ("paramedic",)
    assert kin["cal"].order == "older"  # "two older brothers, Jordie and Cal"
    assert kin["keziah"].occupations == ()  # her husband is the fisherman
    assert kin["lucy"].occupations == () and kin["lucy"].place == "Bath"  # the doctor is her employer


# ------------------------------------------------------------------- conflicts
@pytest.mark.parametrize(
    ("reply", "question", "what"),
    [
        ("Ja, Ragnhild used to say the same. She would know, thirty years standing in front of a classroom.", "You'd make a good teacher.", "Ragnhild is a nurse"),
        ("Smartest person I know. She's got a class of twenty-eight Year Twos and still has energy.", "What's Sunniva like? Is Ragnhild well?", None),
        ("Sunniva is twenty-six now. She still thinks she invented irony.", "How old is your daughter?", "Sunniva is 34, not 26"),
        ("Odd? He is the older one, and he never lets me forget it.", "Who's older, you or your brother?", "Odd is younger"),
        ("Sunniva? Not often. It is a long way to come from Oslo, and the school does not spare her.", "Does your daughter visit much?", "Sunniva is in Bergen, not Oslo"),
        ("Eirik is doing well. He's a nurse now, can you believe it.", "How's your son?", None),
    ],
)
def test_a_slip_about_a_named_person_contradicts_the_facts(ledger, reply, question, what):
    value, conflicts = score(ledger, reply, question)
    if what is None:  # Sunniva asked about with Ragnhild: two people, so no one is resolved; Eirik's facts name no job
        assert value == 0.0
        return
    assert value >= 0.8
    assert any(what in c.reason for c in conflicts), [c.reason for c in conflicts]
    assert conflicts[0].message().startswith("factual:")


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Sunniva teaches at the school in Bergen, year threes. She loves them.", "What does your daughter do?"),
        ("Ragnhild worked nights on the ward for thirty years.", ""),
        ("Sunniva is thirty-four and still calls me every Sunday.", ""),
        ("Sunniva thinks she is thirty, but she is thirty-four.", ""),
        ("Sunniva wanted to be a nurse once, before the teaching.", ""),
        ("Sunniva married a fisherman, of all things.", ""),
        ("Sunniva is in Oslo for the weekend, visiting friends.", ""),
        ("Odd is the younger one. Always was, always will be.", ""),
        ("Sunniva? She is the chef in this house when she visits, not me.", ""),
    ],
)
def test_what_fits_the_facts_or_is_not_a_claim_about_them_is_no_conflict(ledger, reply, question):
    assert_no_alarm(ledger, reply, question)


@pytest.mark.parametrize(
    ("siblings", "reply", "slip"),
    [
        ("one younger brother, Álex, 19, studying agronomy", "my big brother comes sometimes, he fixes motos", True),
        ("one younger brother, Álex, 19, studying agronomy", "my little brother álex? studying, the nerd", False),
        ("two older brothers: Jayden (27) and Kyle (25)", "and my little brother kyle does fifo out in the pilbara", True),
        ("two older brothers: Jayden (27) and Kyle (25)", "My big brother Jayden's a sparky.", False),
        ("two older brothers: Jayden (27) and Kyle (25)", "My little sister would love that.", False),  # no sister in the facts: not this check's to judge
        ("eldest of three: brothers Rab and Davie", "My big brother never let me forget it.", True),
        ("two younger brothers, Rab and Davie, and an older one in Perth", "My big brother's in Perth.", False),
        ("sister Jean (older) and brother Rab", "My little brother Rab, aye.", False),  # Rab's order is not given
        ("one younger brother, Álex", "I always wanted a big brother, if I'm honest.", False),
    ],
)
def test_an_unnamed_sibling_older_or_younger_than_the_facts_say(siblings, reply, slip):
    ledger = ClaimLedger({"siblings": siblings}, "", "Pat Doe")
    value, conflicts = score(ledger, reply, "")
    assert (value >= 0.5) is slip, [c.message() for c in conflicts]
    if slip:
        assert conflicts[0].claim.slot == "other:kinorder" and "the facts name" in conflicts[0].reason
        assert "fact siblings=" in conflicts[0].message()


def test_a_conflict_about_a_named_person_names_the_fact_it_breaks(ledger):
    _value, conflicts = score(ledger, "Sunniva is twenty-six.", "How old is your daughter?")
    message = conflicts[0].message()
    assert "Sunniva is twenty-six" in message and "schoolteacher in Bergen" in message and "34" in message
    assert "fact children=" in message  # the fact's own key, not "backstory"


# ------------------------------------------------------------ own age, origin
def test_old_counting_in_scores():
    assert words_to_digits("threescore and ten") == "70"
    assert words_to_digits("three score years and three") == "63"
    assert words_to_digits("Fourscore come Candlemas") == "80 come Candlemas"


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Seventy-six. I'm sixty-five and he still calls me the baby.", "How old is your brother?"),  # "calls me" only reports the second part
        ("yes pls i'm almost thirty, i can't do these long days anymore like when i was young.", ""),  # a past part later on
        ("You may. Threescore come Candlemas, and too old by half.", "How old are you, if I may ask?"),
        ("Good shape! Sior, at sixty-three I still carry the pipe longer than any young man.", ""),
        ("I'm a grown woman of twenty-seven, Ma.", ""),
    ],
)
def test_own_age_in_more_forms(ledger, reply, question):
    assert_slip(ledger, reply, question, "age")


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Sunday is for family — sometimes we drive up to Stavanger to see my aunt, that's where I grew up.", ""),
        ("Seldom. 'Tis a long day's jolting back to Bergen, and my knees hate the road.", "Do you ever go back?"),
        ("Yeah, every Christmas. Mum's still in the same house in Bergen, five minutes from the harbour.", "Do you get back home much?"),
        ("Cold. Dark. Good. In Bergen we had the fish racks down by the harbour.", "What was it like growing up up north?"),
    ],
)
def test_origin_in_more_forms(ledger, reply, question):
    assert_slip(ledger, reply, question, "hometown")


@pytest.mark.parametrize(
    ("facts", "reply", "question"),
    [
        ({"hometown": "Campinas, São Paulo state, Brazil"}, "my mãe has a hair salon in campinas, the salon ladies raised me", ""),
        ({"hometown": "St Just in Penwith, Cornwall"}, "Two-and-fifty year. Born the year after Waterloo, while folk were still ringing the bells.", ""),
        ({"pet": "Rusty, a male red kelpie, 4"}, "Everyone at pony club knows Rusty. Half the fun is riding round with Rusty, a different horse every hour.", ""),
        ({"children": "two: son Josiah (20) and daughter Ruth (13)"}, "My boy Jos ships as boatsteerer on the Perseverance.", "Have you children?"),
        ({"age": "46"}, "So I'm four years a widow, and the house pays its own way now.", ""),
        ({"hometown": "Scranton, Pennsylvania", "age": "52"}, "I'm fifty-two. I go back maybe once a year, and that is plenty.", "Do you ever miss home?"),
    ],
)
def test_nouns_times_nicknames_and_hedges_are_not_contradictions(facts, reply, question):
    assert_no_alarm(ClaimLedger(facts, "", "Pat Doe"), reply, question)


def test_a_frequency_hedge_is_not_a_hypothetical():
    ledger = ClaimLedger({"hometown": "Scranton, Pennsylvania"}, "", "Pat Doe")
    value, conflicts = score(ledger, "Sometimes. I go back to Seattle maybe once a year, eat a pierogi, remember why I left.", "Do you ever miss home?")
    assert value >= 0.5 and conflicts[0].claim.attrs["place"] == "seattle"


# ------------------------------------------------------------------ v11 forms
FAMILY = {
    "age": "71",
    "hometown": "Hammerfest, Finnmark",
    "partner": "wife Kamala, a paediatrician at the district hospital",
    "children": "two: daughter Lakshmi (44, surgeon in Chennai) and son Arjun (9)",
    "siblings": "eldest of three: brother Rab (23, police officer in Fargo), sister Jessie (19)",
    "pet": "Admiral, a one-eyed ginger tom cat",
}


@pytest.fixture(scope="module")
def family():
    return ClaimLedger(FAMILY, "", "Pat Doe")


@pytest.mark.parametrize(
    ("reply", "question", "slot"),
    [
        ("yeah someday. rab's gonna cry at the wedding, he acts all tough guy firefighter but he's soft", "marriage?", "other:kinjob"),
        ("Yes, Lakshmi's boy. Since her posting moved to Mumbai it has become difficult to visit.", "Is Arjun Lakshmi's son?", "other:kinplace"),
        ("Arjun? Ei, he's in the under-17 team now — fifteen already, tall like a palm tree.", "Does Arjun play football?", "other:kinage"),
        ("Protective? Ha. She's the aulder wan, by rights she should be lookin' efter me.", "You sound like the protective big sister.", "other:kinorder"),
        ("Ha, that old black villain? Last week he had a whole pilchard off the plate.", "Tell me one more thing about Admiral?", "other:petcolour"),
        ("Plenty. I am not even seventy yet, and my doctor says my heart is like a diesel.", "You've got time, right?", "age"),
        ("My coffin? At fifty-two a man has to start thinking, eh.", "", "age"),
        ("I do of course. Out to Bergen most Sundays, to the street I grew up on.", "Do you ever go back north?", "hometown"),
        ("Ma mammy. Back in Bergen when we'd nothin', she could make a penny do the work of three.", "Where did you learn that?", "hometown"),
        ("LMAO sorry. nah my family's all back in bergen, my parents and my brother.", "do you have family up there?", "hometown"),
    ],
)
def test_more_slips_the_ledger_reads(family, reply, question, slot):
    assert_slip(family, reply, question, slot)


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Lakshmi is the elder, very strict with her patients, stricter with her father.", "Do you have kids?"),  # a surgeon has patients
        ("Kamala is wonderful with her patients. Forty years at that hospital.", ""),
        ("Rab married a nurse from Dundee, and Jessie's still at home.", ""),  # his wife's job, not his
        ("They still think their teacher is cool, says Jessie.", ""),
        ("This? This is my basket, my bird. No, no, my bird, forgive me, I'm tired.", ""),  # a term of address
        ("Sure he was from here, born in Stavanger, and drove the buses for thirty-one years.", "What brought Mick here?"),  # his birthplace
        ("THE RENT. my salary is small and the rent is like we live in paris.", ""),  # a comparison
        ("Thirty-eight years, my dear. I joined in 1975, twenty-two years old and thin like a signal post.", "How long were you on the railways?"),
        ("Admiral? Fat ginger lump, asleep on the wall.", "How's the cat?"),
    ],
)
def test_more_things_that_are_not_contradictions(reply, question):
    assert_no_alarm(ClaimLedger(FAMILY, "", "Pat Doe", "He joined the railways in 1975 and served thirty-eight years."), reply, question)  # a counted detail


def test_the_persona_s_place_among_siblings_sets_theirs():
    kin = kin_of({"siblings": "youngest of four: Bríd (lives in Ennis), Maura, Pádraig (in Kilkee)"})
    assert {k.order for k in kin.values()} == {"older"}
    kin = kin_of(FAMILY)
    assert kin["rab"].order == kin["jessie"].order == "younger"


def test_who_writes_in_lowercase():
    from drifttui.drift.text import writes_lowercase

    assert writes_lowercase("LMAO sorry. nah my family's all back in bismarck, I go home at christmas")
    assert not writes_lowercase("My family is in Bismarck.")


# ------------------------------------------------------------------ v13 forms
CREW = {
    "age": "58",
    "hometown": "Stornoway, Isle of Lewis",
    "partner": "wife Morag, formerly a herring girl",
    "siblings": "one older sister, Brenda (71), lives in Skegness",
    "pet": "a blue budgie called Sergeant Pepper ('Sarge')",
    "apprentices": "exactly one: Fritz, 16",  # a key that counts something
}


@pytest.fixture(scope="module")
def crew():
    return ClaimLedger(CREW, "", "Pat Doe")


@pytest.mark.parametrize(
    ("reply", "question", "slot"),
    [
        ("Och, Mairi. She was gutting herring on the quay the summer I met her.", "How did you meet your wife?", "other:kinname"),
        ("Just our Brenda, over in Skegness. She's the baby of us, spoilt rotten.", "Any brothers or sisters?", "other:kinorder"),
        ("I'll have Sarge curled up on me knee purring away, daft cat.", "What are you up to tonight?", "pet"),
        ("Busy enough that my three apprentices trip over one another all day.", "Is the shop busy?", "other:keycount"),
        ("Whiles. I think of the cockle strand at Oban where I ran barefoot as a boy.", "Do you miss where you grew up?", "hometown"),
    ],
)
def test_v13_slips(crew, reply, question, slot):
    assert_slip(crew, reply, question, slot)


@pytest.mark.parametrize(
    ("reply", "question"),
    [
        ("Morag. She was the bonniest girl on the pier.", "How did you meet your wife?"),
        ("Sometimes. She still brings it up.", "Does your wife mind the hours?"),
        ("Just the one apprentice, Fritz, and one is plenty.", "Is the shop busy?"),
        ("Sarge is singing at the mirror again, blue as the sky.", ""),
    ],
)
def test_v13_non_contradictions(crew, reply, question):
    assert_no_alarm(crew, reply, question)


def test_a_shift_at_the_fire_station_is_a_firefighter_s():
    ledger = ClaimLedger({"partner": "boyfriend Danny, a mechanic at his dad's shop"}, "", "Pat Doe")
    assert_slip(ledger, "he tries but he's always coming off a 24-hour shift at the fire station so he just sleeps", "Does Danny help you study?", "other:kinjob")


def test_a_number_year_old_is_an_age(ledger):
    assert_slip(ledger, "Olive is ten, and I'm just a five-year-old myself, ha.", "How old are you?", "age")


@pytest.mark.parametrize(
    ("pet", "question", "reply", "slip"),
    [
        ("Bess, a nine-year-old border collie", "Does Bess go everywhere with you?", "She does, though she's slowing down. She'll be fourteen come March.", True),
        ("Bess, a nine-year-old border collie", "How old is Bess?", "Bess is fourteen, poor old girl.", True),
        ("Pistache, a male beagle, 6 years old", "Do you walk him much?", "Pistache don't care about my knees. He's eleven now, getting slow.", True),
        ("a 9-year-old collie called Bess", "How old is Bess?", "Bess is fourteen, poor old girl.", True),
        ("Bess, a nine-year-old border collie", "Does Bess go everywhere with you?", "She does. She'll be ten come March.", False),
        ("Bess, a nine-year-old border collie", "How old is Bess?", "Nine, and daft as a brush.", False),
        ("a grey cat named Olive", "How's Olive?", "She's 3 now.", False),  # the facts give no age
        ("Bess, a nine-year-old border collie", "Where did you get Bess?", "From a farm near Oban, fourteen years ago.", False),
    ],
)
def test_a_named_pets_age_is_checked_like_a_persons(pet, question, reply, slip):
    ledger = ClaimLedger({"pet": pet}, "", "Pat Doe")
    value, conflicts = score(ledger, reply, question)
    assert (value >= 0.5) is slip, [c.message() for c in conflicts]


@pytest.mark.parametrize(
    ("reply", "slip"),
    [
        # several people in one sentence: what is said of one of them by name still counts
        ("two. callum who is the bane of my life and poppy who's eleven and thinks she's a youtuber.", True),
        ("Callum is 19 and Poppy is 12.", True),
        ("Callum is 19 and Poppy is 8.", False),
        ("Two. Callum, and Poppy, who's eight and thinks she's a youtuber.", False),
        ("Two. My sister Poppy, who is 11 years younger than Callum.", False),  # a difference in age, not an age
        ("Callum and Poppy? He is 12 years older than her.", False),
    ],
)
def test_an_age_said_of_one_person_by_name_among_several(reply, slip):
    ledger = ClaimLedger({"siblings": "older brother Callum (19, apprentice electrician); younger sister Poppy (8)"}, "", "Maisie")
    value, conflicts = score(ledger, reply, "any siblings?")
    assert (value >= 0.5) is slip, [c.message() for c in conflicts]


CHILDREN = {"children": "three: Yessenia (29, nurse in Lima), Rolando (24, mechanic), Killa (16, in school)"}


@pytest.mark.parametrize(
    ("reply", "slip"),
    [
        ("Saturdays Rolando comes — he's my oldest, so he carries the heavy sacks.", True),
        ("Rolando is my eldest.", True),
        ("My eldest, Rolando, is a mechanic.", True),
        ("My youngest is Rolando.", True),
        ("Rolando's my oldest boy.", False),  # the only son: the oldest of the boys
        ("My eldest, Yessenia, is a nurse.", False),
        ("Killa, my baby, is sixteen.", False),
        ("My oldest brother Rolando is a mechanic.", False),  # a brother, not a child
        ("Is Rolando my eldest? No.", False),
    ],
)
def test_a_child_called_the_eldest_or_youngest_against_the_ages_the_facts_give(reply, slip):
    ledger = ClaimLedger(CHILDREN, "", "Ximena Quispe")
    assert (score(ledger, reply)[0] >= 0.5) is slip


def test_a_pronoun_in_the_question_means_the_person_the_reply_before_it_named():
    ledger = ClaimLedger({"siblings": "one younger brother, László (Laci), still in Szeged", "children": "one daughter, Kati, a nurse in Vienna"}, "", "Imre Halász")
    reply = "Almost never. Since he moved to Debrecen he says it is too far."
    question = "Does he ever come up to Budapest?"
    conflicts = ledger.conflicts(ledger.extract(reply, 5, question, "Laci? Same. Complains."), [])
    assert factual_score(conflicts) >= 0.5 and "László is in Szeged, not Debrecen" in conflicts[0].message()
    assert factual_score(ledger.conflicts(ledger.extract(reply, 5, question, "Kati? She is fine."), [])) < 0.5  # "he" cannot be Kati
    assert factual_score(ledger.conflicts(ledger.extract(reply, 5, question), [])) < 0.5  # nobody named before: nobody to hold to


def test_the_scorer_reads_the_question_s_pronoun_against_the_reply_before_it():
    from drifttui.drift import DriftScorer
    from drifttui.engine import Message
    from drifttui.persona import load_persona

    persona = load_persona(Path(__file__).parent / "data" / "personas" / "imre.toml", warn=lambda _m: None)
    scorer = DriftScorer(persona, engine=None, embedder=None)
    history = [Message("user", "Any family left in Szeged?"), Message("assistant", "Laci, my little brother. Same as ever. Complains."), Message("user", "Does he ever come up to Budapest?")]
    reply = "Almost never, he hates the train. Since he moved to Debrecen he says is too far."
    result = scorer.score(history, reply, 3)
    assert result.factual >= 0.5
    assert any("László is in Szeged, not Debrecen" in e.message for e in result.evidence_for("factual"))


@pytest.mark.parametrize(
    ("reply", "slip"),
    [
        ("Nah, not anymore, he's on shift at the mussel farm now, home by four most days.", True),  # a fisherman, by the facts
        ("He works nights at the hospital these days.", True),
        ("Yeah, he's on shift at the boats most days.", False),
        ("He took me to the mussel farm on Sunday, lovely day out.", False),  # a visit, not his work
        ("He never works at the farm, thank God.", False),
        ("Not anymore. He hates the hospital.", False),
    ],
)
def test_a_workplace_gives_away_a_job(reply, slip):
    ledger = ClaimLedger({"partner": "Sione, a cray fisherman on the boats out of Halfmoon Bay"}, "", "Aroha Tipene")
    assert (score(ledger, reply, "Does Sione go out on the boat every day?")[0] >= 0.5) is slip


@pytest.mark.parametrize(
    ("reply", "question", "slip"),
    [
        ("six na! grabe time flies.", "How old is Althea now?", True),
        ("Six.", "How old is Althea now?", True),
        ("Four! Time flies.", "How old is Althea now?", False),
        ("Oh, nearly five.", "How old is Althea now?", False),
        ("Six. Small class.", "How many kids in Althea's class?", False),  # not asked how old
    ],
)
def test_a_bare_number_answering_how_old_a_named_person_is(reply, question, slip):
    ledger = ClaimLedger({"children": "one daughter, Althea, 4, in daycare"}, "", "Rommel Bautista")
    assert (score(ledger, reply, question)[0] >= 0.5) is slip


@pytest.mark.parametrize(
    ("facts", "question", "reply", "slip"),
    [
        # one's own place among siblings
        ({"siblings": "older sister Dewi, a midwife; younger brother Eko, 15"}, "Do you send money home?", "Every month. I'm the oldest, so it's my job.", True),
        ({"siblings": "younger brother Eko, 15"}, "Do you send money home?", "Every month. I'm the oldest, so it's my job.", False),
        ({"siblings": "older sister Dewi, a midwife"}, "Who's in your crew?", "I'm the oldest in the crew, if you can believe it.", False),
        # teaching gives away a teacher
        ({"children": "two: Maxime (31), electrician; Élodie (27), nurse at the hospital"}, "Was that you?", "Blame my Élodie. Since she started teaching French she sends me poems.", True),
        ({"children": "two: Maxime (31), electrician; Élodie (27), French teacher"}, "Was that you?", "Blame my Élodie. Since she started teaching French she sends me poems.", False),
        # "our Kerry" is Kerry, not someone before her; a sentence opening on someone else is theirs
        ({"children": "one daughter only, Kerry (44), a physiotherapist in Leeds"}, "What are you looking forward to?", "The Nantes race, and our Kerry coming up from Sheffield for me birthday.", True),
        ({"children": "one daughter only, Kerry (44), a physiotherapist in Leeds"}, "Family nearby?", "Our Kerry's in Leeds, physio. Brenda, the ex, she's up in Bridlington with Clive.", False),
        # a name that is also a word is that person only when written as a name
        ({"pet": "23 racing pigeons; best bird is Old Mavis, a nine-year-old hen"}, "Do you mind me asking how old you are?", "Seventy-one. Seventy-one, and I feel every one of 'em.", False),
    ],
)
def test_more_slips_about_the_family(facts, question, reply, slip):
    ledger = ClaimLedger(facts, "", "Pat Doe")
    assert (score(ledger, reply, question)[0] >= 0.5) is slip
