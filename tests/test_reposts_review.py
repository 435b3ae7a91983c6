"""Reposts under a demanding user's review (tests/repost_world.py: real
cycles against a local Lever board, SQLite files and the real PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from repost_world import job, worlds


@pytest.fixture
def world(httpserver: HTTPServer, tmp_path: Path, database_url: str):  # type: ignore[no-untyped-def]
    yield from worlds(httpserver, tmp_path, database_url)


HIDDEN = '[[subscriptions]]\nname = "hidden"\nboards = ["lever:acme"]\nchannels = ["quiet"]\nreposts = "hide"'


def heads(messages: list[str]) -> list[str]:
    return [m.split("\n")[0] for m in messages]


def test_reposts_hide_never_hears_a_reopen_of_a_posting_whose_close_it_never_heard(world) -> None:
    """A reposted as B while open, A goes (hidden: the job is open as B), A
    comes back while B is still open: for the subscription nothing happened."""
    w = world(HIDDEN)
    w.cycle(days=0, jobs=[job("a"), job("other", 1)])
    w.cycle(days=1, jobs=[job("a"), job("b"), job("other", 1)])
    w.cycle(days=1, jobs=[job("b"), job("other", 1)])
    assert w.take("quiet") == []
    w.cycle(days=1, jobs=[job("a"), job("b"), job("other", 1)])
    assert w.take("quiet") == []
    assert heads(w.take("hook")) == ["1 reposted: acme", "1 closed: acme", "1 reopened: acme"]
    # B goes: the job is still open as A, so nothing; then A goes: the job closes.
    w.cycle(days=1, jobs=[job("a"), job("other", 1)])
    assert w.take("quiet") == []
    w.cycle(days=1, jobs=[job("other", 1)])
    assert heads(w.take("quiet")) == ["1 closed: acme"]


def test_reposts_hide_hears_a_repost_that_matches_its_filters_when_the_earlier_did_not(world) -> None:
    """The earlier posting (onsite) never matched a remote-only subscription:
    its remote repost is news to it, not the job going on."""
    w = world(HIDDEN + '\nwork_model = ["remote"]')
    w.cycle(days=0, jobs=[job("a"), job("other", 1)])  # "a" is hybrid
    w.cycle(days=1, jobs=[job("a"), {**job("b"), "workplaceType": "remote"}, job("other", 1)])
    (message,) = w.take("quiet")
    assert "acme/b" in message and "(matched: hidden)" in message
    from alerts.service.matches import matched_events

    (seen,) = matched_events(w.config, w.store, subscription="hidden")  # history and feeds agree
    assert seen[0].external_id == "b"


def test_reposts_hide_hears_a_close_when_the_job_goes_on_only_where_its_filters_do_not_follow(world) -> None:
    """A remote posting is reposted as an onsite one, then goes: for a
    remote-only subscription that job closed (it will never hear the onsite one close)."""
    w = world(HIDDEN + '\nwork_model = ["remote"]')
    w.cycle(days=0, jobs=[job("other", 1)])
    w.cycle(days=1, jobs=[{**job("a"), "workplaceType": "remote"}, job("other", 1)])
    assert heads(w.take("quiet")) == ["1 new: acme"]
    w.cycle(
        days=1,
        jobs=[
            {**job("a"), "workplaceType": "remote"},
            {**job("b"), "workplaceType": "onsite"},
            job("other", 1),
        ],
    )
    assert w.take("quiet") == []
    w.cycle(days=1, jobs=[{**job("b"), "workplaceType": "onsite"}, job("other", 1)])
    assert heads(w.take("quiet")) == ["1 closed: acme"]


def test_a_board_renamed_mid_chain_still_reposts_its_closed_postings(world) -> None:
    w = world()
    w.cycle(days=0, jobs=[job("a"), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    assert heads(w.take()) == ["1 closed: acme"]
    w.path.write_text(w.path.read_text() + '\n[boards."lever:acme"]\nname = "Acme Corp"\n')
    from alerts.config import load_config

    w.config = load_config(w.path)
    w.cycle(days=1, jobs=[job("other", 1)])  # the renaming poll
    state = w.store.boards.fetch_states(["lever:acme"], {"lever:acme": "Acme Corp"})["lever:acme"]
    assert not state.renamed  # closed postings renamed too: the board's fetches are conditional again
    w.cycle(days=1, jobs=[job("b"), job("other", 1)])
    (message,) = w.take()
    assert message.startswith("1 reposted: Acme Corp") and "acme/a" in message


def test_a_posting_left_open_on_a_board_no_longer_polled_is_not_reposted_months_later(world) -> None:
    """The user moves from lever:acme to greenhouse:acme: the Lever postings
    stay stored as open (nobody polls them to see them go). Months later a
    Greenhouse posting of the same job is new, not a repost "open N months"."""
    from repost_world import greenhouse_job

    from alerts.config import load_config

    w = world('[boards."lever:acme"]\nname = "Acme"\n[boards."greenhouse:acme"]\nname = "Acme"')
    w.cycle(days=0, jobs=[job("a"), job("other", 1)])
    w.path.write_text(w.path.read_text().replace('boards = ["lever:acme"]', 'boards = ["greenhouse:acme"]'))
    w.config = load_config(w.path)
    w.cycle(days=1, jobs=[], greenhouse=[greenhouse_job(1, title="Office Manager")])  # its baseline
    w.cycle(days=60, jobs=[], greenhouse=[greenhouse_job(1, title="Office Manager"), greenhouse_job(7)])
    (message,) = w.take()
    assert message.startswith("1 new: Acme") and "REPOSTED" not in message, message


def test_a_repost_listing_the_same_offices_in_another_order_is_a_repost(world) -> None:
    """Personio, Rippling, Breezy and Teamtailor join a posting's offices with
    "; " in the order the employer gave them: a repost may list them otherwise."""
    from repost_world import greenhouse_job

    w = world(boards=("greenhouse:acme",))
    offices = "London, UK; New York, NY"
    w.cycle(
        days=0, jobs=[], greenhouse=[greenhouse_job(1, location=offices), greenhouse_job(2, title="Chef")]
    )
    w.cycle(days=1, jobs=[], greenhouse=[greenhouse_job(2, title="Chef")])
    w.take()
    swapped = "New York, NY;London, UK"
    w.cycle(
        days=1, jobs=[], greenhouse=[greenhouse_job(3, location=swapped), greenhouse_job(2, title="Chef")]
    )
    (message,) = w.take()
    assert message.startswith("1 reposted: Acme"), message
    latest = [greenhouse_job(3, location=swapped), greenhouse_job(2, title="Chef")]
    w.cycle(days=1, jobs=[], greenhouse=[*latest, greenhouse_job(4, location="London, UK")])
    (message,) = w.take()
    assert message.startswith("1 new: Acme"), message  # one office of the two: another job


def test_an_email_past_its_cards_through_a_real_cycle_counts_everything_and_sends_once(
    world, smtp_server
) -> None:
    """45 new postings, an update and a close in one poll, to a real SMTP
    server: 40 cards, "...and N more" with the web page in both parts, the
    subject counting all of them, and nothing sent again next cycle."""
    sink, port = smtp_server
    w = world(
        '[[subscriptions]]\nname = "mailer"\nboards = ["lever:acme"]\nchannels = ["mail"]\n'
        f'[channels.mail]\nurl = "mailto://127.0.0.1:{port}/?from=a@example.com&to=b@example.com"\n'
        '[web]\npublic_url = "https://alerts.example.com/"\n'
    )
    w.cycle(days=0, jobs=[job("old"), job("gone", 1), job("other", title="Chef")])
    many = [job(f"n{i}", title=f"Engineer {i}") for i in range(45)]
    w.cycle(days=1, jobs=[{**job("old"), "workplaceType": "remote"}, job("other", title="Chef"), *many])
    (mail,) = sink.messages
    assert mail["Subject"].startswith("45 new, 1 updated, 1 closed"), mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    text = mail.get_body(("plain",)).get_content()
    for body in (html, text):
        assert "more" in body and "https://alerts.example.com" in body
    assert "and 7 more" in text and "and 7 more" in html
    sink.messages.clear()
    w.cycle(days=1, jobs=[{**job("old"), "workplaceType": "remote"}, job("other", title="Chef"), *many])
    assert sink.messages == []


def test_a_posting_back_after_its_repost_closed_is_reopened_not_a_repost_and_nothing_loops(world) -> None:
    """A reposted as B; B closes; A comes back: A reopens (no repost of B,
    no chain B -> A -> B), and a third posting counts from A's first sighting."""
    import json

    from support import alerts

    w = world()
    w.cycle(days=0, jobs=[job("a", dated=False), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    w.cycle(days=1, jobs=[job("b", dated=False), job("other", 1)])
    w.cycle(days=1, jobs=[job("other", 1)])
    w.take()
    w.cycle(days=1, jobs=[job("a", dated=False), job("other", 1)])
    (message,) = w.take()
    assert message.startswith("1 reopened: acme") and "REPOSTED" not in message
    w.cycle(days=1, jobs=[job("a", dated=False), job("c", dated=False), job("other", 1)])
    (message,) = w.take()
    assert message.startswith("1 reposted: acme") and "earlier: https://jobs.lever.co/acme/a" in message
    assert "first seen 5 days ago" in message
    listed = alerts("jobs", "--config", str(w.path), "--format", "json")
    records = {r["external_id"]: r for r in json.loads(listed.stdout)}
    assert records["a"]["reposts"] is None and records["c"]["reposts"] == "lever:acme:a"
    history = alerts("history", "--config", str(w.path), "--format", "json", "--since", "400d")
    kinds = [(e["external_id"], e["event"], e["reposts"] is not None) for e in json.loads(history.stdout)]
    assert ("a", "reopened", False) in kinds and ("c", "opened", True) in kinds


def test_deliveries_pending_across_migration_0013_are_sent_once_with_their_chain(world) -> None:
    """A channel down while a job closes and is reposted; the database goes
    back to 0012 and up again (as an upgrade from 0012 finds it); the channel
    comes back: each event is told once, the repost with its earlier posting."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from alerts.config import load_config
    from alerts.store.engine import make_engine, migrations_dir, upgrade

    w = world('[[subscriptions]]\nname = "late"\nboards = ["lever:acme"]\nchannels = ["down"]\n'
              '[channels.down]\nurl = "json://127.0.0.1:1/nobody"\n')  # fmt: skip
    w.cycle(days=0, jobs=[job("a", dated=False), job("other", 1)])
    w.cycle(days=0.01, jobs=[job("other", 1)])
    w.cycle(days=0.01, jobs=[job("b", dated=False), job("other", 1)])
    assert heads(w.take()) == ["1 closed: acme", "1 reposted: acme"]
    engine = make_engine(w.config.database.url)
    try:
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(migrations_dir()))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0012")
        upgrade(engine)
    finally:
        engine.dispose()
    port = w.server.port
    w.path.write_text(
        w.path.read_text().replace("json://127.0.0.1:1/nobody", f"json://127.0.0.1:{port}/quiet")
    )
    w.config = load_config(w.path)
    w.cycle(days=0.01, jobs=[job("b", dated=False), job("other", 1)])
    told = "\n".join(w.take("quiet"))
    assert told.count("CLOSED:") == 1 and told.count("REPOSTED:") == 1, told
    assert "earlier: https://jobs.lever.co/acme/a" in told
    w.cycle(days=0.01, jobs=[job("b", dated=False), job("other", 1)])
    assert w.take("quiet") == [] and w.take() == []


@pytest.mark.parametrize("target", ["0012", "0011", "0001"])
def test_downgrading_keeps_the_rows_of_the_tables_it_keeps(database_url: str, target: str) -> None:
    """On SQLite, a downgrade dropping a column of `boards` or `events` copied
    the table and dropped the old one: with foreign keys on, that deleted
    every posting, event and delivery referring to it."""
    from datetime import UTC, datetime

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from alerts.store.engine import make_engine, migrations_dir, upgrade

    at = datetime(2026, 9, 1, tzinfo=UTC).isoformat()
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO boards (id, key, source, token, created_at, baselined, consecutive_failures) "
                    "VALUES (1, 'lever:x', 'lever', 'x', :at, false, 0)"
                ),
                {"at": at},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO postings (board_id, external_id, data, state, content_hash, first_seen_at, "
                    "changed_at, misses) VALUES (1, '1', '{}', 'open', 'h', :at, :at, 0)"
                ),
                {"at": at},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, board_id, external_id, kind, changes, posting, occurred_at) "
                    "VALUES (1, 1, '1', 'opened', '{}', '{}', :at)"
                ),
                {"at": at},
            )
            conn.execute(sa.text(
                "INSERT INTO deliveries (event_id, channel, subscriptions, status, sent_targets, created_at) "
                "VALUES (1, 'c', '[]', 'pending', '[]', :at)"), {"at": at})  # fmt: skip
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(migrations_dir()))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, target)
        with engine.connect() as conn:
            counts = [conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar() for name in
                      ("boards", "postings", "events", "deliveries")]  # fmt: skip
    finally:
        engine.dispose()
    assert counts == [1, 1, 1, 1]


def test_a_close_is_not_still_open_as_a_posting_of_a_board_no_longer_polled(world) -> None:
    """The Lever board was dropped from the config months ago, its postings
    left stored as open: a Greenhouse posting of the same job closing is a
    close, not "the job is still open as lever:acme:a" (hide mode would drop it)."""
    from repost_world import greenhouse_job

    from alerts.config import load_config

    w = world('[boards."lever:acme"]\nname = "Acme"\n[boards."greenhouse:acme"]\nname = "Acme"\n' + HIDDEN)
    w.cycle(days=0, jobs=[job("a"), job("other", 1)])
    w.path.write_text(w.path.read_text().replace('boards = ["lever:acme"]', 'boards = ["greenhouse:acme"]'))
    w.config = load_config(w.path)
    assert [s.boards for s in w.config.subscriptions] == [["greenhouse:acme"], ["greenhouse:acme"]]
    w.cycle(days=1, jobs=[], greenhouse=[greenhouse_job(1, title="Office Manager"), greenhouse_job(7)])
    w.cycle(days=60, jobs=[], greenhouse=[greenhouse_job(1, title="Office Manager")])
    assert [e.open_as for e in w.store.views.events() if e.kind == "closed"] == [None]
    assert heads(w.take("quiet")) == ["1 closed: Acme"]
