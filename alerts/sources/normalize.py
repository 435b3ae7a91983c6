"""Coercions shared by every source: JSON values in, plain Python values out.

Everything here is forgiving on purpose: an optional field of the wrong type
becomes None instead of failing the board, because boards
add, drop and retype optional fields without notice.
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from alerts.countries import country_code
from alerts.text import clean_line


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def to_str(value: Any) -> str | None:
    """A trimmed string, or None for null, blank or non-scalar values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def clean_text(value: Any) -> str | None:
    """Display text: entities unescaped (boards send `R&amp;D`), whitespace collapsed
    so a stray newline cannot break a one-line notification, and control
    characters, bidi overrides and terminal escape sequences removed (they
    would reach terminals and chat services, and PostgreSQL refuses a NUL)."""
    text = value if isinstance(value, str) else to_str(value)
    if text is None:
        return None
    return _clean(text) if len(text) <= CACHED_TEXT_MAX else _clean.__wrapped__(text)


# Longer text (a description, a hostile field) is cleaned but never kept.
CACHED_TEXT_MAX = 256


# Cached: a board repeats its departments, teams and places on every posting,
# and every poll sees the same values again.
@lru_cache(maxsize=65536)
def _clean(text: str) -> str | None:
    # split() with no argument splits on every Unicode space, as \s does,
    # and is much faster than a regex.
    # Entities first: `&#27;[2J` is an escape sequence too.
    return " ".join(clean_line(html.unescape(text)).split()) or None


def title_text(value: Any) -> str:
    """A posting's title; "" when missing. The id still identifies the posting,
    and failing the board over a title would silence all its other postings."""
    return clean_text(value) or ""


def to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").strip())
        except ValueError:
            return None
    if not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    # Python's json accepts NaN and Infinity; neither is an amount.
    return number if math.isfinite(number) else None


def to_bool(value: Any) -> bool | None:
    """JSON true/false, or the words APIs spell them with; None when unsure."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "yes": True, "false": False, "no": False}.get(value.strip().lower())
    return None


def to_datetime(value: Any) -> datetime | None:
    """ISO 8601 text (or a bare date, or Recruitee's "2026-09-18 12:55:59 UTC")
    as an aware UTC datetime; a naive one is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    # One zone for every source, so stored and compared values line up.
    try:
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by its offset
        return None


def from_epoch_ms(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def to_country(*values: Any) -> str | None:
    """The ISO 3166-1 alpha-2 code of the first value that names one country
    ("GB", "gb", "GBR", "United Kingdom", "UK"); None for none of them
    ("Europe", "Remote", missing). The display text stays in `location`."""
    for value in values:
        code = country_code(to_str(value))
        if code:
            return code
    return None


def split_place(text: Any) -> tuple[str | None, str | None, str | None]:
    """ "London, England, United Kingdom" -> (city, region, country).

    Only a three-part name is split: two parts are ambiguous ("New York, NY"
    is city and region, "Berlin, Germany" is city and country).
    """
    place = clean_text(text)
    parts = [part.strip() for part in place.split(",")] if place else []
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    return None, None, None


def place_text(*parts: Any) -> str | None:
    """ "Austin", "Texas", "United States" -> "Austin, Texas, United States",
    for sources that give the parts but no display text."""
    names: list[str] = []
    for part in parts:
        name = clean_text(part)
        if name and name not in names:
            names.append(name)
    return ", ".join(names) or None


def country_text(value: Any) -> str | None:
    """A country for display, as the source writes it: an ISO 3166 alpha-2
    code in upper case ("se" -> "SE"), or the cleaned name when it is not a
    code. The posting's `country` is `to_country`'s code."""
    text = clean_text(value)
    if text and len(text) == 2 and text.isascii() and text.isalpha():
        return text.upper()
    return text
