"""The model's vocabularies: work model, employment type, salary period.

Each mapper takes a source's own value ("OnSite", "fulltime_permanent",
"per-year-salary") or free text ("Hybrid - London") and answers in the
model's words, "unknown" or None when the text does not say.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from alerts.model import EmploymentType, WorkModel

from .normalize import clean_text, to_float, to_str

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
        model = _work_model_of(words) if words else "unknown"
        if model != "unknown":
            return model
    return "unknown"


# Cached: a board repeats a handful of locations and values thousands of times.
@lru_cache(maxsize=4096)
def _work_model_of(words: str) -> WorkModel:
    # "on_site" (bluedoor, Recruitee) reads like "on site".
    words = words.lower().replace("_", " ")
    for pattern, model in _WORK_MODEL_PATTERNS:
        if pattern.search(words):
            return model
    return "unknown"


# First match wins: the more specific arrangement beats the generic one, so
# "Full-time internship" is an internship and "Part-time contract" part-time.
_EMPLOYMENT_PATTERNS: tuple[tuple[re.Pattern[str], EmploymentType], ...] = (
    (re.compile(r"\bintern(?:ship)?s?\b|\btrainee(?:ship)?\b|\bapprentice(?:ship)?\b"), "intern"),
    # "parttime" and "fulltime": Recruitee's codes glue the words together.
    (re.compile(r"\bpart ?time\b"), "part_time"),
    (re.compile(r"\btemp(?:orary)?\b|\bshort term\b|\bfixed term\b|\bseasonal\b"), "temporary"),
    (re.compile(r"\bcontract(?:or|ors|s)?\b|\bfreelance(?:r)?\b"), "contract"),
    (re.compile(r"\bfull ?time\b|\bpermanent\b|\bregular\b"), "full_time"),
)


def employment_type(value: Any) -> EmploymentType:
    """Map Ashby's enum ("FullTime") or free text ("Full-time", "Permanent",
    "Short Term") onto the model's vocabulary."""
    text = clean_text(value)
    return _employment_of(text) if text else "unknown"


@lru_cache(maxsize=1024)
def _employment_of(text: str) -> EmploymentType:
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
    return _period_of(text) if text else None


@lru_cache(maxsize=1024)
def _period_of(text: str) -> str | None:
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
