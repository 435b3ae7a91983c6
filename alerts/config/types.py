"""The value types a config is written in: durations, sizes, lists, digest
schedules, currency codes, keyword phrases."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

_DURATION_PART = re.compile(r"(\d+)\s*(d|h|m|s)")
_DURATION_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
DIGEST_ALIASES = {"hourly": "0 * * * *", "daily": "0 8 * * *", "weekly": "0 8 * * mon"}
# No duration in a config means more than ten years; beyond that a typo is
# far likelier than a wish (and "999999999999d" is past what a timedelta holds).
MAX_DURATION = timedelta(days=3650)
_DURATION_EXAMPLE = 'a duration like "90s", "15m", "1h" or "1h30m"'

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1024, "kib": 1024, "mb": 1024**2, "mib": 1024**2, "gb": 1024**3, "gib": 1024**3}
_SIZE_EXAMPLE = 'a size like "50MB", "500KB", "1GB" or a number of bytes'


@lru_cache(maxsize=256)
def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A digest schedule: a crontab line or hourly/daily/weekly. Raises ValueError."""
    return CronTrigger.from_crontab(
        DIGEST_ALIASES.get(expr.strip().lower(), expr), timezone=ZoneInfo(timezone)
    )


def parse_duration(value: Any) -> timedelta:
    """ "90s", "15m", "1h30m", "2d" (or a number of seconds) -> timedelta.
    Raises ValueError, also for anything longer than MAX_DURATION."""
    if isinstance(value, timedelta):
        seconds: float = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        parts = _DURATION_PART.findall(text)
        if not parts or _DURATION_PART.sub("", text).strip():
            raise ValueError(_DURATION_EXAMPLE)
        # Whole numbers first: a timedelta of 10**12 days would overflow.
        seconds = sum(int(n) * _DURATION_SECONDS[unit] for n, unit in parts)
    else:
        raise ValueError(_DURATION_EXAMPLE)
    if seconds != seconds or seconds < 0:  # NaN too
        raise ValueError("a duration of zero or more")
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(f"a duration of at most {format_duration(MAX_DURATION)}")
    return timedelta(seconds=seconds)


def format_duration(span: timedelta | float) -> str:
    """timedelta(seconds=5400) -> "1h30m": the way durations are written in a config."""
    seconds = span.total_seconds() if isinstance(span, timedelta) else float(span)
    if seconds != int(seconds) or seconds < 1:
        return f"{seconds:g}s"
    rest, parts = int(seconds), []
    for unit, size in _DURATION_SECONDS.items():
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts)


def between(low: timedelta, high: timedelta) -> AfterValidator:
    """A config duration's own bounds, named in the error."""

    def check(value: timedelta) -> timedelta:
        if not low <= value <= high:
            shown = f"from {format_duration(low)}" if low else "from 0s"
            raise ValueError(f"{_DURATION_EXAMPLE}, {shown} to {format_duration(high)}")
        return value

    return AfterValidator(check)


def parse_size(value: Any) -> int:
    """ "50MB", "500KB", "1GB" (binary units) or a number of bytes -> bytes. Raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(_SIZE_EXAMPLE)
        return value
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(_SIZE_EXAMPLE)
    number, unit = match.groups()
    return int(float(number) * _SIZE_UNITS[(unit or "b").lower()])


def size_between(low: int, high: int) -> AfterValidator:
    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"{_SIZE_EXAMPLE}, from {format_size(low)} to {format_size(high)}")
        return value

    return AfterValidator(check)


def format_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size} bytes"


def as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


# The key under which a value's written form is named in a JSON Schema in the
# making; config/schema.py puts the form itself in its place (config/forms.py).
FORM_KEY = "x-alerts-form"


class Form:
    """How a value is written in the TOML file ("15m", "50MB", "greenhouse:stripe"),
    named for the config's JSON Schema instead of pydantic's own form of the
    type (an ISO 8601 duration, a bare string)."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {FORM_KEY: self.name}


class OneOrMany:
    """A list that may be written as its one item: `boards = "lever:plaid"`."""

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        many = handler(core)
        return {"anyOf": [many["items"], many]}


class WordsOrTable:
    """A filter table that may be written as its `include` words alone:
    `title = ["engineer"]` or `title = "engineer"`."""

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        words = {"type": "array", "items": {"type": "string"}}
        return {"anyOf": [{"type": "string"}, words, handler(core)]}


Duration = Annotated[timedelta, BeforeValidator(parse_duration), Form("duration")]
Size = Annotated[int, BeforeValidator(parse_size), Form("size")]
StrList = Annotated[list[str], BeforeValidator(as_list), OneOrMany()]


def currency_code(value: Any) -> str:
    """ "usd" -> "USD"; ValueError unless it is an ISO 4217 code."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) == 3 and code.isalpha():
        import pycountry  # loaded only by configs that name a currency

        if pycountry.currencies.get(alpha_3=code) is not None:
            return code
    raise ValueError('an ISO 4217 currency code such as "USD", "EUR" or "GBP"')


PHRASE_MAX_CHARS = 200


def phrases(value: list[str]) -> list[str]:
    """Words or phrases to look for: spaces collapsed, quotes around one dropped."""
    out = []
    for item in value:
        phrase = " ".join(item.strip().strip('"').split())
        if not any(ch.isalnum() for ch in phrase):
            raise ValueError('words or phrases with a letter or digit, such as "visa sponsorship" or "Rust"')
        if len(phrase) > PHRASE_MAX_CHARS:
            raise ValueError(f"phrases of at most {PHRASE_MAX_CHARS} characters")
        out.append(phrase)
    return out


Currency = Annotated[str, BeforeValidator(currency_code), Form("currency")]
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
# Every duration is at most MAX_DURATION; an interval is at least a second too.
Interval = Annotated[Duration, between(SECOND, MAX_DURATION)]
Phrases = Annotated[list[str], BeforeValidator(as_list), AfterValidator(phrases), OneOrMany()]


class Strict(BaseModel):
    """Every config table: unknown keys refused, values frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)
