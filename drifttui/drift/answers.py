"""Claims a reply makes without saying them in a set form.

:mod:`~drifttui.drift.claims` finds claims stated the usual way ("I'm 34",
"I grew up in Porto", "my dog Bruno"). Real replies are often less tidy:

* answers — "Seventy-four come August." to "How old are you?"; "Little wheat
  town outside Wichita." to "Where'd you grow up?"; "Border collie, smart as a
  whip." to "Is Rusty a good dog?". The question says which fact the answer is
  about; the first sentences of the reply carry the value;
* cue sentences — "not since my eighty-fifth birthday", "growing up on my
  parents' farm in Iowa", "Sheffield born and raised", "my three boys",
  "I lowkey love horror games": a word that only fits one fact ("birthday",
  "growing up", a count of one's children, an item the persona is known to like
  or dislike) anchors the value next to it.

The persona's own facts supply anchors (:class:`Anchors`): the names of its
pets and family, the breeds of its pets, the things it likes and dislikes, and
counted or named details of its backstory ("sat on the bench for twenty-two
years", "the Little Moss series about a shy hedgehog"). Claims found here are
ordinary :class:`~drifttui.drift.claims.Claim` objects, a little weaker than
set-form ones, compared by the same ledger.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from drifttui.drift.breeds import breeds_in
from drifttui.drift.dates import MARRIAGE_WORDS, Event, event_claims
from drifttui.drift.kin import Kin, kin_claims, kin_from_facts
from drifttui.drift.lexicon import KIN_CHILD, KIN_PARTNER, KIN_SIBLING, SPECIES, count_of
from drifttui.drift.patterns import AI_SELF, HYPOTHETICAL, Q_AGE, Q_CITY, Q_HOME, REPORTED
from drifttui.drift.places import canonical_place, is_common, lookup
from drifttui.drift.text import content_words, expand_contractions, fold_quotes, is_negated, normalize, sentences, words_to_digits, writes_lowercase

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINAL_RE = re.compile(
    r"\b(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-])?(?P<word>" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b"
    r"|\b(?P<digits>\d{1,3})(?:st|nd|rd|th)\b",
    re.I,
)
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
FUTURE = re.compile(r"\b(?:next|will|going to|gonna|coming|upcoming|this (?:year|spring|summer|autumn|fall|winter|month|week)|soon|in (?:a|two|three|\d+) (?:weeks?|months?|days?))\b", re.I)

# what a question asks about (beyond the set-form patterns in drifttui.drift.patterns)
Q_SLOTS: dict[str, re.Pattern[str]] = {
    "age": re.compile(Q_AGE.pattern + r"|\bbirthday\b|\bwhat year were (?:you|u) born\b|\bhow young\b", re.I),
    "hometown": re.compile(Q_HOME.pattern + r"|\bmiss home\b|\bback home\b|\b(?:go|get|going|getting|head|come|coming) back(?: home)?(?: much| often| ever| at all| there| very often)?\s*\?|\bgo home\b|\bget home\b|\bhome ?town\b|\bchildhood\b|\braised\b|\bgrowing up\b|\bwhere (?:you|u) (?:grew up|were born|are from|come from)\b|\bwhere do (?:you|u) come from\b", re.I),
    "city": re.compile(Q_CITY.pattern + r"|\bwhere (?:you|u) live\b|\b(?:your|ur) (?:town|city|neighbou?rhood|village|area|part of the world|neck of the woods)\b|\bnear (?:you|u)\b|\blive (?:now|these days|nowadays)\b|\bwhere(?:abouts)? .{0,20}\blive\b|\bwhere(?:'s| is) (?:your |ur )(?:home|house|place)\b", re.I),
    "children": re.compile(r"\b(?:kids?|children|child|sons?|daughters?|boys|girls|twins|grand ?(?:children|kids|sons?|daughters?))\b", re.I),
    "partner": re.compile(r"\b(?:wife|husband|partner|married|marry|boyfriend|girlfriend|spouse|dating|single|seeing (?:any|some)one|significant other|other half|missus|hubby)\b", re.I),
    "siblings": re.compile(r"\b(?:brothers?|sisters?|siblings?)\b", re.I),
    "pet": re.compile(r"\b(?:pets?|animals?|" + "|".join(sorted((re.escape(w) for w in SPECIES), key=len, reverse=True)) + r")\b", re.I),
}  # fmt: skip

ORIGIN_CUE = re.compile(r"\b(?:born|raised|grew up|growing up|brought up|reared|hatched|hometown|home town|childhood|originally|native)\b|\b(?:I am|we are|I come|we come|I hail|I was|we were)\s+(?:\w+\s+){0,2}from\b", re.I)
HOME_CUE = re.compile(r"\b(?:I|we) (?:\w+ ){0,2}(?:live|lives|living|settled|moved (?:here|to)|stay)\b|\b(?:I|we) (?:\w+ ){0,2}(?:bought|rent|own) (?:a|the|our|my) (?:house|flat|place|home|cottage|apartment)\b|\bhere in\b|\b(?:my|our) (?:house|flat|apartment|home|place|cottage|terrace)\b|\bhome (?:now|these days)\b", re.I)
RETURN_CUE = re.compile(r"\b(?:I|we)\s+(?:\w+\s+){0,2}?(?:go|get|going|went|come|came|fly|flew|head|drive|drove|pop)\s+(?:back|home)\s+(?:up\s+|down\s+|over\s+)?to\s+$|\bback home (?:in|to)\s+$", re.I)
FAMILY_STILL = re.compile(r"\b(?:mum|mom|mam|mama|ma|mother|dad|father|parents|folks|family|gran|nan|granny)(?:'s| is| are)? (?:all |both )?(?:still (?:[\w'’]+ ){0,5}?(?:in|at)|back (?:home )?in) $", re.I)
"""Before the place the persona's family still lives, answering a question about home ("Mum's still in the same house in Byron")."""
BACK_TO = re.compile(r"\b(?:back|home) (?:up |down |over )?to\s+$", re.I)
"""Before a place the persona goes back to, answering a question about going home ("a long day's jolting back to Whitby")."""
THIRD_PERSON = re.compile(r"\b(?:he|she|they|his|her|their|it)\b|\b[A-Z][a-z]+(?:'s| is| was| lives| works)\b")
NEAR_CUE = re.compile(r"\b(?:outside|near|nearby|just out of|out of|north of|south of|east of|west of|close to|by|round|around|up from|down from)\s+$", re.I)
AWAY_CUE = re.compile(r"\b(?:to|visit|visited|visiting|trip|holiday|vacation|been to|went to|go to|going to|drive to|drove to|across|through|via|toward|towards|over|into|past|route|road|highway|haul|hauled|hauling)\s+(?:the\s+)?$", re.I)
_FEASTS = r"christmas|easter|\w+mas\b|whitsun(?:tide)?|lady day|hogmanay|new year|harvest|midsummer|hanukkah|diwali|eid|ramadan|passover|lent|advent|candlemas"
"""Feasts that date a birthday: "seventy-four come Christmas", "fifty-one last Whitsun"."""
DURATION_AFTER = re.compile(r"^\s*(?:years?|yrs?)\s+(?:on|of|in|at|as|with|behind|driving|working|teaching|married|together|since|ago|back|now|running|doing|making|playing)\b|^\s*(?:miles?|kids?|children|books?|times?|percent|%|dollars?|pounds?|quid|bucks|minutes?|hours?|days?|weeks?|months?|feet|foot|km|degrees?|people|sheep|ewes|head|of|o'clock|am|pm|a\.m|p\.m)\b", re.I)
AGE_AFTER = re.compile(rf"^\s*(?:years? (?:old|young|of age)|yrs? old|y/?o|and (?:counting|change)|,|\.|!|;|$|come (?:{MONTHS}|spring|summer|autumn|fall|winter|next|{_FEASTS})|this (?:year|spring|summer|autumn|fall|winter|month)|next (?:year|month|week|birthday|spring|summer|autumn|fall|winter)|in (?:{MONTHS})|on (?:{MONTHS}|the)|soon|now|going on|last (?:{MONTHS}|month|week|spring|summer|autumn|fall|winter|birthday|{_FEASTS})|(?:—|–|-)\s)", re.I)
AGE_BEFORE = re.compile(r"(?:^|\b(?:I am|I'm|am|turned|turning|be|will be|just|only|nearly|almost|about|around|roughly|pushing|barely|over|past|under|coming up on|age|aged|a ripe|a young|a spry|well|oh|um|uh|me|we are|both))\W*$", re.I)
TURNING_AFTER = re.compile(rf"^\s*(?:come|this|next|in (?:{MONTHS})|soon|on (?:{MONTHS}|the))", re.I)
APPROX = re.compile(r"\b(?:nearly|almost|pushing|coming up on|going on)\s*$", re.I)
OVER = re.compile(r"\b(?:over|past|the wrong side of|north of|well past|on the wrong side of)\s*$", re.I)

