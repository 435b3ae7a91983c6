"""What is open now and what happened, as the commands show it: `alerts
jobs` in its three formats, `status` (MATCH/OPEN, a short health cell,
JSON), `history` (company, where each event went, JSON), times in
`[display] timezone`; and the store's read-only views on SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from alerts.service.matches import matched_events, open_counts, open_matches
from alerts.store import Store

from support import alerts
from web_support import HOSTILE, seed

NEWEST_FIRST = ["Backend Engineer", HOSTILE, "Finance Manager", "Data Engineer", "Senior Platform Engineer"]


def jobs(world, *args: str) -> str:
    result = alerts("jobs", "--config", str(world.path), *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def world(tmp_path):
    return seed(tmp_path)


def test_jobs_as_a_table(world):
    lines = jobs(world).splitlines()
    assert lines[0].split() == ["AGE", "COMPANY", "TITLE", "LOCATION", "WORK", "MODEL", "SALARY", "LINK"]
    assert lines[1].split()[:3] == ["3d", "Globex", "Backend"]
    assert re.match(r"10d\*\s+Acme Corp\s+<img src=x onerror=alert\(1\)> Engineer", lines[2])
    assert "GBP 90,000-120,000 per year" in lines[5] and lines[5].startswith("30d ")
    assert lines[5].endswith("https://jobs.example.com/acme/a1")
    assert lines[-1] == "* first seen by alerts then; the source gives no date"
    assert len(lines) == 7


def test_jobs_as_json(world):
    records = json.loads(jobs(world, "--format", "json"))
    assert [r["title"] for r in records] == NEWEST_FIRST
    top = records[0]
    assert top["company"] == "Globex" and top["work_model"] == "remote" and top["age"] == "3d"
    assert top["age_from"] == "posted" and top["subscriptions"] == ["engineering"]
    assert datetime.fromisoformat(top["posted_at"]) == world.now - timedelta(days=3)
    first_seen = records[2]
    assert first_seen["age_from"] == "first_seen" and first_seen["posted_at"] is None
    assert first_seen["subscriptions"] == ["finance"]
    assert records[4]["salary_min"] == 90000 and records[4]["salary_currency"] == "GBP"


def test_jobs_as_csv(world):
    rows = list(csv.DictReader(io.StringIO(jobs(world, "--format", "csv"), newline="")))
    assert [r["title"] for r in rows] == NEWEST_FIRST
    assert rows[4]["location"] == "London, UK"  # the comma is quoted, not a new column
    assert rows[4]["salary"] == "GBP 90,000-120,000 per year"
    assert rows[0]["url"] == "https://jobs.example.com/globex/g2"
    assert rows[0]["posted_at"] and rows[1]["posted_at"] == ""


def test_jobs_filters(world):
    from click.testing import CliRunner

    from alerts.cli import main

    def titles(*args: str) -> list[str]:
        # In-process (the formats above run as a user runs them): six runs in well under a second.
        result = CliRunner().invoke(main, ["jobs", "--config", str(world.path), "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return [r["title"] for r in json.loads(result.stdout)]

    assert titles("--subscription", "finance") == ["Finance Manager"]
    assert titles("--subscription", "engineering", "--company", "acme") == [
        HOSTILE,
        "Senior Platform Engineer",
    ]
    assert titles("--company", "GLOBEX") == ["Backend Engineer", "Data Engineer"]
    assert titles("--since", "7d") == ["Backend Engineer"]
    assert titles("--company", "initech") == []
    assert jobs(world, "--company", "initech") == "no open postings match\n"
    assert jobs(world, "--company", "initech", "--format", "csv").splitlines()[0].startswith("company,title,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--subscription", "nope"],
            "error: --subscription: no subscription 'nope'; defined: engineering, finance",
        ),
        (["--since", "soon"], "error: --since: expected a duration like"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_jobs_errors_are_one_clear_line(world, args, message):
    result = alerts("jobs", "--config", str(world.path), *args)
    assert result.returncode != 0 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_spreadsheet_formula_in_a_title_stays_text(tmp_path):
    from alerts.cli.jobs import _cell

    assert _cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _cell("@SUM(1)") == "'@SUM(1)" and _cell("Engineer") == "Engineer" and _cell(None) == ""
    assert _cell(["a", "b"]) == "a;b"


def test_status_counts_what_matches_and_keeps_the_health_short(world):
    result = alerts("status", "--config", str(world.path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["BOARD", "MATCH/OPEN", "LAST SUCCESS", "NEXT POLL", "HEALTH"]
    acme = re.split(r"\s{2,}", lines[1])
    assert acme[:2] == ["greenhouse:acme", "3/4"] and acme[-1] == "ok"  # Office Manager matches nobody
    assert re.split(r"\s{2,}", lines[2])[:2] == ["lever:globex", "2/2"]


def test_status_short_and_long_health(world):
    store = Store(world.url)
    try:
        from alerts.errors import SourceError
        from alerts.model import BoardRef

        long = "board not found: lever answered that there is no board 'globex' " + "(details) " * 8
        error = SourceError("lever:globex", long, status=None)
        store.boards.record_failure(BoardRef("lever", "globex"), error, world.now)
    finally:
        store.close()
    short = alerts("status", "--config", str(world.path)).stdout
    row = next(line for line in short.splitlines() if line.startswith("lever:globex"))
    health = re.split(r"\s{2,}", row)[-1]
    assert health.startswith("failing x1: board not found") and health.endswith("...") and len(health) < 60
    verbose = alerts("status", "-v", "--config", str(world.path)).stdout
    row = next(line for line in verbose.splitlines() if line.startswith("lever:globex"))
    assert "(details) (details)" in row


def test_status_says_since_when_and_why_a_board_is_incomplete(world):
    from alerts.model import BoardRef, Posting

    board = BoardRef("lever", "globex")
    why = "Workday lists at most 2,000 postings at a time; this board has about 2,750; no posting is counted missing"
    store = Store(world.url)
    try:
        posting = Posting("lever", "globex", "x1", "Engineer", company="Globex")
        for minutes in (0, 15):  # incomplete twice: since the first
            later = world.now + timedelta(minutes=minutes)
            store.snapshots.apply(
                board,
                [posting],
                close_after_misses=2,
                now=later,
                route=lambda e, b: {},
                complete=False,
                incomplete=why,
            )
    finally:
        store.close()
    short = alerts("status", "--config", str(world.path)).stdout
    row = next(line for line in short.splitlines() if line.startswith("lever:globex"))
    assert re.split(r"\s{2,}", row)[-1].startswith("incomplete: Workday lists at most")
    verbose = alerts("status", "-v", "--config", str(world.path)).stdout
    row = next(line for line in verbose.splitlines() if line.startswith("lever:globex"))
    assert f"incomplete since {world.now:%Y-%m-%d %H:%M}" in row and "about 2,750" in row
    data = json.loads(alerts("status", "--config", str(world.path), "--format", "json").stdout)
    [globex] = [b for b in data["boards"] if b["board"] == "lever:globex"]
    assert globex["health"] == "incomplete" and globex["incomplete_why"] == why
    assert globex["incomplete_since"].startswith(f"{world.now:%Y-%m-%dT%H:%M}")
    store = Store(world.url)
    try:  # a complete snapshot clears it
        store.snapshots.apply(board, [posting], close_after_misses=2, now=world.now, route=lambda e, b: {})
    finally:
        store.close()
    data = json.loads(alerts("status", "--config", str(world.path), "--format", "json").stdout)
    [globex] = [b for b in data["boards"] if b["board"] == "lever:globex"]
    assert globex["health"] == "ok" and globex["incomplete_since"] is None


def test_status_as_json(world):
    result = alerts("status", "--config", str(world.path), "--format", "json")
    data = json.loads(result.stdout)
    assert data["timezone"] == "UTC"
    acme = data["boards"][0]
    assert acme["board"] == "greenhouse:acme" and (acme["matching"], acme["open"]) == (3, 4)
    assert acme["health"] == "ok" and acme["last_error"] is None
    assert datetime.fromisoformat(acme["last_success_at"]) == world.now - timedelta(days=2)
    (channel,) = data["channels"]
    assert channel["channel"] == "me" and channel["mode"] == "instant"
    assert (channel["pending"], channel["sent"], channel["dead"]) == (1, 5, 0)


def test_history_shows_company_and_where_each_event_went(world):
    result = alerts("history", "--config", str(world.path), "--since", "30d")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["WHEN", "BOARD", "EVENT", "POSTING"]
    assert lines[1].split()[4:] == ["reopened", "Globex:", "Data", "Engineer", "[waiting:", "me]"]
    assert lines[2].endswith("closed    Globex: Data Engineer [sent: me]")
    office = next(line for line in lines if "Office Manager" in line)
    assert office.endswith("Acme Corp: Office Manager [not delivered]")
    assert "title: Platform Engineer -> Senior Platform Engineer" in lines[3]


def test_history_as_json(world):
    data = json.loads(
        alerts("history", "--config", str(world.path), "--since", "30d", "--format", "json").stdout
    )
    assert [e["event"] for e in data] == [
        "reopened",
        "closed",
        "updated",
        "opened",
        "opened",
        "opened",
        "opened",
    ]
    assert data[0]["company"] == "Globex" and data[0]["delivered"] is False
    assert data[0]["deliveries"] == [{"channel": "me", "status": "pending"}]
    assert data[1]["delivered"] is True
    assert data[2]["changes"] == {"title": ["Platform Engineer", "Senior Platform Engineer"]}


def test_times_in_the_display_time_zone(tmp_path):
    world = seed(tmp_path, zone="America/New_York")
    lines = alerts("history", "--config", str(world.path), "--since", "30d").stdout.splitlines()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T ", lines[1]), lines[1]
    local = world.now.astimezone(timezone(timedelta(hours=-5 if "EST" in lines[1] else -4)))
    assert lines[1].startswith((local - timedelta(days=2)).strftime("%Y-%m-%d %H:%M"))
    status = alerts("status", "--config", str(world.path)).stdout
    assert " E" in status.splitlines()[1] and "UTC" not in status.splitlines()[1]
    record = json.loads(alerts("jobs", "--config", str(world.path), "--format", "json").stdout)[0]
    assert record["first_seen_at"].endswith(("-05:00", "-04:00"))


def test_a_bad_display_time_zone_is_named(tmp_path):
    world = seed(tmp_path)
    world.path.write_text(world.path.read_text().replace('timezone = "UTC"', 'timezone = "Mars/Olympus"'))
    result = alerts("jobs", "--config", str(world.path))
    assert result.returncode == 1
    assert "display.timezone: expected an IANA time zone" in result.stderr


def test_views_on_both_databases(tmp_path, database_url):
    world = seed(tmp_path, url=database_url)
    store = Store(world.url)
    try:
        found = open_matches(world.config, store, now=world.now)
        assert [m.open.posting.title for m in found] == NEWEST_FIRST
        events = matched_events(
            world.config, store, subscription="engineering", limit=3, with_deliveries=True
        )
        assert [(e.kind, e.posting.title) for e, _ in events] == [
            ("reopened", "Data Engineer"),
            ("closed", "Data Engineer"),
            ("updated", "Senior Platform Engineer"),
        ]
        assert events[0][0].deliveries == (("me", "pending"),)
        assert open_counts(world.config, store, ["greenhouse:acme", "lever:globex"]) == {
            "greenhouse:acme": (3, 4),
            "lever:globex": (2, 2),
        }
        life = store.views.posting_life("lever:globex", "g1")
        assert life is not None and life.state == "open"
        assert [e.kind for e in life.events] == ["closed", "reopened"]
        spans = store.views.open_spans()
        assert sorted(s.company for s in spans) == ["Acme Corp"] * 4 + ["Globex"] * 2
        (g1,) = [
            s for s in spans if s.company == "Globex" and s.first_seen_at == world.now - timedelta(days=20)
        ]
        assert [kind for _, kind in g1.changes] == ["closed", "reopened"] and g1.board_key == "lever:globex"
        assert store.views.posting_life("lever:globex", "nope") is None
    finally:
        store.close()
