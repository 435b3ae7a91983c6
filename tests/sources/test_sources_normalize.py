from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from alerts.sources import board_url
from alerts.sources.failures import display_url
from alerts.sources.normalize import (
    clean_text,
    from_epoch_ms,
    place_text,
    split_place,
    title_text,
    to_bool,
    to_datetime,
    to_float,
    to_str,
)
from alerts.sources.vocab import salary


def test_salary_needs_an_amount() -> None:
    assert salary(None, None, "USD", "1 YEAR") == (None, None, None, None)
    assert salary(100, None, "USD", "1 YEAR") == (100.0, None, "USD", "year")
    assert salary("90,000", "120000.50", " EUR ", None) == (90000.0, 120000.5, "EUR", None)
    assert salary(True, "lots", "USD", "1 YEAR") == (None, None, None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Senior Engineer ", "Senior Engineer"),
        ("R&amp;D Engineer &#8211; Platform", "R&D Engineer \u2013 Platform"),
        ("Line\nbreak\t and  spaces", "Line break and spaces"),
        ("Ingénieur·e logiciel", "Ingénieur·e logiciel"),
        ("\u00a0", None),
        ("", None),
        (None, None),
        (7, "7"),
        (True, None),
        ({"name": "x"}, None),
    ],
)
def test_clean_text(value: object, expected: str | None) -> None:
    assert clean_text(value) == expected


def test_title_text_is_never_none() -> None:
    assert title_text(None) == ""
    assert title_text(" Data &amp; ML ") == "Data & ML"


def test_to_str_keeps_urls_as_they_are() -> None:
    assert to_str(" https://x.example/a?b=1&amp;c ") == "https://x.example/a?b=1&amp;c"
    assert to_str(6136160004) == "6136160004"
    assert to_str([]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1.0),
        (2.5, 2.5),
        ("3", 3.0),
        ("1,000", 1000.0),
        ("x", None),
        (None, None),
        (False, None),
        (float("nan"), None),
        ("Infinity", None),
        (10**400, None),
        ([1], None),
    ],
)
def test_to_float(value: object, expected: float | None) -> None:
    assert to_float(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-08-06T12:50:10-04:00", datetime(2026, 8, 6, 16, 50, 10, tzinfo=UTC)),
        ("2021-04-27T20:13:45.158+00:00", datetime(2021, 4, 27, 20, 13, 45, 158000, tzinfo=UTC)),
        ("2026-01-01T00:00:00Z", datetime(2026, 1, 1, tzinfo=UTC)),
        ("2026-01-01T00:00:00", datetime(2026, 1, 1, tzinfo=UTC)),
        # Recruitee
        ("2026-09-18 12:55:59 UTC", datetime(2026, 9, 18, 12, 55, 59, tzinfo=UTC)),
        # Workable: a date only
        ("2026-09-17", datetime(2026, 9, 17, tzinfo=UTC)),
        # bluedoor, as its pages show it
        ("2026-06-04 13:01:15Z", datetime(2026, 6, 4, 13, 1, 15, tzinfo=UTC)),
        ("2026-06-04T13:01:15.678Z", datetime(2026, 6, 4, 13, 1, 15, 678000, tzinfo=UTC)),
        ("2026-09-18 12:55:59 CEST", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (1779223091267, None),
    ],
)
def test_to_datetime_is_aware_utc(value: object, expected: datetime | None) -> None:
    parsed = to_datetime(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("yes", True),
        ("No", False),
        (" false ", False),
        ("maybe", None),
        (0, None),
        (None, None),
    ],
)
def test_to_bool(value: object, expected: bool | None) -> None:
    assert to_bool(value) is expected


def test_place_text() -> None:
    assert place_text("Austin", "Texas", "United States") == "Austin, Texas, United States"
    assert place_text(None, " Utrecht ", "Utrecht", "") == "Utrecht"
    assert place_text(None, []) is None


def test_from_epoch_ms() -> None:
    assert from_epoch_ms(1779223091267) == datetime(2026, 5, 19, 20, 38, 11, 267000, tzinfo=UTC)
    assert from_epoch_ms("1779223091267") is None
    assert from_epoch_ms(True) is None
    assert from_epoch_ms(10**30) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("London, England, United Kingdom", ("London", "England", "United Kingdom")),
        (" San Francisco , California , United States ", ("San Francisco", "California", "United States")),
        ("New York, NY", (None, None, None)),
        ("Remote", (None, None, None)),
        ("a, , c", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_split_place(text: object, expected: tuple[str | None, ...]) -> None:
    assert split_place(text) == expected


@pytest.mark.parametrize(
    ("base_url", "path", "token", "expected"),
    [
        (
            "https://boards-api.greenhouse.io/v1",
            "/boards/{token}/jobs?content=true",
            "vercel",
            "https://boards-api.greenhouse.io/v1/boards/vercel/jobs?content=true",
        ),
        (
            "https://api.lever.co/v0/",
            "/postings/{token}?mode=json",
            "spotify",
            "https://api.lever.co/v0/postings/spotify?mode=json",
        ),
        (
            "https://{token}.recruitee.com/api",
            "/offers/",
            "channable",
            "https://channable.recruitee.com/api/offers/",
        ),
        # A token can never leave its path segment or start a query.
        (
            "http://h/v1",
            "/boards/{token}/jobs",
            "a b/../c?x=1",
            "http://h/v1/boards/a%20b%2F..%2Fc%3Fx%3D1/jobs",
        ),
    ],
)
def test_board_url(base_url: str, path: str, token: str, expected: str) -> None:
    assert board_url(base_url, path, token) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://boards-api.greenhouse.io/v1/boards/x/jobs?content=true",
            "https://boards-api.greenhouse.io/v1/boards/x/jobs?content=true",
        ),
        ("https://user:hunter2@proxy.example/v1/x", "https://proxy.example/v1/x"),
        ("https://h.example/jobs?api_key=hunter2&page=2", "https://h.example/jobs?api_key=***&page=2"),
        ("http://[::1", "<invalid URL>"),
    ],
)
def test_display_url_hides_secrets(url: str, expected: str) -> None:
    assert display_url(url) == expected
