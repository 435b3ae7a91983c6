"""Workday keys stick to the path a posting was listed at (keys.py): a repost
keeps its requisition's key, and a requisition listed under two paths never
has a key move from one listed path to the other, so taking one of them down
is no false close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cycle_worlds import Run, Workday, config
from pytest_httpserver import HTTPServer

from alerts.sources.workday.keys import assign, identify

from reach_support import workday_row


def row(path: str, requisition: str = "JR1") -> dict[str, Any]:
    return {"title": "T", "externalPath": path, "bulletFields": [requisition]}


FIRST, SECOND, THIRD = row("/job/X/T_JR1"), row("/job/X/T_JR1-1"), row("/job/X/T_JR1-2")


def test_without_memory_the_shortest_path_takes_the_requisition_id() -> None:
    assert list(identify([SECOND, FIRST])) == ["JR1", "/job/X/T_JR1-1"]


def test_a_repost_replacing_its_original_keeps_the_key() -> None:
    keys = assign([SECOND], {"JR1": "/job/X/T_JR1"}, {})
    assert keys.rows == {"JR1": SECOND} and keys.carried == {} and keys.shared == {}


def test_a_key_never_moves_between_listed_paths() -> None:
    # The `-1` posting took the key when the original was gone; the original
    # (a shorter path) comes back: each keeps what it had, or gets its path.
    keys = assign([FIRST, SECOND], {"JR1": "/job/X/T_JR1-1"}, {})
    assert keys.rows == {"JR1": SECOND, "/job/X/T_JR1": FIRST}
    assert keys.shared == {"JR1": ["/job/X/T_JR1", "JR1"]}


def test_one_of_two_postings_taken_down_is_carried_either_way() -> None:
    known = {"JR1": "/job/X/T_JR1", "/job/X/T_JR1-1": "/job/X/T_JR1-1"}
    shared = {"JR1": ["/job/X/T_JR1-1", "JR1"]}
    first_gone = assign([SECOND], known, shared)
    assert first_gone.rows == {"/job/X/T_JR1-1": SECOND} and first_gone.carried == {"JR1": "JR1"}
    second_gone = assign([FIRST], known, shared)
    assert second_gone.rows == {"JR1": FIRST} and second_gone.carried == {"/job/X/T_JR1-1": "JR1"}
    # A third posting of the requisition: a key of its own; the carried one stays carried.
    third = assign([FIRST, THIRD], known, shared)
    assert third.rows == {"JR1": FIRST, "/job/X/T_JR1-2": THIRD}
    assert third.carried == {"/job/X/T_JR1-1": "JR1"}
    assert third.shared == {"JR1": ["/job/X/T_JR1-1", "/job/X/T_JR1-2", "JR1"]}


def test_a_requisition_no_longer_listed_carries_nothing() -> None:
    known = {"JR1": "/job/X/T_JR1", "/job/X/T_JR1-1": "/job/X/T_JR1-1"}
    other = row("/job/X/T_JR2", "JR2")
    keys = assign([other], known, {"JR1": ["/job/X/T_JR1-1", "JR1"]})
    assert keys.rows == {"JR2": other} and keys.carried == {} and keys.shared == {}


class TwoListings(Workday):
    """One requisition posted twice at once (a second posting of JR...,
    path `..._JR0001001-1`), as Workday allows: one requisition, several
    job postings (another location, another site)."""

    both: set[int] = set()  # listed as the original and as `-1`
    only_second: set[int] = set()  # only the `-1` posting is still listed

    def sync(self) -> None:
        rows = []
        for number, title in sorted(self.jobs.items()):
            row = workday_row(number, title=title)
            second = dict(row, externalPath=row["externalPath"] + "-1")
            if number in self.only_second:
                rows.append(second)
            else:
                rows.append(row)
                if number in self.both:
                    rows.append(second)
        self.tenant.rows[:] = rows


def test_workday_no_false_close_when_one_of_two_postings_of_a_requisition_goes(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    world = TwoListings(httpserver)
    for number in range(3):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world)
    run()  # baseline
    world.both = {1}
    run()  # the second posting of JR0001001 opens (a posting of its own)
    world.both, world.only_second = set(), {1}  # the first posting is taken down
    events = [run()[0] for _ in range(3)]  # enough polls for a close after misses
    closed = [e for poll in events for e in poll if e[0] == "closed"]
    # The `-1` posting is still listed, so nothing may be announced closed.
    # On main: its key (its path) moves to the requisition id, and the path
    # key is "closed" after two misses while the job is open.
    assert closed == []


class TwoPostings(Workday):
    """Requisitions listed under the original path, the `-1` path, or both."""

    listed: dict[int, tuple[str, ...]] = {}  # number -> which of "", "-1"

    def sync(self) -> None:
        rows = []
        for number, title in sorted(self.jobs.items()):
            base = workday_row(number, title=title)
            for suffix in self.listed.get(number, ("",)):
                rows.append(dict(base, externalPath=base["externalPath"] + suffix))
        self.tenant.rows[:] = rows


def test_the_second_posting_taken_down_is_no_close_either(httpserver: HTTPServer, tmp_path: Path) -> None:
    world = TwoPostings(httpserver)
    for number in range(3):
        world.open(number)
    run = Run(config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}"), world)
    run()  # baseline
    world.listed = {1: ("", "-1")}
    opened, _ = run()
    assert [kind for kind, *_ in opened] == ["opened"]  # a posting of its own
    world.listed = {1: ("",)}  # the `-1` posting is taken down; the original stays
    assert [run()[0] for _ in range(3)] == [[], [], []]
    world.listed = {1: ()}  # the requisition is gone: both close together
    run()
    events, _ = run()
    assert sorted(kind for kind, *_ in events) == ["closed", "closed"]
