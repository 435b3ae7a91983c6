"""Countries: one ISO 3166-1 alpha-2 code for every way a source or a user
writes a country ("GB", "gbr", "United Kingdom", "UK", "England"), and the
multi-country words ("Europe", "EMEA") that are not a country but name a
set of them. Pure; the names and codes come from pycountry.

Sources store `Posting.country` as the code (`country_code`); filters match
a word against codes and names (`filter_codes`). Every lookup is cached: it
runs for every posting of every poll.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import pycountry

# What people write that pycountry's names and codes do not cover.
ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "uae": "AE",
    "russia": "RU",
    "korea": "KR",
    "turkey": "TR",
    "ivory coast": "CI",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "macedonia": "MK",
    "burma": "MM",
    "holland": "NL",
    "palestine": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "micronesia": "FM",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "sao tome": "ST",
    "macau": "MO",
    # Names in the country's own language that boards use.
    "deutschland": "DE",
    "espana": "ES",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "italia": "IT",
    "brasil": "BR",
    "polska": "PL",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "belgie": "BE",
    "belgique": "BE",
    "nederland": "NL",
}

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
_EUROPE = _EU + " AD AL AX BA BY CH FO GB GG GI IM IS JE LI MC MD ME MK NO RS RU SJ SM UA VA"
_MIDDLE_EAST = "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE"
_AFRICA = (
    "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML "
    "MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW"
)
_APAC = (
    "AU NZ CN HK MO TW JP KR KP MN IN PK BD LK NP BT MV SG MY ID TH VN PH KH LA MM BN TL PG FJ SB VU "
    "NC PF WS TO KI TV NR FM MH PW"
)
_LATAM = "MX GT BZ SV HN NI CR PA CU DO HT PR CO VE EC PE BO BR PY UY AR CL GY SR"
_NORTH_AMERICA = "US CA MX"

# Words for several countries: never a posting's country, but a filter word
# that finds every posting in one of them.
REGIONS: dict[str, frozenset[str]] = {
    name: frozenset(codes.split())
    for names, codes in (
        (("europe", "european"), _EUROPE),
        (("eu", "european union"), _EU),
        (("emea",), f"{_EUROPE} {_MIDDLE_EAST} {_AFRICA}"),
        (("middle east",), _MIDDLE_EAST),
        (("africa",), _AFRICA),
        (("apac", "asia pacific", "asia-pacific"), _APAC),
        (("latam", "latin america"), _LATAM),
        (("north america",), _NORTH_AMERICA),
        (("americas",), f"{_NORTH_AMERICA} {_LATAM}"),
        (("dach",), "DE AT CH"),
        (("nordics", "nordic countries"), "DK FI IS NO SE"),
        (("benelux",), "BE NL LU"),
    )
    for name in names
}


def _fold(text: str) -> str:
    """Case, accents, dots and a leading "the" do not tell countries apart."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("&", " and ").replace(".", "").replace(",", " ")
    words = plain.split()
    if words[:1] == ["the"]:
        words = words[1:]
    if words[:1] == ["st"]:
        words[0] = "saint"
    return " ".join(words)


@cache
def _index() -> dict[str, str]:
    """Every folded code and name -> its alpha-2 code (built on first use)."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_fold(value), country.alpha_2)
    for alias, code in ALIASES.items():
        index.setdefault(_fold(alias), code)
    return index


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The alpha-2 code of a country written any way we know, else None
    (a multi-country word such as "Europe", or anything else)."""
    if not text:
        return None
    return _index().get(_fold(text))


@lru_cache(maxsize=4096)
def filter_codes(word: str) -> frozenset[str]:
    """The countries a filter word names: one ("UK"), several ("Europe"), or none."""
    folded = _fold(word)
    if folded in REGIONS:
        return REGIONS[folded]
    code = _index().get(folded)
    return frozenset({code}) if code else frozenset()


