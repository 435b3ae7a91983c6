"""Reposts along a chain, and where they show: every age from the chain's
first posting (messages, `alerts jobs`, the web page), `alerts history` and
the web page marking a repost, the key across source kinds and departments,
two new ids for one earlier job (tests/repost_world.py: real cycles)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_httpserver import HTTPServer
from repost_world import T0, job, worlds

from alerts.service.matches import open_matches
from alerts.service.web.pages import index, posting_page

from support import alerts


@pytest.fixture
def world(httpserver: HTTPServer, tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    yield from worlds(httpserver, tmp_path, database_url)


FIRST = T0 - timedelta(days=90)  # the first posting's own date, from the source


def test_every_age_of_a_twice_reposted_job_counts_from_its_first_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("first", created=FIRST), job("other", 1)])
    w.cycle(days=20, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=5, jobs=[job("second", created=w.now + timedelta(days=5)), job("other", 1)])
    (message,) = w.take()  # the second posting is dated today: the job is 115 days old
    assert "REPOSTED" in message and "posted 3 months ago" in message and "just now" not in message
    w.cycle(days=10, jobs=[job("other", 1)])
    (closed,) = w.take()
    assert "posted 4 months ago" in closed  # 125 days, not the second posting's 10
    third = job("third", created=w.now + timedelta(days=10))
    w.cycle(days=10, jobs=[third, job("other", 1)])  # "first" closed 25 days ago: only "second" in reach
    (message,) = w.take()
    assert "earlier: https://jobs.lever.co/acme/second" in message
    assert "open 45 days in total" in message and "posted 4 months ago" in message
    changed = {**third, "workplaceType": "remote"}
    w.cycle(days=1, jobs=[changed, job("other", 1)])
    (updated,) = w.take()
    assert updated.startswith("1 updated: acme") and "posted 4 months ago" in updated

    (match,) = [m for m in open_matches(w.config, w.store, now=w.now) if m.open.external_id == "third"]
    assert match.since == FIRST and match.dated_by_source
    status, page = posting_page(w.config, w.store, {"board": "lever:acme", "id": "third"}, w.now)
    text = page.decode()
    assert status == "200 OK" and "(4mo ago)" in text and 'id="reposts"' in text
    assert "/posting?board=lever%3Aacme&amp;id=second" in text
    listed = alerts("jobs", "--config", str(w.path), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    (record,) = [r for r in json.loads(listed.stdout) if r["external_id"] == "third"]
    assert record["posted_at"].startswith(FIRST.date().isoformat()) and record["age_from"] == "posted"
    assert record["first_seen_at"].startswith(T0.date().isoformat())
    assert record["reposts"] == "lever:acme:second"

    w.cycle(days=1, jobs=[job("other", 1)])
    (closed,) = w.take()
    assert closed.startswith("1 closed: acme") and "posted 4 months ago" in closed


def test_an_undated_chain_is_first_seen_at_its_first_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("first", dated=False), job("other", 1)])
    w.cycle(days=20, jobs=[job("other", 1)])
    w.cycle(days=5, jobs=[job("second", dated=False), job("other", 1)])
    w.cycle(days=10, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=10, jobs=[job("third", dated=False), job("other", 1)])
    (message,) = w.take()
    assert "first seen 45 days ago" in message and "open 45 days in total" in message
    (match,) = [m for m in open_matches(w.config, w.store, now=w.now) if m.open.external_id == "third"]
    assert match.since == T0 and not match.dated_by_source
    w.cycle(days=2, jobs=[job("other", 1)])
    (closed,) = w.take()
    assert "first seen 47 days ago" in closed


def test_history_and_the_web_page_mark_a_repost_with_its_earlier_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    found = alerts("history", "--config", str(w.path), "--since", "3650d", "--format", "json")
    assert found.returncode == 0, found.stderr
    events = {(e["event"], e["external_id"]): e for e in json.loads(found.stdout)}
    repost = events[("opened", "new")]["reposts"]
    assert repost["board"] == "lever:acme" and repost["external_id"] == "old"
    assert repost["url"] == "https://jobs.lever.co/acme/old" and repost["closed_at"]
    assert events[("closed", "old")]["reposts"] is None
    table = alerts("history", "--config", str(w.path), "--since", "3650d")
    (line,) = [row for row in table.stdout.splitlines() if "reposts" in row]
    assert " reposted " in line and "reposts lever:acme:old, closed " in line

    _, page = index(w.config, w.store, {}, w.now)
    assert 'reposts <a href="/posting?board=lever%3Aacme&amp;id=old">lever:acme:old</a>' in page.decode()
    assert '<span class="kind">Reposted</span>' in page.decode()
    _, life = posting_page(w.config, w.store, {"board": "lever:acme", "id": "new"}, w.now)
    assert '<span class="kind">Reposted</span>' in life.decode() and 'id="reposts"' in life.decode()


BOTH_NAMED = '[boards."lever:acme"]\nname = "Acme"\n[boards."greenhouse:acme"]\nname = "Acme"'


def test_a_job_moving_to_another_provider_is_a_repost_and_departments_tell_jobs_apart(world) -> None:
    from repost_world import greenhouse_job

    w = world(BOTH_NAMED, boards=("lever:acme", "greenhouse:acme"))
    w.cycle(
        days=0, jobs=[job("old"), job("other", 1)], greenhouse=[greenhouse_job(1, title="Office Manager")]
    )
    w.cycle(days=1, jobs=[job("other", 1)])
    assert [m.split("\n")[0] for m in w.take()] == ["1 closed: Acme"]
    w.cycle(
        days=1,
        jobs=[job("other", 1)],
        greenhouse=[greenhouse_job(1, title="Office Manager"), greenhouse_job(7)],
    )
    (message,) = w.take()
    assert message.startswith("1 reposted: Acme") and "earlier: https://jobs.lever.co/acme/old" in message
    # The same title and place in another department is another job.
    w.cycle(days=1, jobs=[job("other", 1), job("sales", department="Sales")])
    (message,) = w.take()
    assert message.startswith("1 new: Acme") and "REPOSTED" not in message


def test_two_new_ids_for_one_earlier_job_repost_it_once_the_lowest(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("5"), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=1, jobs=[job("10"), job("9"), job("other", 1)])
    (message,) = w.take()
    assert message.startswith("1 new, 1 reposted: acme")
    assert message.count("REPOSTED") == 1 and message.count("earlier: https://jobs.lever.co/acme/5") == 1
    assert "https://jobs.lever.co/acme/9\n    reposts an earlier posting" in message  # 9 < 10
    assert "NEW: Android" in message and "https://jobs.lever.co/acme/10\n" in message
    w.cycle(days=1, jobs=[job("10"), job("9"), job("other", 1)])
    assert w.take() == []


def test_the_migration_gives_stored_postings_their_new_keys_and_reposts_their_chains(
    database_url: str,
) -> None:
    from alerts.model import Posting
    from alerts.store.engine import make_engine, upgrade
    from alerts.store.reposts import repost_key
    from alerts.store.tables import boards, events, postings

    engine = make_engine(database_url)
    earlier = {"board_key": "lever:acme", "external_id": "old", "url": None, "first_seen_at": T0.isoformat()}
    try:
        upgrade(engine, "0012")
        posting = Posting("lever", "acme", "new", "Android Engineer", department="Eng", location="London")
        with engine.begin() as conn:
            board_id = conn.execute(
                sa.insert(boards).values(key="lever:acme", source="lever", token="acme", created_at=T0)
            ).inserted_primary_key[0]
            conn.execute(
                sa.insert(postings).values(
                    board_id=board_id, external_id="new", data=posting.to_dict(), state="open",
                    content_hash="x", first_seen_at=T0, changed_at=T0, repost_key="an old key",
                )
            )  # fmt: skip
            conn.execute(
                sa.insert(events).values(
                    board_id=board_id, external_id="new", kind="opened", changes={},
                    posting=posting.to_dict(), occurred_at=T0, reposts=earlier,
                )
            )  # fmt: skip
        upgrade(engine)
        with engine.connect() as conn:
            key, chain = conn.execute(sa.select(postings.c.repost_key, postings.c.chain)).one()
            (event_chain,) = conn.execute(sa.select(events.c.chain)).scalars()
    finally:
        engine.dispose()
    assert key == repost_key(posting) and chain == earlier and event_chain == earlier
    assert repost_key(Posting("greenhouse", "acme-inc", "9", "android engineer", company="acme", department="Eng", location="London")) == repost_key(Posting("lever", "x", "1", "Android Engineer", company="Acme", department="eng", location="london"))  # fmt: skip
    assert repost_key(posting) != repost_key(Posting("lever", "acme", "2", "Android Engineer", department="Sales", location="London"))  # fmt: skip
