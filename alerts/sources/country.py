"""Country names and codes as one ISO 3166-1 alpha-2 code ("GB").

Sources write a country as a code ("GB", "gb", "GBR") or a name ("United
Kingdom", "UK", "Germany"); a region such as "Europe" or "EMEA" is no
country and gives None, as does anything unknown.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pycountry

from .normalize import clean_text

# Names people and boards use that ISO does not list.
_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states": "US",
    "america": "US",
    "russia": "RU",
    "turkey": "TR",
    "south korea": "KR",
    "korea": "KR",
    "czechia": "CZ",
    "vietnam": "VN",
    "the netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
}


def country_code(value: Any, *, names_only: bool = False) -> str | None:
    """The code of a country field's value. `names_only` for a part of free
    text ("Veldhoven, Netherlands"), where a two- or three-letter word is
    more likely a state ("Bentonville, AR") than a country."""
    text = clean_text(value)
    if not text or len(text) > 80 or text.isdigit():
        return None
    text = text.strip(" ,.").lower()
    if names_only and len(text) <= 3 and text not in ("uk", "usa"):
        return None
    return _code(text)


@lru_cache(maxsize=2048)
def _code(text: str) -> str | None:
    if text in _ALIASES:
        return _ALIASES[text]
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return None
    code: str = country.alpha_2
    return code
