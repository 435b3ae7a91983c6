"""Salaries written as text: "£35,000 – £42,000 / year", "$19.35+ / hour",
"RD$210 – RD$300 / hour", "EUR 45.000 - 55.000 yearly". Sources that only
have such a string (Breezy's `salary`, BambooHR's `compensation`) read it
here; anything else is no salary rather than a wrong one."""

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
    r"\s*(?:(?:(?:/|per|a|an)\s*)?(?P<period>[A-Za-z]+))?\s*$"
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
    if low is None or (match["high"] and high is None) or (high is not None and high < low):
        return _NONE
    currency = _currency(match["c1"] or match["c2"], country)
    period = salary_period(match["period"]) if match["period"] else None
    if match["period"] and period is None:
        return _NONE  # "/ fortnight": a period the model cannot say
    # "$19.35+ / hour" is a minimum with no maximum.
    return low, high, currency, period


# --- a salary inside a description ---------------------------------------------
#
# Some sources (Workday) state the pay only in the description's prose: "The
# base salary range is 152,000 USD - 287,500 USD." It is read from there only
# when the text leaves no doubt: one amount or range (repeats aside) that is
# money in a known currency, near words about pay, and not a bonus, a
# stipend, a 401(k) match or a funding round. Several ranges (per location,
# per level) are no salary: which one is this posting's?

_CODES = (
    "USD EUR GBP CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF RON INR JPY SGD HKD MXN BRL ZAR ILS AED CNY"
).split()
# Codes a bare "$" may stand for.
_DOLLAR_CODES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})
_CODE = rf"\b(?:{'|'.join(_CODES)})\b"
_SIGN = r"(?:RD\$|US\$|CA\$|AU\$|NZ\$|HK\$|MX\$|[CARS]\$|\$|£|€|₹|¥|₱)"
_NUMBER = r"\d(?:[\d.,]{0,13}\d)?"  # bounded: a hostile run of digits costs little


def _side(n: int) -> str:
    return (
        rf"(?:(?P<code_before{n}>{_CODE})\s?)?(?P<sign{n}>{_SIGN})?\s?(?P<amount{n}>{_NUMBER})"
        rf"(?P<thousands{n}>\s?[kK](?![A-Za-z]))?"
        rf"(?:\s?(?P<code_after{n}>{_CODE})|\s?(?P<sign_after{n}>[€£](?!\s?\d)))?"
    )


