"""Breezy HR: what is special about its list (the contract table covers
fetching and failures for every kind): work models, salary strings, the
company name, and the redirect an unknown name gets."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.model import BoardRef, Posting
from alerts.sources import breezy
from alerts.sources.money import salary_from_text

from sources_support import base_url, drop_fields, fetch_error, run_fetch, set_fields

ACME = BoardRef("breezy", "acme")

# The hand-made board (data/breezy_acme.json).
ACME_RECORDED = [
    Posting(
        source="breezy",
        board_token="acme",
        external_id="a1b2c3d4e5f6",
        title="Account Manager",
        company="Acme Widgets Ltd",
        department="Sales",
        location="Bournemouth, GB",
        city="Bournemouth",
        country="GB",
        work_model="hybrid",  # remote_details says hybrid, though is_remote is true
        employment_type="full_time",
        salary_min=35000.0,
        salary_max=42000.0,
        salary_currency="GBP",
        salary_period="year",
        url="https://acme.breezy.hr/p/a1b2c3d4e5f6-account-manager",
        posted_at=datetime(2026, 9, 20, 10, 15, tzinfo=UTC),
    ),
    Posting(
        source="breezy",
        board_token="acme",
        external_id="b2c3d4e5f6a1",
        title="Support Agent",
        company="Acme Widgets Ltd",
        department=None,
        location="Toronto, ON",
        city="Toronto",
        region="Ontario",
        country="CA",
        work_model="remote",  # remote-location
        employment_type="part_time",
        salary_min=19.35,  # "$19.35+ / hour" in Canada: a minimum, in Canadian dollars
        salary_max=None,
        salary_currency="CAD",
        salary_period="hour",
        url="https://acme.breezy.hr/p/b2c3d4e5f6a1-support-agent",
        posted_at=datetime(2026, 9, 18, 8, 0, tzinfo=UTC),
    ),
    Posting(
        source="breezy",
        board_token="acme",
        external_id="c3d4e5f6a1b2",
        title="Summer Intern",
        company="Acme Widgets Ltd",
        department="Engineering",
        location="New York, NY",
        city="New York",
        region="New York",
        country="US",
        work_model="onsite",  # is_remote false
        employment_type="intern",
        url="https://acme.breezy.hr/p/c3d4e5f6a1b2-summer-intern",  # salary "": none
        posted_at=datetime(2026, 9, 1, 12, 0, tzinfo=UTC),
    ),
]


def test_hand_made_board(payload: Callable[[str], Any]) -> None:
    assert breezy.parse(payload("breezy_acme.json"), ACME) == ACME_RECORDED


def test_the_company_name_is_the_board_name(
    httpserver: HTTPServer, payload_bytes: Callable[[str], bytes]
) -> None:
    httpserver.expect_request("/json").respond_with_data(payload_bytes("breezy_acme.json"))
    snapshot = run_fetch(ACME, base_url(httpserver))
    assert snapshot.board_name == "Acme Widgets Ltd" and len(snapshot.postings) == 3
    httpserver.clear()
    httpserver.expect_request("/json").respond_with_data(b"[]")
    assert run_fetch(ACME, base_url(httpserver)).board_name is None  # an empty board says nothing


def test_an_unknown_name_is_redirected_to_the_marketing_site(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/json").respond_with_data(
        "", status=302, headers={"Location": "https://breezy.hr/"}
    )
    err = fetch_error(ACME, base_url(httpserver))
    assert "no Breezy HR career portal named 'acme'" in str(err)
    assert "redirects to https://breezy.hr/ (Breezy sends names it does not know to its own website)" in str(
        err
    )
    assert err.status == 302 and err.transient is False and len(httpserver.log) == 1


def _location(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda job: job["location"].update(fields)


VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(brand_new={"x": 1}), {}),
    (
        "optional fields missing",
        drop_fields(
            "type", "location", "locations", "department", "salary", "company", "url", "published_date"
        ),
        dict(
            company="acme",
            department=None,
            location=None,
            city=None,
            country=None,
            work_model="unknown",
            employment_type="unknown",
            salary_min=None,
            salary_max=None,
            salary_currency=None,
            salary_period=None,
            url=None,
            posted_at=None,
        ),
    ),
    (
        "several places, the primary first",
        set_fields(locations=[{"name": "Poole, GB"}, {"name": "Bournemouth, GB"}]),
        dict(location="Bournemouth, GB; Poole, GB"),
    ),
    (
        "type name unknown, id known",
        set_fields(type={"id": "partTime", "name": "Teilzeit"}),
        dict(employment_type="part_time"),
    ),
    ("type Other", set_fields(type={"id": "other", "name": "Other"}), dict(employment_type="unknown")),
    ("type perDiem", set_fields(type={"id": "perDiem", "name": "Per Diem"}), dict(employment_type="unknown")),
    (
        "salary unreadable",
        set_fields(salary="Competitive"),
        dict(salary_min=None, salary_max=None, salary_currency=None, salary_period=None),
    ),
    ("no remote_details, is_remote true", _location(remote_details=None), dict(work_model="remote")),
    ("remote-anywhere", _location(remote_details={"value": "remote-anywhere"}), dict(work_model="remote")),
    ("friendly_id changes, the id does not", set_fields(friendly_id="a1b2c3d4e5f6-renamed"), {}),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    payload: Callable[[str], Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    job = copy.deepcopy(payload("breezy_acme.json")[0])
    edit(job)
    [posting] = breezy.parse([job], ACME)
    assert posting == replace(ACME_RECORDED[0], **changes)
    assert posting.raw is job


# text, the position's country, (min, max, currency, period)
SALARIES = [
    ("$0.05 – $0.06 / hour", "US", (0.05, 0.06, "USD", "hour")),
    ("$1 – $5 / year", "US", (1.0, 5.0, "USD", "year")),
    ("$19 – $20 / hour", "MX", (19.0, 20.0, "MXN", "hour")),
    ("$19.35+ / hour", "CA", (19.35, None, "CAD", "hour")),
    ("$5.00 – $6.50 / hour", "AU", (5.0, 6.5, "AUD", "hour")),
    ("RD$210 – RD$300 / hour", "DO", (210.0, 300.0, "DOP", "hour")),
    ("£35,000 – £42,000 / year", "GB", (35000.0, 42000.0, "GBP", "year")),
    ("€3,000 - €3,500 / month", "IE", (3000.0, 3500.0, "EUR", "month")),
    ("R$ 5.000 / month", "BR", (5000.0, None, "BRL", "month")),  # a dot for thousands
    ("€2.500,50 – €3.000 / month", "DE", (2500.5, 3000.0, "EUR", "month")),
    ("€19,35 / hour", "DE", (19.35, None, "EUR", "hour")),
    ("$1,2,3 / hour", "US", (None, None, None, None)),  # separators that say nothing
    ("USD 50,000 - 60,000 per year", None, (50000.0, 60000.0, "USD", "year")),
    ("$50k - $60k / year", "US", (50000.0, 60000.0, "USD", "year")),
    # A bare $ outside the dollar countries: the amount, no currency.
    ("$100 / day", "FR", (100.0, None, None, "day")),
    ("$1 / fortnight", "US", (None, None, None, None)),  # a period the model cannot say
    ("", "US", (None, None, None, None)),
    ("Competitive", "US", (None, None, None, None)),
    (None, None, (None, None, None, None)),
]


@pytest.mark.parametrize(("text", "country", "expected"), SALARIES)
def test_salary_text(text: str | None, country: str | None, expected: tuple[Any, ...]) -> None:
    assert salary_from_text(text, country) == expected