# US states as boards write them after a city ("New York, NY", "Austin,
# Texas"). Georgia is left out: it is a country too, and nothing in "Atlanta,
# Georgia" says which.
_US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
    "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
_US_STATE_NAMES = frozenset(
    "alabama,alaska,arizona,arkansas,california,colorado,connecticut,delaware,florida,hawaii,idaho,"
    "illinois,indiana,iowa,kansas,kentucky,louisiana,maine,maryland,massachusetts,michigan,minnesota,"
    "mississippi,missouri,montana,nebraska,nevada,new hampshire,new jersey,new mexico,new york,"
    "north carolina,north dakota,ohio,oklahoma,oregon,pennsylvania,rhode island,south carolina,"
    "south dakota,tennessee,texas,utah,vermont,virginia,washington,west virginia,wisconsin,wyoming,"
    "district of columbia".split(",")
)
# A place that is only a way of working says nothing about a country: "San
# Francisco, CA / Remote" is one country, not two.
_WORK_WORDS = re.compile(
    r"^(?:(?:fully|100%)\s+)?(?:remote|hybrid|on[\s-]?site|in[\s-]office|flexible|wfh)(?:\s+first)?\b[\s:]*"
    r"|[\s:]*\b(?:remote|hybrid|on[\s-]?site|in[\s-]office|flexible)$",
    re.IGNORECASE,
)
# Several places in one text: "Berlin, Germany; London, UK", "SF / Remote".
_PLACES = re.compile(r"\s*(?:[;|/\n]|\s+\+\s+)\s*")
# One place's parts: "London, UK", "Remote - USA", "Remote (US)".
_PARTS = re.compile(r"\s*(?:,|\s[-\u2013\u2014]\s*|[-\u2013\u2014]\s|\(|\)|\[|\])\s*")


# State codes that boards also write after a city for a country they hire in
# ("Berlin, DE", "Bengaluru, IN", "Tel Aviv, IL", "Bogotá, CO", "Buenos Aires,
# AR", "Jakarta, ID"): read as neither. Other codes that are a country's too
# ("Atlanta, GA", "Boston, MA") are far more often the state.
_STATE_OR_COUNTRY = frozenset({"DE", "IN", "IL", "CO", "AR", "ID"})


def _part_code(part: str, *, after_city: bool) -> str | None:
    """One part of a place as a country, where it cannot be read two ways."""
    if part in _STATE_OR_COUNTRY:
        return None
    if after_city and part in _US_STATE_CODES:  # "New York, NY"; "CA" alone is Canada or California
        return "US"
    folded = _fold(part)
    if after_city and folded in _US_STATE_NAMES:
        return "US"
    if folded == "georgia" or (len(part) == 2 and part.upper() in _US_STATE_CODES):
        return None
    return _index().get(folded)


def _place_code(place: str) -> str | None | bool:
    """The country of one place; True when it names none at all ("Remote"),
    None when it names a place but not one country we can tell."""
    parts = [_WORK_WORDS.sub("", part).strip() for part in _PARTS.split(place)]
    parts = [part for part in parts if part and part.strip(".").strip()]
    if not parts:
        return True
    code = _part_code(parts[-1], after_city=len(parts) > 1)
    if code is None and len(parts) > 1:  # "US, CA, Santa Clara": the country first
        code = _part_code(parts[0], after_city=False)
    return code


@lru_cache(maxsize=4096)
def place_country(text: str | None) -> str | None:
    """The one country a place text names ("London, UK", "New York, NY",
    "Remote - USA", "San Francisco, CA / Remote"), else None: for several
    places, only when every one that names a place names the same country
    ("Berlin, Germany; London, UK" is None), and never from a word that reads
    two ways ("CA" alone, "Georgia")."""
    if not text or len(text) > 300:
        return None
    codes: set[str] = set()
    for place in _PLACES.split(text.strip()):
        code = _place_code(place)
        if code is None:
            return None
        if isinstance(code, str):
            codes.add(code)
    return codes.pop() if len(codes) == 1 else None