POSITIVE = r"(?:love|loves|loved|adore|adores|like|likes|liked|enjoy|enjoys|am into|am really into|am big into|am obsessed with|am a (?:big |huge |massive )?fan of|live for|can not get enough of|crave|am mad about|am crazy about|am hooked on|have a soft spot for|am partial to|dig)"
NEGATIVE = r"(?:hate|hates|hated|loathe|loathes|detest|detests|dislike|dislikes|can not stand|can not bear|can not abide|despise|am not a fan of|am no fan of|am sick of|am tired of|am over|am scared of|am terrified of|am afraid of|avoid|avoids|never touch|steer clear of|have no time for|have no patience for)"
FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b")
_LIKE_ADV = r"(?:(?:\w+ly|not|never|no longer|lowkey|low key|highkey|kinda|kind of|sort of|honestly|totally|really|just|still|actually|genuinely|absolutely|seriously|secretly|proper|proper|so|do|did|does|also|always|even|now|all|both)\s+){0,3}"
LIKE_VERB_RE = re.compile(rf"\bI {_LIKE_ADV}(?P<verb>{POSITIVE}|{NEGATIVE})\b", re.I)
_POSITIVE_RE = re.compile(POSITIVE, re.I)

AGE_UNIT_AFTER = re.compile(r"\s*(?:old|young|of age)\b", re.I)
"""After "N years": an age ("22 years old"), not a counted detail."""
TIME_WORDS = frozenset("ago back now since last later old year month week day time long first still".split())

_NOT_UNITS = r"(?:and|or|of|to|in|on|at|the|a|an|for|by|times?|percent|per|more|less|other|odd|or so|ish|minutes?|hours?|days?|weeks?|months?|o'clock|am|pm|old|thousand|hundred|million|dozen|score|euros?|dollars?|pounds?|quid|bucks|pence|cents?|kilos?|kg|grams?|degrees?|feet|foot|inches|metres?|meters?|km|miles?|yards?|percent|sec|seconds?|people|folk|others|ones?|more)\b"
COUNTED_UNITS = re.compile(r"(?P<n>\d{1,4})(?:\s+|-)(?P<unit>(?!" + _NOT_UNITS + r")[a-z]{3,}|seats?|tables?|rooms?|beds?|staff|employees|chairs?|stools?|years|year|books|titles|novels|albums|kids|children|sheep|ewes|cows|horses|acres|miles|trucks|rigs|boats|restaurants|shops|stores|seasons|marathons|medals|languages|tattoos|patients|students|cases|films|records|songs|games|wins|titles)\b", re.I)

_BACKSTORY_BEING = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+)(?: [A-Z][\w'’-]+)?)(?:['’]s)?(?: (?:series|books?|stories|story|tales?|comics?|character|mascot))?(?:,)? (?:about|is|was|the|, the|, a|named|called)? ?(?:a|an) (?:[\w'’-]+ ){0,2}?(?P<species>"
    + "|".join(sorted((re.escape(w) for w in SPECIES if " " not in w), key=len, reverse=True))
    + r"|fox|wolf|bear|owl|badger|hedgehog|mole|squirrel|otter|deer|dragon|mouse|frog|toad|bee|beetle|snail|penguin|elephant|lion|tiger|monkey)\b"
)
BEING_WORDS = frozenset([*SPECIES, "fox", "wolf", "bear", "owl", "badger", "hedgehog", "mole", "squirrel", "otter", "deer", "dragon", "mouse", "frog", "toad", "bee", "beetle", "snail", "penguin", "elephant", "lion", "tiger", "monkey", "vole", "shrew", "rabbit", "hare", "field mouse"])
_A_BEING = re.compile(r"\b(?:a|an|the) (?:[\w'’-]+ ){0,3}?(?P<being>field mouse|" + "|".join(sorted((re.escape(w) for w in BEING_WORDS), key=len, reverse=True)) + r")\b", re.I)


@dataclass
class Anchors:
    """What of the persona's facts lets a reply's words be read as a claim.

    Attributes:
        pet_names: Pet name (lowercase) → its fact (species, name, breed).
        kin_names: Family member name (lowercase) → slot (``children``, ``siblings``, ``partner``).
        items: Like/dislike items → slot, with their content words.
        counts: Counted details of the backstory: ``(n, unit, context words, quote)``.
        beings: Named beings of the backstory (a series character, a horse) → their kind.
        city: The persona's city fact (for "I was born here").
        hometown: Its hometown fact.
    """

    pet_names: dict[str, dict[str, Any]] = field(default_factory=dict)
    kin_names: dict[str, str] = field(default_factory=dict)
    items: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    counts: list[tuple[int, str, frozenset[str], str]] = field(default_factory=list)
    beings: dict[str, tuple[str, str]] = field(default_factory=dict)
    city: Any = None
    hometown: Any = None
    dead_partner: tuple[str, ...] = ()
    key_counts: dict[str, tuple[int, str]] = field(default_factory=dict)
    """A fact whose key counts something (``apprentices = "exactly one: Fritz"``): plural key → (count, the fact's text)."""
    kin: dict[str, Kin] = field(default_factory=dict)
    """Family member name or alias (lowercase) → their :class:`~drifttui.drift.kin.Kin` profile (job, age, older/younger)."""
    events: list[Event] = field(default_factory=list)
    """Dated events of the facts and backstory (:func:`~drifttui.drift.dates.events_from`): a death, a wedding, a move…"""
    present: int | None = None
    """The year the persona lives in, when the facts say or it is of today (:func:`~drifttui.drift.dates.present_year`)."""

    def question_slots(self, question: str) -> set[str]:
        """The fact slots a user message asks or talks about."""
        q = fold_quotes(question or "")
        slots = {slot for slot, pattern in Q_SLOTS.items() if pattern.search(q)}
        if "city" in slots and re.search(r"\b(?:before|used to|previously|back then|at first|first)\b|\bdid (?:you|u) (?:\w+ )?live\b", q, re.I):
            slots.discard("city")  # "Where did you live before that?" asks about the past, not where one lives
        low = q.lower()
        for name, _pet in self.pet_names.items():
            if re.search(rf"\b{re.escape(name)}\b", low):
                slots.add("pet")
        for name, slot in self.kin_names.items():
            if re.search(rf"\b{re.escape(name)}\b", low):
                slots.add(slot)
        return slots


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "er"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in content_words(text))


def _clause_at(text: str, pos: int) -> str:
    """The clause of ``text`` around character ``pos`` (split at commas, semicolons, "and", "but")."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^,;:()]+?(?=\s+(?:and|but|while|whereas)\s+|[,;:()]|$)", text)]
    for a, b in spans:
        if a <= pos < b:
            return text[a:b]
    return text


def anchors_from_facts(facts: Iterable[Any], backstory: str = "") -> Anchors:
    """:class:`Anchors` from the persona's fact claims (:func:`drifttui.drift.facts.claims_from_facts`) and backstory."""
    anchors = Anchors()
    facts = list(facts)
    for fact in facts:
        attrs = fact.attrs
        if fact.slot == "pet":
            for pet in attrs.get("pets") or []:
                if pet.get("name"):
                    found = breeds_in(str(attrs.get("raw", "")))
                    single = len([p for p in attrs.get("pets") or [] if p.get("name")]) == 1
                    entry = {**pet, "breed": found[0] if found and single else None, "colours": colours_in(str(attrs.get("raw", ""))) if single else frozenset()}
                    anchors.pet_names[pet["name"].lower()] = entry
                    alias = re.search(rf"\b{re.escape(pet['name'])}\b[^(]{{0,20}}\(\s*['\"‘“]?(?P<a>[A-Z][\w'’-]+)['\"’”]?\s*\)", fold_quotes(str(attrs.get("raw", ""))))
                    if alias and single:
                        anchors.pet_names.setdefault(alias.group("a").lower().rstrip("'’"), entry)  # "Sergeant Pepper ('Sarge')"
        elif fact.slot in ("children", "siblings", "partner"):
            for name in attrs.get("names") or []:
                anchors.kin_names[name.lower()] = fact.slot
            if fact.slot == "partner" and (attrs.get("status") == "widowed" or re.search(r"\b(?:died|dead|slain|killed|passed|late)\b", str(attrs.get("raw", "")), re.I)):
                anchors.dead_partner = tuple(n.lower() for n in attrs.get("names") or [])
        elif fact.slot in ("city", "hometown"):
            setattr(anchors, fact.slot, fact)
        elif fact.slot in ("likes", "dislikes"):
            item = str(attrs.get("item", fact.value))
            words = frozenset(content_words(item))
            if words:
                anchors.items.append((item, fact.slot, words))
    facts = list(facts)
    anchors.kin = kin_from_facts(facts)
    for fact in facts:
        key = str(fact.slot).removeprefix("other:")
        if fact.turn is None and str(fact.slot).startswith("other:") and re.fullmatch(r"[a-z]+(?:s|children|people|men|women)", key):
            m = re.match(r"\W*(?:(?:exactly|only|just|about)\s+)?(\d{1,3})\b", words_to_digits(str(fact.attrs.get("raw", ""))))
            if m:
                anchors.key_counts[key] = (int(m.group(1)), str(fact.attrs.get("raw", "")))
    story = words_to_digits(fold_quotes(" ".join([backstory or "", *(str(f.attrs.get("raw", "")) + "." for f in facts if f.turn is None and f.slot in ("job", "partner", "other:home", "other:workplace") or str(f.slot).startswith("other:"))])))
    for sentence in sentences(story):
        for m in COUNTED_UNITS.finditer(sentence):
            if AGE_UNIT_AFTER.match(sentence[m.end() :]):
                continue
            unit = _count_unit(m, sentence)
            context = _stems(_clause_at(sentence, m.start())) - {_stem(m.group("unit").lower()), m.group("n")}
            if len(context) < 2 and not context & MARRIAGE_WORDS:  # "since 1872 (22 years)": the bracket's sentence says what was counted; "married 41 years" says it itself
                context = _stems(sentence) - {_stem(m.group("unit").lower()), m.group("n")}
            anchors.counts.append((int(m.group("n")), unit, context, sentence.strip()))
        for m in _BACKSTORY_BEING.finditer(sentence):
            name = m.group("name")
            if name.split()[0].lower() in {"the", "a", "an", "his", "her", "their", "our", "my", "grew", "has", "lives", "born"}:
                continue
            anchors.beings[name.lower()] = (m.group("species").lower(), sentence.strip())
    return anchors


