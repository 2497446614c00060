"""Dated events (drifttui.drift.dates): a reply that puts a death, a wedding or a move in another year."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from drifttui.drift.dates import events_from
from drifttui.drift.factual import ClaimLedger, factual_score
from drifttui.drift.kin import kin_from_facts

WIDOW = {"partner": "widowed; husband Tom died of a heart attack in 2011", "city": "Leeds"}
WIDOWER = {"partner": "widowed; his wife Ruth was killed in a car crash in 1998"}
MOVED = ({"job": "hairdresser"}, "She was born in Accra in 1961 and came to London in 1989 with two suitcases.")
MARRIED = ({"partner": "husband Jacob, a fisherman; married in 1969"}, "")
RETIRED = ({"job": "retired bus driver"}, "He drove the 38 for thirty years and retired in 2012.")
HISTORICAL = ({"partner": "widowed; husband Albert, killed in a boiler explosion at the mill in 1887", "year": "1893"}, "")


def _fires(facts: dict[str, str], backstory: str, reply: str, question: str | None = "How was he?") -> bool:
    ledger = ClaimLedger(facts, "", "Pat Doe", backstory)
    return factual_score(ledger.conflicts(ledger.extract(reply, 5, question), [])) >= 0.5


@pytest.mark.parametrize(
    ("facts", "backstory", "reply", "contradicts"),
    [
        (WIDOW, "", "Tom died in 2016, and the house has been quiet since.", True),
        (WIDOW, "", "Since Tom went in '16 I talk to his chair.", True),
        (WIDOW, "", "I lost my husband in 2005.", False),  # "lost" with no pronoun to hang on: not read
        (WIDOW, "", "My husband passed in '04, God rest him.", True),
        (WIDOW, "", "Tom built that shed the summer before he passed in '08.", True),
        (WIDOW, "", "Tom died in 2011, and the house has been quiet since.", False),
        (WIDOW, "", "Since Tom went in '11 I talk to his chair.", False),
        (WIDOW, "", "Tom died in 2012, or near enough.", False),  # a year out is memory, not fact
        (WIDOW, "", "Tom died, oh, about 2014 it must have been.", False),  # hedged: wider tolerance
        (WIDOW, "", "Tom went to Leeds in '16 for the match.", False),  # "went to": a trip, not a death
        (WIDOW, "", "My mother died in 1990.", False),  # someone the facts do not date
        (WIDOW, "", "If Tom had died in 2016 I'd never have met Sue.", False),
        (WIDOW, "", "My sister says Tom died in 2016, but she never remembers.", False),
        (WIDOWER, "", "Ruth passed away in 2003, after a long illness.", True),
        (WIDOWER, "", "Ruth passed away in 1998.", False),
        (WIDOWER, "", "Ruth and I married in 1971 and she died in '03.", True),
        (*MOVED, "When I came to London in 2003 I had nothing.", True),
        (*MOVED, "We moved to London in 1989, in the winter.", False),
        (*MOVED, "When I came to London in 1990 I had nothing.", False),
        (*MOVED, "My cousin came to London in 2003.", False),  # not the persona
        (*MOVED, "I moved to Brighton in 2003 for a year.", False),  # another move
        (*MOVED, "I was born in 1970, you know.", True),
        (*MOVED, "I was born in '61, same as my husband.", False),
        (*MARRIED, "We married in '72, in the chapel.", True),
        (*MARRIED, "Jacob and I got married in 1969 in the chapel.", False),
        (*MARRIED, "My daughter married in 1995.", False),  # someone else's wedding
        (*MARRIED, "We married in '72? No, it was '69.", False),  # a question: not a claim
        (*RETIRED, "I retired in 2005 and never looked back.", True),
        (*RETIRED, "I retired in 2012 and never looked back.", False),
        (*RETIRED, "They retired the old Routemasters in 2005.", False),
        (*HISTORICAL, "Albert played cornet right up till he were took in '91.", True),
        (*HISTORICAL, "Albert played cornet right up till he were took in '87.", False),
        (*HISTORICAL, "I bought this a 1891 shawl.", False),
        # "N years ago", against the year the persona lives in (this year, for a persona of today)
        ({"partner": "widowed; husband Zurab died in 2009"}, "", "Zurab left us four years ago this March.", True),
        ({"partner": "widowed; husband Zurab died in 2009"}, "", "Zurab left us seventeen years ago this March.", False),
        ({"partner": "widowed; husband Zurab died in 1909", "year": "1926"}, "", "Zurab died four years ago.", True),
    ],
)
def test_dated_events(facts, backstory, reply, contradicts):
    assert _fires(facts, backstory, reply) is contradicts


def test_events_are_read_from_facts_backstory_and_year_keys():
    facts = {"partner": "widowed; husband Chukwuemeka died of a stroke in 2015", "arrived_in_london": "1989"}
    backstory = (
        "Nkechi was born in Enugu in 1963. She married Chukwuemeka at twenty-four and they came to London in 1989. "
        "In 1998 she opened a salon on Rye Lane, and they moved into a 1930s house, a 1936 semi in Peckham."
    )
    events = events_from(facts, backstory, kin_from_facts(ClaimLedger(facts, "", "Nkechi Eze").facts), "Nkechi Eze")
    got = {(e.kind, e.who, e.year, e.place, e.key) for e in events}
    assert ("death", "chukwuemeka", 2015, "", "partner") in got
    assert ("move", "self", 1989, "London", "arrived_in_london") in got
    assert ("birth", "self", 1963, "", "backstory") in got
    assert ("move", "self", 1989, "London", "backstory") in got
    assert ("opening", "self", 1998, "", "backstory") in got
    assert not any(e.year == 1936 for e in events)  # "a 1936 semi": a thing's year, not an event's


def test_the_evidence_names_the_fact_and_both_years():
    ledger = ClaimLedger(WIDOW, "", "Pat Doe")
    (conflict,) = ledger.conflicts(ledger.extract("Since Tom went in '16 I talk to his chair.", 7), [])
    assert conflict.reference.attrs["key"] == "partner"
    assert "Tom died in 2011, not 2016" in conflict.message()


def test_an_event_the_facts_do_not_date_is_held_to_what_an_earlier_reply_said():
    ledger = ClaimLedger({"job": "hairdresser"}, "", "Nkechi Eze")
    earlier = ledger.consistent_claims([(1, "We came to London in 1989, with two suitcases.", "When did you come to London?")])
    assert [c.attrs["year"] for c in earlier if c.slot == "when"] == [1989]

    def fires(reply: str) -> float:
        return factual_score(ledger.conflicts(ledger.extract(reply, 5, "Tell me more"), earlier))

    (conflict,) = ledger.conflicts(ledger.extract("When I came to London in 2003 I had nothing.", 5), earlier)
    assert conflict.reference.turn == 1 and fires("When I came to London in 2003 I had nothing.") >= 0.5
    assert fires("We came to London in '03.") >= 0.5  # two digits, read near the earlier year
    assert fires("When I came to London in '90 I had nothing.") == 0.0  # a year out
    assert fires("When I moved to Leeds in 2003 I had nothing.") == 0.0  # another move
    assert fires("My cousin came to London in 2003.") == 0.0  # someone else's


def test_the_scorer_holds_a_date_to_the_chat_so_far():
    from drifttui.drift import DriftScorer
    from drifttui.engine import Message
    from drifttui.persona import load_persona

    persona = load_persona(Path(__file__).parent / "data" / "personas" / "nkechi.toml", warn=lambda _m: None)
    undated = dataclasses.replace(persona, facts={k: v for k, v in persona.facts.items() if k != "arrived_in_london"}, backstory="")  # only the chat dates the move
    scorer = DriftScorer(undated, engine=None, embedder=None)
    assert not [e for e in scorer.ledger.anchors.events if e.kind == "move"]
    history = [Message("user", "When did you open the salon?"), Message("assistant", "In 1998. But we came to London in 1989, my husband and I."), Message("user", "Was it hard at first?")]
    result = scorer.score(history, "When I came to London in 2003 I had nothing, just my combs.", 3)
    assert result.factual >= 0.5
    assert any("2003" in e.message for e in result.evidence_for("factual"))
