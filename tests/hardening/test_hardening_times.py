"""Review finding (trust-a 4), times from outside: a date in the future is
never stored as is (a little ahead, a skewed clock, is the poll's time;
far ahead, such as 2999, is no date), nor one before 1990. One place
(sources/bounds.py) for every kind."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hardening_support import RawServer, greenhouse_body, greenhouse_job, respond, write_config
from support import alerts


def test_future_and_absurd_times_are_bounded_at_the_poll(tmp_path):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    jobs = [
        greenhouse_job(1, "Far Future", first_published="2999-01-01T00:00:00Z", updated_at="2999-01-01"),
        greenhouse_job(2, "Skewed Clock", first_published=tomorrow, updated_at=tomorrow),
        greenhouse_job(3, "Epoch Zero", first_published="1970-01-01T00:00:00Z", updated_at="1985-06-01"),
        greenhouse_job(4, "Honest", first_published="2026-01-05T10:00:00Z"),
    ]
    with RawServer(respond(greenhouse_body(*jobs))) as board:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "{board.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "recent"
boards = ["greenhouse:acme"]
channels = ["term"]
posted_within = "7d"
""",
        )
        before = datetime.now(UTC)
        result = alerts("run", "--once", "--config", str(config))
        after = datetime.now(UTC)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    listed = alerts("jobs", "--format", "json", "--config", str(config))
    assert listed.returncode == 0, listed.stderr
    records = {r["title"]: r for r in json.loads(listed.stdout)}
    # posted_within = "7d": the far-future and the epoch ones count from first
    # sight (today), the skewed one from the poll; the honest one is too old.
    assert set(records) == {"Far Future", "Skewed Clock", "Epoch Zero"}, listed.stdout
    assert records["Far Future"]["posted_at"] is None and records["Far Future"]["age_from"] == "first_seen"
    assert records["Epoch Zero"]["posted_at"] is None
    skewed = datetime.fromisoformat(records["Skewed Clock"]["posted_at"])
    assert before - timedelta(seconds=1) <= skewed <= after + timedelta(seconds=1), records["Skewed Clock"]
    for record in records.values():
        assert not record["age"].startswith("-") and "in " not in record["age"], record
