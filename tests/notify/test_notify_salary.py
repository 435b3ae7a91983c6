"""Salaries in few characters, as messages show them (notify/salary.py)."""

from __future__ import annotations

import pytest

from alerts.model import format_salary
from alerts.notify.salary import compact_display, compact_salary


@pytest.mark.parametrize(
    ("low", "high", "currency", "period", "shown"),
    [
        (135000, 165000, "USD", "year", "$135K–$165K/yr"),
        (45, None, "USD", "hour", "$45/hr"),
        (45.5, 60, "GBP", "hour", "£45.50–£60/hr"),
        (60000, 75000, "EUR", None, "€60K–€75K"),  # no period: nothing guessed
        (92500, 92500, "usd", "year", "$92.5K/yr"),  # one amount given twice; code in any case
        (None, 165000, "USD", "year", "up to $165K/yr"),
        (120000, 150000, "CHF", "year", "CHF 120K–150K/yr"),  # no symbol: the code once
        (1250000, None, "JPY", "year", "¥1.25M/yr"),
        (70, None, "CAD", "hour", "CA$70/hr"),
        (5000, 6000, "INR", "month", "₹5K–₹6K/mo"),
        (900, 1100, "EUR", "week", "€900–€1.1K/wk"),
        (250, None, "AUD", "day", "A$250/day"),
        (135000, 165000, None, "year", "135K–165K/yr"),  # no currency
        (135000, 165000, None, None, "135K–165K"),
        (5000, None, "$", "month", "$5K/mo"),  # a source that gives the sign itself
        (1, None, "<u>", None, "<u> 1"),  # escaped later, like any posting text
        (None, None, "USD", "year", None),  # a currency alone is no salary
    ],
)
def test_compact_salary(low, high, currency, period, shown) -> None:
    assert compact_salary(low, high, currency, period) == shown


@pytest.mark.parametrize(
    ("low", "high", "currency", "period"),
    [
        (120000, 150000, "USD", "year"),
        (45.5, None, "GBP", "hour"),
        (1250000, None, "EUR", None),
        (100, 120, None, "month"),
    ],
)
def test_a_stored_display_value_reads_as_the_posting_would(low, high, currency, period) -> None:
    # `updated` events keep the salary as model.format_salary wrote it.
    stored = format_salary(low, high, currency, period)
    assert stored is not None
    assert compact_display(stored) == compact_salary(low, high, currency, period)


@pytest.mark.parametrize("text", ["competitive", "USD 150k plus equity", "", "per year"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert compact_display(text) == text
