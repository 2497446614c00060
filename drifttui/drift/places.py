"""The gazetteer: cities, regions and countries, with where they are.

A place claim ("I live in Sydney") can only *contradict* a persona's city if
we know the claimed name is a place that cannot be the persona's. The table
(``drifttui/data/gazetteer.tsv.gz``, built by ``scripts/build_gazetteer.py``
from GeoNames, CC BY 4.0) holds every city of 5,000 people or more with its
country, first-level region and coordinates, plus US states, the regions of a
few countries and all countries; :data:`REGIONS` adds well-known areas without
borders (Yorkshire, Tuscany …). Two places are compatible when one contains
the other or they lie within a few tens of kilometres (Salford is Manchester,
for a persona's purposes); a name held by several places (Portland, Bath) is
compatible if any reading is. Names outside the table (neighbourhoods,
villages, "the coast") are unknown, never contradictions. :data:`ALIASES` maps
local or older spellings and abbreviations to one name ("Lisboa", "NYC").
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from drifttui.drift.text import normalize

ALIASES: dict[str, str] = {
    "lisboa": "lisbon", "sevilla": "seville", "münchen": "munich", "munchen": "munich", "muenchen": "munich",
    "köln": "cologne", "koln": "cologne", "firenze": "florence", "roma": "rome", "milano": "milan", "napoli": "naples",
    "venezia": "venice", "torino": "turin", "genova": "genoa", "wien": "vienna", "praha": "prague", "warszawa": "warsaw",
    "kraków": "krakow", "moskva": "moscow", "bruxelles": "brussels", "brussel": "brussels", "antwerpen": "antwerp",
    "den haag": "the hague", "the hague": "the hague", "genève": "geneva", "geneve": "geneva", "zürich": "zurich",
    "göteborg": "gothenburg", "københavn": "copenhagen", "kobenhavn": "copenhagen", "athina": "athens",
    "embra": "edinburgh", "auld reekie": "edinburgh", "glesga": "glasgow", "brum": "birmingham", "the big apple": "new york", "nyc": "new york", "new york city": "new york", "la": "los angeles", "sf": "san francisco", "philly": "philadelphia",
    "mumbai": "mumbai", "bombay": "mumbai", "madras": "chennai", "calcutta": "kolkata", "bengaluru": "bangalore",
    "peking": "beijing", "saigon": "ho chi minh city", "montréal": "montreal", "québec": "quebec",
    "méxico": "mexico city", "ciudad de méxico": "mexico city", "cdmx": "mexico city", "são paulo": "sao paulo",
    "bogotá": "bogota", "kyiv": "kyiv", "kiev": "kyiv", "deutschland": "germany", "españa": "spain", "espana": "spain",
    "italia": "italy", "éire": "ireland", "eire": "ireland", "nippon": "japan", "holland": "netherlands",
    "the netherlands": "netherlands", "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "us": "united states", "usa": "united states", "america": "united states", "the states": "united states",
    "the us": "united states", "the uk": "united kingdom",
}  # fmt: skip

REGIONS: dict[str, str] = {
    "texas": "united states", "california": "united states", "florida": "united states", "ohio": "united states",
    "oklahoma": "united states", "new jersey": "united states", "michigan": "united states", "georgia": "united states",
    "oregon": "united states", "colorado": "united states", "arizona": "united states", "nevada": "united states",
    "alaska": "united states", "hawaii": "united states", "montana": "united states", "maine": "united states",
    "vermont": "united states", "virginia": "united states", "kentucky": "united states", "tennessee": "united states",
    "louisiana": "united states", "alabama": "united states", "iowa": "united states", "kansas": "united states",
    "nebraska": "united states", "minnesota": "united states", "wisconsin": "united states", "illinois": "united states",
    "indiana": "united states", "pennsylvania": "united states", "massachusetts": "united states", "utah": "united states",
    "ontario": "canada", "quebec": "canada", "british columbia": "canada", "alberta": "canada", "manitoba": "canada",
    "nova scotia": "canada", "new brunswick": "canada", "newfoundland": "canada", "saskatchewan": "canada",
    "yukon": "canada", "bavaria": "germany", "andalusia": "spain", "catalonia": "spain", "galicia": "spain",
    "tuscany": "italy", "sicily": "italy", "sardinia": "italy", "provence": "france", "brittany": "france",
    "normandy": "france", "scotland": "united kingdom", "wales": "united kingdom", "england": "united kingdom",
    "northern ireland": "united kingdom", "yorkshire": "united kingdom", "cornwall": "united kingdom",
    "shropshire": "united kingdom", "kent": "united kingdom", "devon": "united kingdom", "essex": "united kingdom",
    "surrey": "united kingdom", "sussex": "united kingdom", "norfolk": "united kingdom", "suffolk": "united kingdom",
    "lancashire": "united kingdom", "cumbria": "united kingdom", "somerset": "united kingdom", "dorset": "united kingdom",
    "county clare": "ireland", "clare": "ireland", "kerry": "ireland", "connemara": "ireland",
    "queensland": "australia", "victoria australia": "australia", "tasmania": "australia", "new south wales": "australia",
    "hokkaido": "japan", "okinawa": "japan", "kerala": "india", "tamil nadu": "india", "punjab": "india",
    "bengal": "india", "siberia": "russia", "patagonia": "argentina",
}  # fmt: skip
"""Areas without borders in the table: each counts as compatible with any place in its country."""

AMBIGUOUS = frozenset(
    {"nice", "bath", "split", "hull", "victoria", "regina", "georgia", "clare", "jersey", "darwin", "cork", "kingston",
     "salvador", "santiago", "washington", "la", "us", "york", "palma", "goa", "bali", "perth", "reading", "wales",
     "england", "america", "holland", "sf", "nyc", "uk", "usa", "derry", "victoria australia", "cordoba", "toledo",
     "valencia", "granada", "sofia", "lima", "florence", "phoenix", "austin", "orlando", "dallas", "denver", "regina",
     "cambridge", "oxford", "lincoln", "chester", "durham", "hanover", "mannheim"}
)  # fmt: skip
"""Names that are also common words or first names: matched only when written with a capital letter."""

NEAR_KM = 35.0
"""Two cities this close are the same place for a persona (a suburb, the next town)."""

AROUND_KM = 120.0
"""How far "outside X" or "near X" may be from X."""


@dataclass(frozen=True)
class Place:
    """One reading of a place name.

    Attributes:
        key: The folded name it was found under.
        kind: ``city``, ``admin1`` (a state or province), ``region`` or ``country``.
        name: Its display name.
        country: ISO 3166 alpha-2 code.
        admin1: GeoNames first-level region code (US: the state's letters).
        lat: Latitude (cities only).
        lon: Longitude (cities only).
        population: People (cities and countries).
        common: The name is also a common English word ("Reading", "Bath").
    """

    key: str
    kind: str
    name: str
    country: str
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    common: bool = False


def fold(name: str) -> str:
    """The lookup key of a place name: casefolded, accents and dots dropped, "Saint" as "st"."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[.\u2019']", "", text.replace("-", " "))
    text = re.sub(r"\bsaint\b", "st", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _rows() -> dict[str, list[str]]:
    """Table lines by key (parsed into :class:`Place` only when looked up: loading stays fast)."""
    data = resources.files("drifttui").joinpath("data/gazetteer.tsv.gz").read_bytes()
    rows: dict[str, list[str]] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        key, _, rest = line.partition("\t")
        rows.setdefault(key, []).append(rest)
    return rows


def _parse(key: str, rest: str) -> Place:
    kind, name, country, admin1, lat, lon, pop, _alt, common = rest.split("\t")
    city = kind == "city"
    return Place(key, kind, name, country, admin1, float(lat) if city else None, float(lon) if city else None, int(pop), common == "1")


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    out = {}
    for key, lines in _rows().items():
        for rest in lines:
            parts = rest.split("\t")
            if parts[0] == "country" and parts[7] == "0":
                out[key] = parts[2]
    return out


@lru_cache(maxsize=16384)
def _readings(key: str) -> tuple[Place, ...]:
    found = [_parse(key, rest) for rest in _rows().get(key, ())]
    if key in REGIONS and not any(p.kind != "city" for p in found):
        code = _country_codes().get(fold(REGIONS[key]))
        if code:
            found.append(Place(key, "region", key.title(), code))
    return tuple(found)


def _key(name: str) -> str:
    key = fold(name)
    return ALIASES.get(key, key)


@lru_cache(maxsize=8192)
def lookup(name: str) -> tuple[Place, ...]:
    """Every reading of ``name`` (most populous first within a kind), or ``()`` if it is not a place we know."""
    key = _key(name)
    found = _readings(key)
    if not found and key.startswith("the "):
        found = _readings(ALIASES.get(key[4:], key[4:]))
    if not found:
        plain = normalize(name)
        found = _readings(ALIASES.get(plain, plain))
    return found


def canonical_place(name: str) -> str | None:
    """The key ``name`` is known under (a city, region or country), or None if unknown."""
    found = lookup(name)
    return found[0].key if found else None


def is_city(name: str) -> bool:
    """True if some reading of ``name`` is a city (not only a state or a country)."""
    return any(p.kind == "city" for p in lookup(name))


def is_common(name: str) -> bool:
    """True if ``name`` is also a common word or first name (then it needs a capital letter and a place cue)."""
    found = lookup(name)
    return fold(name) in AMBIGUOUS or any(p.common for p in found) or bool(found) and all(p.kind == "city" and p.population < 20000 for p in found) and len(fold(name)) <= 4


def country_of(name: str) -> str | None:
    """The ISO country code of the main reading of ``name``."""
    found = lookup(name)
    return found[0].country if found else None


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _contains(outer: Place, inner: Place) -> bool:
    if outer.country != inner.country:
        return False
    if outer.kind in ("country", "region"):
        return True
    if outer.kind == "admin1":
        return inner.kind == "city" and inner.admin1 == outer.admin1 or inner.kind == "admin1" and inner.admin1 == outer.admin1
    return False


def readings_compatible(a: Place, b: Place, radius: float = NEAR_KM) -> bool:
    """Can ``a`` and ``b`` name the same place (equal, one inside the other, or within ``radius`` km)?"""
    if a.key == b.key and a.kind == b.kind and a.country == b.country and (a.kind != "city" or _km(a, b) <= radius):
        return True
    if _contains(a, b) or _contains(b, a):
        return True
    if a.kind == "city" and b.kind == "city":
        return _km(a, b) <= radius
    return False


def places_compatible(a: str | tuple[Place, ...], b: str | tuple[Place, ...], *, near: bool = False) -> bool | None:
    """Whether place ``a`` (a name or readings) can be place ``b``; None when either is unknown.

    ``near``: ``a`` was said as "outside/near a", so it may lie up to :data:`AROUND_KM` away.
    """
    ra = lookup(a) if isinstance(a, str) else a
    rb = lookup(b) if isinstance(b, str) else b
    if not ra or not rb:
        return None
    radius = AROUND_KM if near else NEAR_KM
    return any(readings_compatible(x, y, radius) for x in ra for y in rb)


def resolve(text: str) -> tuple[Place, ...]:
    """The readings of a place written as "City, Region" or "City, Country" (the region narrows the city).

    ``"Portland, Maine"`` → Portland in Maine only; ``"Tulsa, Oklahoma"`` → Tulsa, OK;
    a single name → all its readings; no known place → ``()``.
    """
    names = find_places(text)
    if not names:
        return ()
    first = lookup(names[0])
    for qualifier in names[1:]:
        narrowed = tuple(p for p in first if any(_contains(q, p) for q in lookup(qualifier)))
        if narrowed:
            return narrowed
    return first


def find_places(text: str) -> list[str]:
    """Keys of every known place mentioned in ``text`` (longest names first, no overlaps)."""
    words = normalize(text).split()
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            place = canonical_place(" ".join(words[i : i + n]))
            if place is not None:
                found.append(place)
                i += n
                break
        else:
            i += 1
    return found
