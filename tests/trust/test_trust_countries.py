"""Issue 10, item 4: one country per posting, whatever the source.

Each source's recorded payload (and, for the kinds that ask for one, its
detail) is edited to a London job (london.py), its country written the way
that source writes it; every normaliser must store "GB", and every way a
user writes the country must find every one of them. Kinds whose source
names no country (Personio's feed, Pinpoint's list) are listed apart: their
London postings are found by their place text.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from london import NO_COUNTRY, SOURCES

from alerts.boards import KINDS
from alerts.config import Subscription
from alerts.filters import matches_posting
from alerts.model import BoardRef, Posting
from alerts.sources import ashby
from alerts.store.engine import make_engine, upgrade

from support import alerts
from trust_support import recorded

LABELS = [row.label for row in SOURCES]


def london(label: str) -> Posting:
    return next(row for row in SOURCES if row.label == label).build()


def test_every_kind_is_in_the_table_or_says_why_not() -> None:
    """A new kind in alerts.boards.KINDS must get a London row, or be listed
    (with its reason) as a kind whose source carries no country."""
    tabled = {row.kind for row in SOURCES}
    assert not tabled & set(NO_COUNTRY), "a kind is both in the table and listed as having no country"
    assert tabled <= set(KINDS) and set(NO_COUNTRY) <= set(KINDS)
    assert all(reason.strip() for reason, _ in NO_COUNTRY.values()), "a kind without a country needs a reason"
    missing = [kind for kind in KINDS if kind not in tabled and kind not in NO_COUNTRY]
    assert missing == [], f"kinds with no London row and no reason: {missing}"


@pytest.mark.parametrize("label", LABELS)
def test_every_source_stores_the_iso_country_code(label: str) -> None:
    posting = london(label)
    assert posting.city in ("London", None)
    assert posting.country == "GB", f"{label} stores {posting.country!r}"


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


def _sub(wanted: dict[str, list[str]]) -> Subscription:
    return Subscription.model_validate({"name": "s", "boards": ["lever:spotify"], **wanted})


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("wanted", FILTERS, ids=lambda f: json.dumps(f))
def test_every_way_of_writing_the_country_finds_every_london_posting(
    wanted: dict[str, list[str]], label: str
) -> None:
    posting = london(label)
    assert matches_posting(_sub(wanted), posting), (
        f"{wanted} misses the {label} posting (country {posting.country!r})"
    )


@pytest.mark.parametrize("wanted", [{"location": ["Germany"]}, {"country": ["DE"]}, {"location": ["US"]}])
def test_another_country_finds_none_of_them(wanted: dict[str, list[str]]) -> None:
    sub = _sub(wanted)
    everything = [*LABELS, *NO_COUNTRY]
    postings = [*map(london, LABELS), *(build() for _, build in NO_COUNTRY.values())]
    assert [name for name, p in zip(everything, postings, strict=True) if matches_posting(sub, p)] == []


@pytest.mark.parametrize("kind", list(NO_COUNTRY))
def test_a_kind_without_a_country_stores_none(kind: str) -> None:
    posting = NO_COUNTRY[kind][1]()
    assert posting.source == kind
    assert posting.country is None, f"{kind} now stores {posting.country!r}: move it into SOURCES"
    assert posting.city == "London"


# A London posting without a country is still found by the words of its
# place text: the city always, the country's name where the text has it.
BY_PLACE_TEXT = [
    ("personio", {"location": ["London"]}),
    ("pinpoint", {"location": ["London"]}),
    ("pinpoint", {"location": ["United Kingdom"]}),
    ("pinpoint", {"country": ["United Kingdom"]}),
]


@pytest.mark.parametrize(
    ("kind", "wanted"), BY_PLACE_TEXT, ids=lambda v: v if isinstance(v, str) else json.dumps(v)
)
def test_a_london_posting_without_a_country_is_found_by_its_place_text(
    kind: str, wanted: dict[str, list[str]]
) -> None:
    posting = NO_COUNTRY[kind][1]()
    assert matches_posting(_sub(wanted), posting), (
        f"{wanted} misses the {kind} posting ({posting.location!r})"
    )


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
