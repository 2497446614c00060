"""Dated events: the year something happened in the persona's life, and a reply that moves it.

The facts and backstory often date the turns of a life: "Staf died of a heart attack in the
wheelhouse in 2011", "they came to London in 1989", "In 1869 she married Jacob Penhallow". A slip
moves one: "Since Staf went in '16", "when I came to London in 2003", "he were took in '91".

:func:`events_from` reads dated events — what happened (:data:`KINDS`), to whom (the persona, or
a named person of the family), the year, and for a move where to — from the facts and the
backstory; :func:`event_claims` finds the same kind of event, of the same person, in a reply and
reports a year two or more away from every year the facts give it. A two-digit year ("'16") is
read in the century that puts it nearest the fact's year.

Only links a reader would make count: the event's verb with its subject right before it ("Staf
went", "he were took", "when I came to London"; "he" is the last person of the family named in the
sentence or the one before), and a year in the same sentence nearer that verb than any other;
"went" and "took" mean dying only of a person the facts say died; a move is compared only with a
move to the same place (or, said with no place, when the facts date one move). A reported,
hypothetical or negated event claims nothing; "about", "around" or "or so" widen the tolerance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from drifttui.drift.kin import FEMALE, MALE, Kin, mentions
from drifttui.drift.patterns import HYPOTHETICAL, REPORTED
from drifttui.drift.places import places_compatible
from drifttui.drift.text import expand_contractions, fold_quotes, is_negated, sentences, words_to_digits

SELF = "self"
KINDS = ("death", "marriage", "move", "birth", "retirement", "opening", "meeting")
"""What can be dated. A death is always someone else's; the rest are the persona's own, or a named person's."""

TOLERANCE = 2
"""Years apart before a date is a contradiction ("'12" for 2011 is a slip of memory, not of fact)."""
HEDGED_TOLERANCE = 4
"""The same when the reply hedges ("about '85", "'89 or so")."""

_FULL_YEAR = r"1[5-9]\d\d|20[0-4]\d"
"""A four-digit year a persona's life can hold (1500–2049)."""
_YEAR = re.compile(rf"(?<![\w'’£$#.,])(?P<full>{_FULL_YEAR})(?![\w'’%-])|(?<![\w'’])['’](?P<short>\d\d)(?![\w'’%-])|\b(?P<ago>\d{{1,2}}) years? (?:ago|back)\b")
"""A year: "2011", "'16", or "four years ago" (read against the year the persona lives in)."""
_PLACE = r"(?P<dest>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’-]+|upon|on|de|la))*)"
_VERBS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("death", re.compile(r"\b(?:died|dies|left us|left this world|passed(?:\s+(?:away|on|over))?|(?:was|were|got)\s+(?:killed|took|taken|lost)|killed(?=\s+(?:by|in|at|when|during)\b)|drowned|(?:lost|buried)\s+(?P<obj>him|her))\b", re.I)),
    ("death", re.compile(rf"\b(?:went|gone)(?=\s*,?\s*(?:back\s+)?in\s+(?:the\s+\w+\s+of\s+)?(?:{_FULL_YEAR}|['’]\d\d)\b)", re.I)),
    ("marriage", re.compile(r"\b(?:married|wed|wedded|got\s+hitched|tied\s+the\s+knot)\b", re.I)),
    ("move", re.compile(rf"\b(?i:came|come|moved|arrived|emigrated|settled)\b(?:\s+(?i:over|out|down|up|back|here|west|east|north|south))?(?:\s+(?i:to|in|into)\s+{_PLACE})?")),
    ("birth", re.compile(r"\b(?:was|were)\s+born\b", re.I)),
    ("retirement", re.compile(r"\bretired\b", re.I)),
    ("opening", re.compile(r"\b(?:opened|founded|set\s+up)\b", re.I)),
    ("meeting", re.compile(r"\bmet\b", re.I)),
)
_BETWEEN = r"(?:\s+(?:had|has|have|was|were|got|finally|only|just|first|then|all|both|eventually|nearly)){0,3}\s+"
"""Words that may stand between a subject and its verb: "Amos had finally", "we first"."""
_PARTNER_WORDS = r"husband|wife|man|missus|fella|partner|other half|hubby|old man|old lady"
_SELF_WORDS = r"I|we|me|us"
_PRONOUNS = r"he|she"
_HEDGE = re.compile(r"\b(?:about|around|circa|roughly|maybe|perhaps|must have been|sometime|some time|or so|ish|give or take|I think|early|late|mid)\b", re.I)


@dataclass(frozen=True)
class Event:
    """One dated event of the persona's facts or backstory.

    Attributes:
        kind: One of :data:`KINDS`.
        who: :data:`SELF` or the family member's name, lowercase.
        year: When.
        place: Where to, for a move ("" when not said).
        source: The fact or backstory sentence it was read from.
        key: The fact's key, or ``backstory``.
    """

    kind: str
    who: str
    year: int
    place: str
    source: str
    key: str


