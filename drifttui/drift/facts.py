"""A persona's facts as claims: ``facts = {"pet": "a grey cat named Olive"}`` → structured references.

Fact keys map onto claim slots (:data:`FACT_KEYS`); each free-text value is
parsed into the parts the comparison needs — an age, canonical places,
occupations, pets with species and names, family counts, kinds and names,
partner status, single likes and dislikes. The persona's ``role`` counts as its
job when no ``job`` fact is given, and its ``name`` as its name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from drifttui.drift.answers import fine_kind
from drifttui.drift.breeds import breeds_in
from drifttui.drift.claims import Claim, being_kind
from drifttui.drift.lexicon import BEINGS, KIN_CHILD, KIN_PARTNER, KIN_SIBLING, PARTNER_STATUS, SPECIES, count_of, occupations_in
from drifttui.drift.places import find_places, resolve
from drifttui.drift.text import STOPWORDS, content_words, fold_quotes, normalize, parse_int

FACT_KEYS: dict[str, str] = {
    "name": "name", "full_name": "name", "nickname": "name",
    "age": "age", "years": "age",
    "species": "species", "kind": "species", "creature": "species", "race": "species",
    "city": "city", "lives": "city", "lives_in": "city", "location": "city", "residence": "city",
    "current_city": "city", "town": "city", "based": "city", "based_in": "city",
    "hometown": "hometown", "home_town": "hometown", "origin": "hometown", "born": "hometown", "birthplace": "hometown",
    "from": "hometown", "grew_up": "hometown", "country": "city", "country_of_residence": "city",
    "job": "job", "occupation": "job", "profession": "job", "work": "job", "career": "job",
    "pet": "pet", "pets": "pet", "animal": "pet", "animals": "pet",
    "partner": "partner", "spouse": "partner", "wife": "partner", "husband": "partner", "relationship": "partner",
    "married": "partner", "marital_status": "partner", "girlfriend": "partner", "boyfriend": "partner",
    "children": "children", "kids": "children", "child": "children", "son": "children", "daughter": "children",
    "sons": "children", "daughters": "children",
    "siblings": "siblings", "sibling": "siblings", "brother": "siblings", "brothers": "siblings", "sister": "siblings",
    "sisters": "siblings",
    "likes": "likes", "like": "likes", "loves": "likes", "hobbies": "likes", "hobby": "likes", "interests": "likes",
    "favourite": "likes", "favorite": "likes", "favourites": "likes", "favorites": "likes",
    "dislikes": "dislikes", "dislike": "dislikes", "hates": "dislikes", "pet_peeves": "dislikes", "fear": "dislikes",
    "fears": "dislikes", "food": "likes", "drink": "likes", "music": "likes",
}  # fmt: skip
"""Persona fact keys → claim slots (keys not listed are kept as free facts and not checked)."""

TITLES = frozenset("mr mrs ms miss dr doctor prof professor sister brother father captain capt sir lady lord".split())

def _fact_items(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b|\bor\b|/|&)\s*", value)
    return [p.strip(" .") for p in parts if p and p.strip(" .") and content_words(p)]


def _names_in(value: str, exclude: set[str]) -> list[str]:
    """Capitalised names in a fact's text, except words in ``exclude`` and places ("a nurse in Melbourne")."""
    found = [m.group(0) for m in re.finditer(r"\b[A-Z][a-zà-ÿ'’-]+\b", value) if not re.search(r"\b(?:in|at|from|near)\s+(?:[A-Z][a-zà-ÿ'’-]+\s+)?$", value[: m.start()])]
    return [n for n in found if n.lower() not in exclude and n.lower() not in STOPWORDS]