@dataclass
class _Out:
    turn: int | None
    claims: list
    make: Any  # Claim constructor

    def add(self, slot: str, value: str, quote: str, negated: bool = False, **attrs: Any) -> None:
        q = " ".join(quote.split())
        self.claims.append(self.make(slot, value, q if len(q) <= 90 else q[:89].rstrip() + "…", self.turn, negated, attrs))


def _ok_sentence(sentence: str) -> bool:
    s = sentence.strip()
    if not s or s.endswith("?"):
        return False
    return not AI_SELF.search(expand_contractions(s))


_DIALECT_MY = re.compile(r"\b(?:me|ma|mah|mi)\s+(?=(?:(?:little|big|wee|baby|older|younger|eldest|youngest|old|auld|late|two|three|four)\s+)*(?:sister|sisters|brother|brothers|sis|bro|mum|mam|ma|da|dad|husband|wife|missus|fella|man|boy|boys|girl|girls|son|sons|daughter|daughters|kids|weans|bairns|young'?uns|dog|cat|pup|wee)\b)", re.I)
_DIALECT_OUR = re.compile(r"\boor\b", re.I)


def standard_possessives(sentence: str) -> str:
    """"me little sister", "ma wee dug", "oor Jennifer" → "my …", "our …" (dialect possessives)."""
    return _DIALECT_OUR.sub("our", _DIALECT_MY.sub("my ", sentence))


def _drop_unreal(sentence: str) -> str:
    """The sentence with its hypothetical and reported parts blanked ("…, I was certain I'd be a vet")."""
    sentence = re.sub(r"\b(\w+)['’]d (had|been|got|gone|done|seen|never|already|just|lived|known)\b", r"\1 had \2", sentence)
    parts = re.split(r"([,;:()—–]|\s-\s)", sentence)  # a dash ends a part too: "22 years I'm driving — they see … and they think, …"
    return "".join(" " if i % 2 == 0 and (HYPOTHETICAL.search(expand_contractions(p)) or REPORTED.search(p)) else p for i, p in enumerate(parts))


def ordinal_value(word: str) -> int | None:
    """``"eighty-fifth"`` → 85, ``"85th"`` → 85."""
    m = _ORDINAL_RE.fullmatch(word.strip())
    if not m:
        return None
    if m.group("digits"):
        return int(m.group("digits"))
    return ORDINALS[m.group("word").lower()] + (_TENS[m.group("tens").lower()] if m.group("tens") else 0)


# ------------------------------------------------------------------ age
def _age_cues(e: str, quote: str, out: _Out) -> None:
    """"my eighty-fifth birthday", "since I turned 40", "seventy-four come August"."""
    words = expand_contractions(quote)
    for m in re.finditer(r"\b(?:my|I had my|I celebrated my)\s+(?P<ord>(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-])?\w+)\s+birthday\b", words, re.I):
        n = ordinal_value(m.group("ord"))
        if n is None or not 3 <= n <= 120:
            continue
        if FUTURE.search(words) or re.search(r"\b(?:till|until|before|for|by)\s+my\s*$", words[: m.start("ord")], re.I):
            out.add("age", str(n - 1), quote, False, lo=n - 1, hi=n - 1, strength=0.7, cue="birthday ahead")
        else:
            out.add("age", f"{n}+", quote, False, lo=n, hi=200, strength=0.8, cue="birthday")
    for m in re.finditer(r"\bI (?:just |only |recently )?turned (\d{1,3})\b", e, re.I):
        before = e[: m.start()]
        if re.search(r"\b(?:when|after|before|since|until|till|once)\s*$", before, re.I):
            n = int(m.group(1))
            out.add("age", f"{n}+", quote, False, lo=n, hi=200, strength=0.7, cue="turned")
            continue
        n = int(m.group(1))
        if 3 <= n <= 120:
            out.add("age", str(n), quote, is_negated(e[: m.end()]), lo=n, hi=n + 1, strength=0.85)
    for m in re.finditer(r"\bI (?:will |am going to )?(?:clock|hit|reach|turn|make) (\d{1,3}) (?:next|this|come) (?:year|month|week|spring|summer|autumn|fall|winter|birthday)\b", e, re.I):
        n = int(m.group(1))
        if 3 <= n <= 120 and not is_negated(e[: m.end()]):  # "before I clock fifty next year": 49 now
            out.add("age", str(n - 1), quote, False, lo=n - 1, hi=n - 1, strength=0.75, cue="birthday ahead")


def _age_answer(e: str, quote: str, out: _Out) -> bool:
    """A number that answers "How old are you?" ("Seventy-four come August.", "Oh, 52 and counting.")."""
    for m in re.finditer(r"\b(\d{1,3})\b", e):
        n = int(m.group(1))
        if not 3 <= n <= 120:
            continue
        before, after = e[: m.start()], e[m.end() :]
        if DURATION_AFTER.match(after) or not AGE_AFTER.match(after):
            continue
        if before.strip() and not AGE_BEFORE.search(before):
            continue
        if APPROX.search(before):
            lo, hi = n - 3, n - 1
        elif OVER.search(before):
            lo, hi = n, n + 9
        elif TURNING_AFTER.match(after) or re.search(r"\b(?:turning|be|will be)\W*$", before, re.I):
            lo, hi = n - 1, n
        else:
            lo, hi = n, n
        out.add("age", str(n), quote, is_negated(before + " " + m.group(1)), lo=lo, hi=hi, strength=0.8, answer=True)
        return True
    return False


def _explicit_age(e: str, quote: str, out: _Out) -> None:
    """"I am barely three hundred winters old" (any age, for beings that live long)."""
    for m in re.finditer(r"\bI am (?:\w+ ){0,2}?(\d{1,5}) (?:years?|winters|summers|springs|moons|centuries) (?:old|young)\b", e, re.I):
        n = int(m.group(1)) * (100 if "centuries" in m.group(0).lower() else 1)
        before = e[: m.start(1)]
        lo, hi = (n - 3, n - 1) if re.search(r"\b(?:nearly|almost|pushing)\s+$", before, re.I) else (n, n + 9) if re.search(r"\b(?:over|past)\s+$", before, re.I) else (n, n)
        out.add("age", str(n), quote, is_negated(e[: m.end(1)]), lo=lo, hi=hi, strength=0.9)


# ------------------------------------------------------------- partner
MARRIED_CUE = re.compile(
    r"\b(?:our|my) (?:\w+ )?wedding anniversary\b|\b(?:we|I) (?:have|'ve) been (?:married|wed)\b"
    r"|\b(?:we are|we're) (?:still |happily )?married\b|\bmarried (?:for )?\d+ years now\b"
    r"|\b(?:we|I) (?:finally )?got (?:hitched|married|wed)\b|\b(?:we|I) tied the knot\b",
    re.I,
)


MARRIED_YEARS = re.compile(r"\b\d+ years? (?:married|wed)\b", re.I)
""""Twelve years married": married now, unless the reply mourns ("Passed four years ago. Forty-one years married")."""


