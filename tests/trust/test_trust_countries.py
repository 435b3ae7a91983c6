"""Issue 10, item 4: one country per posting, whatever the source.

Each source's recorded payload is edited to a London job, its country
written the way that source writes it; every normaliser must store "GB",
and every way a user writes the country must find every one of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from alerts.boards import bluedoor_token
from alerts.config import Subscription
from alerts.filters import matches_posting
from alerts.model import BoardRef, Posting
from alerts.sources import (
    ashby,
    bluedoor,
    breezy,
    greenhouse,
    lever,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
)
from alerts.store.engine import make_engine, upgrade

from trust_support import alerts, recorded


def _lever(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    job = jobs[0]
    job["categories"].update(location="London", allLocations=["London"])
    job["country"] = "GB"
    return [job]


def _smartrecruiters(page: dict[str, Any]) -> dict[str, Any]:
    job = page["content"][0]
    job["location"] = {
        "city": "London",
        "region": None,
        "country": "gb",
        "remote": False,
        "hybrid": False,
        "fullLocation": "London",
    }
    return {**page, "totalFound": 1, "content": [job]}


def _greenhouse(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job["location"] = {"name": "London"}
    job["offices"] = [{"id": 1, "name": "London", "location": "London, England, United Kingdom"}]
    return {"jobs": [job]}


def _recruitee(board: dict[str, Any]) -> dict[str, Any]:
    offer = board["offers"][0]
    offer.update(city="London", state_name=None, state_code=None, country="United Kingdom", location="London")
    return {"offers": [offer]}


def _workable(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job.update(city="London", state="England", country="United Kingdom")
    job["locations"] = [
        {
            "country": "United Kingdom",
            "countryCode": "GB",
            "city": "London",
            "region": "England",
            "hidden": False,
        }
    ]
    return {**board, "jobs": [job]}


def _ashby(board: dict[str, Any]) -> dict[str, Any]:
    job = board["jobs"][0]
    job["location"] = "London"
    job["address"] = {"postalAddress": {"addressLocality": "London", "addressCountry": "United Kingdom"}}
    return {**board, "jobs": [job]}


def _breezy(positions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    position = positions[0]
    position["location"] = {
        "country": {"name": "United Kingdom", "id": "gb"},
        "city": "London",
        "primary": True,
        "is_remote": False,
        "name": "London",
    }
    position["locations"] = [position["location"]]
    return [position]


def _teamtailor(feed: dict[str, Any]) -> dict[str, Any]:
    item = feed["items"][0]
    address = {"@type": "PostalAddress", "addressLocality": "London", "addressCountry": "United Kingdom"}
    item["_jobposting"]["jobLocation"] = [{"@type": "Place", "address": address}]
    return {**feed, "items": [item]}


def _bluedoor(record: dict[str, Any]) -> dict[str, Any]:
    record.update(location_text="London", city="London", region="England", country="United Kingdom")
    return {"data": [record], "next_cursor": None}


Parse = Callable[[Any, BoardRef], list[Posting]]
BLUEDOOR = BoardRef("bluedoor", bluedoor_token(["OpenAI"], [], []))

# kind, its parse, its recorded payload, the edit to London, the board
SOURCES: list[tuple[str, Parse, str, Callable[[Any], Any], BoardRef]] = [
    ("lever", lever.parse, "lever_spotify.json", _lever, BoardRef("lever", "spotify")),
    ("lever-eu", lever.parse_eu, "lever_spotify.json", _lever, BoardRef("lever-eu", "spotify")),
    (
        "smartrecruiters",
        smartrecruiters.parse,
        "smartrecruiters_ubisoft2.json",
        _smartrecruiters,
        BoardRef("smartrecruiters", "Ubisoft2"),
    ),
    ("greenhouse", greenhouse.parse, "greenhouse_vercel.json", _greenhouse, BoardRef("greenhouse", "vercel")),
    (
        "recruitee",
        recruitee.parse,
        "recruitee_channable.json",
        _recruitee,
        BoardRef("recruitee", "channable"),
    ),
    ("workable", workable.parse, "workable_huckberry.json", _workable, BoardRef("workable", "huckberry")),
    ("ashby", ashby.parse, "ashby_linear.json", _ashby, BoardRef("ashby", "linear")),
    ("bluedoor", bluedoor.parse, "bluedoor_seed_record.json", _bluedoor, BLUEDOOR),
    ("breezy", breezy.parse, "breezy_breezy.json", _breezy, BoardRef("breezy", "breezy")),
    ("teamtailor", teamtailor.parse, "teamtailor_career.json", _teamtailor, BoardRef("teamtailor", "career")),
]
KINDS = [row[0] for row in SOURCES]


def london(kind: str) -> Posting:
    _, parse, name, edit, board = next(row for row in SOURCES if row[0] == kind)
    [posting] = parse(edit(recorded(name)), board)
    return posting


@pytest.mark.parametrize("kind", KINDS)
def test_every_source_stores_the_iso_country_code(kind: str) -> None:
    posting = london(kind)
    assert posting.city in ("London", None)
    assert posting.country == "GB", f"{kind} stores {posting.country!r}"


def test_a_continent_is_not_a_country() -> None:
    """Linear's recorded Ashby job says addressCountry "European Union"."""
    posting = ashby.parse(recorded("ashby_linear.json"), BoardRef("ashby", "linear"))[0]
    assert posting.location == "Europe"
    assert posting.country is None


