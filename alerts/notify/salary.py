"""Salaries as job seekers write them: "$135K–$165K/yr", "$45/hr", "€60K–€75K/yr".

The stored display value ("USD 135,000-165,000 per year", model.format_salary)
stays what `updated` events compare; this is only how a message shows it.
"""

from __future__ import annotations

import re

# Currencies written with a symbol; any other code is written before the
# amounts ("CHF 120K–150K/yr"), as people read it.
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "ILS": "₪",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "SGD": "S$",
    "HKD": "HK$",
    "MXN": "MX$",
    "BRL": "R$",
}
PERIODS = {"year": "yr", "month": "mo", "week": "wk", "day": "day", "hour": "hr"}
DASH = "–"  # an en dash, the range sign
# model.format_salary's display value, the form `updated` events store.
_DISPLAY = re.compile(
    r"(?:(?P<currency>\S+) )?(?P<low>\d[\d,]*(?:\.\d+)?)(?:-(?P<high>\d[\d,]*(?:\.\d+)?))?(?: per (?P<period>\w+))?"
)


def _amount(value: float) -> str:
    """135000 -> "135K", 92500 -> "92.5K", 1250000 -> "1.25M", 45.5 -> "45.50"."""
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".") + "M"
    if size >= 1_000:
        return f"{value / 1_000:.1f}".rstrip("0").rstrip(".") + "K"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def compact_salary(
    low: float | None, high: float | None, currency: str | None, period: str | None
) -> str | None:
    """The range in few characters, or None when there is no amount.

    Missing parts are left out (no currency, no "/yr"); one amount reads
    "$45/hr", only a maximum "up to $150K/yr".
    """
    if low is None and high is None:
        return None
    code = (currency or "").strip()
    code = code.upper() if code.isalpha() else code
    # A lone sign ("$") is a symbol already.
    symbol = SYMBOLS.get(code, "") if code.isalpha() else code if len(code) == 1 else ""
    # A code without a symbol goes once before the range; a symbol before each amount.
    prefix = f"{code} " if code and not symbol else ""

    def money(value: float) -> str:
        return symbol + _amount(value)

    if low is not None and high is not None:
        text = money(low) if low == high else f"{money(low)}{DASH}{money(high)}"
    elif low is not None:
        # Sources give one amount ("$45/hr", schema.org's `value`) as a minimum.
        text = money(low)
    else:
        assert high is not None
        text, prefix = f"up to {prefix}{money(high)}", ""
    unit = PERIODS.get(period, period) if period else None
    return f"{prefix}{text}/{unit}" if unit else f"{prefix}{text}"


def compact_display(text: str) -> str:
    """A stored display value ("USD 135,000-165,000 per year") in the compact
    form; text in any other form is returned as it is."""
    match = _DISPLAY.fullmatch(text)
    if match is None:
        return text

    def number(value: str | None) -> float | None:
        return float(value.replace(",", "")) if value else None

    low, high = number(match["low"]), number(match["high"])
    return compact_salary(low, high, match["currency"], match["period"]) or text
