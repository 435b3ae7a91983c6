"""The vocabulary mappers: free text and source enums -> the model's words."""

from __future__ import annotations

import pytest

from alerts.sources.vocab import employment_type, salary_period, work_model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote, United States", "remote"),
        ("Remote - European Union", "remote"),
        ("Remote Ireland; Remote, Israel", "remote"),
        ("United States (Remote)", "remote"),
        ("Work from home", "remote"),
        ("WFH - Berlin", "remote"),
        ("Hybrid - London", "hybrid"),
        ("London (Hybrid, 2 days remote)", "hybrid"),
        ("London (On-site)", "onsite"),
        ("Onsite", "onsite"),
        ("On site - Paris", "onsite"),
        ("In-office, New York", "onsite"),
        ("Berlin (not remote)", "onsite"),
        ("Non-remote", "onsite"),
        # The source's own values go through the same classifier.
        ("OnSite", "onsite"),
        ("on-site", "onsite"),
        ("on_site", "onsite"),
        ("onsite", "onsite"),
        ("Office-based", "onsite"),
        ("Remote", "remote"),
        ("Hybrid", "hybrid"),
        ("unspecified", "unknown"),
        # Places that merely contain the letters stay unknown.
        ("London", "unknown"),
        ("Office - London", "unknown"),
        ("Remoteville, TX", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
        (42, "unknown"),
        (["Remote"], "unknown"),
    ],
)
def test_work_model_from_text(text: object, expected: str) -> None:
    assert work_model(text) == expected


def test_work_model_takes_the_first_text_that_says_something() -> None:
    assert work_model(None, "London", "Remote") == "remote"
    assert work_model("unspecified", "Hybrid - London", "Remote") == "hybrid"
    assert work_model() == "unknown"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Ashby's enum
        ("FullTime", "full_time"),
        ("PartTime", "part_time"),
        ("Intern", "intern"),
        ("Contract", "contract"),
        ("Temporary", "temporary"),
        # Lever's free text
        ("Full-time", "full_time"),
        ("Full Time", "full_time"),
        ("full_time", "full_time"),
        ("Permanent", "full_time"),
        ("Part-time", "part_time"),
        ("Contract", "contract"),
        ("Contractor", "contract"),
        ("Freelance", "contract"),
        ("Internship", "intern"),
        ("Short Term", "temporary"),
        ("Fixed-term", "temporary"),
        ("Temp", "temporary"),
        # Recruitee's codes glue hours and tenure together.
        ("fulltime_permanent", "full_time"),
        ("fulltime", "full_time"),
        ("parttime_permanent", "part_time"),
        ("parttime_fixed_term", "part_time"),
        ("parttime_minijob", "part_time"),
        ("fulltime_fixed_term", "temporary"),
        ("traineeship", "intern"),
        ("freelance", "contract"),
        # SmartRecruiters' typeOfEmployment ids back up its labels.
        ("permanent", "full_time"),
        ("intern", "intern"),
        # The more specific arrangement wins.
        ("Full-time Internship", "intern"),
        ("Part-time contract", "part_time"),
        ("Temporary contract", "temporary"),
        # International is not an internship.
        ("International", "unknown"),
        ("Volunteer", "unknown"),
        ("", "unknown"),
        (None, "unknown"),
        (3, "unknown"),
    ],
)
def test_employment_type(value: object, expected: str) -> None:
    assert employment_type(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 YEAR", "year"),
        ("1 MONTH", "month"),
        ("1 HOUR", "hour"),
        ("per-year-salary", "year"),
        ("per-month-salary", "month"),
        ("per-hour-wage", "hour"),
        ("annual", "year"),
        ("NONE", None),
        ("2 WEEK", None),
        ("", None),
        (None, None),
    ],
)
def test_salary_period(value: object, expected: str | None) -> None:
    assert salary_period(value) == expected
