"""The persona's named family, and what a reply says about them.

The facts often describe the people in a persona's life: "wife Ragnhild, a hospital
nurse", "one son, Ondřej, 34, a software developer", "twin sister Jana, younger by
eleven minutes". A slip about them is a contradiction as much as a wrong age of
one's own: "Ragnhild … thirty years in front of a classroom", "Ondřej is
twenty-six", "She is the older one".

:func:`kin_from_facts` reads a :class:`Kin` profile per named person (their job,
age, where they live, and for siblings whether older or younger); :func:`kin_claims` follows a
reply sentence by sentence — who it is about (a name, a pronoun after a name, or
the person the user asked about) — and reports what it says of them that the
profile cannot agree with. Only links a reader would make count: "She's a
teacher", "Ondřej is 26", "she's got a class of 28"; not "she married a teacher".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from drifttui.drift.lexicon import AMBIGUOUS_OCCUPATIONS, OCCUPATION_GROUPS, OCCUPATIONS, occupations_in
from drifttui.drift.patterns import HYPOTHETICAL, REPORTED
from drifttui.drift.places import places_compatible, resolve
from drifttui.drift.text import expand_contractions, fold_quotes, is_negated, sentences, words_to_digits, writes_lowercase

FEMALE = frozenset({"wife", "girlfriend", "daughter", "sister", "mother", "mum", "fiancee", "missus"})
MALE = frozenset({"husband", "boyfriend", "son", "brother", "father", "dad", "fiance"})
KIN_WORDS = {
    "partner": ("wife", "husband", "girlfriend", "boyfriend", "partner", "fiance", "fiancee", "missus", "other half", "spouse"),
    "children": ("son", "daughter", "child", "kid", "boy", "girl"),
    "siblings": ("brother", "sister", "sibling", "twin"),
}
OLDER, YOUNGER = "older", "younger"
_ORDER_WORDS = {"older": OLDER, "elder": OLDER, "aulder": OLDER, "big": OLDER, "oldest": OLDER, "eldest": OLDER, "younger": YOUNGER, "little": YOUNGER, "baby": YOUNGER, "youngest": YOUNGER, "kid": YOUNGER}

_CAP_WORD = re.compile(r"(?<![\w'’])([A-ZÀ-ÖØ-Þ][\w'’-]+)")
_NOT_NAMES = frozenset(
    """The A An And But In At On Of For With From To By Ambulance Royal Infirmary Hospital School College University Street Road
    Year Years None One Two Three Four Five Six Seven Eight Nine Ten Both All Only Married Widowed Divorced Single Together
    January February March April May June July August September October November December Christmas Easter Sunday Saturday
    Monday Tuesday Wednesday Thursday Friday""".split()
)
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|at|of|from|to|near|the|on|for|with|out of|over to|into|across|a|an)|\bthe [a-z]+)\s+$", re.I)
"""Before a capitalised word that is a place, a firm or a ship, not a person: "in Broken Hill", "a Lisbon tram", "the whaler Hesper"."""
_TITLES = frozenset("Mr Mrs Ms Miss Dr Captain Sir Lady Lord Uncle Aunt Auntie Gran Granny Grandpa Father Brother Sister".split())
_NOT_OWN_JOB = re.compile(r"\b[\w-]+['’]s\b|\b(?:married to|engaged to|wife of|husband of|widow of|daughter of|son of|works for|in service with)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?[\w-]+(?=[,;)]|\s+(?:in|at|on|from)\b|$)", re.I)
"""Jobs in a description that are someone else's: "married to a fisherman", "a doctor's family", "blacksmith's apprentice"."""


@dataclass(frozen=True)
class Kin:
    """One named person of the persona's facts.

    Attributes:
        name: As the facts write it ("Ragnhild").
        slot: ``partner``, ``children`` or ``siblings``.
        kind: "wife", "son", "sister"… when the facts say.
        occupations: Occupation nouns of :data:`~drifttui.drift.lexicon.OCCUPATIONS` in their description.
        age: Their age, when the facts give one.
        order: ``older`` or ``younger`` than the persona (siblings).
        source: The fact's text (evidence).
        place: Where they live or work, when the facts name a place the gazetteer knows.
    """

    name: str
    slot: str
    kind: str | None
    occupations: tuple[str, ...]
    age: int | None
    order: str | None
    source: str
    place: str | None = None

    @property
    def pronoun(self) -> str:
        """A regex for the pronouns that can stand for them."""
        if self.kind in FEMALE:
            return r"she|her"
        if self.kind in MALE:
            return r"he|him|his"
        return r"she|he|her|him|his"