def claims_from_facts(facts: Mapping[str, str], role: str = "", name: str = "") -> list[Claim]:
    """The persona's facts as claims (``turn=None``), keyed by the slot each fact key maps to.

    Args:
        facts: ``Persona.facts`` (free-text values such as ``"a grey cat named Olive"``).
        role: ``Persona.role`` — also counts as the persona's job.
        name: ``Persona.name`` — also counts as its name (titles and nicknames in quotes included).
    """
    out: list[Claim] = []

    def add(slot: str, value: str, key: str, raw: str, **attrs: Any) -> None:
        out.append(Claim(slot, value, f"{key} = {raw}", None, False, {"key": key, "raw": raw, **attrs}))

    for key, raw in facts.items():
        raw = str(raw).strip()
        k = re.sub(r"[^a-z_]", "", key.lower().replace(" ", "_").replace("-", "_"))
        slot = FACT_KEYS.get(k)
        low = raw.lower()
        none = bool(re.fullmatch(r"\s*(?:none|no|nothing|n/?a|-)\b.*", low)) or low.startswith("no ")
        if slot == "age":
            n = parse_int(re.split(r"[^\w-]", raw.strip())[0]) or next((int(x) for x in re.findall(r"\d{1,3}", raw)), None)
            if n is not None:
                add("age", str(n), key, raw, lo=n, hi=n)
        elif slot == "name":
            add("name", raw.lower(), key, raw, names=_name_tokens(raw))
        elif slot in ("city", "hometown"):
            places = find_places(raw) or []
            add(slot, places[0] if places else normalize(raw), key, raw, place=places[0] if places else None, places=places, readings=resolve(raw), text=normalize(raw))
        elif slot == "species":
            kind = being_kind(raw) or next((BEINGS[w] for w in re.findall(r"[\w'’-]+", low) if w in BEINGS), None)
            add("species", kind or normalize(raw), key, raw, kind=kind)
        elif slot == "job":
            occs = occupations_in(raw)
            add("job", normalize(raw), key, raw, occupations=occs, text=normalize(raw), retired="retired" in low)
        elif slot == "pet":
            if none:
                add("pet", "none", key, raw, pets=[], count=0)
            else:
                add("pet", normalize(raw), key, raw, pets=_pets_in(raw), count=None)
        elif slot in ("children", "siblings"):
            add(slot, normalize(raw), key, raw, **_family_in(raw, KIN_CHILD if slot == "children" else KIN_SIBLING, none))
        elif slot == "partner":
            add("partner", normalize(raw), key, raw, **_partner_in(raw, none))
        elif slot in ("likes", "dislikes"):
            for item in _fact_items(raw):
                add(slot, normalize(item), key, raw, item=item)
        else:
            add(f"other:{k}", normalize(raw), key, raw)
    # the role counts as the job only where no job fact is given, and only its first clause
    # ("therapy patient in your fourth session; the user is your therapist" names the user's job too)
    head = re.split(r"[;,(]|\bthe user\b|\bwho\b", role or "", maxsplit=1)[0].strip()
    role_occupations = occupations_in(head) if head else []
    if role_occupations and not any(c.slot == "job" for c in out):
        out.append(Claim("job", normalize(head), f"role = {role}", None, False,
                         {"key": "role", "raw": role, "occupations": role_occupations, "text": normalize(head), "retired": "retired" in head.lower()}))  # fmt: skip
    if not any(c.slot == "species" for c in out):
        # what the role says the persona is ("a wild red fox, not a pet"), else human
        kind = being_kind(head) if head else None  # the role's head noun: "a wild red fox", not "a dog groomer"
        if kind is not None:
            out.append(Claim("species", kind, f"role = {role}", None, False, {"key": "role", "raw": role, "kind": kind}))
        else:
            out.append(Claim("species", "human", "species = human (implied)", None, False,
                             {"key": "species", "raw": "human (implied)", "kind": "human", "strength": 0.85}))  # fmt: skip
    if name and not any(c.slot == "name" for c in out):
        out.append(Claim("name", name.lower(), f"name = {name}", None, False, {"key": "name", "raw": name, "names": _name_tokens(name)}))
    elif name:
        fact = next(c for c in out if c.slot == "name")
        fact.attrs["names"].extend(t for t in _name_tokens(name) if t not in fact.attrs["names"])  # type: ignore[attr-defined]
    return out


