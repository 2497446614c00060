"""A small gazetteer: well-known cities, regions and countries, with local-name aliases.

A place claim ("I live in Sydney") can only *contradict* a persona's city if
we know the claimed name is a place that is not the persona's. Names outside
this list (neighbourhoods, villages, "the coast") are treated as unknown, never
as contradictions. Aliases map local or older spellings to one canonical name
so "Lisboa" and "Lisbon" compare equal.
"""

from __future__ import annotations

from functools import lru_cache

from drifttui.drift.text import normalize

ALIASES: dict[str, str] = {
    "lisboa": "lisbon", "sevilla": "seville", "münchen": "munich", "munchen": "munich", "muenchen": "munich",
    "köln": "cologne", "koln": "cologne", "firenze": "florence", "roma": "rome", "milano": "milan", "napoli": "naples",
    "venezia": "venice", "torino": "turin", "genova": "genoa", "wien": "vienna", "praha": "prague", "warszawa": "warsaw",
    "kraków": "krakow", "moskva": "moscow", "bruxelles": "brussels", "brussel": "brussels", "antwerpen": "antwerp",
    "den haag": "the hague", "the hague": "the hague", "genève": "geneva", "geneve": "geneva", "zürich": "zurich",
    "göteborg": "gothenburg", "københavn": "copenhagen", "kobenhavn": "copenhagen", "athina": "athens",
    "nyc": "new york", "new york city": "new york", "la": "los angeles", "sf": "san francisco", "philly": "philadelphia",
    "mumbai": "mumbai", "bombay": "mumbai", "madras": "chennai", "calcutta": "kolkata", "bengaluru": "bangalore",
    "peking": "beijing", "saigon": "ho chi minh city", "montréal": "montreal", "québec": "quebec",
    "méxico": "mexico city", "ciudad de méxico": "mexico city", "cdmx": "mexico city", "são paulo": "sao paulo",
    "bogotá": "bogota", "kyiv": "kyiv", "kiev": "kyiv", "deutschland": "germany", "españa": "spain", "espana": "spain",
    "italia": "italy", "éire": "ireland", "eire": "ireland", "nippon": "japan", "holland": "netherlands",
    "the netherlands": "netherlands", "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "us": "united states", "usa": "united states", "america": "united states", "the states": "united states",
    "the us": "united states", "the uk": "united kingdom",
}  # fmt: skip