def _names_in(raw: str) -> list[tuple[str, int, int]]:
    """Person names of a fact's text, ``(name, start, end)``; aliases in brackets and surnames joined to the name."""
    found: list[tuple[str, int, int]] = []
    skipped_end = -1
    for m in _CAP_WORD.finditer(raw):
        word = m.group(1)[:-2] if m.group(1).endswith(("'s", "’s")) else m.group(1)
        if word in _TITLES:
            continue  # "Captain Eben Pike": the name follows
        chained = skipped_end >= 0 and re.fullmatch(r"\s+(?:(?:de|da|di|del|della|du|van|von|la|le|of|upon|on|sur)\s+)?", raw[skipped_end : m.start()] or " ")
        if word in _NOT_NAMES or word.isupper() or _PLACE_BEFORE.search(raw[: m.start()]) or chained:
            skipped_end = m.end()  # "in Broken Hill", "the Vallée de Joux": none of the words is a person
            continue
        skipped_end = -1
        if found and re.fullmatch(r"\s*\(?\s*", raw[found[-1][2] : m.start()]):
            found[-1] = (found[-1][0], found[-1][1], m.end())  # "Kez (Kerryn Doyle)", "Thomas Sallow": one person
            continue
        found.append((word, m.start(), m.end()))
    return found


def _age_in(segment: str) -> int | None:
    m = re.search(r"(?:^|[(,]\s*|\baged\s+)(\d{1,3})(?:\s+years?\s+old)?\s*(?=[,;)]|$)", words_to_digits(segment))
    return int(m.group(1)) if m else None


def _occupations_in(segment: str) -> tuple[str, ...]:
    """The person's own occupations in their description (not their spouse's or employer's)."""
    return tuple(o for o in occupations_in(_NOT_OWN_JOB.sub(" , ", segment)) if o != "retired")


def _place_in(segment: str) -> str | None:
    """The first place the gazetteer knows in a description: "(20, in service with a doctor's family in Bath)" → Bath."""
    for m in re.finditer(r"\b(?:in|at|near)\s+(?P<p>[A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ -][A-ZÀ-ÖØ-Þ][\w'’-]+)?)", segment):
        for cand in (m.group("p"), m.group("p").split()[0]):
            if resolve(cand):
                return cand
    return None


_PET_AGE = re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b|\baged (\d{1,2})\b|[(,]\s*(\d{1,2})\s*(?=[,;)]|$)")


def _pets_from_fact(raw: str, pets: Iterable[dict[str, Any]], out: dict[str, Kin]) -> None:
    """Named pets whose age the fact gives ("Bess, a nine-year-old border collie"): their age is checked like a person's."""
    named = [p["name"] for p in pets if p.get("name")]
    spans = [(n, m.start(), m.end()) for n in named for m in [re.search(rf"\b{re.escape(n)}\b", raw)] if m]
    spans.sort(key=lambda t: t[1])
    for i, (name, start, end) in enumerate(spans):
        segment = words_to_digits(raw[end : spans[i + 1][1] if i + 1 < len(spans) else len(raw)].split(";")[0])
        before = words_to_digits(re.split(r"[;,]\s*(?=(?:and\s+)?(?:a|an|the|two|three|\d+)\b)", raw[spans[i - 1][2] if i else 0 : start])[-1])
        m = _PET_AGE.search(segment) or _PET_AGE.search(before)  # "Bess, a 9-year-old collie"; "a 9-year-old collie called Bess"
        if m:
            out.setdefault(name.lower(), Kin(name, "pet", None, (), int(next(g for g in m.groups() if g)), None, raw))


def kin_from_facts(facts: Iterable[Any]) -> dict[str, Kin]:
    """Lowercase name (and alias) → :class:`Kin`, from the partner, children and siblings facts, and pets of a stated age."""
    out: dict[str, Kin] = {}
    for fact in facts:
        if fact.slot == "pet" and getattr(fact, "turn", None) is None:
            _pets_from_fact(fold_quotes(str(fact.attrs.get("raw", ""))), fact.attrs.get("pets") or [], out)
            continue
        if fact.slot not in KIN_WORDS or getattr(fact, "turn", None) is not None:
            continue
        raw = fold_quotes(str(fact.attrs.get("raw", "")))
        names = _names_in(raw)
        previous: Kin | None = None
        kinds = [k for k in fact.attrs.get("kinds") or [] if k not in ("sibling", "child")]
        for i, (name, start, end) in enumerate(names):
            stop = names[i + 1][1] if i + 1 < len(names) else len(raw)
            segment = raw[end:stop].split(";")[0]
            prev_end = names[i - 1][2] if i else 0
            prefix = re.split(r"[;)]", raw[prev_end:start])[-1]
            own = re.match(r"\s*\(\s*(" + "|".join(KIN_WORDS[fact.slot]) + r")\b", segment, re.I)  # "Chidera (girl, 13)"
            kind_m = [own.group(1)] if own else re.findall(r"\b(" + "|".join(KIN_WORDS[fact.slot]) + r")s?\b", prefix, re.I)
            kind = kind_m[-1].lower() if kind_m else (kinds[0] if len(set(kinds)) == 1 else None)
            order = None
            if fact.slot == "siblings":
                own = re.match(r"\W*(?:the\s+)?(eldest|oldest|youngest)\s+of\b[^:;,]*[:;,]?", raw, re.I)  # "eldest of three: brother Rab…" is the persona's place
                if own and prefix.startswith(raw[: own.end()]):
                    prefix = prefix[own.end() :]
                words = lambda t: [_ORDER_WORDS[w.lower()] for w in re.findall(r"\b(" + "|".join(_ORDER_WORDS) + r")\b", t, re.I) if w.lower() != "kid"]  # noqa: E731
                said = words(prefix) or words(segment)
                order = said[0] if said and len(set(said)) == 1 else None
                if order is None and own:
                    order = YOUNGER if own.group(1).lower() in ("eldest", "oldest") else OLDER
            if previous is not None and re.fullmatch(r"\s*(?:,|and|&)\s*", prefix):
                kind, order = kind or previous.kind, order or previous.order  # "two older brothers, Jordie and Cal"
            kin = previous = Kin(name, fact.slot, kind, _occupations_in(segment), _age_in(segment), order, str(fact.attrs.get("raw", "")), _place_in(segment))
            for alias in [name, *re.findall(r"[A-ZÀ-ÖØ-Þ][\w'’-]+", raw[start:end])]:
                out.setdefault(alias.lower(), kin)
    return out