def _partner(e: str, quote: str, out: _Out, mourning: bool = False) -> None:
    """"Our second wedding anniversary", "twelve years married": married now."""
    m = MARRIED_CUE.search(e) or (None if mourning else MARRIED_YEARS.search(e))
    if m and not is_negated(e[: m.end()]) and not re.search(r"\b(?:was|were|had been)\b", e[max(0, m.start() - 20) : m.start()], re.I):
        out.add("partner", "married", quote, False, status="married", name=None, strength=0.75)


DEATH_WORDS = re.compile(r"\b(?:died|dead|death|passed|gone|late|slain|killed|buried|grave|memory|remember|miss|missed|mourn|lost|rest|heaven|ghost|used to)\b", re.I)
ALIVE_VERBS = r"(?:is|sleeps|lives|works|wakes|waits|cooks|says|thinks|likes|loves|keeps|makes|snores|reads|sits|stays|calls|tells|complains|grumbles|hums|sings)"


def _partner_alive(text: str, quote: str, out: _Out, anchors: Anchors) -> None:
    """A partner the facts say is dead, spoken of in the present ("Only Ormund, my mate, who sleeps below")."""
    if not anchors.dead_partner or DEATH_WORDS.search(text):
        return
    text = expand_contractions(text)
    for name in anchors.dead_partner:
        m = re.search(rf"\b{re.escape(name)}\b(?:[^.!]{{0,40}}?)\b(?:who |he |she |and (?:he|she) )?{ALIVE_VERBS}\b", text, re.I)
        if m and not re.search(r"\b(?:was|were|had|would|used)\b", m.group(0), re.I):
            out.add("partner", "married", quote, False, status="married", name=name.title(), strength=0.65, alive=True)
            return


# ------------------------------------------------------------ born here
BORN_HERE = re.compile(r"\b(?:I was|I am|I|we were|we)\s+(?:\w+\s+)?(?:born|raised|hatched|grew up|bred) (?:and (?:raised|bred) )?(?:right )?here\b|^\W*(?:born|raised|hatched|grew up|bred) (?:and (?:raised|bred) )?(?:right )?here\b|\bnever (?:really )?lived anywhere else\b|\bnever known (?:another|any other) home\b|\bborn and (?:raised|bred) (?:right )?here\b", re.I)


def _born_here(e: str, quote: str, out: _Out, anchors: Anchors, asked: set[str], first: bool) -> None:
    """"I was born here" from a persona whose hometown is not where it lives."""
    city, home = anchors.city, anchors.hometown
    if city is None or home is None:
        return
    here = BORN_HERE.search(e) or (first and "hometown" in asked and re.match(r"\W*(?:right )?here\b", e, re.I))
    if not here or is_negated(e[: here.end()]):
        return
    out.add("hometown", str(city.value), quote, False, place=city.attrs.get("place"), same_as_city=True, strength=0.75)


BORN_THERE = re.compile(r"\b(?:I|we)\s+(?:\w+\s+)?(?:was born|were born|grew up|was raised|were raised|was brought up)\s+(?:right\s+)?there\b|\bthat is where I (?:grew up|was born|was raised)\b", re.I)


def _born_there(e: str, quote: str, out: _Out, question: str) -> None:
    """"Been there? I grew up there!" — the place the user's message names is where the persona grew up."""
    m = BORN_THERE.search(e)
    if not m or not question or is_negated(e[: m.end()]) or HYPOTHETICAL.search(e[: m.start()]):
        return
    places = {key: surface for key, surface, _start, _end in _place_mentions(question, writes_lowercase(question))}
    if len(places) == 1:
        key, surface = next(iter(places.items()))
        out.add("hometown", key, quote, False, place=key, surface=surface, near=False, strength=0.75, explicit=True)


# ---------------------------------------------------------------- places
_PLACE_LINKS = frozenset("of on upon the de del della di du da des la le les am an im sur en y e and by in".split())


def _place_mentions(sentence: str, lowercase_writer: bool) -> list[tuple[str, str, int, int]]:
    """``(key, surface, start, end)`` of each place written as a name in ``sentence``."""
    out = []
    for m in re.finditer(r"[A-Za-zÀ-ÿ][\w'’.-]*(?:\s+[A-Za-zÀ-ÿ][\w'’.-]*){0,3}", sentence):
        words = list(re.finditer(r"[A-Za-zÀ-ÿ][\w'’-]*", m.group(0)))
        i = 0
        while i < len(words):
            for n in (4, 3, 2, 1):
                chunk = words[i : i + n]
                if len(chunk) < n:
                    continue
                surface = m.group(0)[chunk[0].start() : chunk[-1].end()]
                key = canonical_place(surface)
                if key is None:
                    continue
                capital = surface[:1].isupper()
                start = m.start() + chunk[0].start()
                if not capital and not lowercase_writer:
                    continue
                if re.search(r"\s(?:Street|St|Road|Rd|Lane|Avenue|Ave|Square|Terrace|Row|Close|Drive|Crescent|Gardens)$", surface) or re.match(r"\s+(?:died|was born|was crowned|reigned)\b", sentence[m.start() + chunk[-1].end() :]):
                    continue  # "a jet workshop on Church Street": a street, not a town; "the year old King Edward died": a person
                if capital and not lowercase_writer and any(w[:1].islower() and w.lower() not in _PLACE_LINKS for w in surface.split()[1:]):
                    continue  # "The old city": a description; a name capitalises its words ("The Hague", "Stratford-upon-Avon", "Bourton on the Water")
                lead = sentence[:start] + (surface.rsplit(None, 1)[0] + " " if " " in surface else "")
                if not capital and (is_common(surface) or re.search(r"\b(?:a|an|the|my|your|his|her|our|their|this|that|some)\s+(?:[\w'’-]+\s+)?$", lead, re.I)):
                    continue  # "a hair salon", "the salon ladies": a noun, even from a writer who never capitalises
                if re.search(r"\b(?:year|day|week|month|summer|winter|spring|autumn|battle|time|night|morning) (?:after|before|of)\s+$", lead, re.I):
                    continue  # "born the year after Waterloo": a time, not a place
                if capital and start == 0 and is_common(surface) and not re.match(r"\W*[,.!;]|\W*born\b", sentence[m.start() + chunk[-1].end() :]):
                    continue  # "Reading between the lines…", "Nice to meet you"
                end = m.start() + chunk[-1].end()
                if _inside_name(sentence, start, end) or re.search(r"\bthe\s+$", sentence[:start], re.I) and all(p.kind == "city" for p in lookup(surface)):
                    i += n
                    break
                out.append((key, surface, start, end))
                i += n
                break
            else:
                i += 1
    return out


_NOT_NAME_PARTS = frozenset("I In From Near Outside Born Raised Up Down Back Here Home Yes No Oh Well Aye Yeah Just And But So Then Now In At On By To Of Around Round Over North South East West Central Downtown Greater Old".split())


def _inside_name(sentence: str, start: int, end: int) -> bool:
    """A place name that is only part of a longer name: "Little Moscow", "Paris Hilton", "Boston Legal"."""
    before = re.search(r"([A-Z][\w'’-]*)\s+$", sentence[:start])
    if before and before.group(1) not in _NOT_NAME_PARTS:
        return True
    after = re.match(r"\s+([A-Z][\w'’-]*)", sentence[end:])
    if after and after.group(1) not in _NOT_NAME_PARTS and canonical_place(after.group(1)) is None:
        return True
    return False


ORIGIN_AFTER = re.compile(
    r"\W*(?:born|bred|raised|lad|lass|girl|boy|native)\b|\W*(?:(?:is|be|was|'s)\s+)?where (?:I|we) (?:was|were) (?:born|raised|bred|reared)\b"
    r"|\W*(?:(?:is|be|was|'s)\s+)?where (?:I|we) grew up\b"
    r"|[^.;!?,]{0,50}[,—–-]\s*(?:that's|that is|thats|which is|that was) where (?:I|we) (?:grew up|was born|were born|was raised|was bred)\b"
    r"|[^.;!?]{0,50}?\bto the (?:street|house|road|town|village|farm|estate|flat|terrace) (?:I|we) (?:grew up|was born|were born|was raised|were reared|was reared) (?:on|in|at)\b"
    r"|[^.;!?]{0,30}?\bwhere (?:I|we) (?:\w+ ){1,3}as (?:a |wee |little )?(?:boy|girl|lad|lass|child|kid|bairn|nipper)s?\b"
    r"|,?\s+when (?:I|we)(?:\s+(?:was|were|had)|['’]d) (?:a |an |\w+ )?(?:kid|kids|child|children|girl|girls|boy|boys|wee|young|small|little|nothin|nothing|bairns|weans)\b",
    re.I,
)
"""Words after a place that make it the speaker's origin ("Whyalla, where I grew up", "Trowbridge be where I were born")."""

