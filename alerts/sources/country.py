"""A source's country field, or a part of its place text, as one ISO
3166-1 alpha-2 code ("GB"), by alerts.countries; None for a region such as
"Europe" or "EMEA", and for anything unknown."""

from __future__ import annotations

from typing import Any

from alerts.countries import country_code as _code
from alerts.countries import place_country as _place_country

from .normalize import clean_text


def country_code(value: Any, *, names_only: bool = False) -> str | None:
    """The code of a country field's value. `names_only` for a part of free
    text ("Veldhoven, Netherlands"), where a two- or three-letter word is
    more likely a state ("Bentonville, AR") than a country."""
    text = clean_text(value)
    if not text or len(text) > 80 or text.isdigit():
        return None
    text = text.strip(" ,.")
    if names_only and len(text) <= 3 and text.lower() not in ("uk", "usa"):
        return None
    if names_only and text.lower() == "georgia":  # the state or the country
        return None
    return _code(text)


def place_country(value: Any) -> str | None:
    """The one country a place text names ("London, UK", "Remote - USA",
    "San Francisco, CA / Remote"), by alerts.countries.place_country."""
    return _place_country(clean_text(value))