def _compatible(said: str, occupations: tuple[str, ...]) -> bool:
    if said in occupations:
        return True
    for group in OCCUPATION_GROUPS:
        if said in group and any(o in group for o in occupations):
            return True
    return any(o.split()[-1] == said.split()[-1] for o in occupations)


_OCC_ALT = "|".join(sorted((re.escape(o) for o in OCCUPATIONS if o not in AMBIGUOUS_OCCUPATIONS), key=len, reverse=True))
_SCHOOL_YEARS = r"(?:ones|twos|threes|fours|fives|sixes|sevens|eights|nines|tens|\d{1,2}s)"
_AT_WORK = r"\b(?:(?:works?|working|worked|(?:on|doing) (?:a |the |her |his )?(?:night |day |early |late |double )?shifts?|off|back|home|finishes|finished|starts?|started|leaves|left|is|was)\s+(?:\w+\s+){0,2}?(?:at|in|from|for|on|to)\s+(?:the|a|an|her|his)\s+(?:big\s+|local\s+|new\s+|old\s+)?(?:"
"""Someone at their place of work: "on shift at the mussel farm", "works nights at the hospital", "off from the bakery"."""
DOMAIN_CUES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            rf"\b(?:classroom|(?:her|his) pupils|lesson plans|a class of \d+|her class|his class|year {_SCHOOL_YEARS}|(?:teaches|taught|teaching) (?:at|in) (?:the |a )?(?:\w+ )?(?:school|college|primary|secondary|academy))\b",
            re.I,
        ),
        ("teacher", "professor", "tutor", "headteacher"),
    ),
    (re.compile(r"\b(?:start(?:s|ed)? |began |begun )?(?:teaches|teaching|taught) (?:French|English|maths?|math|science|history|music|art|biology|chemistry|physics|geography|Spanish|German|Latin|Italian|Japanese|Chinese|PE|primary|secondary|kindergarten|nursery|school|kids|children|classes)\b", re.I), ("teacher", "professor", "tutor", "headteacher", "lecturer")),
    (re.compile(r"\b(?:on the wards?|(?:her|his) patients|(?:nights|shifts?) on the ward)\b", re.I), ("nurse", "doctor", "dentist", "vet", "therapist", "pharmacist", "paramedic", "surgeon", "midwife")),
    (re.compile(r"\b(?:in the ambulance|on the ambulances?|call-?outs)\b", re.I), ("paramedic", "driver", "doctor")),
    (re.compile(r"\b(?:her|his) (?:salon|hair salon)\b", re.I), ("hairdresser", "barber", "beautician")),
    (re.compile(r"\bshifts? (?:at|in|on) the fire ?station\b|\bat the fire ?station\b", re.I), ("firefighter",)),
    (re.compile(r"\bshifts? (?:at|in|on) the (?:hospital|ward|clinic|surgery)\b", re.I), ("nurse", "doctor", "paramedic", "surgeon", "midwife", "porter", "receptionist", "cleaner", "pharmacist")),
    (re.compile(r"\bshifts? (?:at|in|on|down) the (?:mine|pit|colliery)\b", re.I), ("miner", "engineer", "electrician")),
    (re.compile(r"\b(?:her|his) (?:restaurant|bistro|café|cafe)\b", re.I), ("chef", "cook", "waiter", "manager", "baker")),
    *(
        (re.compile(_AT_WORK + place + r"))\b", re.I), fits)
        for place, fits in (
            (r"bakery|bakehouse", ("baker", "pastry chef", "confectioner", "cook")),
            (r"fire (?:department|station|brigade|hall)", ("firefighter",)),
            (r"(?:mussel |dairy |fish |sheep |cattle )?farm", ("farmer", "farmhand", "shepherd", "dairyman")),
            (r"hospital|infirmary|clinic|surgery", ("nurse", "doctor", "paramedic", "surgeon", "midwife", "porter", "receptionist", "cleaner", "pharmacist", "radiographer", "carer")),
            (r"(?:hair |beauty )?salon|hairdresser's|barber's", ("hairdresser", "barber", "beautician", "stylist")),
            (r"garage", ("mechanic",)),
            (r"uni|university|college", ("student", "lecturer", "professor", "researcher", "tutor")),
            (r"mine|pit|colliery", ("miner", "engineer", "electrician")),
        )
    ),
)
"""Words that give away someone's job without naming it ("thirty years in front of a classroom"), and the jobs they fit."""
_UNREAL = re.compile(r"\b(?:wants?|wanted|hopes?|hoped|plans?|planned|dreams?|dreamed|dreamt|thinking of|trained|training|studying|before|until|instead|rather than|like a|as if)\b", re.I)
_VISIT = re.compile(r"[^.;!?]{0,30}?\b(?:for the (?:weekend|week|day|night|holidays?|summer)|visiting|on holiday|on a trip|this week|today|tonight|at the moment|for work)\b", re.I)
"""After a place: a visit, not where someone lives."""
_PERSON_REF = re.compile(r"\b(?:I|me|my|we|our|you|your|he|she|they|him|her|his|their|them|husband|wife|son|daughter|boyfriend|girlfriend|friend|boss|kids?|children|mum|dad|mother|father)\b", re.I)