PLACE_AS_MODIFIER = re.compile(
    r"\s+(?:people|person|folk|folks|man|men|woman|women|accent|crowd|supporters|fans|team|"
    r"football|hurling|rugby|cricket|weather|heat|rain|winters?|summers?|way|style|cooking|food|cuisine|humou?r)\b",
    re.I,
)
"""A place name used to describe someone or something ("the Kerry people", "Texas heat"), not where the speaker is."""


def _places(sentence: str, e: str, quote: str, out: _Out, asked: set[str], first: bool, lowercase_writer: bool, names: frozenset[str] = frozenset()) -> None:
    mentions = _place_mentions(sentence, lowercase_writer)
    if not mentions:
        return
    origin = bool(ORIGIN_CUE.search(e)) or bool(re.search(r"\bborn and (?:raised|bred)\b|\b(?:lad|lass|girl|boy) (?:from|born)\b", e, re.I))
    home = bool(HOME_CUE.search(e))
    for key, surface, start, end in mentions:
        before = sentence[:start]
        if key in names:
            continue
        if (RETURN_CUE.search(before) and ("hometown" in asked or first)) or ("hometown" in asked and first and BACK_TO.search(before)):
            out.add("hometown", key, quote, is_negated(before + " " + surface), place=key, surface=surface, near=True, strength=0.7, explicit=True)
            return
        if re.search(r"\b(?:like|than)\s+(?:I|we)\b[^,.;!?]*$", before, re.I):
            continue  # "the rent is like we live in Paris": a comparison
        family = FAMILY_STILL.search(before)
        if family and ("hometown" in asked or "back" in family.group(0).lower()):
            out.add("hometown", key, quote, is_negated(before + " " + surface), place=key, surface=surface, near=True, strength=0.65, explicit=False)
            return
        after = sentence[end:]
        if AWAY_CUE.search(before) and not ORIGIN_AFTER.match(after):  # "drive into Whyalla, where I grew up" is still home
            continue
        near = bool(NEAR_CUE.search(before))
        if PLACE_AS_MODIFIER.match(after) and not re.search(r"\b(?:I am|I'm|I was|we are|born) (?:an? )?(?:\w+ )?$", before, re.I):  # "the Kerry people": who, not where
            continue
        local_origin = bool(ORIGIN_AFTER.match(after)) or bool(
            re.search(r"(?:\b(?:born|raised|grew up|growing up|brought up|hatched)\b|\b(?:as|like every|like any) (?:a )?(?:boy|girl|kid|child|lad|lass|youngster|young fella|nipper)s?\b|\b(?:I am|we are|I come|we come|I hail|originally)\s+from\b)(?:\s+[\w'’]+){0,6}\s+(?:in|on|at|near|outside|around|of)?\s*$", before, re.I)
        )
        if local_origin and re.search(r"\b(?:he|she|they)\b", before, re.I) and not FIRST_PERSON.search(before):
            continue  # "Sure he was from here, born in St Mary's Park": someone else's birthplace
        slot = None
        if local_origin or origin and "hometown" in asked:
            slot = "hometown"
        elif home and FIRST_PERSON.search(e) or (first and "city" in asked and not THIRD_PERSON.search(before)):
            slot = "city"
        elif first and "hometown" in asked and not THIRD_PERSON.search(before):
            slot = "hometown"
        elif origin and FIRST_PERSON.search(e):
            slot = "hometown"
        if slot is None:
            continue
        negated = is_negated(before + " " + surface)
        out.add(slot, key, quote, negated, place=key, surface=surface, near=near, strength=0.75 if slot in asked and first else 0.65, explicit=slot == "hometown" and (local_origin or origin))
        return


# ----------------------------------------------------------------- pets
SPECIES_VERBS = {
    "bark": "dog", "barks": "dog", "barking": "dog", "woof": "dog", "woofs": "dog", "wags": "dog", "fetches": "dog",
    "purr": "cat", "purrs": "cat", "purring": "cat", "meow": "cat", "meows": "cat", "miaow": "cat", "miaows": "cat",
    "hoot": "owl", "hoots": "owl", "hooting": "owl", "neigh": "horse", "neighs": "horse", "whinnies": "horse",
    "croak": "raven", "croaks": "raven", "caws": "raven", "squawks": "bird", "chirps": "bird", "tweets": "bird",
    "hisses": "cat", "hissing": "cat", "mewing": "cat", "mews": "cat", "meowing": "cat", "wagging": "dog",
    "growls": "dog", "growling": "dog", "neighing": "horse", "whinnying": "horse", "hooting": "owl",
}  # fmt: skip
"""Verbs only one kind of animal does ("He barks all night" is a dog)."""

GENERIC_KINDS = frozenset({"bird", "dog", "cat", "animal", "pet", "fish", "reptile", "rodent", "horse"})
_OTHER_ANIMAL = re.compile(r"\b(?:had|has|have|got|owns?|owned|keeps?|kept) (?:a|an|another|two|three|some)\b|\b(?:used to have|another|other|my old|my first|a friend's|next door's|the neighbou?r(?:'s|s')|as a (?:boy|girl|kid|child|lad|lass))\b", re.I)
_SPECIES_WORD = re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in SPECIES), key=len, reverse=True)) + r")\b", re.I)
_SPECIES_SINGULARS = frozenset(w for w in SPECIES if not w.endswith("s"))


def fine_kind(word: str) -> str:
    """The animal a word names, singular: "Owls" → owl, "kitten" → cat, "ravens" → raven."""
    w = word.lower()
    if w in SPECIES and SPECIES[w] in ("dog", "cat", "rabbit", "ferret", "horse", "goat", "pig"):
        return SPECIES[w]
    return w[:-1] if w.endswith("s") and w[:-1] in SPECIES else w


_NOT_A_PET = re.compile(r"(?:club|show|shows|ride|rides|riding|racing|races?|track|farm|food|treats?|lead|park|sitter|walker|walking|trainer|training|whisperer|people|person|yard|stud|sale|sales|auction|float)\b", re.I)
"""After an animal word: a place or an activity ("pony club", "dog show"), not what the pet is."""


def _pets(sentence: str, e: str, quote: str, out: _Out, anchors: Anchors, about: dict[str, Any] | None) -> None:
    """What the persona says its pet is: "Border collie, smart as a whip" of a blue heeler; "He hoots at riddles" of a raven."""
    low = e.lower()
    pet = None
    for name, p in anchors.pet_names.items():
        if re.search(rf"\b{re.escape(name)}\b", low):
            pet = p
    if pet is None:
        pet = about
    if pet is None or _OTHER_ANIMAL.search(e):
        return
    name = pet["name"]
    for breed in breeds_in(e):
        species = breed.species
        if re.search(rf"\b{re.escape(breed.name.split()[-1])}\s+{_NOT_A_PET.pattern}", e, re.I):
            continue
        art = re.search(rf"\b(?:a|an)\s+(?:[\w'’-]+\s+){{0,2}}{re.escape(breed.name.split()[0])}", e, re.I)
        if art and not re.search(r"(?:\bis|'s|\bwas|\bhe's|\bshe's)\s+$", e[: art.start()], re.I):
            continue  # "June had a collie": another animal
        out.add("pet", f"{breed.name} {name.lower()}", quote, False, species=species, name=name, breed=breed, bound=True, strength=0.8)
        return
    for m in _SPECIES_WORD.finditer(e):
        word = m.group(1).lower()
        if re.search(r"\b(?:a|an|some|any|the other|other|no)\s+(?:\w+\s+)?$", e[: m.start()], re.I) and not re.search(rf"\b{re.escape(name.lower())}\b", low):
            continue  # "a cat came by" is another animal
        if re.match(rf"\s+{_NOT_A_PET.pattern}", e[m.end() :], re.I):
            continue  # "pony club", "dog show": a place or an activity, not what the pet is
        if re.search(r"\b(?:different|every|each|another|any|other|new)\s+$", e[: m.start()], re.I):
            continue  # "a different horse every hour": other animals
        if word.endswith("s") and word[:-1] in _SPECIES_SINGULARS and pet.get("kind") != word[:-1] and re.search(r"(?:\d|\b(?:many|some|all|the|those|these|of|few|several|killed|caught|chased|kills|catches|chases))\s+$", e[: m.start()], re.I):
            continue  # "killed nine-and-forty rats": many animals, not what the one pet is
        if re.search(r"\b(?:about|at|with|to|from|for|of|like|than|after|by|chases?|chased|hates?|fears?|watch(?:es)?|called|call (?:him|her|it)|mistaken for|not)\s+(?:the|a|an|that|this|those|some)\s+(?:\w+\s+)?$", e[: m.start()], re.I):
            continue  # "Pip will complain about the owl": an object, not what Pip is
        kind = fine_kind(word)
        if kind == pet.get("kind") or SPECIES.get(word) == pet.get("species") and kind in GENERIC_KINDS:
            continue  # "best dog I ever had" of a dog says nothing new
        out.add("pet", f"{kind} {name.lower()}", quote, False, species=SPECIES.get(word, SPECIES.get(kind, "bird" if kind in ("owl", "raven", "crow") else kind)), kind=kind, name=name, bound=True, strength=0.7)
        return
    for m in re.finditer(r"\b(\w+in['’g]?)\b|\b(?:he|she|it)\s+(\w+)", e, re.I):
        word = (m.group(1) or m.group(2) or "").lower().replace("’", "'")
        if word.endswith("in'"):
            word = word[:-1] + "g"
        kind = SPECIES_VERBS.get(word) or (SPECIES_VERBS.get(word + "g") if word.endswith("in") else None)  # "purrin' away"
        if kind:
            out.add("pet", f"{kind} {name.lower()}", quote, False, species=SPECIES.get(kind, "bird" if kind in ("owl", "raven") else kind), kind=kind, name=name, bound=True, strength=0.65)
            return