# canonical place → the country (or region) it lies in, for "Porto is in Portugal" style compatibility
CITIES: dict[str, str] = {
    # Europe
    "lisbon": "portugal", "porto": "portugal", "faro": "portugal", "coimbra": "portugal", "braga": "portugal",
    "madrid": "spain", "barcelona": "spain", "seville": "spain", "granada": "spain", "valencia": "spain",
    "malaga": "spain", "bilbao": "spain", "cordoba": "spain", "zaragoza": "spain", "cadiz": "spain", "toledo": "spain",
    "salamanca": "spain", "palma": "spain", "san sebastian": "spain",
    "paris": "france", "lyon": "france", "marseille": "france", "nice": "france", "bordeaux": "france",
    "toulouse": "france", "lille": "france", "nantes": "france", "strasbourg": "france",
    "london": "united kingdom", "manchester": "united kingdom", "birmingham": "united kingdom", "leeds": "united kingdom",
    "liverpool": "united kingdom", "bristol": "united kingdom", "sheffield": "united kingdom", "york": "united kingdom",
    "newcastle": "united kingdom", "nottingham": "united kingdom", "oxford": "united kingdom", "cambridge": "united kingdom",
    "brighton": "united kingdom", "bradford": "united kingdom", "hull": "united kingdom", "leicester": "united kingdom",
    "coventry": "united kingdom", "bath": "united kingdom", "cardiff": "united kingdom", "swansea": "united kingdom",
    "edinburgh": "united kingdom", "glasgow": "united kingdom", "aberdeen": "united kingdom", "dundee": "united kingdom",
    "belfast": "united kingdom", "derry": "united kingdom", "plymouth": "united kingdom", "southampton": "united kingdom",
    "dublin": "ireland", "cork": "ireland", "galway": "ireland", "limerick": "ireland", "waterford": "ireland",
    "kilkenny": "ireland", "sligo": "ireland", "ennis": "ireland", "athlone": "ireland",
    "berlin": "germany", "hamburg": "germany", "munich": "germany", "cologne": "germany", "frankfurt": "germany",
    "stuttgart": "germany", "dusseldorf": "germany", "dortmund": "germany", "leipzig": "germany", "dresden": "germany",
    "bremen": "germany", "hanover": "germany", "nuremberg": "germany", "heidelberg": "germany", "bonn": "germany",
    "freiburg": "germany", "mannheim": "germany",
    "rome": "italy", "milan": "italy", "naples": "italy", "turin": "italy", "florence": "italy", "venice": "italy",
    "bologna": "italy", "genoa": "italy", "palermo": "italy", "verona": "italy", "pisa": "italy",
    "amsterdam": "netherlands", "rotterdam": "netherlands", "the hague": "netherlands", "utrecht": "netherlands",
    "brussels": "belgium", "antwerp": "belgium", "ghent": "belgium", "bruges": "belgium",
    "vienna": "austria", "salzburg": "austria", "innsbruck": "austria", "graz": "austria",
    "zurich": "switzerland", "geneva": "switzerland", "basel": "switzerland", "bern": "switzerland", "lausanne": "switzerland",
    "copenhagen": "denmark", "aarhus": "denmark", "stockholm": "sweden", "gothenburg": "sweden", "malmo": "sweden",
    "oslo": "norway", "bergen": "norway", "helsinki": "finland", "reykjavik": "iceland",
    "warsaw": "poland", "krakow": "poland", "gdansk": "poland", "wroclaw": "poland", "prague": "czechia", "brno": "czechia",
    "budapest": "hungary", "bucharest": "romania", "sofia": "bulgaria", "belgrade": "serbia", "zagreb": "croatia",
    "split": "croatia", "ljubljana": "slovenia", "athens": "greece", "thessaloniki": "greece", "istanbul": "turkey",
    "ankara": "turkey", "izmir": "turkey", "moscow": "russia", "st petersburg": "russia", "kyiv": "ukraine",
    "odesa": "ukraine", "lviv": "ukraine", "minsk": "belarus", "riga": "latvia", "vilnius": "lithuania",
    "tallinn": "estonia", "valletta": "malta", "nicosia": "cyprus", "luxembourg": "luxembourg", "monaco": "monaco",
    # North America
    "new york": "united states", "los angeles": "united states", "chicago": "united states", "houston": "united states",
    "phoenix": "united states", "philadelphia": "united states", "san antonio": "united states", "san diego": "united states",
    "dallas": "united states", "austin": "united states", "san francisco": "united states", "seattle": "united states",
    "denver": "united states", "boston": "united states", "miami": "united states", "atlanta": "united states",
    "detroit": "united states", "portland": "united states", "las vegas": "united states", "nashville": "united states",
    "new orleans": "united states", "minneapolis": "united states", "pittsburgh": "united states", "baltimore": "united states",
    "washington": "united states", "cleveland": "united states", "cincinnati": "united states", "st louis": "united states",
    "kansas city": "united states", "tulsa": "united states", "oklahoma city": "united states", "memphis": "united states",
    "orlando": "united states", "tampa": "united states", "sacramento": "united states", "san jose": "united states",
    "salt lake city": "united states", "albuquerque": "united states", "milwaukee": "united states", "honolulu": "united states",
    "anchorage": "united states", "brooklyn": "united states", "newark": "united states", "jersey city": "united states",
    "buffalo": "united states", "richmond": "united states", "savannah": "united states", "charleston": "united states", "fort worth": "united states", "el paso": "united states",
    "toronto": "canada", "montreal": "canada", "vancouver": "canada", "calgary": "canada", "edmonton": "canada",
    "ottawa": "canada", "winnipeg": "canada", "halifax": "canada", "quebec city": "canada", "victoria": "canada",
    "dartmouth": "canada", "saskatoon": "canada", "regina": "canada", "st john's": "canada",
    "mexico city": "mexico", "guadalajara": "mexico", "monterrey": "mexico", "cancun": "mexico", "oaxaca": "mexico",
    "havana": "cuba", "kingston": "jamaica", "san juan": "puerto rico",
    # South America
    "sao paulo": "brazil", "rio de janeiro": "brazil", "brasilia": "brazil", "salvador": "brazil",
    "buenos aires": "argentina", "cordoba argentina": "argentina", "santiago": "chile", "lima": "peru", "cusco": "peru",
    "bogota": "colombia", "medellin": "colombia", "cartagena": "colombia", "caracas": "venezuela", "quito": "ecuador",
    "montevideo": "uruguay", "la paz": "bolivia", "asuncion": "paraguay",
    # Africa
    "lagos": "nigeria", "abuja": "nigeria", "ibadan": "nigeria", "kano": "nigeria", "accra": "ghana", "kumasi": "ghana",
    "nairobi": "kenya", "mombasa": "kenya", "cairo": "egypt", "alexandria": "egypt", "johannesburg": "south africa",
    "cape town": "south africa", "durban": "south africa", "pretoria": "south africa", "casablanca": "morocco",
    "marrakech": "morocco", "rabat": "morocco", "tunis": "tunisia", "algiers": "algeria", "addis ababa": "ethiopia",
    "dakar": "senegal", "kinshasa": "congo", "kampala": "uganda", "dar es salaam": "tanzania", "kigali": "rwanda",
    "harare": "zimbabwe", "lusaka": "zambia", "luanda": "angola", "maputo": "mozambique",
    # Asia and the Middle East
    "tokyo": "japan", "osaka": "japan", "kyoto": "japan", "yokohama": "japan", "sapporo": "japan", "nagoya": "japan",
    "fukuoka": "japan", "hiroshima": "japan", "beijing": "china", "shanghai": "china", "shenzhen": "china",
    "guangzhou": "china", "chengdu": "china", "hong kong": "china", "wuhan": "china", "xian": "china",
    "taipei": "taiwan", "seoul": "south korea", "busan": "south korea", "pyongyang": "north korea",
    "mumbai": "india", "delhi": "india", "new delhi": "india", "bangalore": "india", "chennai": "india",
    "kolkata": "india", "hyderabad": "india", "pune": "india", "ahmedabad": "india", "jaipur": "india", "goa": "india",
    "kochi": "india", "lucknow": "india", "karachi": "pakistan", "lahore": "pakistan", "islamabad": "pakistan",
    "dhaka": "bangladesh", "colombo": "sri lanka", "kathmandu": "nepal", "bangkok": "thailand", "chiang mai": "thailand",
    "hanoi": "vietnam", "ho chi minh city": "vietnam", "singapore": "singapore", "kuala lumpur": "malaysia",
    "jakarta": "indonesia", "bali": "indonesia", "manila": "philippines", "cebu": "philippines",
    "dubai": "united arab emirates", "abu dhabi": "united arab emirates", "doha": "qatar", "riyadh": "saudi arabia",
    "jeddah": "saudi arabia", "tehran": "iran", "baghdad": "iraq", "beirut": "lebanon", "damascus": "syria",
    "amman": "jordan", "jerusalem": "israel", "tel aviv": "israel", "kabul": "afghanistan", "tashkent": "uzbekistan",
    "almaty": "kazakhstan", "ulaanbaatar": "mongolia",
    # Oceania
    "sydney": "australia", "melbourne": "australia", "brisbane": "australia", "perth": "australia",
    "adelaide": "australia", "canberra": "australia", "hobart": "australia", "darwin": "australia", "cairns": "australia",
    "auckland": "new zealand", "wellington": "new zealand", "christchurch": "new zealand", "queenstown": "new zealand",
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

COUNTRIES = frozenset(
    {
        "portugal", "spain", "france", "united kingdom", "ireland", "germany", "italy", "netherlands", "belgium",
        "austria", "switzerland", "denmark", "sweden", "norway", "finland", "iceland", "poland", "czechia", "hungary",
        "romania", "bulgaria", "serbia", "croatia", "slovenia", "greece", "turkey", "russia", "ukraine", "belarus",
        "latvia", "lithuania", "estonia", "malta", "cyprus", "luxembourg", "monaco", "united states", "canada",
        "mexico", "cuba", "jamaica", "brazil", "argentina", "chile", "peru", "colombia", "venezuela", "ecuador",
        "uruguay", "bolivia", "paraguay", "nigeria", "ghana", "kenya", "egypt", "south africa", "morocco", "tunisia",
        "algeria", "ethiopia", "senegal", "congo", "uganda", "tanzania", "rwanda", "zimbabwe", "zambia", "angola",
        "mozambique", "japan", "china", "taiwan", "south korea", "north korea", "india", "pakistan", "bangladesh",
        "sri lanka", "nepal", "thailand", "vietnam", "singapore", "malaysia", "indonesia", "philippines",
        "united arab emirates", "qatar", "saudi arabia", "iran", "iraq", "lebanon", "syria", "jordan", "israel",
        "afghanistan", "uzbekistan", "kazakhstan", "mongolia", "australia", "new zealand", "scotland", "wales",
        "england", "korea", "puerto rico",
    }
)  # fmt: skip


AMBIGUOUS = frozenset(
    {"nice", "bath", "split", "hull", "victoria", "regina", "georgia", "clare", "jersey", "darwin", "cork", "kingston",
     "salvador", "santiago", "washington", "la", "us", "york", "palma", "goa", "bali", "perth", "reading", "wales",
     "england", "america", "holland", "sf", "nyc", "uk", "usa", "derry", "victoria australia", "cordoba", "toledo",
     "valencia", "granada", "sofia", "lima", "florence", "phoenix", "austin", "orlando", "dallas", "denver", "regina",
     "cambridge", "oxford", "lincoln", "chester", "durham", "hanover", "mannheim"}
)  # fmt: skip
"""Names that are also common words or first names: matched only when written with a capital letter."""


@lru_cache(maxsize=4096)
def canonical_place(name: str) -> str | None:
    """The gazetteer's canonical name for ``name`` (a city, region or country), or None if unknown."""
    key = " ".join(name.casefold().replace("-", " ").replace(".", "").split())
    key = ALIASES.get(key, key)
    if key.startswith("the ") and key[4:] in COUNTRIES | CITIES.keys():
        key = key[4:]
    if key in CITIES or key in REGIONS or key in COUNTRIES:
        return key
    plain = normalize(name)
    plain = ALIASES.get(plain, plain)
    if plain in CITIES or plain in REGIONS or plain in COUNTRIES:
        return plain
    return None


def country_of(place: str) -> str | None:
    """The country a canonical place lies in (a country is its own country)."""
    if place in COUNTRIES:
        return place
    return CITIES.get(place) or REGIONS.get(place)


def find_places(text: str) -> list[str]:
    """Canonical names of every gazetteer place mentioned in ``text`` (longest names first, no overlaps)."""
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
