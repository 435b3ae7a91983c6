"""The store on a real SQLite file and the real PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.store import Ops, Store
from alerts.store.tables import metadata, postings

from store_support import (
    delivery_counts,
    fetch_state,
    mark_sent,
    queued,
    record_not_modified,
    set_last_digest,
)

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
BOARD = BoardRef("greenhouse", "acme")


def job(external_id: str, title: str = "Engineer") -> Posting:
    return Posting("greenhouse", "acme", external_id, title, company="Acme")


def to_channel(event, baseline):
    return {} if baseline else {"c": ["sub"]}


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.upgrade()
    store.boards.sync_boards([BOARD], NOW)
    yield store
    store.close()


def apply(store, snapshot, route=to_channel, **kwargs):
    applied = store.snapshots.apply(BOARD, snapshot, close_after_misses=2, now=NOW, route=route, **kwargs)
    return applied.events


def test_migrations_build_exactly_the_tables(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(store):
    store.upgrade()
    store.boards.sync_boards([BOARD], NOW)
    assert [b.key for b in store.boards.board_rows()] == ["greenhouse:acme"]


def test_round_trip_of_events_and_outbox(store):
    assert apply(store, [job("1")]) == []  # baseline: nobody asked
    events = apply(store, [job("1", "Staff Engineer"), job("2")])
    assert sorted(e.kind for e in events) == ["opened", "updated"]
    rows = queued(store, "c", NOW)
    assert [(q.event.kind, q.subscriptions) for q in rows] == [
        ("updated", ("sub",)),
        ("opened", ("sub",)),
    ]
    updated = rows[0].event
    assert updated.changes == {"title": ["Engineer", "Staff Engineer"]}
    assert updated.posting.company == "Acme" and updated.occurred_at == NOW


def test_a_failure_inside_the_transaction_writes_nothing(store):
    apply(store, [job("1")])

    def broken_router(event, baseline):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        apply(store, [job("1", "Renamed"), job("2")], route=broken_router)
    with store.engine.connect() as conn:
        titles = [d["title"] for d in conn.execute(sa.select(postings.c.data)).scalars()]
    assert titles == ["Engineer"]
    assert apply(store, [job("1", "Renamed")])[0].kind == "updated"


def test_delivery_reaches_every_target_once(store):
    apply(store, [])
    apply(store, [job("1")])
    ids = [q.id for q in queued(store, "c", NOW)]
    mark_sent(store, ids, "slack", {"slack", "mail"}, NOW)
    (row_,) = queued(store, "c", NOW)
    assert row_.sent_targets == {"slack"}  # still owed to mail
    mark_sent(store, ids, "mail", {"slack", "mail"}, NOW)
    assert queued(store, "c", None) == []
    assert delivery_counts(store) == {("c", "sent"): 1}


def test_failed_delivery_waits_for_its_next_attempt(store):
    apply(store, [])
    apply(store, [job("1")])
    ids = [q.id for q in queued(store, "c", NOW)]
    store.sends.mark_failed(ids, "HTTP 500", NOW + timedelta(minutes=1))
    assert queued(store, "c", NOW) == []
    (later,) = queued(store, "c", NOW + timedelta(minutes=2))
    assert later.attempts == 1
    assert len(queued(store, "c", None)) == 1  # run --once ignores back-off


def test_failure_is_recorded_without_touching_postings(store):
    apply(store, [job("1")])
    error = SourceError(BOARD.key, "server error", status=500)
    assert store.boards.record_failure(BOARD, error, NOW) == 1
    assert store.boards.record_failure(BOARD, error, NOW) == 2
    (row,) = store.boards.board_rows()
    assert (row.open_postings, row.last_status, row.last_error) == (1, 500, "server error")
    apply(store, [job("1")])
    (row,) = store.boards.board_rows()
    assert (row.consecutive_failures, row.last_error) == (0, None)


def test_digest_bookkeeping(store):
    assert store.channels.last_digest("daily") is None
    set_last_digest(store, "daily", NOW)
    set_last_digest(store, "daily", NOW + timedelta(days=1))
    assert store.channels.last_digest("daily") == NOW + timedelta(days=1)


def board_of(store, key="greenhouse:acme"):
    return next(b for b in store.boards.board_rows() if b.key == key)


def test_sudden_drop_is_held_then_confirmed(store):
    many = [job(str(i)) for i in range(12)]
    apply(store, many)
    held = store.snapshots.apply(BOARD, [], close_after_misses=1, now=NOW, route=to_channel)
    assert held.held == "returned no postings (it had 12)" and held.events == []
    assert board_of(store).suspect_since == NOW and board_of(store).open_postings == 12
    # The next poll shows the same: the drop is real and is reconciled.
    confirmed = store.snapshots.apply(BOARD, [], close_after_misses=1, now=NOW, route=to_channel)
    assert confirmed.held is None and len(confirmed.events) == 12
    assert board_of(store).suspect_since is None and board_of(store).open_postings == 0


def test_hiccup_that_recovers_changes_nothing(store):
    many = [job(str(i)) for i in range(12)]
    apply(store, many)
    assert store.snapshots.apply(BOARD, many[:3], close_after_misses=1, now=NOW, route=to_channel).held
    recovered = store.snapshots.apply(BOARD, many, close_after_misses=1, now=NOW, route=to_channel)
    assert recovered.held is None and recovered.events == []
    assert board_of(store).suspect_since is None


def test_validators_are_kept_for_the_next_fetch(store):
    apply(store, [job("1")], etag='W/"abc"', last_modified="Tue, 24 Nov 2026 08:00:00 GMT")
    state = fetch_state(store, BOARD)
    assert (state.etag, state.last_modified, state.baselined, state.last_full_at) == (
        'W/"abc"',
        "Tue, 24 Nov 2026 08:00:00 GMT",
        True,
        NOW,
    )
    record_not_modified(store, BOARD, NOW + timedelta(minutes=15))
    assert board_of(store).last_success_at == NOW + timedelta(minutes=15)


def test_a_board_is_baselined_only_when_no_posting_waits_for_its_details(store):
    # A first poll that left two postings out until their details arrive:
    # part of the baseline, and the board is not baselined yet.
    assert apply(store, [job("1")], complete=False, waiting=2) == []
    assert fetch_state(store, BOARD).baselined is False
    # They arrive: still the baseline (they were there all along), then settled.
    assert apply(store, [job("1"), job("2"), job("3")]) == []
    assert fetch_state(store, BOARD).baselined is True
    # From now on a posting left waiting is news once it arrives.
    assert apply(store, [job("1"), job("2"), job("3")], complete=False, waiting=1) == []
    assert fetch_state(store, BOARD).baselined is True
    assert [e.kind for e in apply(store, [job(str(n)) for n in range(1, 5)])] == ["opened"]


def test_incremental_snapshot_keeps_absent_postings_open(store):
    apply(store, [job("1"), job("2")])
    applied = store.snapshots.apply(
        BOARD, [job("3")], close_after_misses=1, now=NOW, route=to_channel, complete=False
    )
    assert [e.kind for e in applied.events] == ["opened"]
    assert board_of(store).open_postings == 3


def test_the_same_change_from_two_sources_is_queued_once(store):
    aggregator = BoardRef("bluedoor", "company=Acme")
    store.boards.sync_boards([aggregator], NOW)
    direct = Posting("ashby", "acme", "abc-1", "Engineer", company="Acme")
    via = Posting("bluedoor", "company=Acme", "bd-9", "Engineer", company="Acme", same_as="ashby:abc-1")
    for ref in (BOARD, aggregator):
        store.snapshots.apply(ref, [], close_after_misses=2, now=NOW, route=to_channel)
    ashby_board = store.snapshots.apply(BOARD, [direct], close_after_misses=2, now=NOW, route=to_channel)
    later = NOW + timedelta(hours=1)
    bluedoor_board = store.snapshots.apply(
        aggregator, [via], close_after_misses=2, now=later, route=to_channel
    )
    assert [e.kind for e in ashby_board.events] == ["opened"] and [e.kind for e in bluedoor_board.events] == [
        "opened"
    ]
    assert [q.event.posting.source for q in queued(store, "c", None)] == ["ashby"]


def test_schema_head_constant_matches_the_newest_migration(store):
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    from alerts.store.engine import SCHEMA_HEAD, current_revision, migrations_dir

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(cfg).get_current_head() == SCHEMA_HEAD
    assert current_revision(store.engine) == SCHEMA_HEAD


def test_unchanged_postings_are_not_rewritten_and_old_rows_get_fingerprints(store):
    apply(store, [job("1"), job("2")])
    with store.engine.begin() as conn:
        conn.execute(sa.update(postings).where(postings.c.external_id == "1").values(fingerprint=None))
        before = {
            key: at for key, at in conn.execute(sa.select(postings.c.external_id, postings.c.changed_at))
        }
    later = NOW + timedelta(minutes=15)
    quiet = store.snapshots.apply(
        BOARD, [job("1"), job("2")], close_after_misses=2, now=later, route=to_channel
    )
    assert quiet.events == []
    with store.engine.connect() as conn:
        rows = {r.external_id: r for r in conn.execute(sa.select(postings))}
    assert rows["1"].fingerprint == job("1").fingerprint and rows["1"].changed_at == later  # backfilled once
    assert rows["2"].changed_at == before["2"]  # untouched


def test_source_cache_keeps_entries_per_board(database_url):
    store = Store(database_url)
    store.upgrade()
    other = BoardRef("greenhouse", "other")
    store.boards.sync_boards([BOARD, other], NOW)
    store.cache.put(BOARD.key, {"a": ("sig-1", {"city": "Berlin"}), "b": ("sig-2", [1, 2])}, NOW)
    store.cache.put(other.key, {"a": ("sig-9", None)}, NOW)
    assert store.cache.get(BOARD.key, ["a", "b", "c"]) == {
        "a": ("sig-1", {"city": "Berlin"}),
        "b": ("sig-2", [1, 2]),
    }
    store.cache.put(BOARD.key, {"a": ("sig-3", {"city": "Munich"})}, NOW)  # replaced, not added
    assert store.cache.get(BOARD.key, ["a"]) == {"a": ("sig-3", {"city": "Munich"})}
    assert store.cache.retain(BOARD.key, ["a"]) == 1
    assert store.cache.get(BOARD.key, ["a", "b"]) == {"a": ("sig-3", {"city": "Munich"})}
    assert store.cache.get(other.key, ["a"]) == {"a": ("sig-9", None)}  # another board's entries stay
    assert store.cache.get("greenhouse:unknown", ["a"]) == {}
    store.close()


def test_a_304_counts_a_miss_for_what_the_last_snapshot_lacked(store):
    """Issue 10, item 1, at the store: a 304 is the last snapshot again."""
    other = BoardRef("greenhouse", "other")
    store.boards.sync_boards([other], NOW)
    apply(store, [job("1"), job("2"), job("3")])
    store.snapshots.apply(other, [job("9")], close_after_misses=3, now=NOW, route=to_channel)
    store.snapshots.apply(BOARD, [job("1")], close_after_misses=3, now=NOW, route=to_channel)  # miss 1 of 3

    def not_modified(minutes, **kwargs):
        later = NOW + timedelta(minutes=minutes)
        batch = [(BOARD, later, None), (other, later, None)]
        return store.unchanged.record_many(
            batch, close_after_misses=3, route=lambda key: to_channel, **kwargs
        )

    assert not_modified(15) == {}  # miss 2 of 3 for "2" and "3"
    with store.engine.connect() as conn:
        misses = {key: n for key, n in conn.execute(sa.select(postings.c.external_id, postings.c.misses))}
    assert misses == {"1": 0, "2": 2, "3": 2, "9": 0}
    # A board this process no longer holds counts nothing.
    assert not_modified(30, owner="someone else") == {}
    closed = not_modified(45)
    assert sorted(e.external_id for e in closed[BOARD.key]) == ["2", "3"]
    assert {e.kind for e in closed[BOARD.key]} == {"closed"} and closed[BOARD.key][0].id is not None
    assert board_of(store).open_postings == 1
    assert [q.event.external_id for q in queued(store, "c", None)] == ["2", "3"]
    assert not_modified(60) == {}  # closed once


def test_ops_notices_are_decided_from_the_stored_failures(store):
    """Issue 10, item 3, at the store: "failing" queued once at the threshold,
    "recovered" once at the next success (a 200 or a 304), each an outbox row."""
    ops = Ops("ops", 2)
    error = SourceError(BOARD.key, "board not found", status=404)
    apply(store, [job("1")])

    def told():
        return [(q.event.kind, q.event.failures) for q in queued(store, "ops", None)]

    for minutes in (1, 2, 3):
        store.boards.record_failure(BOARD, error, NOW + timedelta(minutes=minutes), ops=ops)
    assert told() == [("failing", 2)]
    [row] = queued(store, "ops", None)
    assert row.event.board_key == BOARD.key and "HTTP 404" in row.event.error and row.subscriptions == ()
    store.snapshots.apply(BOARD, [job("1")], close_after_misses=2, now=NOW, route=to_channel, ops=ops)
    assert told() == [("failing", 2), ("recovered", 3)]
    apply(store, [job("1")], ops=ops)
    assert len(told()) == 2

    # Failing again, then answering with a 304.
    for minutes in (4, 5):
        store.boards.record_failure(BOARD, error, NOW + timedelta(minutes=minutes), ops=ops)
    store.unchanged.record_many([(BOARD, NOW, None)], close_after_misses=2, ops=ops)
    store.unchanged.record_many([(BOARD, NOW, None)], close_after_misses=2, ops=ops)
    assert told()[2:] == [("failing", 2), ("recovered", 2)]
    # Without an ops channel nobody is told, and no old failure is remembered.
    store.boards.record_failure(BOARD, error, NOW, ops=None)
    store.boards.record_failure(BOARD, error, NOW, ops=None)
    apply(store, [job("1")], ops=ops)
    assert len(told()) == 4