COLOUR_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split(","))
    for g in ("ginger,orange,red,marmalade,rust,copper", "grey,gray,blue,silver,slate", "brown,chocolate,tan,chestnut,liver,bay,sandy,fawn", "black,jet", "white,cream", "golden,yellow,blonde,fawn,sandy")
)
"""Pet colours that can describe the same coat ("ginger" and "orange"); tabby, brindle, spotted and the like go with anything."""
_COLOUR_WORD = re.compile(r"\b(" + "|".join(sorted({c for g in COLOUR_GROUPS for c in g}, key=len, reverse=True)) + r")\b", re.I)


def colours_in(text: str) -> frozenset[str]:
    """The coat colours a pet description names ("a one-eyed ginger tom" → {ginger})."""
    return frozenset(m.group(1).lower() for m in _COLOUR_WORD.finditer(text))


def _pet_colour(sentence: str, out: _Out, anchors: Anchors, about: dict[str, Any] | None) -> None:
    """A named pet given a coat it does not have ("that old black villain" of a ginger tom)."""
    low = sentence.lower()
    pet = next((p for n, p in anchors.pet_names.items() if re.search(rf"\b{re.escape(n)}\b", low)), about)
    if pet is None or not pet.get("colours") or _OTHER_ANIMAL.search(sentence):
        return
    for m in re.finditer(rf"\b(?:old|little|big|fat|lazy|great|scruffy|mangy|sleek|skinny|handsome|wee|daft|)\s*{_COLOUR_WORD.pattern}\s+(?:and\s+\w+\s+)?(?:villain|devil|rascal|beast|thing|cat|dog|tom|boy|girl|fellow|fella|lump|monster|menace|hound|mutt|moggy|puss|coat|fur|fool|idiot|oaf|brute|baby|softie|clown|lad|lass|rogue|terror|bandit|thief|tiger|furball)\b", sentence, re.I):
        said = m.group(1).lower()
        fits = any(said in g and pet["colours"] & g for g in COLOUR_GROUPS) or said in pet["colours"]
        if not fits and not is_negated(sentence[: m.end()]):
            out.add("other:petcolour", f"{pet['name']} {said}", sentence, False, being=pet["name"], kind=said, expected="/".join(sorted(pet["colours"])), source=pet["name"], what=f"{pet['name']} is {'/'.join(sorted(pet['colours']))}, not {said}", strength=0.75)
            return


def _beings(sentence: str, e: str, quote: str, out: _Out, anchors: Anchors, question: str) -> None:
    """A named being of the backstory described as another kind ("Little Moss … a tiny field mouse" for a hedgehog)."""
    low, q = e.lower(), question.lower()
    for name, (kind, source) in anchors.beings.items():
        if name not in low and name not in q:
            continue
        for m in _A_BEING.finditer(e):
            said = m.group("being").lower()
            said_kind = SPECIES.get(said, said)
            if said_kind in (kind, SPECIES.get(kind, kind)) or said.rstrip("s") == kind.rstrip("s"):
                return
            if is_negated(e[: m.end()]):
                continue
            out.add("other:being", f"{name} {said}", quote, False, being=name, kind=said, expected=kind, source=source, strength=0.7)
            return


# ------------------------------------------------------ counts of one's own
_NUMBER = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3}"
OWNED_COUNT = re.compile(
    rf"\b(?:my|our) (?P<n>{_NUMBER}) (?:\w+ )?(?P<unit>[a-z]+s)\b|\b(?:all )?(?P<n2>{_NUMBER}) of (?:my|our) (?P<unit2>[a-z]+s)\b"
    rf"|\b(?:I|we) (?:have|have got|got|keep|kept|employ|run|own|train) (?P<n3>{_NUMBER}) (?P<unit3>[a-z]+s)\b",
    re.I,
)
"""How many of something the speaker has ("my two apprentices", "all three of my apprentices", "we keep six hives")."""
_NOT_OWNED_UNITS = frozenset(
    "years months weeks days hours minutes seconds times miles kilometres kilometers metres meters feet inches yards pounds "
    "dollars euros quid bucks pence cents percent things ways bits lots kinds sorts cups pints glasses bottles".split()
)


def _owned_counts(e: str, quote: str, out: _Out) -> None:
    for m in OWNED_COUNT.finditer(e):
        unit = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
        word = m.group("n") or m.group("n2") or m.group("n3")
        n = int(word) if word.isdigit() else count_of(word)
        if n is None or unit in _NOT_OWNED_UNITS or unit in SPECIES or unit.rstrip("s") in SPECIES or unit in KIN_CHILD or unit in KIN_SIBLING or unit in KIN_PARTNER:
            continue
        if is_negated(e[: m.end()]):
            continue
        out.add("count", f"{n} {unit}", quote, False, n=n, unit=_stem(unit), strength=0.9)


# -------------------------------------------------------------- family
_CHILD_KIN = "|".join(sorted((re.escape(k) for k in KIN_CHILD if k not in ("baby", "cub", "cubs", "kits", "pups")), key=len, reverse=True))
_COUNT = r"(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d{1,2}|both)"
ALL_N_OF_MY = re.compile(rf"\b(?:all|both) {_COUNT} of (?:my|our|the) (?:\w+ )?(?P<kin>{_CHILD_KIN})\b", re.I)
MY_COUNT_KIN = re.compile(rf"\b(?:my|our|the) {_COUNT} (?:(?:little|grown|lovely|wee|young|older|beautiful|wonderful|amazing|boisterous|great)\s+)?(?P<kin>{_CHILD_KIN})\b", re.I)
HAVE_COUNT_KIN = re.compile(rf"\b(?:I|we) (?:\w+ ){{0,2}}(?:have|have got|got|raised|had)\s+{_COUNT} (?:(?:little|grown|lovely|wee|young|older|beautiful|great)\s+)?(?P<kin>{_CHILD_KIN})\b", re.I)
_SIB_KIN = "|".join(sorted((re.escape(k) for k in KIN_SIBLING if " " not in k), key=len, reverse=True))
MY_COUNT_SIB = re.compile(rf"\b(?:my|our) {_COUNT} (?:(?:little|big|older|younger|baby|elder)\s+)?(?P<kin>{_SIB_KIN})\b", re.I)


N_OF_THEM = re.compile(rf"^\W*(?:\w+[,!.]\s+){{0,2}}(?:(?:all|the) {_COUNT}|(?:the )?(?P<both>both)) of (?:them|'em)\b", re.I)
"""A count that opens an answer about one's children ("All three of them come home")."""
MY_N_ANSWER = re.compile(rf"^\W*(?:\w+[,!.]?\s+){{0,2}}?(?:my|our|the) {_COUNT}(?=\s*[,.;!?—–-]|\s+(?:they|are|have|both|all)\b)", re.I)
SIB_N_ANSWER = re.compile(r"^\W*(?:(?:yes|yeah|yup|yep|aye|ja|oh|ah|well|haha\w*|hm+)[,!.]?\s+){0,3}(?:just|only)\s+(?:the\s+)?(?P<count>one|two|three|four|five|six|1|2|3|4|5|6)(?=\s*[,.;!—–-]|\s*$)", re.I)
"""A count that opens an answer about one's brothers and sisters: "yup, just one, my ate marites"."""
N_KIN_I = re.compile(rf"\b{_COUNT} (?P<kin>{_CHILD_KIN}) (?:I|we) (?:made|had|raised|have|brought up)\b", re.I)


