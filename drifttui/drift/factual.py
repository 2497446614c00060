"""The factual score: does a reply contradict the persona's facts or what it said before?

A :class:`ClaimLedger` holds the persona's facts as claims and, turn by turn,
what the persona has claimed in earlier replies. A new reply's claims are
compared slot by slot:

* **single-valued** slots (name, age, city, hometown, job, partner status)
  conflict when the values cannot both be true ("28" vs 34; Sydney vs Melbourne);
* **closed multi-valued** slots (pets, children, siblings) conflict on counts
  ("only child" vs a brother), on names or species ("my dog Bruno" vs a cat
  named Olive), and on denials ("no pets");
* **open multi-valued** slots (likes, dislikes) conflict only across polarity
  ("I love coriander" vs a dislike of coriander) — liking something new is fine.

Persona facts are authoritative: where a slot has a fact, earlier replies are
only used if they agree with it (an earlier drift is not a reference). Where a
slot has no fact, the first consistent statement becomes the reference.
Unknown values (a neighbourhood not in the gazetteer, an unlisted noun) are
never contradictions. Fuzzy comparison uses rapidfuzz.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from drifttui.drift.answers import GENERIC_KINDS, anchors_from_facts
from drifttui.drift.breeds import breeds_in, same_breed
from drifttui.drift.claims import Claim, extract_claims
from drifttui.drift.dates import HEDGED_TOLERANCE, TOLERANCE, events_from, marriage_spans, present_year, same_place, years_apart
from drifttui.drift.facts import claims_from_facts
from drifttui.drift.patterns import JOB_DOMAINS, JOB_WORDS
from drifttui.drift.lexicon import OCCUPATION_GROUPS, STATUS_CONFLICTS
from drifttui.drift.places import lookup, places_compatible
from drifttui.drift.text import content_words, normalize


@dataclass(frozen=True)
class Conflict:
    """A claim that cannot be true together with a reference (a fact or an earlier claim)."""

    claim: Claim
    reference: Claim
    confidence: float
    reason: str

    def message(self) -> str:
        """One readable line: ``factual: "I'm 28" contradicts fact age=34``."""
        ref = self.reference
        if ref.turn is None:
            against = f"fact {ref.describe()}"
        else:
            against = f'turn {ref.turn} ("{ref.quote}")'
        tail = f" ({self.reason})" if self.reason else ""
        return f'factual: "{self.claim.quote}" contradicts {against}{tail}'


NO_JOB_FACT = re.compile(r"unemploy|out of work|between jobs|laid off|jobless|stay-at-home|housewife|homemaker|student|\bnone\b|no job|looking for work|on the dole|redundant", re.I)
_SPECIFIC_KIN = frozenset({"son", "daughter", "brother", "sister"})
"""Family words that name one kind: "my sister" is no "brother"; "child" or "sibling" could be either."""
_MEN = frozenset({"husband", "boyfriend"})
_WOMEN = frozenset({"wife", "girlfriend"})


def _same_name(a: str, b: str) -> bool:
    """Fuzzy (rapidfuzz ratio >= 80), or a short form of three letters or more ("Jos" of Josiah)."""
    a, b = a.lower(), b.lower()
    short, long_ = sorted((a, b), key=len)
    return fuzz.ratio(a, b) >= 80 or (len(short) >= 3 and long_.startswith(short))


def _occupation_compatible(occ: str, fact: Claim) -> bool:
    occs = list(fact.attrs.get("occupations", []))
    text = fact.attrs.get("text", fact.value)
    if occ == "retired":
        return bool(fact.attrs.get("retired"))
    if occ == "unemployed":  # "I'm between jobs": fits no job, retirement or study
        return bool(fact.attrs.get("retired")) or "student" in occs or bool(NO_JOB_FACT.search(str(text)))
    if occ in occs or fuzz.token_set_ratio(occ, text) >= 90:
        return True
    for group in OCCUPATION_GROUPS:
        if occ in group and any(o in group for o in occs):
            return True
    # "chef" vs "pastry chef": a head-noun match
    return any(o.split()[-1] == occ.split()[-1] for o in occs)


def _same_trade_word(quote: str, occ: str, fact: Claim) -> bool:
    """"I'm a phone doctor" of a phone repairer: the word before the occupation names the persona's own trade."""
    m = re.search(rf"\b([\w'-]+)\s+{re.escape(occ.split()[0])}\b", quote, re.I)
    if not m or m.group(1).lower() in {"a", "an", "the", "my", "good", "bad", "real", "proper", "old", "young", "head", "senior", "junior", "chief"}:
        return False
    return m.group(1).lower() in set(content_words(str(fact.attrs.get("text", fact.value))))


