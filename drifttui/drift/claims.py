"""First-person factual claims: extracted from a persona's facts and from replies.

A :class:`Claim` is one checkable statement in a *slot* (age, name, city,
hometown, job, pet, partner, children, siblings, likes, dislikes), in a
normalised form: numbers as digits, places in their gazetteer spelling,
occupations from a fixed lexicon. Extraction is deliberately conservative —
rule-based patterns anchored on the speaker ("I am …", "my cat …", "I grew up
in …"), skipping questions, hypotheticals, reported speech and past states —
because a missed claim costs a little recall while a wrong claim raises a
false contradiction in front of the user.

Patterns live in :mod:`drifttui.drift.patterns`, the persona's facts as claims
in :mod:`drifttui.drift.facts`, and the comparison in :mod:`drifttui.drift.factual`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from drifttui.drift.answers import Anchors, standard_possessives, topic_claims
from drifttui.drift.lexicon import AMBIGUOUS_OCCUPATIONS, BEING_IDIOMS, BEINGS, EVALUATIVE, KIN_CHILD, KIN_PARTNER, KIN_SIBLING, OCCUPATIONS, PARTNER_STATUS, SPECIES, count_of
from drifttui.drift.patterns import ADV as ADV_WORDS
from drifttui.drift.patterns import (
    AGE_BOUND_PATTERNS,
    AGE_PATTERNS,
    AI_SELF,
    DESCRIBES_RE,
    FIGURE_RE,
    NP_STOP,
    ONLY_ONE_RE,
    CHILD_COUNT_RE,
    CHILD_HOUSE_RE,
    CHILD_MY_RE,
    CITY_PATTERNS,
    DECADES,
    DECADE_RE,
    FAVOURITE_RE,
    HOMETOWN_PATTERNS,
    HOME_WORDS,
    HYPOTHETICAL,
    JOB_PATTERNS,
    NOT_PET_NAMES,
    LIKE_RE,
    LIKE_VERBS,
    NAME,
    NAMED_PET_RE,
    NEVER_MARRIED_RE,
    NO_CHILD_RE,
    NO_JOB_RE,
    NO_PETS_RE,
    NO_SPECIES_RE,
    NUM,
    ONLY_CHILD_RE,
    PARTNER_MY_RE,
    SPECIES_RE,
    PAST,
    PET_PATTERNS,
    PLACE,
    PRONOUN_PET_RE,
    QUIT_RE,
    Q_AGE,
    Q_CITY,
    Q_HOME,
    Q_JOB,
    Q_NAME,
    REPORTED,
    RETIRED_RE,
    SIB_COUNT_RE,
    SIB_MY_RE,
    STATUS_RE,
    AGE_NEXT,
    OBJ_STOP,
    SKIP_OBJ,
    TURNING,
)
from drifttui.drift.places import canonical_place, is_city, is_common
from drifttui.drift.text import STOPWORDS, content_words, expand_contractions, fold_quotes, is_negated, normalize, sentences, words_to_digits, writes_lowercase

SLOTS = ("name", "age", "species", "city", "hometown", "job", "pet", "partner", "children", "siblings", "likes", "dislikes", "count")
"""Fact slots a claim can be about. ``count`` is how many of something the speaker has ("my two apprentices",
held to earlier turns). Claims checked against a written source go in ``other:being``, ``other:count`` and
``other:kinplace`` (a named being's kind, a counted backstory detail, where a family member lives)."""


@dataclass(frozen=True)
class Claim:
    """One factual statement the persona makes about itself.

    Attributes:
        slot: Which fact it is about (one of :data:`SLOTS`).
        value: A short normalised value, for display and equality ("34", "lisbon", "cat olive").
        quote: The words as written (a sentence or clause of the reply, or ``key = value`` of a fact).
        turn: Index of the turn it was said in; ``None`` for a persona fact.
        negated: The statement is denied ("I don't have a cat").
        attrs: Structured parts: ``lo``/``hi`` (age), ``place`` (canonical place or None), ``occupation``,
            ``species``/``name``/``names``/``count``/``kinds`` (pets and family), ``status`` (partner),
            ``item`` (likes/dislikes), ``exclusive`` ("just my dog"), ``strength`` (0-1 extraction confidence).
    """

    slot: str
    value: str
    quote: str
    turn: int | None = None
    negated: bool = False
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def strength(self) -> float:
        return float(self.attrs.get("strength", 1.0))

    def describe(self) -> str:
        """``key=value`` for a fact, the quote for a said claim."""
        if self.turn is None:
            return f"{self.attrs.get('key', self.slot)}={self.attrs.get('raw', self.value)}"
        return self.quote


def _strength_for_case(text: str) -> bool:
    """True if the writer uses no capital letters at all (then names and places are written lowercase)."""
    return writes_lowercase(text)


def _resolve_place(phrase: str, lowercase_writer: bool) -> tuple[str | None, str]:
    """Longest leading run of ``phrase`` that names a gazetteer place → (canonical, surface)."""
    words = phrase.split()
    # drop a leading article ("in the Netherlands"), keep "the hague"
    for n in range(min(4, len(words)), 0, -1):
        surface = " ".join(words[:n]).strip(".,;:!?'\"")
        if not surface:
            continue
        place = canonical_place(surface)
        if place is None and words[0].lower() == "the" and n > 1:
            place = canonical_place(" ".join(words[1:n]).strip(".,;:!?'\""))
        if place is None:
            continue
        first = words[1] if words[0].lower() == "the" and n > 1 else words[0]
        capitalised = first[:1].isupper()
        if not capitalised and not lowercase_writer:
            continue
        if not capitalised and is_common(surface) and not lowercase_writer:
            continue
        return place, surface
    return None, words[0] if words else ""


def _find_occupation(phrase: str) -> tuple[str | None, float]:
    """The occupation a noun phrase after "I am a …" names, if it names one, and how sure we are."""
    words = [w.strip(".,;:!?'\"").lower() for w in phrase.split()]
    words = [w for w in words if w]
    # stop at prepositions: "a nurse in Toronto", "a dentist with a cat"
    for i, w in enumerate(words):
        if i > 0 and (w in STOPWORDS or w in {"since", "these", "nowadays", "today", "anymore", "full-time", "part-time", "myself"}):
            words = words[:i]
            break
    if not words:
        return None, 0.0
    best: tuple[str | None, int] = (None, -1)
    for n in (3, 2, 1):
        for i in range(0, len(words) - n + 1):
            cand = " ".join(words[i : i + n])
            if cand in OCCUPATIONS and (best[0] is None or i + n > best[1]):
                # the occupation must end the phrase (head noun) or be followed by nothing nouny
                best = (cand, i + n) if i + n == len(words) else best
        if best[0]:
            break
    occ, end = best
    if occ is None:
        return None, 0.0
    start = end - len(occ.split())
    modifiers = words[:start]
    if any(m in EVALUATIVE for m in modifiers):
        return None, 0.0
    if len(modifiers) > 2:
        return None, 0.0
    return occ, 0.55 if occ in AMBIGUOUS_OCCUPATIONS else 1.0


def _clean_obj(obj: str) -> str:
    obj = OBJ_STOP.sub("", obj).strip(" .,;:!?'\"")
    return obj


def _quote(sentence: str, limit: int = 90) -> str:
    s = " ".join(sentence.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _skip_sentence(sentence: str) -> bool:
    s = sentence.strip()
    if s.endswith("?"):
        return True
    return False


def _clause_ok(clause: str) -> bool:
    """Hypotheticals, reported speech and the past ("when I was young") are not claims about the present self."""
    clause = re.sub(r"^\W*(?:(?:just|please|you can|you may)\s+)?call me\b", "", clause, flags=re.I)  # "Call me Joana": not reported
    return not (HYPOTHETICAL.search(clause) or REPORTED.search(clause) or PAST.search(clause))


_CLAUSE_BREAK = re.compile(r"[,;:()—–]|\s(?:and|but|so|because|while|though)\s+(?=(?:he|she|they|it|you|we|I|my|his|her|their|our)\b)", re.I)
"""Where a sentence's parts meet: punctuation, or a conjunction that starts a clause with its own subject."""


def _subclauses(e: str) -> list[tuple[int, int]]:
    """Character spans of the parts of ``e`` between :data:`_CLAUSE_BREAK`\\ s."""
    spans, start = [], 0
    for m in _CLAUSE_BREAK.finditer(e):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(e):
        spans.append((start, len(e)))
    return spans


def _bad_spans(e: str) -> list[tuple[int, int]]:
    """Character spans of the parts of ``e`` that are hypothetical, reported or in the past.

    "I'm 65 and he still calls me the baby": only the second part is reported speech.
    """
    return [(a, b) for a, b in _subclauses(e) if not _clause_ok(e[a:b])]


def _past_sentence(sentence: str) -> bool:
    """A sentence that opens in the past ("When I was a girl, I lived in Leeds") claims nothing about now.

    A past part later on ("I'm almost thirty, I can't do this like when I was young") only
    drops that part (:func:`_bad_spans`).
    """
    parts = _subclauses(sentence)
    return bool(parts) and bool(PAST.search(sentence[parts[0][0] : parts[0][1]]))


@dataclass
class _Ctx:
    turn: int | None
    lowercase_writer: bool
    question: str
    claims: list[Claim]
    bad: list[tuple[int, int]] = field(default_factory=list)

    def add_at(self, m: re.Match[str], slot: str, value: str, quote: str, negated: bool = False, **attrs: Any) -> None:
        """Add a claim found by match ``m`` (dropped if ``m`` lies in a hypothetical or reported part)."""
        self.add(slot, value, quote, negated, at=m.start(), **attrs)

    def add(self, slot: str, value: str, quote: str, negated: bool = False, *, at: int | None = None, **attrs: Any) -> None:
        if at is not None and any(a <= at < b for a, b in self.bad):
            return
        self.claims.append(Claim(slot, value, _quote(quote), self.turn, negated, attrs))


def extract_claims(text: str, turn: int | None = None, question: str | None = None, anchors: Anchors | None = None, before: str | None = None) -> list[Claim]:
    """Every first-person factual claim in a reply.

    Args:
        text: The reply.
        turn: Its turn index (kept on each claim for evidence).
        question: The user message it answers; short answers ("Forty-eight.") to
            direct questions ("How old are you?") count as claims.
        anchors: The persona's :class:`~drifttui.drift.answers.Anchors` (its pets' and family's
            names, its likes …), so that answers and passing mentions count too
            (:func:`~drifttui.drift.answers.topic_claims`).
        before: The persona's reply before ``question``: whom a "he" or "she" of the question means
            ("Laci? Same." then "Does he ever come up to Budapest?").

    Returns:
        Claims in reading order (possibly several per slot).
    """
    ctx = _Ctx(turn, _strength_for_case(text), fold_quotes(question or ""), [])
    sents = _merge_echoes(sentences(fold_quotes(text)))
    for index, sentence in enumerate(sents):
        if _skip_sentence(sentence) or AI_SELF.search(expand_contractions(sentence)):
            continue
        if _past_sentence(sentence):
            _named_partner(words_to_digits(expand_contractions(standard_possessives(sentence))), sentence, ctx)
            continue
        for clause in _claim_clauses(sentence):
            e = words_to_digits(expand_contractions(standard_possessives(clause)))
            ctx.bad = _bad_spans(e)
            _age(e, clause, ctx)
            _name(e, clause, ctx)
            _species(e, clause, ctx)
            _places(e, clause, ctx)
            _job(e, clause, ctx)
            _family(e, clause, ctx)
            _likes(e, clause, ctx)
        whole = words_to_digits(expand_contractions(standard_possessives(sentence)))
        ctx.bad = _bad_spans(whole)
        _pets(whole, sentence, ctx, first=index == 0)
        _home_mention(whole, sentence, ctx)
        ctx.bad = []
    if sents and ctx.question and not AI_SELF.search(expand_contractions(sents[0])):
        _answers(sents[0], ctx)
    said = {c.slot for c in ctx.claims}
    for claim in topic_claims(text, turn, question, anchors, Claim, before):
        if claim.slot in said and claim.slot not in ("pet", "likes", "dislikes", "children", "siblings"):
            continue  # a set-form claim in the slot says it better
        ctx.claims.append(claim)
    return _dedupe(ctx.claims)


_RHETORICAL = re.compile(r"^(?P<head>[^?]{12,}?),\s+(?:and\s+)?(?:who|what|how|why|where|when)\b[^,]*\?+\W*$", re.I)
"""A statement closed by a rhetorical question: "With three boys in the house, who has time?" states the head."""


def _merge_echoes(sents: list[str]) -> list[str]:
    """"Olive? She's a retriever." → one sentence: an echoed one-word question belongs to the answer.

    A rhetorical question's statement part is kept as a sentence of its own (:data:`_RHETORICAL`).
    """
    out: list[str] = []
    carry = ""
    for s in sents:
        rhetorical = _RHETORICAL.match(s.strip())
        if rhetorical and not re.match(r"\W*(?:do|does|did|are|is|was|were|have|has|had|can|could|would|will|should|who|what|how|why|where|when|which)\b", s, re.I):
            s = rhetorical.group("head") + "."
        if re.fullmatch(r"\W*[\w'’-]+\?+\W*", s):
            carry += s + " "
            continue
        out.append(carry + s)
        carry = ""
    if carry:
        out.append(carry.strip())
    return out


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[str, str, bool]] = set()
    out = []
    for c in claims:
        key = (c.slot, c.value, c.negated)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _home_mention(e: str, quote: str, ctx: _Ctx) -> None:
    """"A tiny flat … right in the middle of Sydney": a first-person sentence about home naming a city."""
    if any(c.slot == "city" for c in ctx.claims) or not HOME_WORDS.search(e):
        return
    for m in re.finditer(rf"\b(?:in|of) (?:the (?:middle|heart|centre|center|outskirts|suburbs) of )?{PLACE}", e, re.I):
        before = e[max(0, m.start() - 30) : m.start()].lower()
        if re.search(r"\b(?:from|visit|visiting|trip|near|to)\s*$", before) or re.search(r"\b(?:like|than)\s+(?:I|we)\b[^,.;!?]*$", before, re.I):
            continue  # a visit, or a comparison ("the rent is like we live in Paris")
        place, surface = _resolve_place(m.group("place"), ctx.lowercase_writer)
        if place is not None and is_city(place):
            ctx.add_at(m, "city", place, quote, is_negated(e[: m.start("place")] + " " + surface), place=place, surface=surface, strength=0.6)
            return


def _claim_clauses(sentence: str) -> list[str]:
    """Clauses to search: the whole sentence split at strong breaks only (keeps "I live with X in Y")."""
    parts = re.split(r"\s*(?:;|—|–|\s-\s|\bbut\b|\balthough\b|\bthough\b|\bwhereas\b)\s*", sentence)
    return [p for p in parts if p and p.strip()]


# ----------------------------------------------------------------- extractors
def _about_someone_else(e: str, m: re.Match[str]) -> bool:
    """A match without "I" in a sentence about him, her or them, and not about the speaker, before it."""
    before = e[: m.start()]
    return not re.search(r"\bI\b", m.group(0)) and bool(re.search(r"\b(?:he|she|they)\b", before, re.I)) and not re.search(r"\b(?:I|me|my)\b", before)


def _age(e: str, quote: str, ctx: _Ctx) -> None:
    for pattern, shift in AGE_PATTERNS:
        for m in pattern.finditer(e):
            n = int(m.group(1))
            if not 3 <= n <= 120:
                continue
            lo = n + shift
            turning = "turning" in pattern.groupindex and m.group("turning")
            if turning:
                lo = n - 1
            negated = is_negated(e[m.start() : m.end(1)])
            if negated and re.search(r"\bnot (?:even|quite|yet)\b", m.group(0), re.I) or negated and re.match(r"\s+yet\b", e[m.end(1) :], re.I):
                ctx.add_at(m, "age", f"under {n}", quote, False, lo=max(3, n - 15), hi=n - 1, strength=0.8)  # "I'm not even seventy yet"
                continue
            ctx.add_at(m, "age", str(n), quote, negated, lo=lo, hi=n)
    for pattern, low, high, reads in AGE_BOUND_PATTERNS:
        for m in pattern.finditer(e):
            n = int(m.group(1))
            if not 3 <= n <= 120 or is_negated(e[m.start() : m.end(1)]):
                continue  # "I'm not over sixty yet": no claim
            if _about_someone_else(e, m):
                continue  # "He's strong for a man of seventy"
            ctx.add_at(m, "age", reads.format(n=n), quote, False, lo=n + low, hi=n + high, strength=0.85)
    for m in DECADE_RE.finditer(e):
        base = DECADES[m.group(2).lower()]
        part = (m.group(1) or "").lower()
        lo, hi = {"early": (0, 4), "mid": (3, 7), "late": (6, 9)}.get(part, (0, 9))
        ctx.add_at(m, "age", f"{base + lo}-{base + hi}", quote, is_negated(e[: m.end()]), lo=base + lo, hi=base + hi, strength=0.9)


def _np_words(np: str) -> list[str]:
    """The words of a noun phrase up to its head: "wild red fox with a limp" → [wild, red, fox]."""
    return re.findall(r"[\w'’-]+", NP_STOP.sub("", np.lower()))[:4]


def being_kind(np: str) -> str | None:
    """What a noun phrase says a being is, by its head noun: "wild red fox" → fox, "human dog" → dog."""
    raw = " ".join(re.findall(r"[\w'’-]+", np.lower())[:6])
    if any(i in raw for i in BEING_IDIOMS):  # before the tail is cut: "a man of my word", "a bear of a man"
        return None
    words = _np_words(np)
    if len(words) >= 2 and " ".join(words[-2:]) in BEINGS:
        return BEINGS[" ".join(words[-2:])]
    return BEINGS.get(words[-1]) if words else None


def _species(e: str, quote: str, ctx: _Ctx) -> None:
    """"I'm a cat with a tail", "I'm just a human" → what the speaker says it is."""
    for m in SPECIES_RE.finditer(e):
        np = m.group("np")
        if FIGURE_RE.search(np) or DESCRIBES_RE.match(np):
            continue  # "a wolf at heart"; "a man who cries easily", "a woman of few words"
        kind = being_kind(np)
        if kind is None:
            continue
        negated = is_negated(e[m.start() : m.end("np")])
        if negated and kind == "human" and _np_words(np)[-1] not in ("human", "person", "being"):
            continue  # "I'm not a boy" / "no longer a girl" is about age or sex, not species
        literal = bool(re.search(r"\b(?:actually|literally)\b", m.group("adv"), re.I))
        ctx.add_at(m, "species", kind, quote, negated, kind=kind, literal=literal)


def _name(e: str, quote: str, ctx: _Ctx) -> None:
    for m in re.finditer(rf"\b(?:my name is|my name's|name's|call me|I am called|I go by|they call me) {NAME}", e, re.I):
        name = m.group("name")
        if name.lower() in STOPWORDS or (name[0].islower() and not ctx.lowercase_writer):
            continue
        ctx.add_at(m, "name", name.lower(), quote, is_negated(e[: m.end()]), name=name)


def _places(e: str, quote: str, ctx: _Ctx) -> None:
    for slot, patterns in (("city", CITY_PATTERNS), ("hometown", HOMETOWN_PATTERNS)):
        for pattern in patterns:
            for m in pattern.finditer(e):
                place, surface = _resolve_place(m.group("place"), ctx.lowercase_writer)
                if place is None:
                    continue
                if _about_someone_else(e, m):
                    continue  # "Sure he was from here, born in St Mary's Park": someone else's birthplace
                if not re.search(r"\bI\b", m.group(0)) and REPORTED.search(e[: m.start()]):
                    continue  # "My sister says: come visit me in Bristol": her home, not the speaker's
                if re.search(r"\b(?:like|than)\s+$", e[: m.start()], re.I):
                    continue  # "the rent is like we live in Paris": a comparison
                negated = is_negated(e[: m.start("place")] + " " + surface)
                explicit = slot == "hometown" and bool(re.search(r"\b(?:born|grew up|raised|reared|brought up)\b", m.group(0), re.I))
                ctx.add_at(m, slot, place, quote, negated, place=place, surface=surface, explicit=explicit)


def _job(e: str, quote: str, ctx: _Ctx) -> None:
    for pattern, strength in JOB_PATTERNS:
        for m in pattern.finditer(e):
            occ, sure = _find_occupation(m.group("occ"))
            if occ is None:
                continue
            negated = is_negated(e[m.start() : m.end("occ")])
            ctx.add_at(m, "job", occ, quote, negated, occupation=occ, strength=strength * sure)
    for m in NO_JOB_RE.finditer(e):
        if "never" in m.group(0).lower() or not is_negated(e[m.start() : m.end()]):  # "I'm not unemployed": no claim
            ctx.add_at(m, "job", "no job", quote, False, occupation="unemployed", strength=0.8)
    for m in RETIRED_RE.finditer(e):
        ctx.add_at(m, "job", "retired", quote, is_negated(e[m.start() : m.end()]), occupation="retired", strength=0.8)
    for m in QUIT_RE.finditer(e):
        obj = m.group("obj").lower().split()
        obj = [w for w in obj if w not in {"my", "the", "a"}]
        if not obj or is_negated(e[m.start() : m.end()]):
            continue
        ctx.add_at(m, "job", "left " + " ".join(obj), quote, False, quit=" ".join(obj), strength=0.8)


VOCATIVE_BEFORE = re.compile(r"(?:[,!?;:—–]\s*|\b(?:yes|no|ah|oh|well|now|come|there|thanks|thank you)\s+)my\s+$", re.I)
"""Before "my bird", "my duck", "my lamb" used to address someone."""


def _pets(e: str, quote: str, ctx: _Ctx, first: bool) -> None:
    seen: set[tuple[str, str]] = set()
    for pattern in PET_PATTERNS:
        for m in pattern.finditer(e):
            species = SPECIES[m.group("species").lower()]
            name = m.groupdict().get("pname")
            if name and (name.lower() in STOPWORDS or name.lower() in SPECIES):
                name = None
            if name and m.groupdict().get("verb") and not m.groupdict().get("vcalled"):
                # "my cat is Luna." names it; "my cat is Siamese", "my dog is Happy when…" do not
                if name.lower() in NOT_PET_NAMES or not re.match(r"\s*(?:[,.!?;…)]|$|and\b)", e[m.end() :]):
                    name = None
            if not name and VOCATIVE_BEFORE.search(e[: m.start("species")]) and re.match(r"\s*(?:[,!?.;…]|$)", e[m.end("species") :]):
                continue  # "No, no, my bird, forgive me": a term of address, not a pet
            key = (species, (name or "").lower())
            if key in seen:
                continue
            seen.add(key)
            negated = is_negated(e[m.start() : m.end("species")])
            if negated and re.match(r"\s+(?:before|until|till)\b", e[m.end("species") :], re.I):
                continue  # "I never had a cat before Olive"
            if not negated and re.match(r"I\s+(?:(?!have\b)[\w'’]+\s+)*?had\s", m.group(0), re.I):
                continue  # "I had a rabbit once": a past pet ("I have had Olive for years" is a present one)
            excl = bool(m.groupdict().get("excl"))
            ctx.add_at(m, "pet", f"{species} {name or ''}".strip().lower(), quote, negated, species=species, name=name, exclusive=excl)
    for m in NO_PETS_RE.finditer(e):
        text = m.group(0)
        if re.match(r"^(?:any |no )?(?:pets?|animals)\b", text, re.I) and not text.lower().startswith("no"):
            continue  # a bare "pets" at the start of a sentence is not a claim
        negated = text.lower().startswith("no") or " no " in f" {text.lower()} " or is_negated(e[: m.end()])
        if negated:
            ctx.add_at(m, "pet", "no pets", quote, True, species=None, name=None, count=0)
    for m in NO_SPECIES_RE.finditer(e):
        species = SPECIES[m.group("species").lower()]
        ctx.add_at(m, "pet", species, quote, True, species=species, name=None)
    for m in NAMED_PET_RE.finditer(e):
        ctx.add_at(m, "pet", f"{SPECIES[m.group('species').lower()]} {m.group('pname').lower()}", quote, is_negated(e[m.start() : m.end()]),
                species=SPECIES[m.group("species").lower()], name=m.group("pname"), bound=True)  # fmt: skip
    if first and ctx.question:
        m = PRONOUN_PET_RE.search(e)
        if m:
            ctx.add_at(m, "pet", SPECIES[m.group("species").lower()], quote, is_negated(e[: m.end()]),
                    species=SPECIES[m.group("species").lower()], name=None, about=ctx.question, bound=True)  # fmt: skip


def _vocative(e: str, m: re.Match[str]) -> bool:
    """Whether the kin word of match ``m`` addresses someone ("…, my sister!", "Sorry, my son."): set off by punctuation."""
    before, after = e[: m.start()], e[m.end("kin") :]
    return bool(re.search(r"(?:^|[,.!?;:—–-])\s*(?:oh\s+|ah\s+|eh\s+)?$", before, re.I)) and bool(re.match(r"\s*(?:[,.!?;:—–-]|$)", after))


def _speaks(e: str, m: re.Match[str]) -> bool:
    """Whether the family member matched by ``m`` is the one who speaks next ("my husband Steve says hi")."""
    return bool(re.match(rf"\W*(?:{REPORTED.pattern})", e[m.end() :], re.I))


def _family(e: str, quote: str, ctx: _Ctx) -> None:
    for m in CHILD_MY_RE.finditer(e):
        if _vocative(e, m):
            continue  # "Sit down, my son."
        kin = KIN_CHILD[m.group("kin").lower()]
        if m.group("kin").lower() in ("boy", "girl", "baby") and not m.group("pname"):
            continue  # "my girl" is as often a partner or a pet
        at = None if _speaks(e, m) else m.start()  # "Our daughter says …": reported, but she exists
        ctx.add("children", kin, quote, is_negated(e[m.start() : m.end("kin")]), at=at, kind=kin, name=m.group("pname"), count=None)
    for m in CHILD_COUNT_RE.finditer(e):
        kin = KIN_CHILD[m.group("kin").lower()]
        n = count_of(m.group("count"))
        negated = is_negated(e[m.start() : m.end("kin")])
        if negated:
            n = 0
        ctx.add_at(m, "children", f"{n} {kin}", quote, False, kind=kin, name=None, count=n)
    for m in CHILD_HOUSE_RE.finditer(e):
        kin = KIN_CHILD.get(m.group("kin").lower(), "child")
        ctx.add_at(m, "children", f"{count_of(m.group('count'))} {kin}", quote, False, kind=kin, name=None, count=count_of(m.group("count")))
    for m in ONLY_ONE_RE.finditer(e):
        word = m.group("kin").lower()
        slot, kin = ("siblings", KIN_SIBLING[word]) if word in KIN_SIBLING else ("children", KIN_CHILD.get(word, "child"))
        if word in ("boy", "girl") and not re.search(r"\b(?:son|daughter|child|kid|children|kids|boys|girls)\b", ctx.question, re.I):
            continue  # "my only girl" is as often a partner or a pet, unless the user asked about children
        ctx.add_at(m, slot, f"1 {kin}", quote, is_negated(e[: m.end()]), kind=kin, name=None, count=1)
    for m in NO_CHILD_RE.finditer(e):
        if re.search(r"\b(?:we|you|they|he|she)\b", e[: m.start()], re.I) and not re.search(r"\bI\b", e[: m.start()]):
            continue
        ctx.add_at(m, "children", "0", quote, False, kind="child", name=None, count=0)
    for m in SIB_MY_RE.finditer(e):
        if _vocative(e, m):
            continue  # "Come inside, my sister": a way of addressing the user
        kin_word = m.group("kin").lower()
        kin = KIN_SIBLING[kin_word]
        at = None if _speaks(e, m) else m.start()  # "My brother Carlos says …": reported, but he exists
        ctx.add("siblings", kin, quote, is_negated(e[m.start() : m.end("kin")]), at=at, kind=kin, name=m.group("pname"), count=None)
    for m in SIB_COUNT_RE.finditer(e):
        kin = KIN_SIBLING[m.group("kin").lower()]
        n = count_of(m.group("count"))
        if is_negated(e[m.start() : m.end("kin")]):
            n = 0
        ctx.add_at(m, "siblings", f"{n} {kin}", quote, False, kind=kin, name=None, count=n)
    for m in ONLY_CHILD_RE.finditer(e):
        text = m.group(0)
        negated = text.lower().startswith(("i am", "i was")) and is_negated(text)
        if text.lower().startswith("no ") and not re.search(r"\bI\b|^\W*no ", e[: m.start() + 1], re.I):
            continue
        at = None if text.lower().startswith("i was") else m.start()  # "I was an only child": true for life, not a past state
        ctx.add("siblings", "0", quote, negated, at=at, kind="sibling", name=None, count=0)
    for m in PARTNER_MY_RE.finditer(e):
        if (m.group("mod") or "").strip().lower() == "future":
            continue
        # "My husband Steve says hi": reported, but he exists; "my husband Jesse used to…": his name holds in any tense
        _add_partner(e, m, quote, ctx, at=None if _speaks(e, m) or _partner_name(m) else m.start())
    for m in STATUS_RE.finditer(e):
        word = m.group("status").lower().replace("a ", "")
        status = PARTNER_STATUS[word]
        ctx.add_at(m, "partner", status, quote, is_negated(e[m.start() : m.end()]), status=status, name=None)
    for m in NEVER_MARRIED_RE.finditer(e):
        ctx.add_at(m, "partner", "single", quote, False, status="single", name=None, never_married=True)


_NOT_A_PARTNER_NAME = frozenset({"god", "lord", "heaven", "christ", "jesus", "bless"})
"""Capitalised words after "my late husband," that are a blessing, not his name ("…, God rest him")."""


def _partner_name(m: re.Match[str]) -> str | None:
    name = m.group("pname")
    return None if name is None or name.lower() in _NOT_A_PARTNER_NAME or name.lower() in STOPWORDS else name


def _add_partner(e: str, m: re.Match[str], quote: str, ctx: _Ctx, *, at: int | None) -> None:
    """The partner claim of a :data:`PARTNER_MY_RE` match ("my late husband Amos": a widow's husband, Amos)."""
    mod = (m.group("mod") or "").strip().lower()
    kin = KIN_PARTNER[m.group("kin").lower()]
    status = "widowed" if mod == "late" else "divorced" if mod in ("ex", "ex-", "former") else None
    ctx.add("partner", kin, quote, is_negated(e[m.start() : m.end("kin")]), at=at, kind=kin, name=_partner_name(m), status=status, ex=status == "divorced")


def _named_partner(e: str, quote: str, ctx: _Ctx) -> None:
    """In a sentence about the past, only the partner's name still holds: "When we were young, my husband Jesse…"."""
    for m in PARTNER_MY_RE.finditer(e):
        mod = (m.group("mod") or "").strip().lower()
        if not _partner_name(m) or mod not in ("", "late", "dear", "lovely", "beloved", "darling") or is_negated(e[m.start() : m.end("kin")]):
            continue
        if REPORTED.search(e[: m.start()]):
            continue  # "Mum used to say my husband…": whose husband is unclear
        _add_partner(e, m, quote, ctx, at=None)


_AM_ADV = re.compile(rf"\bI am ({ADV_WORDS})(?=(?:into|a (?:big |huge |massive )?fan of|obsessed with|crazy about|sick of|tired of)\b)", re.I)
"""An adverb or "not" inside "I am … into": "I am not into jazz", "I am really into jazz"."""


def _likes(e: str, quote: str, ctx: _Ctx) -> None:
    e = _AM_ADV.sub(lambda m: f"I {m.group(1)}am ", e)  # "I not am into": the verbs' own form, every other position kept
    for m in LIKE_RE.finditer(e):
        obj = _clean_obj(m.group("obj"))
        if not obj or SKIP_OBJ.match(obj) or not content_words(obj):
            continue
        verb = m.group("verb").lower()
        polarity = LIKE_VERBS[verb]
        own_not = " not " in f" {verb} "  # "can not stand", "can not live without": the verb's polarity has it
        if is_negated(e[m.start() : m.start("verb")] + ("it" if own_not else verb)):
            if polarity < 0:
                continue  # "I don't hate it": no claim
            polarity = -1
            strength = 0.8
        else:
            strength = 1.0 if verb not in ("like", "enjoy", "prefer") else 0.8
        slot = "likes" if polarity > 0 else "dislikes"
        ctx.add_at(m, slot, normalize(obj), quote, False, item=obj, strength=strength)
    for m in FAVOURITE_RE.finditer(e):
        obj = _clean_obj(m.group("obj"))
        if obj and content_words(obj) and not SKIP_OBJ.match(obj):
            ctx.add_at(m, "likes", normalize(obj), quote, False, item=obj, strength=0.9)


def _answers(first: str, ctx: _Ctx) -> None:
    """Short answers to direct questions: "Forty-eight." to "How old are you?"."""
    q = ctx.question
    e = words_to_digits(expand_contractions(first))
    slots = {c.slot for c in ctx.claims}
    if Q_AGE.search(q) and "age" not in slots:
        m = re.match(rf"^\W*(?:(?:oh|well|um|uh|haha|ha|hmm|honestly|me|we are|I am|I'm|both|just|I would say|I will say|I think|I guess|I suppose|about|around|roughly|probably|maybe|nearly|almost)[,!.]?\s+)*{NUM}{AGE_NEXT}(?P<turning>{TURNING})?", e, re.I)
        if m:
            n = int(m.group(1))
            if 3 <= n <= 120:
                lo = n - 1 if m.group("turning") else n
                ctx.add("age", str(n), first, False, lo=lo, hi=n, strength=0.9, answer=True)
    if Q_NAME.search(q) and "name" not in slots:
        m = re.match(r"^\W*(?:(?:oh|well|um|haha|it is|its|it's|I am|my name is|name's|the name's)[,!.]?\s+)*(?P<name>[A-Za-z][a-z'’-]+)\b", e, re.I)
        if m:
            name = m.group("name")
            if name.lower() not in STOPWORDS and (name[0].isupper() or ctx.lowercase_writer) and name.lower() not in {"yes", "no", "yeah", "nah", "sure", "okay", "ok", "lol", "haha", "why", "nobody"}:
                ctx.add("name", name.lower(), first, False, name=name, strength=0.8, answer=True)
    # places in answers ("Little town outside Wichita." to "Where'd you grow up?"): drifttui.drift.answers
    if Q_JOB.search(q) and "job" not in slots:
        m = re.match(r"^\W*(?:(?:I am|I'm|I work as|oh|well)[,!.]?\s+)*(?:a|an)\s+(?P<occ>[\w'’-]+(?:\s+[\w'’-]+){0,3})", e, re.I)
        if m:
            occ, sure = _find_occupation(m.group("occ"))
            if occ:
                ctx.add("job", occ, first, False, occupation=occ, strength=0.8 * sure, answer=True)
