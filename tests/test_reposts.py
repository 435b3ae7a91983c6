"""Reposts through real cycles (tests/repost_world.py): a Lever board on a
local HTTP server, Apprise json:// to a local webhook, a SQLite file or the
real PostgreSQL, and a clock the test moves on by days."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_httpserver import HTTPServer
from repost_world import T0, TITLE, job, worlds


@pytest.fixture
def world(httpserver: HTTPServer, tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    yield from worlds(httpserver, tmp_path, database_url)


def test_a_new_id_for_the_same_job_within_the_window_is_one_reposted_message(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])  # baseline: nothing said
    assert w.take() == []
    w.cycle(days=2, jobs=[job("other", 1)])
    (closed,) = w.take()
    assert closed.startswith("1 closed: acme")
    w.cycle(days=8, jobs=[job("new"), job("other", 1)])  # ten days after "old" was first seen

    (message,) = w.take()
    title, body = message.split("\n", 1)
    assert title == "1 reposted: acme"
    assert f"REPOSTED: {TITLE}" in body and "NEW:" not in body
    assert "reposts an earlier posting (closed 8 days ago), open 10 days in total" in body
    assert "earlier: https://jobs.lever.co/acme/old" in body
    assert "https://jobs.lever.co/acme/new" in body

    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    assert w.take() == []  # announced once: never a second "new" for it


def test_a_repost_of_a_job_still_open_is_reposted_too(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old")])
    w.cycle(days=3, jobs=[job("old"), job("new")])
    (message,) = w.take()
    assert message.startswith("1 reposted: acme")
    assert "reposts an earlier posting (still open), open 3 days in total" in message


def test_outside_the_window_it_is_a_plain_new_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("old")])
    w.cycle(days=1, jobs=[])  # the board empties: held once as suspect...
    w.cycle(days=1, jobs=[])  # ...then confirmed: closed
    assert [m.split("\n")[0] for m in w.take()] == ["1 closed: acme"]
    w.cycle(days=31, jobs=[job("new")])  # closed 31 days ago; the window is 30
    (message,) = w.take()
    assert message.startswith("1 new: acme")
    assert f"NEW: {TITLE}" in message and "reposts" not in message and "REPOSTED" not in message


def test_a_chain_of_reposts_counts_from_the_first_posting(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("first"), job("other", 1)])
    w.cycle(days=20, jobs=[job("other", 1)])
    w.cycle(days=5, jobs=[job("second"), job("other", 1)])
    w.cycle(days=10, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=10, jobs=[job("third"), job("other", 1)])  # "first" closed 25 days ago: out of reach
    (message,) = w.take()
    assert "REPOSTED" in message and "earlier: https://jobs.lever.co/acme/second" in message
    assert "open 45 days in total" in message  # since "first" was seen


HIDDEN = '[[subscriptions]]\nname = "hidden"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nreposts = "hide"'


def test_reposts_hide_drops_a_repost_of_a_job_still_open_and_its_old_postings_close(world) -> None:
    """The job goes on under the new id: nothing to tell until its last posting closes."""
    w = world(HIDDEN)
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])
    w.cycle(days=1, jobs=[job("old"), job("new"), job("other", 1)])  # reposted while still open
    assert w.take("quiet") == []  # hidden: nothing at all
    assert [m.split("\n")[0] for m in w.take("hook")] == ["1 reposted: acme"]
    w.cycle(days=1, jobs=[job("new"), job("other", 1)])  # the old posting goes; the job does not
    assert w.take("quiet") == []
    (closed,) = w.take("hook")
    assert closed.startswith("1 closed: acme") and "acme/old" in closed
    w.cycle(days=1, jobs=[job("other", 1)])  # now the job closes: both hear it
    (closed,) = w.take("quiet")
    assert closed.startswith("1 closed: acme") and "acme/new" in closed
    assert [m.split("\n")[0] for m in w.take("hook")] == ["1 closed: acme"]
    # A different job is new for both.
    w.cycle(days=1, jobs=[job("other", 1), job("fresh", title="Data Scientist")])
    assert [m.split("\n")[0] for m in w.take("quiet")] == ["1 new: acme"]
    assert [m.split("\n")[0] for m in w.take("hook")] == ["1 new: acme"]


def test_reposts_hide_hears_nothing_when_a_posting_is_replaced_in_one_poll(world) -> None:
    """The old id goes and the new one comes at once: for the job, nothing happened."""
    w = world(HIDDEN)
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])
    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    assert w.take("quiet") == []
    (message,) = w.take("hook")
    assert message.startswith("1 reposted, 1 closed: acme") and "(still open)" in message
    history = [e.open_as for e in w.store.views.events() if e.kind == "closed"]
    assert history == ["lever:acme:new"]


def test_reposts_hide_announces_a_repost_of_a_job_it_was_told_closed(world) -> None:
    """Told "closed", a hide subscription is told the job is back: never silence after a false close."""
    w = world(
        HIDDEN + '\n[[subscriptions]]\nname = "opens-only"\nboards = ["lever:acme"]\nchannels = ["quiet"]\n'
        'reposts = "hide"\nevents = ["opened"]'
    )
    w.cycle(days=0, jobs=[job("old"), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    assert len(w.take("hook")) == 1
    (closed,) = w.take("quiet")
    assert "(matched: hidden)" in closed  # opens-only takes no closes: for it the job never closed
    w.cycle(days=1, jobs=[job("new"), job("other", 1)])
    (message,) = w.take("quiet")
    assert message.startswith("1 reposted: acme") and "earlier: https://jobs.lever.co/acme/old" in message
    assert "(matched: hidden)" in message and "opens-only" not in message
    assert [m.split("\n")[0] for m in w.take("hook")] == ["1 reposted: acme"]
    w.cycle(days=1, jobs=[job("other", 1)])  # the job closes: told, as it was told it was back
    assert [m.split("\n")[0] for m in w.take("quiet")] == ["1 closed: acme"]


def test_the_migration_gives_stored_postings_their_repost_keys(database_url: str) -> None:
    from alerts.model import Posting
    from alerts.store.engine import make_engine, upgrade
    from alerts.store.reposts import repost_key
    from alerts.store.tables import boards, postings

    engine = make_engine(database_url)
    try:
        upgrade(engine, "0007")
        posting = Posting("lever", "acme", "old", "Android Engineer", location="London")
        data = {k: v for k, v in posting.to_dict().items() if k != "description"}  # as 0007 stored it
        with engine.begin() as conn:
            board_id = conn.execute(
                sa.insert(boards).values(key="lever:acme", source="lever", token="acme", created_at=T0)
            ).inserted_primary_key[0]
            row = {
                "board_id": board_id,
                "state": "closed",
                "content_hash": "x",
                "first_seen_at": T0,
                "changed_at": T0,
            }
            conn.execute(sa.insert(postings).values(external_id="old", data=data, **row))
            conn.execute(sa.insert(postings).values(external_id="bad", data={"title": 3}, **row))
        upgrade(engine)
        with engine.connect() as conn:
            keys = dict(conn.execute(sa.select(postings.c.external_id, postings.c.repost_key)).all())
    finally:
        engine.dispose()
    assert keys == {"old": repost_key(posting), "bad": None}
    assert (
        repost_key(Posting("lever-eu", "acme", "new", "android  engineer!", location="london")) == keys["old"]
    )
    assert repost_key(Posting("lever", "acme", "new", "Android Engineer", location="Paris")) != keys["old"]


def test_stored_events_and_open_postings_keep_what_the_filters_need(world) -> None:
    """History, feeds and `alerts jobs` decide by the same filters: a hidden
    repost stays hidden there, and posted_within counts from the first sighting."""
    from alerts.service.matches import matched_events, open_matches

    w = world(
        '[[subscriptions]]\nname = "hidden"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nreposts = "hide"\n'
        'events = ["opened"]\n'  # never told of the close: for it the job goes on
        '[[subscriptions]]\nname = "recent"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nposted_within = "36h"'
    )
    w.cycle(days=0, jobs=[job("old", dated=False), job("other", 1, dated=False)])
    w.cycle(days=1, jobs=[job("other", 1, dated=False)])
    w.cycle(days=1, jobs=[job("new", dated=False), job("other", 1, dated=False)])
    events = {e.kind: (e, names) for e, names in matched_events(w.config, w.store)}
    repost, names = events["opened"]
    assert repost.reposts is not None and repost.reposts.external_id == "old"
    assert "hidden" not in names and "announce" in names
    closed, names = events["closed"]
    assert closed.first_seen_at == T0 and "recent" in names  # closed a day after it was first seen
    recent = {m.open.external_id for m in open_matches(w.config, w.store, subscription="recent", now=w.now)}
    assert recent == {"new"}  # "other" was first seen two days ago: too long