def _facts_same_place(a: Claim, b: Claim) -> bool:
    """Do two place facts (city, hometown) name the same place?"""
    ra, rb = a.attrs.get("readings") or (), b.attrs.get("readings") or ()
    if ra and rb:
        return bool(places_compatible(tuple(ra), tuple(rb)))
    return fuzz.token_set_ratio(str(a.attrs.get("text", a.value)), str(b.attrs.get("text", b.value))) >= 90


def _fact_breed(ref: Claim, pet: dict):
    """The breed a pet fact names, when it names one pet ("a blue heeler named Rusty")."""
    if ref.turn is not None:
        return ref.attrs.get("breed")
    pets = [p for p in ref.attrs.get("pets") or [] if p.get("name")]
    if len(pets) != 1:
        return None
    found = breeds_in(str(ref.attrs.get("raw", "")))
    return found[0] if found else None


def _place_compatible(place: str, ref: Claim, near: bool = False) -> bool:
    """Can the claimed ``place`` be where ``ref`` says the persona lives or is from?

    A reference place the gazetteer does not know (a village) is compatible only
    with a claim that names it too.
    """
    readings = ref.attrs.get("readings") or ()
    if not readings and ref.attrs.get("place"):
        readings = lookup(str(ref.attrs["place"]))
    if not readings:
        text = ref.attrs.get("text") or normalize(ref.value)
        return fuzz.partial_ratio(place, text) >= 90
    return bool(places_compatible(place, tuple(readings), near=near))


SCHOOL_YEARS = frozenset({"freshman", "sophomore", "junior", "senior"})
"""Years of school or college: one at a time (all of them are "student" to the occupation lexicon)."""
SCHOOL_CONTEXT = re.compile(r"\b(?:high school|school|college|university|uni|student|grade|year)\b", re.I)