_MONEY = re.compile(
    rf"(?<![\w.,$€£])(?P<between>between\s+)?{_side(1)}"
    rf"(?:\s*(?:[-–—~]|to\b|(?(between)and\b|(?!)))\s*{_side(2)})?"
)
# After an amount: millions (a funding round, revenue), not pay.
_LARGE = re.compile(r"\s?(?:[mMbB]n?\b|million|billion)")
_PERIOD_AFTER = re.compile(
    r"\s*(?:(?:/|per|an?|each)\s*(?P<unit>hour|hr|year|yr|annum|month|week|day)\b"
    r"|(?P<word>annual(?:ly|ized)?|yearly|hourly|monthly|weekly|daily)\b)",
    re.IGNORECASE,
)
_UNITS = {"hr": "hour", "yr": "year", "annum": "year", "annualized": "year"}
# Words about the posting's pay, in the text just before an amount (or its
# sentence). "Pay" alone is not enough: "we pay for your internet, up to $50".
_CUE = re.compile(
    r"\b(?:salary|salaries|compensation|wages?|remuneration|OTE|earnings|(?:base|hourly|annual)\s+pay"
    r"|pay\s+(?:range|rate|band|scale|grade|is)|rate\s+of\s+pay|(?:hourly|day|daily)\s+rate)\b|\bpay\s*:",
    re.IGNORECASE,
)
# Words that make a nearby amount something else than the posting's pay.
_NOT_PAY = re.compile(
    r"\b(?:bonus(?:es)?|commissions?|stipends?|allowances?|reimburs\w*|relocation|equity|stock|RSUs?"
    r"|401\s?\(?k\)?|tuition|referral|sign[- ]?on|signing|per diem|match(?:ing)?|funding|raised|revenue"
    r"|valuation|ARR|budget|books|training|conferences?|wellness|gym|gifts?|vouchers?|donat\w*|savings"
    r"|insurance|grants?|credits?|fees?|prizes?|awards?|internet|phone|mobile|membership|equipment"
    r"|expenses?|setup|lunch|meals?|travel|childcare|learning|education|coworking|parking|transit|commut\w*)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_CUE_BEFORE, _NEAR_BEFORE, _NEAR_AFTER = 150, 40, 25


class _Unsure(Exception):
    """Money that cannot be read for certain: the text gives no salary."""


def _period_near(text: str, start: int, end: int) -> str | None:
    after = _PERIOD_AFTER.match(text, end)
    if after:
        unit = (after["unit"] or after["word"]).lower()
        return salary_period(_UNITS.get(unit, unit))
    before = text[max(0, start - _CUE_BEFORE) : start].lower()
    hourly = "hourly" in before or "per hour" in before
    yearly = any(word in before for word in ("annual", "yearly", "per year", "per annum"))
    return "hour" if hourly and not yearly else "year" if yearly and not hourly else None


def _currency_of(match: re.Match[str], country: str | None) -> str | None:
    """The one currency the amount's signs and codes name; None when none
    does (a bare "$" where the country says no dollar); _Unsure when they disagree."""
    codes = {match[f"code_{where}{n}"] for where in ("before", "after") for n in (1, 2)} - {None}
    signs = {match[f"sign{n}"] for n in (1, 2)} | {match[f"sign_after{n}"] for n in (1, 2)}
    signs.discard(None)
    if len(codes) > 1:
        raise _Unsure
    if codes:
        [code] = codes
        for sign in signs:
            if (sign == "$" and code not in _DOLLAR_CODES) or (sign != "$" and _currency(sign, None) != code):
                raise _Unsure
        return code
    named = {_currency(sign, country) for sign in signs}
    if len(named) > 1:
        raise _Unsure
    return named.pop() if named else None


def _near(text: str, start: int, end: int) -> str:
    """The words around an amount, within its sentence."""
    before = text[max(0, start - _NEAR_BEFORE) : start]
    ends = list(_SENTENCE_END.finditer(before))
    before = before[ends[-1].end() :] if ends else before
    after = text[end : end + _NEAR_AFTER]
    # Up to the sentence's or the clause's end, "plus", or the next amount.
    stop = re.search(r"[.!?;,](?=\s|$)|\bplus\b|\+|[$€£]", after)
    return before + " " + (after[: stop.start()] if stop else after)


def _read(match: re.Match[str], text: str, country: str | None) -> tuple[SalaryFields, bool] | None:
    """One money mention: its fields and whether words about pay lead to
    it; None when it is no pay (millions, a bonus, no currency sign at all)."""
    marked = any(
        match[f"{name}{n}"] for name in ("code_before", "code_after", "sign", "sign_after") for n in (1, 2)
    )
    if not marked or _LARGE.match(text, match.end()):
        return None
    start, end = match.start(), match.end()
    if _NOT_PAY.search(_near(text, start, end)):
        return None
    low = _amount(match["amount1"], match["thousands1"])
    high = _amount(match["amount2"], match["thousands2"] or match["thousands1"]) if match["amount2"] else None
    if low is None or (match["amount2"] and high is None) or (high is not None and high < low):
        raise _Unsure
    fields = (low, high, _currency_of(match, country), _period_near(text, start, end))
    before = text[max(0, start - _CUE_BEFORE) : start]
    sentence = text[end : end + _CUE_BEFORE]
    stop = _SENTENCE_END.search(sentence)
    cued = bool(_CUE.search(before) or _CUE.search(sentence[: stop.start()] if stop else sentence))
    return fields, cued


def salary_in_prose(text: Any, country: str | None = None) -> SalaryFields:
    """(min, max, currency, period) of the one pay a description states;
    all None when it states none, several, or any it cannot read for sure."""
    words = clean_text(text)
    if not words:
        return _NONE
    found: dict[SalaryFields, bool] = {}
    try:
        for match in _MONEY.finditer(words):
            read = _read(match, words, country)
            if read is not None:
                fields, cued = read
                found[fields] = found.get(fields, False) or cued
    except _Unsure:
        return _NONE
    if len(found) != 1:
        return _NONE
    [(fields, cued)] = found.items()
    return fields if cued and fields[2] is not None else _NONE