def _family(e: str, quote: str, out: _Out, asked: set[str] | None = None, first: bool = False, question: str = "") -> None:
    if first and asked and "siblings" in asked and "children" not in asked:
        m = SIB_N_ANSWER.match(e)
        if m and count_of(m.group("count")) is not None:
            n = count_of(m.group("count"))
            kinds = {KIN_SIBLING[w.lower()] for w in re.findall(r"\b(?:brothers?|sisters?|siblings?)\b", question, re.I)}
            kind = kinds.pop() if len(kinds) == 1 else "sibling"  # "How many brothers?": a count of brothers
            out.add("siblings", f"{n} {kind}", quote, False, kind=kind, name=None, count=n, strength=0.75)
    if first and asked and "children" in asked:
        m = MY_N_ANSWER.match(e) or N_KIN_I.search(e)
        if m and count_of(m.group("count")) is not None:
            n = count_of(m.group("count"))
            out.add("children", f"{n} child", quote, False, kind="child", name=None, count=n, strength=0.75)
            return
        m = N_OF_THEM.match(e)
        n = (2 if m.group("both") else count_of(m.group("count"))) if m else None
        if n is not None:
            out.add("children", f"{n} child", quote, False, kind="child", name=None, count=n, strength=0.7)
            return
    for m in N_KIN_I.finditer(e):
        n = count_of(m.group("count"))
        if n is not None:
            out.add("children", f"{n} {KIN_CHILD[m.group('kin').lower()]}", quote, False, kind=KIN_CHILD[m.group("kin").lower()], name=None, count=n, strength=0.75)
    for pattern, slot, kin_map in ((MY_COUNT_KIN, "children", KIN_CHILD), (ALL_N_OF_MY, "children", KIN_CHILD), (HAVE_COUNT_KIN, "children", KIN_CHILD), (MY_COUNT_SIB, "siblings", KIN_SIBLING)):
        for m in pattern.finditer(e):
            n = count_of(m.group("count"))
            if n is None:
                continue
            kin = kin_map[m.group("kin").lower()]
            if is_negated(e[: m.end()]):
                continue
            out.add(slot, f"{n} {kin}", quote, False, kind=kin, name=None, count=n, strength=0.8)


# ---------------------------------------------------------- likes, dislikes
LIKE_BARE_RE = re.compile(rf"(?:^|[.!?;,]\s+|\b(?:aye|yeah|yes|oh|nah|no|god|lord|honestly|mate|dear)[,!.]?\s+){_LIKE_ADV}(?P<verb>{POSITIVE}|{NEGATIVE})\b", re.I)
EVAL_POS = r"(?:very |so |really |pretty |quite |bloody |damn |dead |just )?(?:good|great|delicious|lovely|wonderful|amazing|brilliant|fantastic|excellent|the best|perfect|fine by me|underrated|my favou?rite)"
EVAL_NEG = r"(?:very |so |really |pretty |quite |bloody |just )?(?:bad|terrible|awful|disgusting|horrible|the worst|rubbish|overrated|a nightmare|hell|garbage|trash|a disgrace)"
_IT_WORDS = frozenset({"it", "them", "that", "this", "the place", "the stuff", "the thing", "those", "em", "'em", "him", "her"})


LEAST_Q = re.compile(
    r"\bleast (?:favou?rite|fave)|\bworst\b|\bhate most\b|\b(?:like|love|enjoy) (?:the )?least\b|\bpet peeves?\b"
    r"|\bwhat do (?:you|u) (?:hate|dislike|loathe|detest|can ?not stand|can't stand|cant stand)\b|\bwhat (?:annoys|bugs|irritates|gets on) (?:you|u)\b",
    re.I,
)
"""A question asking what the persona likes least: the item the answer names first is disliked."""
FAVOURITE_Q = re.compile(r"\b(?:favou?rites?|of choice|go-to|what do (?:you|u) (?:like|love|enjoy|prefer)|what(?:'s| is) (?:your|ur) (?:poison|drink|tipple|pick))\b|" + LEAST_Q.pattern, re.I)
"""A question asking for the persona's favourite (or least favourite): the item the answer names first is liked (disliked)."""
CHOICE_Q = re.compile(r"\bor\b[^?]*\?")
"""A question offering a choice ("Marmite or Vegemite?"): the offered item the answer names first is liked."""
TOPIC_LIKE_RE = re.compile(
    rf"(?:^|[.!?;,:—–]\s*|\b(?:no+|nah|oh|ha|yeah|yes|aye)[,!.]?\s+)(?P<obj>[\w'’ -]{{3,40}}?),?\s+I\s+(?:just\s+|really\s+|honestly\s+|absolutely\s+|totally\s+)?"
    rf"(?P<verb>can not (?:do|stand|abide|handle|take|bear|stomach)|{POSITIVE}|{NEGATIVE})(?=\s*(?:[.!?;,:—–]|$))",
    re.I,
)
"""A like or dislike said with its object first, closing its clause ("horror I can't do, I'm a coward", "Spiders I can't stand.")."""


def _item_match(text: str, anchors: Anchors) -> tuple[str, str] | None:
    """The like/dislike item of the persona's facts that ``text`` names, if one."""
    words = set(content_words(text))
    if not words:
        return None
    for item, slot, item_words in anchors.items:
        shared = item_words & words
        if shared and (len(shared) / len(item_words) >= 0.5 or fuzz.partial_ratio(normalize(item), normalize(text)) >= 90):
            return item, slot
        if fuzz.partial_ratio(normalize(item), normalize(text)) >= 92 and len(normalize(item)) >= 5:
            return item, slot
    return None


def _up_to_item(text: str, item: str) -> str:
    """``text`` up to the last of its words that ``item`` has too (where a negation must reach to deny it)."""
    wanted = set(content_words(item))
    ends = [m.end() for m in re.finditer(r"[\w'-]+", text) if normalize(m.group()) in wanted]
    return text[: ends[-1]] if ends else text


def _likes(e: str, quote: str, out: _Out, anchors: Anchors, question: str = "", first: bool = False, opening: bool = False) -> None:
    """A first-person like or dislike of an item the persona's facts name ("I lowkey love horror games",
    "Can't abide a fiddle", "Sydney? Love the place." to a question about Sydney, "tube wasabi is very good")."""
    if not anchors.items:
        return
    asked = _item_match(question, anchors) if question else None
    choice = opening and bool(question) and CHOICE_Q.search(question) is not None  # the answer's first sentence makes the choice
    if first and (FAVOURITE_Q.search(question or "") or choice):
        head = re.split(r"[.;!?]|\bbut\b", e, maxsplit=1)[0]
        found = _item_match(head, anchors)
        if found is not None and not FAVOURITE_Q.search(question) and not set(content_words(found[0])) & set(content_words(question)):
            found = None  # a choice question: only an item it offers is chosen
        if found is not None and not is_negated(_up_to_item(head, found[0])):
            # "What's your beer of choice?" — "Bud Light, bud!" names it as liked ("Yellow hibiscus, without question" too)
            out.add("dislikes" if LEAST_Q.search(question) else "likes", normalize(found[0]), quote, False, item=found[0], anchored=True, strength=0.7)
            return
    for m in TOPIC_LIKE_RE.finditer(e):
        found = _item_match(m.group("obj"), anchors)
        if found is None or REPORTED.search(m.group("obj")) or is_negated(m.group("obj")):
            continue
        verb = m.group("verb").lower()
        positive = bool(_POSITIVE_RE.fullmatch(verb))
        out.add("likes" if positive else "dislikes", normalize(found[0]), quote, False, item=found[0], anchored=True, strength=0.8)
        return
    for pattern in (LIKE_VERB_RE, LIKE_BARE_RE):
        for m in pattern.finditer(e):
            verb = m.group("verb")
            positive = bool(_POSITIVE_RE.fullmatch(verb))
            rest = e[m.end() : m.end() + 60]
            rest = re.split(r"[.;!?]|\bbut\b|\bthough\b|\bexcept\b", rest, maxsplit=1)[0]
            words = re.findall(r"[\w']+", rest.lower())  # "never liked it, burns like petrol": "it"
            if verb.lower() == "love" and not words and re.search(r",\s*$", e[: m.start("verb")]):
                continue  # "Neither, love.", "Ask away, love — but…": a way of addressing the user
            found = _item_match(rest, anchors)
            head = " ".join(words[:2])
            if found is None and asked is not None and first and (not words or words[0] in _IT_WORDS or head in _IT_WORDS):
                found = asked  # "Love the place." about the place the question names
            if found is None:
                continue
            polarity = positive
            if is_negated(e[max(0, m.start() - 12) : m.start("verb")] + " x"):
                polarity = not polarity
            out.add("likes" if polarity else "dislikes", normalize(found[0]), quote, False, item=found[0], anchored=True, strength=0.8)
            return
    for m in re.finditer(rf"(?P<subj>[\w' -]{{3,40}}?)\s+(?:is|are|was)\s+(?:(?:honestly|actually|really|just|always)\s+)?(?P<neg>not\s+)?(?:(?P<pos>{EVAL_POS})|(?P<bad>{EVAL_NEG}))\b", e, re.I):
        found = _item_match(m.group("subj"), anchors)
        if found is None or REPORTED.search(m.group("subj")):
            continue
        polarity = bool(m.group("pos")) != bool(m.group("neg"))
        out.add("likes" if polarity else "dislikes", normalize(found[0]), quote, False, item=found[0], anchored=True, strength=0.7)
        return