def _name_at(alias: str, text: str, lowercase: bool | None = None) -> list[int]:
    """Where ``text`` names the person ``alias`` (lowercase): capitalised, unless the writer writes in lowercase
    ("Old Mavis" is a pigeon; "How old are you?" is not about her)."""
    lowercase = writes_lowercase(text) if lowercase is None else lowercase
    return [m.start() for m in re.finditer(rf"\b{re.escape(alias)}\b", text, re.I) if lowercase or m.group(0)[:1].isupper()]


def mentions(alias: str, text: str, lowercase: bool | None = None) -> bool:
    """Does ``text`` name the person ``alias`` (:func:`_name_at`)?"""
    return bool(_name_at(alias, text, lowercase))


def _asked_about(question: str, kin: dict[str, Kin]) -> Kin | None:
    """The one person of the family the user's message asks about, by name or by "your wife"."""
    q = fold_quotes(question)
    named = {k for alias, k in kin.items() if mentions(alias, q)}
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    for possessive in (r"(?:your|ur|ya|yer)\s+(?:\w+\s+)?", ""):  # "your wife"; else a bare "big sister" when there is one sister
        for slot, words in KIN_WORDS.items():
            m = re.search(r"\b" + possessive + "(" + "|".join(words) + r")\b", q, re.I)
            if m:
                word = m.group(1).lower()
                people = {k for k in kin.values() if k.slot == slot and (k.kind in (None, word) or word in ("partner", "kid", "child", "twin", "sibling", "spouse", "other half"))}
                if not possessive:
                    people = {k for k in people if k.kind == word}
                return people.pop() if len(people) == 1 else None
    return None


def _last_named(text: str, kin: dict[str, Kin], question: str) -> Kin | None:
    """The person of the family ``text`` names last, if the question's pronoun can be them."""
    found = [(at, k) for alias, k in kin.items() if k.slot != "pet" for at in _name_at(alias, fold_quotes(text))]
    if not found:
        return None
    person = max(found, key=lambda t: t[0])[1]
    female = bool(re.search(r"\b(?:she|her)\b", question, re.I))
    male = bool(re.search(r"\b(?:he|him|his)\b", question, re.I))
    if female == male or person.kind is not None and (person.kind in FEMALE) != female:
        return None
    return person


def _subject(kin: Kin) -> str:
    """A regex for the words that can be the person: their name or a pronoun."""
    return rf"(?:\b(?i:{re.escape(kin.name)})\b|\b(?i:{kin.pronoun})\b)"


