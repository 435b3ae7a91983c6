"""Salaries written as text: "£35,000 – £42,000 / year", "$19.35+ / hour",
"RD$210 – RD$300 / hour". Sources that only have such a string (Breezy HR)
read it here; anything else is no salary rather than a wrong one."""

from __future__ import annotations

import re
from typing import Any

from .normalize import clean_text, to_float
from .vocab import SalaryFields, salary_period

# Longest first, so "RD$" is not read as "$".
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("RD$", "DOP"),
    ("US$", "USD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("A$", "AUD"),
    ("AU$", "AUD"),
    ("NZ$", "NZD"),
    ("HK$", "HKD"),
    ("S$", "SGD"),
    ("R$", "BRL"),
    ("MX$", "MXN"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("₹", "INR"),
    ("¥", "JPY"),
    ("₱", "PHP"),
    ("zł", "PLN"),
    ("kr", "SEK"),
)
# A bare "$" is the dollar of the posting's country, where that country uses one.
_DOLLAR_OF = {
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
    "MX": "MXN",
    "SG": "SGD",
    "HK": "HKD",
    "PR": "USD",
    "EC": "USD",
    "SV": "USD",
    "PA": "USD",
}
_CURRENCY = r"(?:[A-Z]{2}\$|[A-Z]\$|\$|£|€|₹|¥|₱|zł|kr|[A-Z]{3}(?=\s*\d))"
_AMOUNT = r"\d(?:[\d.,]*\d)?"
_SALARY = re.compile(
    rf"^\s*(?P<c1>{_CURRENCY})?\s*(?P<low>{_AMOUNT})\s*(?P<k1>[kK]\b)?\s*(?P<plus>\+)?"
    rf"(?:\s*(?:[-–—]|to)\s*(?P<c2>{_CURRENCY})?\s*(?P<high>{_AMOUNT})\s*(?P<k2>[kK]\b)?)?"
    r"\s*(?:(?:/|per|a|an)\s*(?P<period>[A-Za-z]+))?\s*$"
)
_NONE: SalaryFields = (None, None, None, None)


def _currency(symbol: str | None, country: str | None) -> str | None:
    if not symbol:
        return None
    symbol = symbol.strip()
    if symbol == "$":
        return _DOLLAR_OF.get((country or "").upper())
    for sign, code in _SYMBOLS:
        if symbol == sign:
            return code
    return symbol if re.fullmatch(r"[A-Z]{3}", symbol) else None


def _number(text: str) -> float | None:
    """ "35,000", "19.35", and the European "5.000" and "5.000,50"; None
    when the separators do not say which is which."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", text):
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    elif not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text):
        return None
    return to_float(text)


def _amount(text: str | None, thousands: str | None) -> float | None:
    value = _number(text) if text else None
    return value * 1000 if value is not None and thousands else value


def salary_from_text(text: Any, country: str | None = None) -> SalaryFields:
    """(min, max, currency, period) from a salary string; all None when it
    cannot be read. `country` (ISO code) says which dollar a bare "$" is."""
    words = clean_text(text)
    match = _SALARY.match(words) if words else None
    if match is None:
        return _NONE
    low = _amount(match["low"], match["k1"])
    high = _amount(match["high"], match["k2"] or match["k1"]) if match["high"] else None
    if low is None or (match["high"] and high is None):
        return _NONE
    currency = _currency(match["c1"] or match["c2"], country)
    period = salary_period(match["period"]) if match["period"] else None
    if match["period"] and period is None:
        return _NONE  # "/ fortnight": a period the model cannot say
    # "$19.35+ / hour" is a minimum with no maximum.
    return low, high, currency, period
