"""Review trust-b item 4: an `updated` event reaches a subscription when the
posting matched its filters before the change or after it, and
`posted_within` filters only `opened` and `reopened`."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from alerts.config import Subscription, load_config
from alerts.cycle import Cycle
from alerts.filters import before_update, matches_event
from alerts.model import Event, Posting, diff_tracked
from alerts.sources import make_client
from alerts.store import Store

from support import Hook

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
BOARD = "greenhouse:acme"
BEFORE = Posting(
    "greenhouse",
    "acme",
    "1",
    "Billing Lead",
    company="Acme",
    location="London, UK",
    city="London",
    country="GB",
    work_model="hybrid",
    salary_min=150_000.0,
    salary_max=180_000.0,
    salary_currency="USD",
    salary_period="year",
    posted_at=NOW - timedelta(days=200),
)


def sub(**filters) -> Subscription:  # type: ignore[no-untyped-def]
    return Subscription(name="s", boards=[BOARD], channels=["c"], **filters)


def updated(**after) -> Event:  # type: ignore[no-untyped-def]
    new = replace(BEFORE, **after)
    return Event(
        "updated", BOARD, "1", new, diff_tracked(BEFORE, new), NOW, first_seen_at=NOW - timedelta(days=200)
    )


@pytest.mark.parametrize(
    ("filters", "change", "expected"),
    [
        # Matched before, not after: said, so nobody keeps believing the old values.
        ({"salary_min": 120_000}, {"salary_min": 80_000.0, "salary_max": 90_000.0}, True),
        ({"salary_currency": "USD"}, {"salary_currency": "EUR"}, True),
        ({"location": ["London"]}, {"location": "Berlin, Germany", "city": "Berlin", "country": "DE"}, True),
        ({"country": ["UK"]}, {"location": "Berlin, Germany", "city": "Berlin", "country": "DE"}, True),
        ({"work_model": ["hybrid"]}, {"work_model": "remote"}, True),
        ({"title": {"include": ["billing"]}}, {"title": "Payments Lead"}, True),
        # Not before, matched after.
        ({"salary_min": 170_000}, {"salary_min": 180_000.0, "salary_max": 200_000.0}, True),
        ({"location": ["Berlin"]}, {"location": "Berlin, Germany", "city": "Berlin", "country": "DE"}, True),
        # Neither before nor after.
        ({"salary_min": 500_000}, {"salary_min": 80_000.0, "salary_max": 90_000.0}, False),
        ({"location": ["Paris"]}, {"location": "Berlin, Germany", "city": "Berlin", "country": "DE"}, False),
        ({"country": ["US"]}, {"location": "Berlin, Germany", "city": "Berlin", "country": "DE"}, False),
        # An old posting's update reaches a posted_within subscription.
        ({"posted_within": "7d"}, {"title": "Billing Lead II"}, True),
        ({"posted_within": "7d", "location": ["Paris"]}, {"title": "Billing Lead II"}, False),
    ],
)
def test_an_update_matches_before_or_after(filters, change, expected) -> None:  # type: ignore[no-untyped-def]
    assert matches_event(sub(**filters), updated(**change), BOARD) is expected


def test_the_posting_before_an_update_is_read_back_from_its_changes() -> None:
    event = updated(
        salary_min=80_000.0, salary_max=None, salary_currency="EUR", salary_period="month", title="X"
    )
    before = before_update(event)
    assert (before.title, before.salary_min, before.salary_max) == ("Billing Lead", 150_000.0, 180_000.0)
    assert (before.salary_currency, before.salary_period) == ("USD", "year")
    moved = before_update(updated(location="Berlin, Germany", city="Berlin", country="DE"))
    assert (moved.location, moved.city, moved.country) == ("London, UK", None, "GB")
    unpaid = before_update(Event("updated", BOARD, "1", BEFORE, {"salary": [None, BEFORE.salary]}, NOW))
    assert unpaid.salary_min is None and unpaid.salary_currency is None


def test_posted_within_filters_only_openings() -> None:
    recent = sub(posted_within="7d")
    old = dict(occurred_at=NOW, first_seen_at=NOW - timedelta(days=200))
    assert not matches_event(recent, Event("opened", BOARD, "1", BEFORE, **old), BOARD)
    assert not matches_event(recent, Event("reopened", BOARD, "1", BEFORE, **old), BOARD)
    assert matches_event(recent, Event("closed", BOARD, "1", BEFORE, **old), BOARD)
    # A closed posting is matched as last seen, never by an earlier state.
    assert not matches_event(sub(location=["Paris"]), Event("closed", BOARD, "1", BEFORE, **old), BOARD)


def _board(location: str) -> dict:  # type: ignore[type-arg]
    return {
        "jobs": [
            {
                "id": 1,
                "title": "Billing Lead",
                "location": {"name": location},
                "absolute_url": "https://jobs.example.com/acme/1",
                "first_published": "2025-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z",
            }
        ]
    }


def test_a_move_out_of_the_location_is_delivered_over_a_real_cycle(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    hook = Hook(httpserver)
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""[database]
url = "sqlite:///{tmp_path / "alerts.db"}"
[sources.greenhouse]
base_url = "http://127.0.0.1:{httpserver.port}/gh"
[channels.hook]
url = "{hook.url}"
[[subscriptions]]
name = "london"
boards = ["{BOARD}"]
location = ["London"]
posted_within = "7d"
channels = ["hook"]
"""
    )
    config = load_config(path)
    store = Store(config.database.url)

    async def cycle() -> None:
        async with make_client(timeout_seconds=5) as client:
            run = Cycle(config, store, client)
            await run.prepare()
            await run.run_once()

    try:
        for place in ("London, UK", "Berlin, Germany"):
            httpserver.clear_all_handlers()
            hook = Hook(httpserver)
            httpserver.expect_request("/gh/boards/acme/jobs").respond_with_json(_board(place))
            asyncio.run(cycle())
    finally:
        store.close()
    # The baseline says nothing; the move out of London is said, old and new.
    [message] = hook.received
    assert "Billing Lead" in message["message"] and "London, UK" in message["message"]
    assert "Berlin, Germany" in json.dumps(message)