def kin_claims(text: str, question: str | None, kin: dict[str, Kin], add, before: str | None = None) -> None:
    """Call ``add(slot, value, quote, **attrs)`` for each thing ``text`` says about a named person that their profile cannot agree with.

    Slots: ``other:kinname``, ``other:kinjob``, ``other:kinage``, ``other:kinplace``, ``other:kinorder``; attrs ``being`` (their name),
    ``expected`` (what the facts say), ``source`` (the fact's text), ``fact`` (its key), ``what`` (one readable reason).
    """
    if not kin:
        return
    current = _asked_about(question or "", kin)
    if current is None and before and re.search(r"\b(?:he|she|him|her)\b", question or "", re.I) and not any(mentions(a, question or "") for a in kin):
        current = _last_named(before, kin, question or "")  # "Laci? Same." — "Does he ever come up to Budapest?"
    reported: set[tuple[str, str]] = set()

    def report(person: Kin, sentence: str, found: list[tuple[str, str, str]]) -> None:
        for kind, value, what in found:
            if (kind, value) not in reported:
                reported.add((kind, value))
                add(f"other:kin{kind}", f"{person.name} {value}", sentence, being=person.name, kind=value, expected=what, source=person.source, fact=person.slot, what=what)

    if current is not None and not re.search(rf"\b{re.escape(current.name)}\b", question or "", re.I):
        other = _other_name(text, current, kin)
        if other:
            what = f"{current.name} is the name the facts give, not {other}"
            add("other:kinname", f"{current.name} {other}", text, being=current.name, kind=other, expected=current.name, source=current.source, fact=current.slot, what=what, strength=0.7)
    _sibling_order(text, kin, add)
    _child_order(text, kin, add)
    _own_rank(text, kin, add)
    asked_age = bool(re.search(r"\bhow old\b|\bwhat age\b", question or "", re.I))
    lowercase_writer = writes_lowercase(text)
    index = 0  # statements read so far (an echoed "Lucy?" names the subject but is not one)
    for sentence in sentences(fold_quotes(text)):
        named = {k for alias, k in kin.items() if mentions(alias, sentence, lowercase_writer)}
        if len(named) == 1:
            current = next(iter(named))
        elif len(named) > 1 or _someone_else_opens(sentence, kin):
            current = None  # "Brenda, the ex, she's up in Bridlington": not the person before
        if sentence.rstrip().endswith("?"):
            continue
        index += 1
        e = words_to_digits(expand_contractions(sentence))
        if len(named) > 1:  # several people: only what is said of one by name ("callum … and poppy who is 11")
            for person in sorted(named, key=lambda k: k.name):
                report(person, sentence, _attributes(e, person, rf"\b(?i:{re.escape(person.name)})\b", False))
        if current is None:
            continue
        subject = _subject(current)
        refers = bool(re.search(subject, e)) or (index == 1 and not _PERSON_REF.search(e.split(",")[0]))
        if not refers and _PERSON_REF.search(e):
            continue
        report(current, sentence, _attributes(e, current, subject, index == 1, asked_age))




_OWN_RANK = re.compile(r"\b(?:I am|I was|I'm|as) the (?P<rank>oldest|eldest|youngest|baby)\b(?!\s+(?:of (?:the )?(?:grandchildren|cousins|class|team|crew|staff|lot at work)|in (?:the )?(?:class|team|crew|office|street)|(?:grandchild|cousin|one here|one at)))", re.I)


def _own_rank(text: str, kin: dict[str, Kin], add) -> None:
    """"I'm the oldest, so it's my job" when the facts name an older sibling ("I'm the youngest" with a younger one)."""
    siblings = {k for k in kin.values() if k.slot == "siblings"}
    for sentence in sentences(fold_quotes(text)):
        m = _OWN_RANK.search(sentence)
        if not m or sentence.rstrip().endswith("?") or _unreal(sentence[: m.start()]):
            continue
        eldest = m.group("rank").lower() in ("oldest", "eldest")
        against = sorted((k for k in siblings if k.order == (OLDER if eldest else YOUNGER)), key=lambda k: k.name)
        if against:
            names = " and ".join(k.name for k in against)
            what = f"{names} {'is' if len(against) == 1 else 'are'} {'older' if eldest else 'younger'} than you, by the facts"
            add("other:kinorder", f"self {m.group('rank').lower()}", sentence, being=names, kind=m.group("rank").lower(), expected=names, source=against[0].source, fact="siblings", what=what, strength=0.8)
            return


def _someone_else_opens(sentence: str, kin: dict[str, Kin]) -> bool:
    """Does the sentence open on a person the facts do not name ("Brenda, the ex, she's…", "Clive says…")?"""
    m = re.match(r"\W*(?P<n>[A-ZÀ-ÖØ-Þ][a-zà-ÿ-]+)(?:,\s+(?:the|my|our|his|her|me|a|an)\s|\s+(?:says|said|is|was|has|had|and|who)\b|['’]s\s)", fold_quotes(sentence))
    if not m:
        return False
    name = _unpossessed(m.group("n"))
    return name not in _OPENERS and name not in _NOT_NAMES and name not in _TITLES and name.lower() not in kin and not name.endswith("ly") and not resolve(name)


_MY_SIBLING = re.compile(r"\bmy\s+(?P<order>big|older|elder|oldest|eldest|little|younger|baby|youngest|kid)\s+(?P<kind>brother|sister)s?\b", re.I)