def _read_year(m: re.Match[str], near: int | None = None, present: int | None = None) -> int | None:
    if m.group("full"):
        return int(m.group("full"))
    if m.group("ago"):
        return present - int(m.group("ago")) if present is not None else None
    return near_century(int(m.group("short")), near)


def near_century(short: int, near: int | None) -> int:
    """A two-digit year ("'16") in the century that puts it nearest ``near`` (the 1900s when there is nothing to be near)."""
    if near is None:
        return 1900 + short
    return min((c * 100 + short for c in (near // 100 - 1, near // 100, near // 100 + 1)), key=lambda y: abs(y - near))


def years_apart(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> int:
    """How far apart two said years are, each ``(full year, two digits)``: a two-digit year is read near the other's full
    one, two two-digit years around the century."""
    (full_a, short_a), (full_b, short_b) = a, b
    if full_a is not None and full_b is not None:
        return abs(full_a - full_b)
    if full_a is not None or full_b is not None:
        full, short = (full_a, short_b) if full_a is not None else (full_b, short_a)
        return abs(full - near_century(short, full))
    d = abs(short_a - short_b)
    return min(d, 100 - d)


class _Reader:
    """Finds event verbs with their subject and year in one text (a fact, the backstory or a reply).

    Args:
        kin: The persona's family (:func:`~drifttui.drift.kin.kin_from_facts`).
        self_names: The persona's own name, as the backstory writes it.
        persona_female: The backstory's pronoun for the persona (None: a reply, or not known).
        fact: Reading one fact's text: an event with no subject is the persona's ("married 2009"),
            or a death of the one person the fact names ("husband Amos, a coal loader, killed … in 1927").
    """

    def __init__(self, kin: Mapping[str, Kin], self_names: Iterable[str] = (), persona_female: bool | None = None, *, fact: bool = False) -> None:
        self.kin = kin
        self.self_names = {n.lower() for n in self_names if n}
        self.persona_female = persona_female
        self.fact = fact
        partners = {k.name.lower() for k in kin.values() if k.slot == "partner"}
        self.partner = next(iter(partners)) if len(partners) == 1 else None
        alt = "|".join(re.escape(n) for n in sorted({*kin, *self.self_names}, key=len, reverse=True))
        name = rf"\b(?P<name>{alt})\b|" if alt else ""
        own = _SELF_WORDS + ("|they" if persona_female is not None or fact else "")  # the backstory's "they came to London": the persona and spouse
        self.subject = re.compile(rf"(?:{name}\b(?P<self>{own})\b|\b(?P<pro>{_PRONOUNS})\b|\bmy\s+(?:late\s+|poor\s+|dear\s+)?(?P<rel>{_PARTNER_WORDS})\b)", re.I)
        self.last_named: str | None = None  # the last person of the family named in an earlier sentence

    def _person(self, name: str) -> str:
        lowered = name.lower()
        return SELF if lowered in self.self_names else self.kin[lowered].name.lower()

    def _named(self, text: str) -> list[str]:
        """The people of the family ``text`` names, in order (lowercase names)."""
        found = [self._person(s.group("name")) for s in self.subject.finditer(text) if s.groupdict().get("name")]
        return [n for n in found if n != SELF]

    def _gender_fits(self, word: str, who: str) -> bool | None:
        person = next((k for k in self.kin.values() if k.name.lower() == who), None)
        if person is None or person.kind is None:
            return None
        return person.kind in (FEMALE if word.lower() in ("she", "her") else MALE)

    def _pronoun(self, word: str, named_here: list[str]) -> str | None:
        """Who "he"/"she" is: a person of that sex named earlier in the sentence, the persona (in the backstory), the last person named."""
        for who in reversed(named_here):
            if self._gender_fits(word, who):
                return who
        female = word.lower() in ("she", "her")
        if self.persona_female is not None and female == self.persona_female:  # the backstory's "she" is the persona
            return SELF
        if self.last_named is not None and self._gender_fits(word, self.last_named) is not False:
            return self.last_named
        return None

    def events(self, text: str) -> list[tuple[str, str, re.Match[str], str, str, bool]]:
        """``(kind, who, year match, place, sentence, hedged)`` for each dated event of ``text``."""
        out: list[tuple[str, str, re.Match[str], str, str, bool]] = []
        for sentence in sentences(fold_quotes(text)):
            e = words_to_digits(expand_contractions(sentence))
            if sentence.rstrip().endswith("?"):
                self.last_named = (self._named(e) or [self.last_named])[-1]
                continue
            verbs: list[tuple[int, int, str, str, str]] = []
            for kind, pattern in _VERBS:
                for m in pattern.finditer(e):
                    if kind == "move" and not m.group("dest") and not re.match(r"\s*(?:from|to|in)\b", e[m.end() :]) and len(m.group(0).split()) == 1:
                        continue  # "came" alone is not a move: "it came in '98", "come in"
                    who = self._subject_of(e, m, kind)
                    if who is not None:
                        verbs.append((m.start(), m.end(), kind, who, m.groupdict().get("dest") or ""))
            for year in _YEAR.finditer(e) if verbs else ():
                if re.search(r"\b(?:a|an|the|my|his|her|our|their|your)\s+$", e[: year.start()], re.I):
                    continue  # "a 1784 clapboard house", "his 1938 Plymouth": a thing's year
                start, end, kind, who, place = min(verbs, key=lambda v: _distance(v, year))
                if _distance((start, end), year) > MAX_GAP:
                    continue
                prefix = e[:start]
                if REPORTED.search(prefix) or HYPOTHETICAL.search(prefix) or is_negated(e[:end]):
                    continue
                hedged = bool(_HEDGE.search(e[max(0, year.start() - 20) : year.end() + 12]))
                out.append((kind, who, year, place, sentence, hedged))
            named = self._named(e)
            if named:
                self.last_named = named[-1]
        return out

    def _subject_of(self, e: str, m: re.Match[str], kind: str) -> str | None:
        named_here = self._named(e[: m.start()])
        if m.groupdict().get("obj"):  # "we lost him in '98"
            who = self._pronoun(m.group("obj"), named_here)
        else:
            before = [s for s in self.subject.finditer(e[: m.start()]) if re.fullmatch(_BETWEEN, e[s.end() : m.start()])]
            if not before and re.search(r"\b(?:and|then)\s+$", e[: m.start()]):
                before = list(self.subject.finditer(e[: m.start()]))[-1:]  # "She was born in Accra and came to London in 1989"
            if before:
                first = before[-1]
                who = (
                    self._person(first.group("name")) if first.groupdict().get("name")
                    else SELF if first.group("self")
                    else self.partner if first.group("rel")
                    else self._pronoun(first.group("pro"), named_here)
                )  # fmt: skip
            elif self.fact:
                everyone = {k.name.lower() for k in self.kin.values() if re.search(rf"\b{re.escape(k.name)}\b", e)}
                who = (everyone.pop() if len(everyone) == 1 else None) if kind == "death" else SELF
            else:
                return None
        if who is None:
            return None
        if kind == "marriage" and who == self.partner:
            return SELF  # "Ruth and I married", "Jacob married me": the persona's own wedding
        if kind == "death" and who == SELF:
            return None
        if kind == "death" and m.group(0).split()[0].lower() in ("went", "gone", "was", "were", "got") and not any(k.name.lower() == who for k in self.kin.values()):
            return None
        return who


MAX_GAP = 70
"""Characters at most between an event's verb and its year ("Albert was killed when a boiler burst at the mill in 1887": 38)."""


def _distance(verb: tuple[Any, ...], year: re.Match[str]) -> int:
    """How far a year is from a verb; a year before its verb ("In 1998 she opened…") counts three times as far."""
    start, end = verb[0], verb[1]
    return year.start() - end if year.start() >= end else 3 * (start - year.end()) if year.end() <= start else 0


def _persona_female(backstory: str) -> bool | None:
    she = len(re.findall(r"\b(?:she|her)\b", backstory, re.I))
    he = len(re.findall(r"\b(?:he|him|his)\b", backstory, re.I))
    return True if she > he else False if he > she else None


def events_from(facts: Mapping[str, str], backstory: str, kin: Mapping[str, Kin], name: str = "") -> list[Event]:
    """The dated events of a persona's facts (``Persona.facts``) and backstory."""
    self_names = [w for w in re.findall(r"[A-ZÀ-ÖØ-Þ][\w'’-]+", fold_quotes(name)) if len(w) > 2][:1]
    female = _persona_female(backstory)
    out: list[Event] = []
    texts = [(key, _key_sentence(key, str(value)) if re.fullmatch(r"\s*\d{4}\s*", str(value)) else str(value)) for key, value in facts.items()]
    for key, text in [*texts, ("backstory", backstory or "")]:
        reader = _Reader(kin, self_names, female, fact=key != "backstory")
        for kind, who, year, place, sentence, _hedged in reader.events(text):
            if year.group("full"):
                out.append(Event(kind, who, int(year.group("full")), place, sentence if key == "backstory" else str(facts[key]), key))
    return out


def present_year(facts: Mapping[str, str], backstory: str = "", today: int | None = None) -> int | None:
    """The year the persona lives in: a ``year`` (or ``era``, ``date``) fact, a year the city fact is set in
    ("Bolton, in 1893"), else this year if the facts or backstory name a year of the last 25; None when unknown."""
    for key in ("year", "era", "date", "current_year", "present"):
        m = re.search(rf"\b({_FULL_YEAR})\b", str(facts.get(key, "")))
        if m:
            return int(m.group(1))
    m = re.search(rf"\bin ({_FULL_YEAR})\b", str(facts.get("city", "")))
    if m:
        return int(m.group(1))
    today = today or date.today().year
    years = [int(y) for y in re.findall(rf"\b({_FULL_YEAR})\b", " ".join([backstory or "", *map(str, facts.values())]))]
    return today if years and max(years) >= today - 25 and max(years) <= today else None


MARRIAGE_WORDS = frozenset({"marri", "marriage", "wed", "wedd", "anniversary"})
"""Stems (:func:`drifttui.drift.answers._stems`) of the words that make "N years" a marriage's length."""


def marriage_spans(events: Iterable[Event], present: int | None) -> list[tuple[int, str, frozenset[str], str]]:
    """How long the persona has been married, from the year the facts date the wedding and :func:`present_year`:
    counted details ``(years, "year", context stems, source)`` for "Twenty-five years come October" answering
    "How long have you been married?" (the ledger's counted details, :func:`drifttui.drift.answers._counts`)."""
    if present is None:
        return []
    return [(present - e.year, "year", MARRIAGE_WORDS, e.source) for e in events if e.kind == "marriage" and e.who == SELF and 0 < present - e.year < 90]


def _key_sentence(key: str, year: str) -> str:
    """A fact that is only a year, read as the persona's: ``arrived_in_london = "1989"`` → "I arrived in London in 1989"."""
    words = key.replace("_", " ").split()
    return "I " + " ".join(w.title() if i and words[i - 1] in ("in", "to", "at") else w for i, w in enumerate(words)) + f" in {year.strip()}."


def same_place(a: str, b: str) -> bool | None:
    """Whether two places an event names can be the same (None: either is not said)."""
    if not a or not b:
        return None
    same = places_compatible(a, b)
    return same if same is not None else a.lower().split()[0] == b.lower().split()[0]


def event_claims(text: str, events: Iterable[Event], kin: Mapping[str, Kin], add: Callable[..., None], question: str | None = None, present: int | None = None) -> None:
    """Call ``add(slot, value, quote, **attrs)`` for each dated event of ``text`` the facts date two or more years apart.

    Slot ``other:when``; attrs ``being`` (who), ``expected`` (the facts' year), ``source`` (the fact's text), ``fact`` (its
    key), ``what`` (one readable reason). An event the facts do not date is a claim of slot ``when`` (attrs ``kind``,
    ``who``, ``place``, ``year`` or the two digits ``short``, ``hedged``), held to what earlier replies said
    (:meth:`~drifttui.drift.factual.ClaimLedger._cmp_when`): "we came to London in '89", then "when I came in 2003".
    """
    events = list(events)
    reader = _Reader(kin)
    asked = [k for alias, k in kin.items() if question and mentions(alias, fold_quotes(question))]
    if len({k.name for k in asked}) == 1:
        reader.last_named = asked[0].name.lower()
    reported: set[tuple[str, str]] = set()
    for kind, who, year, place, sentence, hedged in reader.events(text):
        known = [ev for ev in events if ev.kind == kind and ev.who == who]
        if kind == "move":
            if place:
                known = [ev for ev in known if same_place(place, ev.place)]
            elif len({ev.year for ev in known}) > 1:
                continue
        if not known:
            year_said = None if year.group("short") else _read_year(year, None, present)
            short = int(year.group("short")) if year.group("short") else None
            if year_said is not None or short is not None:
                add("when", f"{kind} {who} {place}".strip(), sentence, kind=kind, who=who, place=place, year=year_said, short=short, hedged=hedged)
            continue
        if (kind, who) in reported:
            continue
        said = _read_year(year, known[0].year, present)
        tolerance = HEDGED_TOLERANCE if hedged else TOLERANCE
        if said is None or any(abs((_read_year(year, ev.year, present) or ev.year) - ev.year) < tolerance for ev in known):
            continue
        reported.add((kind, who))
        fact = known[0]
        person = "you" if who == SELF else who.title()
        what = f"{_describe(kind, person)} in {fact.year}, not {said}"
        add("other:when", f"{kind} {who} {said}", sentence, being=who, kind=kind, expected=str(fact.year), source=fact.source, fact=fact.key, what=what)


def _describe(kind: str, person: str) -> str:
    return {
        "death": f"{person} died",
        "marriage": f"{'you' if person == 'you' else person} married",
        "move": f"{person} moved",
        "birth": f"{person} {'were' if person == 'you' else 'was'} born",
        "retirement": f"{person} retired",
        "opening": f"{person} opened it",
        "meeting": f"{person} met",
    }[kind]
