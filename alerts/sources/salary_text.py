"""Pay written out as text ("$22 - $26 per hour", "£24,500 - £26,500"), for
sources that have no structured salary (BambooHR's `compensation`).

Only a clear range or amount is read; anything else is no salary, never a
guess. A bare "$" is the dollar of the posting's country when it has one.
"""

from __future__ import annotations

import re
from typing import Any

from .normalize import clean_text
from .vocab import SalaryFields, salary_period

_SYMBOLS = {
    "us$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "au$": "AUD",
    "nz$": "NZD",
    "r$": "BRL",
    "rd$": "DOP",
    "hk$": "HKD",
    "s$": "SGD",
    "mx$": "MXN",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
}
_DOLLAR_COUNTRIES = {
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "MX": "MXN",
    "SG": "SGD",
    "HK": "HKD",
}
_CODES = re.compile(r"\b(USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|INR|JPY|SGD|HKD|MXN|BRL|ZAR)\b")
_SYMBOL = re.compile(r"(?:[A-Za-z]{1,2}\$|\$|£|€|¥|₹|₩)")
_AMOUNT = re.compile(r"(\d{1,3}(?:[,.\s]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*([kK])?\b")
_PERIOD = re.compile(
    r"(?:\b(?:per|an|a)\s+|/\s*)(hour|hr|day|week|month|year|yr|annum)\b"
    r"|\b(hourly|daily|weekly|monthly|yearly|annually)\b",
    re.IGNORECASE,
)
_PERIOD_WORDS = {"hr": "hour", "yr": "year", "annum": "year"}
_MAX = 100_000_000


def salary_from_text(value: Any, country: str | None = None) -> SalaryFields:
    text = clean_text(value)
    if not text or len(text) > 200:
        return None, None, None, None
    found = [_amount(m) for m in _AMOUNT.finditer(text)][:3]
    amounts = [a for a in found if a is not None]
    if not amounts or len(amounts) != len(found) or len(amounts) > 2:
        return None, None, None, None
    low, high = amounts[0], amounts[-1]
    if low > high or high >= _MAX:
        return None, None, None, None
    return low, (high if len(amounts) == 2 else None), _currency(text, country), _period(text)


def _amount(match: re.Match[str]) -> float | None:
    whole, cents, thousands = match.group(1), match.group(2), match.group(3)
    digits = re.sub(r"[,.\s]", "", whole)
    if not digits.isdigit():
        return None
    number = (float(digits) + (float(f"0.{cents}") if cents else 0.0)) * (1000 if thousands else 1)
    return number if number > 0 else None


def _currency(text: str, country: str | None) -> str | None:
    if found := _CODES.search(text):
        return found.group(1)
    symbol = _SYMBOL.search(text)
    if symbol is None:
        return None
    word = symbol.group(0).lower()
    if word == "$":
        return _DOLLAR_COUNTRIES.get(country or "")
    return _SYMBOLS.get(word)


def _period(text: str) -> str | None:
    found = _PERIOD.search(text)
    if found is None:
        return None
    word = (found.group(1) or found.group(2)).lower()
    return salary_period(_PERIOD_WORDS.get(word, word))