class ClaimLedger:
    """What the persona is: its facts, plus what it has said so far (rebuilt from history, cached by text).

    Args:
        facts: ``Persona.facts``.
        role: ``Persona.role`` (also a job fact).
        name: ``Persona.name`` (also a name fact).
    """

    def __init__(self, facts: dict[str, str], role: str = "", name: str = "", backstory: str = "") -> None:
        self.facts = claims_from_facts(facts, role, name)
        self.fact_slots = {c.slot for c in self.facts}
        self.anchors = anchors_from_facts(self.facts, backstory)
        self.anchors.events = events_from(facts, backstory, self.anchors.kin, name)
        self.anchors.present = present_year(facts, backstory)
        self.anchors.counts.extend(marriage_spans(self.anchors.events, self.anchors.present))

    def extract(self, text: str, turn: int | None = None, question: str | None = None, before: str | None = None) -> list[Claim]:
        """The claims of a reply, read with this persona's anchors (:func:`~drifttui.drift.claims.extract_claims`)."""
        return extract_claims(text, turn, question, self.anchors, before)

    # ------------------------------------------------------------ comparing
    def compare(self, claim: Claim, ref: Claim) -> tuple[float, str] | None:
        """``(confidence, reason)`` if ``claim`` contradicts ``ref``, else None."""
        fn = getattr(self, f"_cmp_{claim.slot}", None)
        if fn is None or claim.slot != ref.slot and not (claim.slot in ("likes", "dislikes") and ref.slot in ("likes", "dislikes")):
            return None
        result = fn(claim, ref)
        if result is None:
            return None
        conf, reason = result
        conf *= claim.strength
        if ref.turn is not None:
            conf *= 0.85 * ref.strength  # an earlier reply is weaker evidence than a written fact
        return (conf, reason) if conf > 0 else None

    def _cmp_age(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        lo, hi = int(c.attrs["lo"]), int(c.attrs["hi"])
        rlo, rhi = int(r.attrs["lo"]), int(r.attrs["hi"])
        overlap = lo <= rhi and rlo <= hi
        if c.negated:
            return (0.8, "denied") if (lo, hi) == (rlo, rhi) else None
        if overlap:
            return None
        gap = min(abs(lo - rhi), abs(rlo - hi))
        return (0.95 if gap >= 2 else 0.6, "")

    def _cmp_species(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        said, kind = c.attrs.get("kind"), r.attrs.get("kind")
        if not said or not kind:
            return None
        if c.negated:
            return (0.8 * r.strength, "denied") if said == kind else None
        if said == kind:
            return None
        if r.attrs.get("raw") == "human (implied)" and not c.attrs.get("literal"):
            # "I am a lizard" from a human is usually a figure of speech: evidence, not an alarm
            return (0.4, "a figure of speech?")
        return (0.9 * r.strength, "")

    def _cmp_name(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        names = r.attrs.get("names") or normalize(r.value).split()
        said = str(c.attrs.get("name") or c.value).lower()
        same = any(_same_name(said, n) for n in names)
        if c.negated:
            return (0.8, "denied") if same else None
        return None if same else (0.9, "")

    def _cmp_places(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        if r.turn is not None and r.attrs.get("place") is None:
            return None
        ok = _place_compatible(str(c.attrs["place"]), r, bool(c.attrs.get("near")))
        if c.negated:
            return (0.8, "denied") if ok else None
        if ok:
            return None
        return (0.9 if r.attrs.get("places") or r.attrs.get("place") else 0.7, "")

    def _cmp_city(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        return self._cmp_places(c, r)

    def _cmp_hometown(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        if c.attrs.get("same_as_city"):
            city = next((f for f in self.facts if f.slot == "city"), None)
            if r.turn is not None or city is None or _facts_same_place(city, r):
                return None
            return (0.8, f"the persona lives in {city.attrs.get('raw', city.value)} but is from {r.attrs.get('raw', r.value)}")
        result = self._cmp_places(c, r)
        if result is None or c.negated:
            return result
        city = next((f for f in self.facts if f.slot == "city"), None)
        if city is not None and not c.attrs.get("explicit") and _place_compatible(str(c.attrs["place"]), city):
            return (0.45, "that is where the persona lives, not where it is from")
        return result

    def _cmp_job(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        if "quit" in c.attrs:
            if r.attrs.get("retired"):
                return None
            obj = str(c.attrs["quit"]).split()
            domains = set(content_words(str(r.attrs.get("text", r.value))))
            for occ in r.attrs.get("occupations", []) or [r.value]:
                domains |= set(JOB_DOMAINS.get(occ.split()[-1], ()))
                domains |= {occ.split()[-1] + suffix for suffix in ("ry", "ing", "istry")}
            hit = [w for w in obj if w in domains or w in JOB_WORDS or any(fuzz.ratio(w, d) >= 88 for d in domains)]
            return (0.8, "says it quit") if hit else None
        if r.turn is not None:
            occ_ref = r.attrs.get("occupation")
            if not occ_ref:
                return None
            ref = Claim("job", occ_ref, r.quote, r.turn, False, {"occupations": [occ_ref], "text": occ_ref, "retired": occ_ref == "retired"})
        else:
            ref = r
        occupation = str(c.attrs["occupation"])
        ref_text = str(ref.attrs.get("text", ref.value))
        years = SCHOOL_YEARS.intersection(content_words(ref_text)) if SCHOOL_CONTEXT.search(ref_text) else set()
        if occupation in SCHOOL_YEARS and years and occupation not in years and not c.negated:
            return (0.8, f"a {occupation}, not a {'/'.join(sorted(years))}")
        ok = _occupation_compatible(occupation, ref) or _same_trade_word(c.quote, occupation, ref)
        if c.negated:
            return (0.75, "denied") if ok else None
        return None if ok else (0.85, "")

    def _cmp_pet(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        if r.turn is None:
            pets = list(r.attrs.get("pets") or [])
            none = r.attrs.get("count") == 0
        else:
            if r.negated or r.attrs.get("count") == 0:
                pets, none = [], True
            else:
                pets, none = [{"species": r.attrs.get("species"), "name": r.attrs.get("name")}], False
                if not r.attrs.get("name"):
                    return None  # an earlier "my dog" alone is too little to hold a later reply to
        species = c.attrs.get("species")
        name = c.attrs.get("name")
        if c.attrs.get("count") == 0 or (c.negated and species is None):
            return (0.9, "denies having pets") if pets else None
        if c.negated:
            return (0.85, f"denies having a {species}") if any(p["species"] == species for p in pets) else None
        if none:
            return (0.85, "the persona has no pets") if r.turn is None else (0.7, "said it had no pets")
        bound_to = None
        if c.attrs.get("about"):
            about = str(c.attrs["about"]).lower()
            bound_to = next((p for p in pets if p.get("name") and p["name"].lower() in about), None)
        if name:
            match = next((p for p in pets if p.get("name") and _same_name(name, p["name"])), None)
            if match is not None:
                if species and match.get("species") and species != match["species"]:
                    return (0.9, f"{match['name']} is a {match.get('kind') or match['species']}")
                kind, fact_kind = c.attrs.get("kind"), match.get("kind")
                if kind and fact_kind and kind != fact_kind and kind not in GENERIC_KINDS and fact_kind not in GENERIC_KINDS:
                    return (0.8, f"{match['name']} is a {fact_kind}")
                breed, fact_breed = c.attrs.get("breed"), _fact_breed(r, match)
                if breed is not None and fact_breed is not None and not same_breed(breed, fact_breed):
                    return (0.85, f"{match['name']} is a {fact_breed.name}")
                return None
            same_species = [p for p in pets if p.get("species") == species]
            if same_species and all(p.get("name") for p in same_species):
                return (0.75, f"the persona's {species} is {same_species[0]['name']}")
            if species and not same_species:
                return (0.8, "the persona has no such pet")
            return None
        if bound_to is not None and species and bound_to.get("species") and species != bound_to["species"]:
            return (0.85, f"{bound_to['name']} is a {bound_to['species']}")
        if species and pets and not any(p.get("species") == species for p in pets):
            if r.turn is not None:
                return None
            return (0.8 if c.attrs.get("exclusive") else 0.65, "the persona has no such pet")
        return None

    def _cmp_family(self, c: Claim, r: Claim, what: str) -> tuple[float, str] | None:
        count = c.attrs.get("count")
        if r.turn is None:
            rcount = r.attrs.get("count")
            rkinds = list(r.attrs.get("kinds") or [])
            rnames = list(r.attrs.get("names") or [])
        else:
            rcount = r.attrs.get("count")
            rkinds = [r.attrs["kind"]] if r.attrs.get("kind") else []
            rnames = [r.attrs["name"]] if r.attrs.get("name") else []
            if rcount is None and not c.attrs.get("count") == 0:
                return None  # an earlier "my brother" does not close the slot for later replies
            if rcount is None:
                rcount = 1  # earlier "my brother Tom" vs now "only child"
        if c.negated:
            return None
        if count is not None:
            if rcount is None:
                return None
            if (count == 0) != (rcount == 0):
                return (0.9, f"the persona has {rcount or 'no'} {what}" if r.turn is None else "")
            if r.attrs.get("open"):
                return None  # "my two brothers" may be true of five siblings the facts do not all describe
            if count != rcount and count > 0 and rcount > 0 and len(rkinds) == 1 and c.attrs.get("kind") in rkinds:
                return (0.8 if r.turn is None else 0.55, f"the persona has {rcount}")
            if count != rcount and count > 0 and rcount > 0 and c.attrs.get("kind") == what.rstrip("ren").rstrip("s") and r.turn is None:
                return (0.75, f"the persona has {rcount}")
            if count > 0 and r.turn is None and c.attrs.get("kind") in _SPECIFIC_KIN and rkinds and set(rkinds) <= _SPECIFIC_KIN and c.attrs.get("kind") not in rkinds:
                return (0.7, f"the persona's {what}: {r.attrs.get('raw', r.value)}")  # "two sisters" to one brother
            return None
        # "my son", "my brother Tom": existence (and maybe a name)
        if rcount == 0:
            return (0.85, f"the persona has no {what}")
        kind = c.attrs.get("kind")
        name = c.attrs.get("name")
        if r.attrs.get("open"):
            return None  # the facts describe only some of them
        if kind in _SPECIFIC_KIN and rkinds and all(k in _SPECIFIC_KIN for k in rkinds) and kind not in rkinds:
            return (0.6, f"the persona's {what}: {r.attrs.get('raw', r.value)}")
        if name and rnames and rcount is not None and rcount <= len(rnames):
            if not any(_same_name(name, n) for n in rnames):
                return (0.6, f"the persona's {what}: {', '.join(rnames)}")
        return None

    def _cmp_count(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        """"All three of my apprentices" after "my two apprentices"."""
        if c.attrs.get("unit") != r.attrs.get("unit") or c.attrs.get("n") == r.attrs.get("n"):
            return None
        return (0.9, f"said {r.attrs.get('n')} before")

    def _cmp_children(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        return self._cmp_family(c, r, "children")

    def _cmp_siblings(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        return self._cmp_family(c, r, "siblings")

    def _cmp_partner(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        status = c.attrs.get("status")
        rstatus = r.attrs.get("status")
        if c.negated:
            if status and rstatus == status:
                return (0.75, "denied")
            return None
        if status and rstatus and rstatus != "partnered" and frozenset({status, rstatus}) in STATUS_CONFLICTS:
            return (0.85, "")
        if status == "single" and rstatus in ("married", "partnered", "engaged", "dating"):
            return (0.85, "")
        if status == "married" and rstatus == "partnered" and set(r.attrs.get("kinds") or []) & {"boyfriend", "girlfriend", "fiance"} and r.turn is None:
            return (0.7, "the persona is not married")
        if status is None and c.attrs.get("kind") and not c.attrs.get("ex"):
            if rstatus == "single" and r.turn is None:
                return (0.75, "the persona is single")
            kinds = set(r.attrs.get("kinds") or ([r.attrs["kind"]] if r.attrs.get("kind") else []))
            for his, hers in ((_MEN, _WOMEN), (_WOMEN, _MEN)):
                if r.turn is None and c.attrs["kind"] in his and kinds and kinds <= hers:
                    return (0.7, f"the persona's partner is a {'/'.join(sorted(kinds))}")  # "my wife" to a husband
            name = c.attrs.get("name")
            rnames = r.attrs.get("names") or ([r.attrs["name"]] if r.attrs.get("name") else [])
            if name and rnames and not any(_same_name(name, n) for n in rnames):
                return (0.75, f"the persona's partner is {', '.join(rnames)}")
        return None

    def _cmp_likes(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        if c.slot == r.slot:
            return None  # liking two things is fine
        item = normalize(str(c.attrs.get("item", c.value)))
        ritem = normalize(str(r.attrs.get("item", r.value)))
        if c.attrs.get("anchored"):  # read off this very fact item: only that item can contradict it
            return (0.85, "") if item == ritem else None
        a, b = set(content_words(item)), set(content_words(ritem))
        if not a or not b:
            return None
        shared = a & b
        if not shared and fuzz.token_set_ratio(item, ritem) < 90:
            return None
        # "I love the sea" vs "dislikes cruise ships": one shared word out of several is not enough
        if len(shared) / min(len(a), len(b)) < 0.5 and fuzz.token_set_ratio(item, ritem) < 90:
            return None
        return (0.85, "")

    def _cmp_when(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        """The same event, of the same person, dated two or more years apart by two replies (:mod:`drifttui.drift.dates`)."""
        a, b = c.attrs, r.attrs
        if (a.get("kind"), a.get("who")) != (b.get("kind"), b.get("who")) or a.get("kind") == "move" and (a.get("place") or b.get("place")) and same_place(a.get("place", ""), b.get("place", "")) is not True:
            return None
        apart = years_apart((a.get("year"), a.get("short")), (b.get("year"), b.get("short")))
        tolerance = HEDGED_TOLERANCE if a.get("hedged") or b.get("hedged") else TOLERANCE
        if apart < tolerance:
            return None
        return (0.8, "dated differently before")

    def _cmp_dislikes(self, c: Claim, r: Claim) -> tuple[float, str] | None:
        return self._cmp_likes(c, r)

    # ------------------------------------------------------------- the ledger
    def references(self, slot: str, earlier: Sequence[Claim]) -> list[Claim]:
        """What a new claim in ``slot`` is held to: the facts, else earlier consistent claims."""
        if slot in ("likes", "dislikes"):
            other = {"likes": "dislikes", "dislikes": "likes"}[slot]
            return [f for f in self.facts if f.slot == other] + [e for e in earlier if e.slot == other]
        facts = [f for f in self.facts if f.slot == slot]
        if facts:
            return facts
        return [e for e in earlier if e.slot == slot]

    def conflicts(self, claims: Iterable[Claim], earlier: Sequence[Claim] = ()) -> list[Conflict]:
        """Every contradiction of ``claims`` with the facts or with ``earlier`` (consistent) claims."""
        out: list[Conflict] = []
        for claim in claims:
            if claim.slot in ("other:being", "other:count", "other:kinplace") or claim.attrs.get("what"):
                source = str(claim.attrs.get("source", ""))
                ref = Claim(claim.slot, str(claim.attrs.get("expected")), source, None, False, {"key": str(claim.attrs.get("fact") or "backstory"), "raw": _short(source)})
                what = (
                    str(claim.attrs["what"]) if claim.attrs.get("what")
                    else f"{claim.attrs.get('being')} is a {claim.attrs.get('expected')}" if claim.slot == "other:being"
                    else f"{claim.attrs.get('being')} is in {claim.attrs.get('expected')}" if claim.slot == "other:kinplace"
                    else f"{claim.attrs.get('expected')} {claim.attrs.get('unit')}s"
                )  # fmt: skip
                out.append(Conflict(claim, ref, 0.9 * claim.strength, what))
                continue
            best: Conflict | None = None
            for ref in self.references(claim.slot, earlier):
                result = self.compare(claim, ref)
                if result is not None and (best is None or result[0] > best.confidence):
                    best = Conflict(claim, ref, result[0], result[1])
            if best is not None:
                out.append(best)
        return out

    def consistent_claims(self, replies: Sequence[tuple[int, str, str | None]]) -> list[Claim]:
        """Claims of earlier replies ``(turn, text, question)`` that contradict nothing before them."""
        kept: list[Claim] = []
        for turn, text, question in replies:
            claims = self.extract(text, turn, question)
            bad = {id(c.claim) for c in self.conflicts(claims, kept)}
            kept.extend(c for c in claims if id(c) not in bad and (not c.negated or c.slot == "pet"))
        return kept


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def factual_score(conflicts: Sequence[Conflict]) -> float:
    """The reply's factual drift: the strongest contradiction, a little more if there are several."""
    if not conflicts:
        return 0.0
    confs = sorted((c.confidence for c in conflicts), reverse=True)
    score = confs[0]
    for extra in confs[1:]:
        score += (1 - score) * extra * 0.3
    return float(min(1.0, score))
