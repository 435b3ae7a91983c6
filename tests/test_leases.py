"""Leases on a real SQLite file and the real PostgreSQL: who polls which board."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from alerts.errors import StoreError
from alerts.model import BoardRef, Posting
from alerts.store import LeaseLost, ProcessLock, Store

from store_support import claim, record_not_modified, release

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
LEASE = timedelta(minutes=5)
REFS = [BoardRef("greenhouse", f"b{i}") for i in range(5)]
KEYS = [ref.key for ref in REFS]


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.upgrade()
    store.boards.sync_boards(REFS, NOW)
    yield store
    store.close()


def test_two_owners_never_hold_the_same_board(store):
    first = store.leases.claim_boards("a", KEYS, NOW, LEASE, limit=3)
    second = store.leases.claim_boards("b", KEYS, NOW, LEASE, limit=10)
    assert len(first) == 3 and len(second) == 2
    assert set(first).isdisjoint(second)
    assert store.leases.claim_boards("c", KEYS, NOW, LEASE, limit=10) == []


def test_expired_lease_is_taken_over(store):
    store.leases.claim_boards("dead", KEYS, NOW, LEASE, limit=10)
    later = NOW + LEASE + timedelta(seconds=1)
    assert sorted(store.leases.claim_boards("alive", KEYS, later, LEASE, limit=10)) == sorted(KEYS)


def test_only_due_boards_are_claimed_unless_asked(store):
    record_not_modified(store, REFS[0], NOW, next_poll_at=NOW + timedelta(minutes=10))
    assert REFS[0].key not in store.leases.claim_boards("a", KEYS, NOW, LEASE, limit=10)
    store.leases.release_all("a")
    assert REFS[0].key in store.leases.claim_boards("a", KEYS, NOW, LEASE, limit=10, due_only=False)


def test_release_hands_a_board_back(store):
    (key,) = store.leases.claim_boards("a", KEYS[:1], NOW, LEASE, limit=1)
    store.leases.release_board("b", key)  # not b's to release
    assert store.leases.claim_boards("b", [key], NOW, LEASE, limit=1) == []
    store.leases.release_board("a", key)
    assert store.leases.claim_boards("b", [key], NOW, LEASE, limit=1) == [key]


def test_a_snapshot_from_a_process_that_lost_its_lease_is_dropped(store):
    ref = REFS[0]
    store.leases.claim_boards("slow", [ref.key], NOW, LEASE, limit=1)
    later = NOW + LEASE * 2
    store.leases.claim_boards("fast", [ref.key], later, LEASE, limit=1)
    job = Posting("greenhouse", "b0", "1", "Engineer")
    with pytest.raises(LeaseLost):
        store.snapshots.apply(
            ref, [job], close_after_misses=2, now=later, route=lambda e, b: {}, owner="slow"
        )
    applied = store.snapshots.apply(
        ref, [job], close_after_misses=2, now=later, route=lambda e, b: {}, owner="fast"
    )
    assert applied.held is None


def test_named_leases(store):
    assert claim(store, "a", "channel:slack", NOW, LEASE)
    assert claim(store, "a", "channel:slack", NOW, LEASE)  # renewing your own
    assert not claim(store, "b", "channel:slack", NOW, LEASE)
    assert claim(store, "b", "channel:slack", NOW + LEASE * 2, LEASE)
    release(store, "b", "channel:slack")
    assert claim(store, "a", "channel:slack", NOW, LEASE)


def test_named_leases_many_at_once(store):
    names = ["channel:a", "channel:b", "channel:c"]
    assert store.leases.claim_many("x", names[:2], NOW, LEASE) == {"channel:a", "channel:b"}
    assert store.leases.claim_many("y", names, NOW, LEASE) == {"channel:c"}  # a and b are x's
    assert store.leases.renew("x", names, NOW, LEASE) == {"channel:a", "channel:b"}
    # x stalls past its lease; y takes b over, and x's renewal drops it (a
    # ran out too, but nobody took it: x keeps it).
    later = NOW + LEASE * 2
    assert store.leases.claim_many("y", names[1:], later, LEASE) == {"channel:b", "channel:c"}
    assert store.leases.renew("x", names, later, LEASE) == {"channel:a"}
    store.leases.release_many("x", names)  # hands back a; b and c are y's, untouched
    assert store.leases.claim_many("z", names, later, LEASE) == {"channel:a"}
    assert store.leases.renew("y", names, later, LEASE) == {"channel:b", "channel:c"}


def test_a_renewal_does_not_take_back_a_lease_taken_and_released_meanwhile(store):
    # x stalls past its lease; y takes the channel, delivers and releases it.
    # x's renewal must fail: what x loaded before stalling may have gone out.
    assert store.leases.claim_many("x", ["channel:a"], NOW, LEASE) == {"channel:a"}
    later = NOW + LEASE * 2
    assert store.leases.claim_many("y", ["channel:a"], later, LEASE) == {"channel:a"}
    store.leases.release_many("y", ["channel:a"])
    assert store.leases.renew("x", ["channel:a"], later, LEASE) == set()
    assert store.leases.claim_many("x", ["channel:a"], later, LEASE) == {"channel:a"}  # a fresh claim may


def test_sqlite_serves_one_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    first = ProcessLock(url)
    first.acquire()
    try:
        with pytest.raises(StoreError, match=f"already running on {tmp_path / 'alerts.db'}"):
            ProcessLock(url).acquire()
    finally:
        first.release()
    second = ProcessLock(url)
    second.acquire()  # free again once released
    second.release()


def test_postgres_needs_no_process_lock():
    lock = ProcessLock("postgresql://postgres@127.0.0.1/test")
    lock.acquire()
    assert lock.path is None