def _name_tokens(name: str) -> list[str]:
    tokens = re.findall(r"[\w'’-]+", fold_quotes(name).lower())
    return [t for t in tokens if t not in TITLES and len(t) > 1]


def _pets_in(text: str) -> list[dict[str, Any]]:
    """``"a grey cat named Olive and a dog, Rex"`` → ``[{species: cat, name: Olive}, {species: dog, name: Rex}]``."""
    pets: list[dict[str, Any]] = []
    for part in re.split(r"\s*(?:;|(?<![\w-])and(?![\w-])|\+)\s*", text):
        species = None
        word = ""
        low = part.lower()
        for word in sorted(SPECIES, key=len, reverse=True):
            if re.search(rf"\b{re.escape(word)}\b", low):
                species = SPECIES[word]
                break
        names = re.findall(r"(?:named|called)\s+([A-Z][\w'’-]+)", part) or [
            n for n in _names_in(part, set(SPECIES)) if n.lower() not in {"african", "grey", "gray", "black", "white", "golden"}
        ]
        if species is None and breeds_in(part):
            species = breeds_in(part)[0].species
            word = species
        if species or names:
            kind = fine_kind(word) if species else None
            pets.append({"species": species, "name": names[0] if names else None, "kind": kind})
    return pets


def _family_in(text: str, kin_map: Mapping[str, str], none: bool) -> dict[str, Any]:
    if none or re.search(r"\bonly child\b", text, re.I) and kin_map is KIN_SIBLING:
        return {"count": 0, "kinds": [], "names": []}
    low = text.lower()
    # "no sisters", "Emre's daughter": kinds the persona does not have, or someone else's
    said = re.sub(r"\b(?:no|not an?|never had an?)\s+(?:\w+\s+)?[a-z]+s?\b|\b[\w-]+['’]s\s+[a-z]+\b", " ", low)
    kinds = sorted({v for k, v in kin_map.items() if re.search(rf"\b{re.escape(k)}\b", said)})
    count = None
    m = re.search(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:\w+\s+)?(?:" + "|".join(map(re.escape, kin_map)) + r")\b", low)
    if m:
        count = count_of(m.group(1))
    names = _names_in(text, set(kin_map) | TITLES | {"late"})
    birth_order = re.search(r"\b(?:\w+|the \w+|\d+(?:st|nd|rd|th)) of (two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}) (?:children|kids|siblings|brothers and sisters)\b", low)
    if birth_order and count_of(birth_order.group(1)):
        # "second of six children; elder brother Obinna": five siblings, of whom only one is described
        return {"count": max(0, count_of(birth_order.group(1)) - 1), "kinds": kinds, "names": names, "open": True}
    if count is None and names:
        count = len(names)
    if count is None and kinds:
        count = 1
    return {"count": count, "kinds": kinds, "names": names}


def _partner_in(text: str, none: bool) -> dict[str, Any]:
    low = re.sub(r"\b(?:not|never|not yet|nor)\s+(?:\w+\s+)?(?:married|engaged|divorced|wed)\b", " ", text.lower())  # "courting, not married"
    status = None
    for word, st in PARTNER_STATUS.items():
        if re.search(rf"\b{word}\b", low):
            status = st
            break
    if none:
        status = "single"
    if status is None and re.search(r"\b(?:died|dead|slain|killed|passed away|late)\b", low):
        status = "widowed"
    kinds = sorted({v for k, v in KIN_PARTNER.items() if re.search(rf"\b{re.escape(k)}\b", low)})
    if status is None and {"wife", "husband"} & set(kinds):
        status = "married"
    names = _names_in(text, set(KIN_PARTNER) | TITLES | {"late", "his", "her"})
    if status is None and names:
        status = "partnered"
    return {"status": status, "kinds": kinds, "names": names}