# -------------------------------------------------------- backstory counts
_SOMEONE_ELSES = re.compile(
    r"(?:\b[\w-]+['’]s\s+(?:father|mother|dad|mum|mam|brother|sister|son|daughter|husband|wife|uncle|aunt|auntie|grand\w+|friend|neighbou?r|boss|family)"
    r"|\b(?:he|she|they)|\bmy\s+(?:father|mother|dad|mum|mam|brother|sister|son|daughter|husband|wife|uncle|aunt|grand\w+|friend|neighbou?r|boss))"
    r"\s+(?:\w+\s+)?(?:kept|keeps|had|has|have|owned|owns|ran|runs|bred|raised)\s+(?:\w+\s+)?$",
    re.I,
)


def _someone_elses(before: str) -> bool:
    """Is a count after ``before`` someone else's ("My husband's father kept three hives")?"""
    return bool(_SOMEONE_ELSES.search(re.split(r"[,;:—–]", before)[-1]))


def _key_counts(e: str, quote: str, out: _Out, anchors: Anchors) -> None:
    """"my three apprentices" of ``apprentices = "exactly one: Fritz"``; "all four grandchildren" of three."""
    for key, (n, source) in anchors.key_counts.items():
        for m in re.finditer(rf"\b(?:(?:my|our|the|all|both|those|these)\s+)?(?P<n>\d{{1,3}})\s+(?:(?:little|young|lovely|grand|wee|great|big|grown)\s+)?{re.escape(key)}\b", e, re.I):
            said = int(m.group("n"))
            before = e[: m.start()]
            if said == n or _APPROX_BEFORE.search(before) or re.search(r"\b(?:other|another|of the)\s*$", before, re.I) or is_negated(before + " x") or _someone_elses(before):
                continue
            out.add("other:keycount", f"{said} {key}", quote, False, n=said, unit=key, expected=n, source=source, what=f"the facts say {n} {key}, not {said}", strength=0.8)
            return


_APPROX_BEFORE = re.compile(r"\b(?:about|around|nearly|almost|over|more than|less than|roughly|some|like)\s*$", re.I)
"""Before a count, words that make it approximate ("nearly forty years"): not held to the facts' count."""


def _count_unit(m: re.Match[str], text: str) -> str:
    """The unit of a counted detail; "four years ago" is a point in time, not a span ("forty-one years married")."""
    unit = m.group("unit").lower().rstrip("s") or m.group("unit").lower()
    if unit == "year" and re.match(r"\s+(?:ago|back|earlier|later)\b", text[m.end() :], re.I):
        return "year ago"
    return unit


def _counts(e: str, quote: str, out: _Out, anchors: Anchors, question: str) -> None:
    """"After thirty-five years on the bench" vs "sat on the High Court bench for twenty-two years"; "all twelve of my rooms" vs
    "a guesthouse with seven rooms" (one's own things of a unit the facts count once need no shared words)."""
    if not anchors.counts:
        return
    for m in OWNED_COUNT.finditer(e):
        n, unit = next((count_of(n) or int(n), u) for n, u in ((m.group("n"), m.group("unit")), (m.group("n2"), m.group("unit2")), (m.group("n3"), m.group("unit3"))) if n)
        unit = unit.lower().rstrip("s")
        known = [(fn, source) for fn, funit, _context, source in anchors.counts if funit == unit]
        if len({fn for fn, _ in known}) != 1 or unit in ("year", "time", "day", "month", "week", "hour", "minute") or _someone_elses(e[: m.start()]):
            continue
        fn, source = known[0]
        if abs(fn - n) >= max(2, 0.1 * fn) and not is_negated(e[: m.end()]) and not _APPROX_BEFORE.search(e[: m.start()]):
            out.add("other:count", f"{n} {unit}", quote, False, n=n, unit=unit, expected=fn, source=source, shared=["my"], strength=0.65)
            return
    for m in COUNTED_UNITS.finditer(e):
        unit = _count_unit(m, e)
        n = int(m.group("n"))
        if AGE_UNIT_AFTER.match(e[m.end() :]):
            continue  # "twenty-two years old": an age, not a count
        context = (_stems(_clause_at(e, m.start())) | _stems(question)) - {_stem(m.group("unit").lower()), m.group("n")}
        if _APPROX_BEFORE.search(e[: m.start()]) or _someone_elses(e[: m.start()]):
            continue
        for fn, funit, fcontext, source in anchors.counts:
            if funit != unit or fn == n:
                continue
            shared = (context & fcontext) - TIME_WORDS
            if shared and abs(fn - n) >= max(2, 0.1 * fn):
                out.add("other:count", f"{n} {unit}", quote, False, n=n, unit=unit, expected=fn, source=source, shared=sorted(shared), strength=0.65)
                return


def topic_claims(text: str, turn: int | None, question: str | None, anchors: Anchors | None, make: Any, before: str | None = None) -> list:
    """Claims implied by what ``text`` answers or talks about (see the module docstring).

    Args:
        text: The reply.
        turn: Its turn index.
        question: The user message it answers.
        anchors: The persona's anchors (None: only persona-independent cues).
        make: The :class:`~drifttui.drift.claims.Claim` class.
        before: The persona's reply before the question (whom its "he" or "she" means).
    """
    anchors = anchors or Anchors()
    question = fold_quotes(question or "")
    asked = anchors.question_slots(question)
    out = _Out(turn, [], make)
    lowercase_writer = writes_lowercase(text)
    about_pet = None
    named: list = []
    if "pet" in asked:
        named = [p for n, p in anchors.pet_names.items() if re.search(rf"\b{re.escape(n)}\b", question.lower())]
        yours = re.search(r"\b(?:your|ur|that|the) (?:\w+ )?(?:pets?|" + "|".join(sorted((re.escape(w) for w in SPECIES), key=len, reverse=True)) + r")\b", question, re.I)
        yours = yours or re.search(r"\b(?:any|got|have|keep) (?:\w+ )?(?:pets?|animals?)\b", question, re.I)
        about_pet = named[0] if named else (next(iter(anchors.pet_names.values())) if len(anchors.pet_names) == 1 and yours else None)
    named_in_question = about_pet is not None and bool(named)
    about_pet_at_start = about_pet
    people = frozenset([*anchors.pet_names, *anchors.kin_names])
    sents: Sequence[str] = sentences(fold_quotes(text))
    _partner_alive(fold_quotes(text), sents[0] if sents else text, out, anchors)
    mourning = bool(DEATH_WORDS.search(text))
    substantive = 0  # sentences of three words or more read so far
    kept = 0  # sentences read so far ("Sydney? In a heartbeat, mate. Love the place." — the echo does not count)
    for index, sentence in enumerate(sents):
        if not _ok_sentence(sentence):
            continue
        kept += 1
        sentence = _drop_unreal(sentence)
        e = words_to_digits(expand_contractions(standard_possessives(sentence)))
        first = index < 2 or substantive < 2 and index < 5  # "Cold. Dark. Good. In Hammerfest we…": one-word openers do not count
        substantive += len(sentence.split()) >= 3
        n_before = len(out.claims)
        _age_cues(e, sentence, out)
        _explicit_age(e, sentence, out)
        _partner(e, sentence, out, mourning)
        _born_here(e, sentence, out, anchors, asked, index == 0)
        _born_there(e, sentence, out, question)
        if first and "age" in asked and not any(c.slot == "age" for c in out.claims):
            _age_answer(e, sentence, out)
        _places(sentence, e, sentence, out, asked, first, lowercase_writer, people)
        if about_pet is not None and _OTHER_ANIMAL.search(e):
            about_pet = None  # "I had a collie as a boy": from here on, another animal
        _pets(sentence, e, sentence, out, anchors, about_pet if index < 3 or named_in_question else None)
        _beings(sentence, e, sentence, out, anchors, question if first else "")
        _owned_counts(e, sentence, out)
        _family(e, sentence, out, asked, first, question)
        _likes(e, sentence, out, anchors, question, kept < 3, opening=kept == 1)
        _counts(e, sentence, out, anchors, question if first else "")
        _key_counts(e, sentence, out, anchors)
        del n_before
    for index, sentence in enumerate(sents):  # questions too: "Ha, that old black villain?"
        _pet_colour(sentence, out, anchors, about_pet_at_start if index < 3 or named_in_question else None)
    add = lambda slot, value, quote, **attrs: out.add(slot, value, quote, False, **attrs)  # noqa: E731
    kin_claims(text, question, anchors.kin, add, before)
    event_claims(text, anchors.events, anchors.kin, add, question, anchors.present)
    return out.claims