def _lever(place: str, country: str) -> list:  # type: ignore[type-arg]
    return [
        {
            "id": "2193db3f",
            "text": "Android Engineer",
            "categories": {"location": place, "team": "Experience"},
            "country": country,
            "hostedUrl": "https://jobs.lever.co/spotify/2193db3f",
            "createdAt": 1750000000000,
        }
    ]


def test_a_move_out_of_a_country_the_source_gave_beside_a_city_is_delivered(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    # Lever (real Spotify data): "London" with country "GB". The old text
    # names no country, but the subscription was told of the job in the UK.
    hook = Hook(httpserver)
    path = tmp_path / "alerts.toml"
    path.write_text(
        f"""[database]
url = "sqlite:///{tmp_path / "alerts.db"}"
[sources.lever]
base_url = "http://127.0.0.1:{httpserver.port}/lever"
[channels.hook]
url = "{hook.url}"
[[subscriptions]]
name = "uk"
boards = ["lever:spotify"]
country = ["UK"]
channels = ["hook"]
"""
    )
    config = load_config(path)
    store = Store(config.database.url)

    async def cycle() -> None:
        async with make_client(timeout_seconds=5) as client:
            run = Cycle(config, store, client)
            await run.prepare()
            await run.run_once()

    try:
        for place, country in (("London", "GB"), ("Stockholm", "SE")):
            httpserver.clear_all_handlers()
            hook = Hook(httpserver)
            httpserver.expect_request("/lever/postings/spotify").respond_with_json(_lever(place, country))
            asyncio.run(cycle())
    finally:
        store.close()
    [message] = hook.received
    assert "London" in json.dumps(message) and "Stockholm" in json.dumps(message)


def test_a_posting_stored_without_a_country_is_placed_by_its_old_text() -> None:
    # Stored before countries came from place text: the posting reconcile
    # compares has none, but "London, UK" says it.
    stored = replace(BEFORE, country=None)
    new = replace(BEFORE, location="Berlin, Germany", city="Berlin", country="DE")
    event = Event("updated", BOARD, "1", new, diff_tracked(stored, new), NOW, before=stored)
    assert matches_event(sub(country=["United Kingdom"]), event, BOARD)