def _sibling_order(text: str, kin: dict[str, Kin], add) -> None:
    """"my big brother" when every brother the facts name is younger (or "my little sister" when every sister is older)."""
    reported: set[tuple[str, str]] = set()
    for sentence in sentences(fold_quotes(text)):
        for m in _MY_SIBLING.finditer(sentence):
            said, kind = _ORDER_WORDS[m.group("order").lower()], m.group("kind").lower()
            other = YOUNGER if said == OLDER else OLDER
            same = sorted({k for k in kin.values() if k.slot == "siblings" and k.kind == kind}, key=lambda k: k.name)
            if not same or any(k.order != other for k in same) or (kind, said) in reported:
                continue
            # an unnamed sibling the other way round would make it true: "two younger brothers, Álex and Beto, and an older one"
            rest = re.sub(r"\b(?:eldest|oldest|youngest)\s+of\b", " ", same[0].source, flags=re.I)
            if any(_ORDER_WORDS.get(w.lower()) == said for w in re.findall(r"\w+", rest) if w.lower() != "kid"):
                continue
            if _unreal(sentence[: m.start()]):
                continue
            reported.add((kind, said))
            names = " and ".join(k.name for k in same)
            what = f"{names}, the {kind}{'s' if len(same) > 1 else ''} the facts name, {'are' if len(same) > 1 else 'is'} {other}"
            add("other:kinorder", f"{kind} {said}", sentence, being=names, kind=said, expected=other, source=same[0].source, fact="siblings", what=what, strength=0.8)


_CHILD_RANK = re.compile(r"\b(?:my|our)\s+(?P<rank>eldest|oldest|youngest|first-?born|baby)\b(?:\s+(?P<kind>son|daughter|boy|girl|child|one|kid))?(?!\s+(?:brother|sister|sibling|cousin|grand\w*|niece|nephew|friend)s?\b)", re.I)
_RANK_NAMED_AFTER = re.compile(r"^\s*(?:,|\s(?:is|was))?\s*(?P<n>[A-ZÀ-ÖØ-Þ][\w'’-]+)")
_RANK_LINK = re.compile(r"(?:['’]s|\s+(?:is|was)|\s*[,—–-]+\s*(?:(?:he|she)(?:['’]s|\s+is|\s+was))?|(?:\s+\w+){1,2}\s*[,—–-]+\s*(?:he|she)(?:['’]s|\s+is|\s+was))\s*")
"""Between a name and "my eldest": "Rolando is", "Rolando's", "Rolando, ", "Rolando comes — he's"."""


def _unpossessed(word: str) -> str:
    """"Rolando's" → "Rolando"."""
    return word.removesuffix("'s").removesuffix("’s")


def _child_order(text: str, kin: dict[str, Kin], add) -> None:
    """"Rolando — he's my oldest" when the facts' ages make another child the eldest ("Yessenia (29), Rolando (24)")."""
    children = {k for k in kin.values() if k.slot == "children"}
    if len(children) < 2 or any(k.age is None for k in children):
        return
    by_name = {k.name.lower(): k for k in children}
    for sentence in sentences(fold_quotes(text)):
        if sentence.rstrip().endswith("?"):
            continue
        for m in _CHILD_RANK.finditer(sentence):
            after = _RANK_NAMED_AFTER.match(sentence[m.end() :]) if not m.group("kind") or m.group("kind").lower() not in ("one",) else None
            prefix = sentence[: m.start()]
            before = [w for w in _CAP_WORD.finditer(prefix) if _unpossessed(w.group(1)).lower() in by_name and _RANK_LINK.fullmatch(prefix[w.start(1) + len(_unpossessed(w.group(1))) :])]
            named = [_unpossessed(g.group(1)) for g in before[-1:]] + ([after.group("n")] if after is not None and after.group("n").lower() in by_name else [])
            if len(named) != 1 or _unreal(sentence[: m.start()]):
                continue
            child = by_name[named[0].lower()]
            kind = (m.group("kind") or "").lower()
            if kind in ("son", "boy", "daughter", "girl") and any(k.kind is None for k in children):
                continue  # "my oldest boy": which of them are boys the facts do not say
            pool = [k for k in children if kind not in ("son", "boy", "daughter", "girl") or (k.kind in MALE) == (kind in ("son", "boy"))]
            ages = sorted(k.age for k in pool if k.age is not None)
            eldest = m.group("rank").lower() in ("eldest", "oldest", "firstborn", "first-born", "first born")
            if len(ages) < 2 or ages.count(ages[-1 if eldest else 0]) > 1 or child.age == (ages[-1] if eldest else ages[0]):
                continue
            right = max(pool, key=lambda k: k.age or 0) if eldest else min(pool, key=lambda k: k.age or 0)
            what = f"{right.name} ({right.age}) is the {'eldest' if eldest else 'youngest'}; {child.name} is {child.age}"
            add("other:kinorder", f"{child.name} {m.group('rank').lower()}", sentence, being=child.name, kind=m.group("rank").lower(), expected=right.name, source=child.source, fact="children", what=what, strength=0.8)
            return