FILTERS = [
    {"location": ["United Kingdom"]},
    {"location": ["UK"]},
    {"location": ["GB"]},
    {"location": ["united kingdom"]},
    {"country": ["GB"]},
    {"country": ["United Kingdom"]},
    {"country": ["uk"]},
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("wanted", FILTERS, ids=lambda f: json.dumps(f))
def test_every_way_of_writing_the_country_finds_every_london_posting(
    wanted: dict[str, list[str]], kind: str
) -> None:
    posting = london(kind)
    sub = Subscription.model_validate({"name": "uk", "boards": ["lever:spotify"], **wanted})
    assert matches_posting(sub, posting), f"{wanted} misses the {kind} posting (country {posting.country!r})"


@pytest.mark.parametrize("wanted", [{"location": ["Germany"]}, {"country": ["DE"]}, {"location": ["US"]}])
def test_another_country_finds_none_of_them(wanted: dict[str, list[str]]) -> None:
    sub = Subscription.model_validate({"name": "de", "boards": ["lever:spotify"], **wanted})
    assert [kind for kind in KINDS if matches_posting(sub, london(kind))] == []


# --- stored postings ---------------------------------------------------------

# A Greenhouse posting as today's code stores it (migration 0006): the
# country as the office location wrote it.
STORED = {
    "source": "greenhouse",
    "board": "acme",
    "external_id": "101",
    "title": "Account Executive",
    "company": "Acme",
    "department": None,
    "team": None,
    "location": "London",
    "city": "London",
    "region": "England",
    "country": "United Kingdom",
    "work_model": "unknown",
    "employment_type": "unknown",
    "salary_min": None,
    "salary_max": None,
    "salary_currency": None,
    "salary_period": None,
    "url": "https://example.com/jobs/101",
    "apply_url": None,
    "posted_at": None,
    "updated_at": None,
    "active": True,
    "same_as": None,
}


def test_stored_countries_are_migrated(tmp_path: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0006")  # the schema before the fix
        now = datetime(2026, 11, 1, tzinfo=timezone.utc)
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO boards (key, source, token, baselined, created_at, consecutive_failures) "
                    "VALUES ('greenhouse:acme', 'greenhouse', 'acme', :yes, :now, 0)"
                ),
                {"yes": True, "now": now},
            )
            board_id = conn.execute(sa.text("SELECT id FROM boards")).scalar_one()
            conn.execute(
                sa.text(
                    "INSERT INTO postings (board_id, external_id, state, misses, content_hash, data, "
                    "first_seen_at, changed_at) VALUES (:board, '101', 'open', 0, 'x', :data, :now, :now)"
                ),
                {"board": board_id, "data": json.dumps(STORED), "now": now},
            )
    finally:
        engine.dispose()
    config = tmp_path / "alerts.toml"
    config.write_text(
        f'[database]\nurl = "{database_url}"\n\n[channels.out]\nurl = "console://"\n\n'
        '[[subscriptions]]\nname = "s"\nboards = ["greenhouse:acme"]\nchannels = ["out"]\n'
    )
    result = alerts("db", "upgrade", "--config", str(config))
    assert result.returncode == 0, result.stderr
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            data = conn.execute(sa.text("SELECT data FROM postings")).scalar_one()
    finally:
        engine.dispose()
    data = json.loads(data) if isinstance(data, str) else data
    assert data["country"] == "GB", f"the stored posting still says {data['country']!r}"
