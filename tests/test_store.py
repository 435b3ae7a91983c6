"""The store on a real SQLite file and the real PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.store import Store
from alerts.store.tables import metadata, postings

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
    store.sync_boards([BOARD], NOW)
    yield store
    store.close()


def apply(store, snapshot, route=to_channel, **kwargs):
    applied = store.apply_snapshot(BOARD, snapshot, close_after_misses=2, now=NOW, route=route, **kwargs)
    return applied.events


def test_migrations_build_exactly_the_tables(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_twice_is_harmless(store):
    store.upgrade()
    store.sync_boards([BOARD], NOW)
    assert [b.key for b in store.board_rows()] == ["greenhouse:acme"]


def test_round_trip_of_events_and_outbox(store):
    assert apply(store, [job("1")]) == []  # baseline: nobody asked
    events = apply(store, [job("1", "Staff Engineer"), job("2")])
    assert sorted(e.kind for e in events) == ["opened", "updated"]
    queued = store.queued("c", NOW)
    assert [(q.pending.event.kind, q.pending.subscriptions) for q in queued] == [
        ("updated", ("sub",)),
        ("opened", ("sub",)),
    ]
    updated = queued[0].pending.event
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
    ids = [q.pending.delivery_id for q in store.queued("c", NOW)]
    store.mark_sent(ids, "slack", {"slack", "mail"}, NOW)
    (queued,) = store.queued("c", NOW)
    assert queued.sent_targets == {"slack"}  # still owed to mail
    store.mark_sent(ids, "mail", {"slack", "mail"}, NOW)
    assert store.queued("c", None) == []
    assert store.delivery_counts() == {("c", "sent"): 1}


def test_failed_delivery_waits_for_its_next_attempt(store):
    apply(store, [])
    apply(store, [job("1")])
    ids = [q.pending.delivery_id for q in store.queued("c", NOW)]
    store.mark_failed(ids, "HTTP 500", NOW + timedelta(minutes=1))
    assert store.queued("c", NOW) == []
    (later,) = store.queued("c", NOW + timedelta(minutes=2))
    assert later.pending.attempts == 1
    assert len(store.queued("c", None)) == 1  # run --once ignores back-off


def test_failure_is_recorded_without_touching_postings(store):
    apply(store, [job("1")])
    error = SourceError(BOARD.key, "server error", status=500)
    assert store.record_failure(BOARD, error, NOW) == 1
    assert store.record_failure(BOARD, error, NOW) == 2
    (row,) = store.board_rows()
    assert (row.open_postings, row.last_status, row.last_error) == (1, 500, "server error")
    apply(store, [job("1")])
    (row,) = store.board_rows()
    assert (row.consecutive_failures, row.last_error) == (0, None)


def test_digest_bookkeeping(store):
    assert store.last_digest("daily") is None
    store.set_last_digest("daily", NOW)
    store.set_last_digest("daily", NOW + timedelta(days=1))
    assert store.last_digest("daily") == NOW + timedelta(days=1)


def board_of(store, key="greenhouse:acme"):
    return next(b for b in store.board_rows() if b.key == key)


def test_sudden_drop_is_held_then_confirmed(store):
    many = [job(str(i)) for i in range(12)]
    apply(store, many)
    held = store.apply_snapshot(BOARD, [], close_after_misses=1, now=NOW, route=to_channel)
    assert held.held == "returned no postings (it had 12)" and held.events == []
    assert board_of(store).suspect_since == NOW and board_of(store).open_postings == 12
    # The next poll shows the same: the drop is real and is reconciled.
    confirmed = store.apply_snapshot(BOARD, [], close_after_misses=1, now=NOW, route=to_channel)
    assert confirmed.held is None and len(confirmed.events) == 12
    assert board_of(store).suspect_since is None and board_of(store).open_postings == 0


def test_hiccup_that_recovers_changes_nothing(store):
    many = [job(str(i)) for i in range(12)]
    apply(store, many)
    assert store.apply_snapshot(BOARD, many[:3], close_after_misses=1, now=NOW, route=to_channel).held
    recovered = store.apply_snapshot(BOARD, many, close_after_misses=1, now=NOW, route=to_channel)
    assert recovered.held is None and recovered.events == []
    assert board_of(store).suspect_since is None


def test_validators_are_kept_for_the_next_fetch(store):
    apply(store, [job("1")], etag='W/"abc"', last_modified="Tue, 24 Nov 2026 08:00:00 GMT")
    state = store.fetch_state(BOARD)
    assert (state.etag, state.last_modified, state.baselined, state.last_full_at) == (
        'W/"abc"',
        "Tue, 24 Nov 2026 08:00:00 GMT",
        True,
        NOW,
    )
    store.record_not_modified(BOARD, NOW + timedelta(minutes=15))
    assert board_of(store).last_success_at == NOW + timedelta(minutes=15)


def test_incremental_snapshot_keeps_absent_postings_open(store):
    apply(store, [job("1"), job("2")])
    applied = store.apply_snapshot(
        BOARD, [job("3")], close_after_misses=1, now=NOW, route=to_channel, complete=False
    )
    assert [e.kind for e in applied.events] == ["opened"]
    assert board_of(store).open_postings == 3


def test_the_same_change_from_two_sources_is_queued_once(store):
    aggregator = BoardRef("bluedoor", "company=Acme")
    store.sync_boards([aggregator], NOW)
    direct = Posting("ashby", "acme", "abc-1", "Engineer", company="Acme")
    via = Posting("bluedoor", "company=Acme", "bd-9", "Engineer", company="Acme", same_as="ashby:abc-1")
    for ref in (BOARD, aggregator):
        store.apply_snapshot(ref, [], close_after_misses=2, now=NOW, route=to_channel)
    ashby_board = store.apply_snapshot(BOARD, [direct], close_after_misses=2, now=NOW, route=to_channel)
    later = NOW + timedelta(hours=1)
    bluedoor_board = store.apply_snapshot(
        aggregator, [via], close_after_misses=2, now=later, route=to_channel
    )
    assert [e.kind for e in ashby_board.events] == ["opened"] and [e.kind for e in bluedoor_board.events] == [
        "opened"
    ]
    assert [q.pending.event.posting.source for q in store.queued("c", None)] == ["ashby"]


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
    quiet = store.apply_snapshot(
        BOARD, [job("1"), job("2")], close_after_misses=2, now=later, route=to_channel
    )
    assert quiet.events == []
    with store.engine.connect() as conn:
        rows = {r.external_id: r for r in conn.execute(sa.select(postings))}
    assert rows["1"].fingerprint == job("1").fingerprint and rows["1"].changed_at == later  # backfilled once
    assert rows["2"].changed_at == before["2"]  # untouched