_OPENERS = frozenset(
    """Sometimes Always Never Often Rarely Seldom Mostly Constantly Maybe Perhaps Definitely Absolutely Obviously Honestly
    Lovely Beautiful Lord God Christ Heavens Gosh Goodness Jesus Well Och Aye Nah Nope Yep Yes No Sure Right True Fair Fine
    Grand Brilliant Busy Quiet Hard Easy Both Neither Nobody Everyone Everybody Nothing Something Home Work Dead Gone Alive
    Still Married Divorced Widowed Single Retired Twins Ha Haha Oh Ah Mm Hm Hmm Ugh Wow Oof Ooh Bless Nice Good Bad Great
    He She They We It You I This That These Those There Here Then Now What Who Which When Where Why How Somebody Someone Anyone
    Anybody Mine His Hers Ours Theirs Mum Mam Mom Dad Da Ma Pa Mother Father Gran Granny Grandma Grandad Grandpa Nan Nana Papa
    Mama Course Yesterday Today Tomorrow Tonight Last Next Every Each Some Most Many""".split()
)
"""Capitalised words that open a sentence without naming a person."""


def _other_name(text: str, kin: Kin, everyone: dict[str, Kin]) -> str | None:
    """"Och, Mairi. She was a herring girl…" answering "How did you meet your wife?" of a wife called Morag: the name the reply gives."""
    m = re.match(rf"\W*(?:(?i:och|oh|ah|well|aye|ja|yes|yeah|ha|hm+|mm+|ach|sure|oof|god|lord)[,!.]?\s+)*(?P<n>[A-ZÀ-ÖØ-Þ][a-zà-ÿ'’-]+)\s*[.!?,—–]+\s+(?P<next>[\w'’]+)", fold_quotes(text))
    if not m:
        return None
    name = m.group("n")
    if name in _OPENERS or name.endswith("ly") or name.lower() in everyone or not re.fullmatch(rf"(?i:{kin.pronoun})(?:['’]s)?", m.group("next")):
        return None
    if name.lower().startswith(kin.name.lower()[:3]) or kin.name.lower().startswith(name.lower()[:3]):
        return None  # a pet form: "Kez" of Kerryn, "Jos" of Josiah
    return name


def _unreal(prefix: str, reported: bool = True) -> bool:
    """Does the clause before a claim make it a wish, a plan, a denial, or (``reported``) someone's opinion ("he thinks he is 30")?"""
    part = re.split(r"[,;:()—–]", prefix)[-1]
    return bool(HYPOTHETICAL.search(part) or _UNREAL.search(part) or (reported and REPORTED.search(part)) or is_negated(prefix + " x"))


def _about_subject(e: str, at: int, subject: str, kin: Kin, first: bool) -> bool:
    """Is the nearest person before position ``at`` the subject (or no one, in the answer's first sentence)?"""
    refs = list(_PERSON_REF.finditer(e[:at]))
    nearest = refs[-1].group(0) if refs else None
    return bool((nearest is not None and re.fullmatch(subject, nearest)) or (nearest is None and first) or re.search(rf"\b(?i:{re.escape(kin.name)})\b", e[:at]) and nearest is None)


_OBJECT_BEFORE = re.compile(r"\b(?:married|marry|marrying|to|with|for|met|meet|dating|dates|like|than|as|from|by|saw|sees|see|called|call|a friend|friends with)\s+(?:an?\s+|the\s+|some\s+)?(?:[\w-]+\s+){0,2}$", re.I)


def _loose_occupations(e: str, subject: str, first: bool) -> list[str]:
    """Occupation nouns in a clause whose nearest person is the subject ("he acts all tough guy firefighter"), not as an object ("she married a nurse")."""
    found = []
    for m in re.finditer(rf"\b(?P<occ>{_OCC_ALT})s?\b", e, re.I):
        clause_start = max(e.rfind(c, 0, m.start()) for c in ",;:—–(")
        clause = e[clause_start + 1 : m.start()]
        refs = list(_PERSON_REF.finditer(clause))
        if not refs or not re.fullmatch(subject, refs[-1].group(0)) or _OBJECT_BEFORE.search(clause) or _unreal(clause):
            continue
        if re.search(r"\b(?:their|your|my|our|the|every|other|no|any)\s+(?:[\w-]+\s+)?$", clause, re.I):
            continue  # "they still think their teacher is cool": someone else
        found.append(m.group("occ").lower())
    return found


