"""A source's country field, or a part of its place text, as one ISO
3166-1 alpha-2 code ("GB"), by alerts.countries; None for a region such as
"Europe" or "EMEA", and for anything unknown."""

from __future__ import annotations

from typing import Any

from alerts.countries import country_code as _code

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
    return _code(text)
