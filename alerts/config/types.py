"""The value types a config is written in: durations, lists, digest schedules,
currency codes, keyword phrases."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

_DURATION_PART = re.compile(r"(\d+)\s*(d|h|m|s)")
_DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
DIGEST_ALIASES = {"hourly": "0 * * * *", "daily": "0 8 * * *", "weekly": "0 8 * * mon"}


@lru_cache(maxsize=256)
def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A digest schedule: a crontab line or hourly/daily/weekly. Raises ValueError."""
    return CronTrigger.from_crontab(
        DIGEST_ALIASES.get(expr.strip().lower(), expr), timezone=ZoneInfo(timezone)
    )


def parse_duration(value: Any) -> timedelta:
    """ "90s", "15m", "1h30m", "2d" (or a number of seconds) -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        parts = _DURATION_PART.findall(text)
        if not parts or _DURATION_PART.sub("", text).strip():
            raise ValueError('a duration like "90s", "15m", "1h" or "1h30m"')
        seconds = sum(timedelta(**{_DURATION_UNITS[unit]: int(n)}).total_seconds() for n, unit in parts)
    else:
        raise ValueError('a duration like "90s", "15m", "1h" or "1h30m"')
    if seconds < 0:
        raise ValueError("a duration of zero or more")
    return timedelta(seconds=seconds)


def as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
StrList = Annotated[list[str], BeforeValidator(as_list)]


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


Currency = Annotated[str, BeforeValidator(currency_code)]
Phrases = Annotated[list[str], BeforeValidator(as_list), AfterValidator(phrases)]


class Strict(BaseModel):
    """Every config table: unknown keys refused, values frozen once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)