def _attributes(e: str, kin: Kin, subject: str, first: bool, asked_age: bool = False) -> list[tuple[str, str, str]]:
    """``(kind, what was said, what the facts say)`` for each thing ``e`` says of ``kin`` against the facts.

    ``first``: ``e`` is the answer's first statement; ``asked_age``: the user asked how old they are (a bare "Six." answers it).
    """
    out: list[tuple[str, str, str]] = []
    if kin.occupations:
        said = []
        for m in re.finditer(rf"{subject}\s*(?:is|was|has been|had been|works as|worked as|became|,)\s+(?:now\s+|still\s+|just\s+)?an?\s+(?:[\w-]+\s+){{0,2}}?(?P<occ>{_OCC_ALT})\b", e):
            if not _unreal(e[: m.start("occ")]):
                said.append((m.group("occ").lower(), m.group(0)))
        for occ in _loose_occupations(e, subject, first):
            said.append((occ, occ))
        for cue, fits in DOMAIN_CUES:
            for m in cue.finditer(e):
                if _about_subject(e, m.start(), subject, kin, first) and not _unreal(e[: m.start()], reported=False):
                    said.append((fits, m.group(0)))
        for occ, cue in said:
            fits = occ if isinstance(occ, tuple) else (occ,)
            if not any(_compatible(o, kin.occupations) for o in fits):
                out.append(("job", fits[0], f"{kin.name} is a {' / '.join(kin.occupations)}, not a {fits[0]} (\"{cue.strip()}\")"))
                break
    if kin.age is not None:
        for m in re.finditer(rf"{subject}(?:,?\s+who)?(?:\s+is|\s+turned|\s+turns|\s+will be|,)\s+(?P<approx>just |only |nearly |almost |about )?(?P<n>\d{{1,3}})\b(?!\s*(?:%|percent|minutes?|hours?|days?|weeks?|months?|miles?|times|o'clock|pm|am|kilos?|pounds?|quid|euros?|dollars?|years? (?:ago|later|on|back|since|in|married|together|younger|older|apart|junior|senior|between)))", e):
            n = int(m.group("n"))
            lo = n - 3 if m.group("approx") in ("nearly ", "almost ") else n - 1
            if not 1 <= n <= 110 or lo <= kin.age <= n + 1 or _unreal(e[: m.start("n")]):
                continue
            out.append(("age", str(n), f"{kin.name} is {kin.age}, not {n}"))
            break
        else:
            answer = re.match(r"\W*(?:(?:oh|ah|well|aye|ja|yes|yeah|she is|he is|about|nearly|almost|just|only)\W+){0,2}(?P<n>\d{1,2})(?:\s+(?:na|already|now|ja|lah|years? old|this year))?\W*$", e, re.I) if asked_age and first else None
            if answer and abs(int(answer.group("n")) - kin.age) >= 2:  # "Six." / "six na!" answering "How old is Althea now?"
                out.append(("age", answer.group("n"), f"{kin.name} is {kin.age}, not {answer.group('n')}"))
            for m in [] if answer else re.finditer(r"(?:^|[—–,:;]\s*)(?P<n>\d{1,2})\s+(?:already|now|this year|last month|next month|years old)\b", e):
                n = int(m.group("n"))
                if abs(n - kin.age) >= 2 and _about_subject(e, m.start(), subject, kin, first) and not _unreal(e[: m.start("n")]):
                    out.append(("age", str(n), f"{kin.name} is {kin.age}, not {n}"))
                    break
    if kin.place is not None:
        place = r"(?P<place>[A-ZÀ-ÖØ-Þ][\w'’-]+(?: [A-ZÀ-ÖØ-Þ][\w'’-]+)?)"
        lives = rf"{subject}(?:\s+(?:posting|job|work|practice|clinic|office|firm|school|shop|family))?\s*(?:is|was|has been|lives|lived|works|worked|living|working|based|settled|moved|married)\b[^.;!?]{{0,40}}?\b(?:in|at|to|over to|out in|up in|down in)\s+{place}"
        comes = rf"\b(?:come|comes|coming|travel|travels)\s+(?:(?:up|down|over|back|home|all the way)\s+)*from\s+{place}"
        for m in [*re.finditer(lives, e), *re.finditer(comes, e)]:
            said = m.group("place")
            before = e[: m.start("place")]
            refs = [r for r in _PERSON_REF.finditer(e[: m.start()]) if not re.match(rf"\s+{re.escape(kin.name)}\b", e[r.end() :], re.I)]  # "our Kerry": her name
            if m.re.pattern == comes and refs and not re.fullmatch(subject, refs[-1].group(0)):
                continue  # "my cousin came from Leeds": someone else
            if _unreal(before) or _VISIT.match(e[m.end() :]) or places_compatible(said, kin.place) is not False:
                continue
            out.append(("place", said, f"{kin.name} is in {kin.place}, not {said}"))
            break
    if kin.order is not None:
        for m in re.finditer(rf"{subject}\s+(?:is|was)\s+(?:the\s+)?(?P<o>older|elder|aulder|oldest|eldest|younger|youngest|baby)\b|\bmy\s+(?P<o2>older|elder|big|younger|little|baby)\s+(?:sister|brother|sis|bro),?\s+(?i:{re.escape(kin.name)})\b", e):
            said_order = _ORDER_WORDS[(m.group("o") or m.group("o2")).lower()]
            if said_order != kin.order and not _unreal(e[: m.start()]):
                out.append(("order", said_order, f"{kin.name} is {kin.order} than the persona, not {said_order}"))
                break
    return out
