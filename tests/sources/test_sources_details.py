"""The detail cache's rules, with a counting fake in place of the HTTP
requests (the sources' own tests do the same over real sockets)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.sources import details
from alerts.sources.base import TimeBox
from alerts.sources.cache import MemoryCache
from alerts.sources.details import BOARD, gather_details, settle


class Details:
    """fetch_one for gather_details: counts calls, fails where told."""

    def __init__(self, failing: dict[str, SourceError] | None = None):
        self.asked: list[str] = []
        self.failing = failing or {}

    async def __call__(self, key: str) -> tuple[Any, int]:
        self.asked.append(key)
        await asyncio.sleep(0)
        if key in self.failing:
            raise self.failing[key]
        return {"detail of": key}, 1


def run(cache: MemoryCache | None, wanted: dict[str, str], fetch: Details, **kwargs: Any) -> details.Details:
    return asyncio.run(gather_details(cache, wanted, fetch, **kwargs))


def settled(entries: dict[str, tuple[str, Any]] | None = None) -> MemoryCache:
    return MemoryCache({BOARD: (BOARD, {"settled": True}), **(entries or {})})


def test_only_new_and_changed_entries_are_fetched() -> None:
    cache = settled({"a": ("sig-a", {"old": "a"}), "b": ("old-sig", {"old": "b"})})
    fetch = Details()
    got = run(cache, {"a": "sig-a", "b": "sig-b", "c": "sig-c"}, fetch)
    assert sorted(fetch.asked) == ["b", "c"]
    assert got.data == {"a": {"old": "a"}, "b": {"detail of": "b"}, "c": {"detail of": "c"}}
    assert got.requests == 2 and got.fetched == 2 and not got.deferred and not got.failed
    # What was fetched is kept under its new signature.
    assert cache.entries["b"] == ("sig-b", {"detail of": "b"}) and cache.entries["c"][0] == "sig-c"


def test_a_steady_board_costs_nothing() -> None:
    cache = settled({f"k{i}": (f"s{i}", {"n": i}) for i in range(100)})
    fetch = Details()
    got = run(cache, {f"k{i}": f"s{i}" for i in range(100)}, fetch)
    assert fetch.asked == [] and got.requests == 0 and len(got.data) == 100


def test_a_settled_board_fetches_at_most_the_budget_new_ones_wait() -> None:
    cache = settled({"changed": ("old", {"old": True})})
    fetch = Details()
    wanted = {f"new{i:02d}": "s" for i in range(10)} | {"changed": "new"}
    got = run(cache, wanted, fetch, budget=4)
    # New entries first: a changed one keeps its last detail meanwhile.
    assert fetch.asked == ["new00", "new01", "new02", "new03"]
    assert got.deferred == [f"new{i:02d}" for i in range(4, 10)]
    assert got.data["changed"] == {"old": True}
    assert any("6 new postings wait" in note for note in got.notes)


def test_an_unsettled_board_fetches_everything_it_needs() -> None:
    # Up to CATCH_UP_MAX: what it leaves out joins the baseline silently
    # (the store keeps the board unbaselined while postings wait).
    fetch = Details()
    got = run(MemoryCache(), {f"k{i}": "s" for i in range(30)}, fetch, budget=4)
    assert len(fetch.asked) == 30 and got.deferred == []


def test_no_cache_fetches_everything() -> None:
    fetch = Details()
    got = run(None, {"a": "1", "b": "2"}, fetch)
    assert sorted(fetch.asked) == ["a", "b"] and len(got.data) == 2


def test_soft_failures_leave_the_key_without_detail() -> None:
    cache = settled({"b": ("old", {"old": "b"})})
    broken = SourceError("x:y", "server error", status=500)
    fetch = Details(failing={"a": broken, "b": broken})
    got = run(cache, {"a": "1", "b": "2", "c": "3"}, fetch)
    assert sorted(got.failed) == ["a", "b"]
    assert "a" not in got.data and got.data["b"] == {"old": "b"}  # last known detail kept
    assert cache.entries["b"] == ("old", {"old": "b"})  # asked again next poll
    assert got.data["c"] == {"detail of": "c"}


def test_a_host_that_refuses_every_detail_is_left_alone_after_a_few() -> None:
    refused = SourceError("x:y", "access denied", status=403)
    wanted = {f"k{i:03d}": "s" for i in range(200)}
    fetch = Details(failing=dict.fromkeys(wanted, refused))
    got = run(MemoryCache(), wanted, fetch)
    assert len(fetch.asked) < details.GIVE_UP_AFTER + details.CONCURRENCY
    assert len(got.failed) == 200 and got.data == {}
    assert any("failed in a row (access denied)" in note for note in got.notes)


def test_a_long_retry_after_stops_the_details_at_once() -> None:
    slow = SourceError("x:y", "rate limited", status=429, retry_after=3600)
    fetch = Details(failing={"k00": slow})
    got = run(MemoryCache(), {f"k{i:02d}": "s" for i in range(50)}, fetch, concurrency=1)
    assert fetch.asked == ["k00"] and len(got.failed) == 50


def test_a_hard_failure_raises_and_keeps_the_progress() -> None:
    cache = MemoryCache()
    broken = SourceError("x:y", "server error", status=500)
    wanted = {f"k{i:03d}": "s" for i in range(details.BATCH + 10)}
    fetch = Details(failing={f"k{details.BATCH + 5:03d}": broken})
    with pytest.raises(SourceError):
        run(cache, wanted, fetch, soft=False, concurrency=1)
    # The first batch is cached: the next poll starts from there.
    assert len(cache.entries) >= details.BATCH
    again = Details()
    run(cache, wanted, again)
    assert len(again.asked) <= 10


def test_settle_keeps_the_listed_keys_and_marks_the_board() -> None:
    cache = MemoryCache({"a": ("1", {}), "gone": ("1", {}), BOARD: (BOARD, {"company": "Old"})})
    asyncio.run(settle(cache, ["a"], {"company": "Acme"}, whole=True))
    assert set(cache.entries) == {"a", BOARD}
    assert cache.entries[BOARD][1] == {"company": "Acme", "settled": True}
    # Once settled, always: a poll with postings left waiting keeps the budget.
    asyncio.run(settle(cache, ["a"], {"company": "Acme"}, whole=False))
    assert cache.entries[BOARD][1] == {"company": "Acme", "settled": True}
    fresh = MemoryCache()
    asyncio.run(settle(fresh, [], {"company": None}, whole=False))
    assert fresh.entries[BOARD][1] == {"company": None}


class Slow(Details):
    """Each detail takes `seconds`; `hang` never answers."""

    def __init__(self, seconds: float, hang: frozenset[str] = frozenset()):
        super().__init__()
        self.seconds, self.hang = seconds, hang

    async def __call__(self, key: str) -> tuple[Any, int]:
        self.asked.append(key)
        await asyncio.sleep(3600 if key in self.hang else self.seconds)
        return {"detail of": key}, 1


def test_details_stop_when_their_time_runs_out_and_the_rest_wait() -> None:
    cache = MemoryCache()
    fetch = Slow(0.02)
    wanted = {f"k{i:03d}": "s" for i in range(200)}
    got = run(cache, wanted, fetch, time=TimeBox(time.monotonic() + 0.2, time.monotonic() + 0.3))
    assert 3 <= got.fetched < 200 and len(fetch.asked) < 200
    assert sorted(got.deferred) == sorted(set(wanted) - set(got.data))  # new ones wait, none failed
    assert not got.failed and len(cache.entries) == got.fetched
    assert any("wait for their details" in n and "time for details ran out" in n for n in got.notes)


def test_a_detail_in_flight_when_the_time_runs_out_is_dropped_and_waits() -> None:
    fetch = Slow(0.01, hang=frozenset({"k03"}))
    started = time.monotonic()
    got = run(
        MemoryCache(),
        {f"k{i:02d}": "s" for i in range(10)},
        fetch,
        time=TimeBox(started + 0.2, started + 0.3),
    )
    assert time.monotonic() - started < 5  # the hanging one did not hold the poll
    assert "k03" in got.deferred and "k03" not in got.data


def test_a_few_details_start_even_when_the_list_took_all_the_time() -> None:
    fetch = Slow(0.0)
    got = run(
        MemoryCache(),
        {f"k{i:02d}": "s" for i in range(10)},
        fetch,
        time=TimeBox(time.monotonic() - 1, time.monotonic() - 1),
    )
    assert len(fetch.asked) == details.CONCURRENCY and len(got.deferred) == 10 - details.CONCURRENCY


def test_a_host_that_starts_answering_429_is_left_alone_and_the_rest_wait() -> None:
    limited = SourceError("x:y", "rate limited", status=429)
    wanted = {f"k{i:03d}": "s" for i in range(100)}
    fetch = Details(failing={key: limited for key in list(wanted)[10:]})
    got = run(MemoryCache(), wanted, fetch, concurrency=1)
    assert len(fetch.asked) == 11  # ten answered, one 429, then nothing more
    assert len(got.data) == 10 and got.failed == ["k010"]
    assert sorted(got.deferred) == list(wanted)[11:]  # not shown from the list alone: they wait
    assert any("asks us to slow down" in note for note in got.notes)


def test_failures_in_a_row_stop_the_details_even_after_successes() -> None:
    broken = SourceError("x:y", "server error", status=500)
    wanted = {f"k{i:03d}": "s" for i in range(100)}
    fetch = Details(failing={key: broken for key in list(wanted)[20:]})
    got = run(MemoryCache(), wanted, fetch, concurrency=1)
    assert len(fetch.asked) == 20 + details.GIVE_UP_AFTER
    assert len(got.failed) == details.GIVE_UP_AFTER and len(got.deferred) == 100 - 20 - details.GIVE_UP_AFTER
    assert any("5 detail requests failed in a row (server error)" in note for note in got.notes)


def test_a_new_posting_whose_detail_failed_is_shown_bare_then_filled_in() -> None:
    cache = settled()
    broken = SourceError("x:y", "server error", status=500)
    got = run(cache, {"a": "1", "b": "1"}, Details(failing={"a": broken}), extra={"a": {"path": "/a"}})
    assert got.failed == ["a"] and got.bare == ["a"] and "a" not in got.data and got.owed
    assert cache.entries["a"] == (details.BARE, {"bare": True, "path": "/a"})  # remembered, with its extra
    # Still failing: still bare, never a detail made of the marker.
    got = run(cache, {"a": "1", "b": "1"}, Details(failing={"a": broken}))
    assert got.bare == ["a"] and "a" not in got.data and got.filled == []
    # New postings are asked first; the bare one after them, and filled in.
    fetch = Details()
    got = run(cache, {"a": "1", "b": "1", "c": "1"}, fetch)
    assert fetch.asked == ["c", "a"] and got.filled == ["a"] and got.bare == [] and not got.owed
    assert cache.entries["a"] == ("1", {"detail of": "a"})
