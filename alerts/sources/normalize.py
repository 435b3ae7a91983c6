"""Coercions shared by every source: free text in, the model's vocabularies out.

Everything here is forgiving on purpose: an optional field of the wrong type
becomes None (or "unknown") instead of failing the board, because boards
add, drop and retype optional fields without notice.
"""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, datetime
from typing import Any

from alerts.model import EmploymentType, WorkModel

_SPACE = re.compile(r"\s+")


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
    so a stray newline cannot break a one-line notification."""
    text = to_str(value)
    if text is None:
        return None
    return _SPACE.sub(" ", html.unescape(text)).strip() or None


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


def to_datetime(value: Any) -> datetime | None:
    """ISO 8601 text as an aware UTC datetime; a naive one is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # One zone for every source, so stored and compared values line up.
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def from_epoch_ms(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
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


# Checked in order, first match wins: a negated "remote" is on-site, and
# "Hybrid (2 days remote)" is hybrid, so those come before plain "remote".
_WORK_MODEL_PATTERNS: tuple[tuple[re.Pattern[str], WorkModel], ...] = (
    (re.compile(r"\b(?:no|not|non)[\s-]*remote\b"), "onsite"),
    (re.compile(r"\bhybrid\b"), "hybrid"),
    (
        re.compile(
            r"\bremote(?:ly)?\b|\bwork(?:ing)? from home\b|\bwfh\b"
            r"|\bhome[\s-]?based\b|\btele(?:commut|work)"
        ),
        "remote",
    ),
    (
        re.compile(r"\bon[\s-]?site\b|\bin[\s-]office\b|\boffice[\s-]based\b|\bin[\s-]person\b"),
        "onsite",
    ),
)


def work_model(*texts: Any) -> WorkModel:
    """Classify free text ("Remote, United States", "Hybrid - London",
    "London (On-site)") or a source's own value ("OnSite", "on-site").

    Texts are tried in the order given; the first that says anything wins.
    """
    for text in texts:
        words = clean_text(text)
        if not words:
            continue
        words = words.lower()
        for pattern, model in _WORK_MODEL_PATTERNS:
            if pattern.search(words):
                return model
    return "unknown"


# First match wins: the more specific arrangement beats the generic one, so
# "Full-time internship" is an internship and "Part-time contract" part-time.
_EMPLOYMENT_PATTERNS: tuple[tuple[re.Pattern[str], EmploymentType], ...] = (
    (re.compile(r"\bintern(?:ship)?s?\b|\btrainee\b|\bapprentice(?:ship)?\b"), "intern"),
    (re.compile(r"\bpart time\b"), "part_time"),
    (re.compile(r"\btemp(?:orary)?\b|\bshort term\b|\bfixed term\b|\bseasonal\b"), "temporary"),
    (re.compile(r"\bcontract(?:or|ors|s)?\b|\bfreelance(?:r)?\b"), "contract"),
    (re.compile(r"\bfull time\b|\bpermanent\b|\bregular\b"), "full_time"),
)


def employment_type(value: Any) -> EmploymentType:
    """Map Ashby's enum ("FullTime") or free text ("Full-time", "Permanent",
    "Short Term") onto the model's vocabulary."""
    text = clean_text(value)
    if not text:
        return "unknown"
    # "FullTime" and "full_time" should read like "full time".
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()
    text = re.sub(r"[\W_]+", " ", text)
    for pattern, kind in _EMPLOYMENT_PATTERNS:
        if pattern.search(text):
            return kind
    return "unknown"


_PERIODS = {
    "year": "year",
    "annual": "year",
    "annually": "year",
    "yearly": "year",
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
}


def salary_period(value: Any) -> str | None:
    """ "1 YEAR" (Ashby), "per-year-salary" (Lever) -> "year"; None when the
    interval is absent, "NONE", or a multiple such as "2 WEEK"."""
    text = clean_text(value)
    if not text:
        return None
    words = re.findall(r"[a-z]+|\d+", text.lower())
    if any(word.isdigit() and word != "1" for word in words):
        return None
    for word in words:
        if word in _PERIODS:
            return _PERIODS[word]
    return None


SalaryFields = tuple[float | None, float | None, str | None, str | None]


def salary(low: Any, high: Any, currency: Any, period: Any) -> SalaryFields:
    """(min, max, currency, period); all None unless there is an amount, so a
    bare currency code never shows up as a salary."""
    low_value, high_value = to_float(low), to_float(high)
    if low_value is None and high_value is None:
        return None, None, None, None
    return low_value, high_value, to_str(currency), salary_period(period)
