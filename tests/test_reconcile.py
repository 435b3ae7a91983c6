from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from alerts.model import Posting
from alerts.reconcile import StoredPosting, reconcile, suspect_reason

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)


def job(external_id: str, title: str = "Engineer", **fields) -> Posting:
    return Posting("greenhouse", "acme", external_id, title, **fields)


def run(stored, snapshot, *, baseline=False, misses=2):
    return reconcile(stored, snapshot, baseline=baseline, close_after_misses=misses, now=NOW)


def test_baseline_marks_every_posting_and_stores_it():
    out = run({}, [job("1"), job("2")], baseline=True)
    assert out.baseline is True
    assert [e.kind for e in out.events] == ["opened", "opened"]
    assert set(out.changed) == {"1", "2"}


def test_new_posting_is_opened_with_board_key():
    out = run({"1": StoredPosting(job("1"))}, [job("1"), job("2", "Designer")])
    assert [(e.kind, e.external_id, e.board_key) for e in out.events] == [("opened", "2", "greenhouse:acme")]
    assert set(out.changed) == {"2"}  # the unchanged posting is not rewritten


def test_tracked_change_is_updated_with_old_and_new():
    out = run(
        {"1": StoredPosting(job("1", department="Sales"))}, [job("1", "Staff Engineer", department="Finance")]
    )
    (event,) = out.events
    assert event.kind == "updated"
    assert event.changes == {"title": ["Engineer", "Staff Engineer"], "department": ["Sales", "Finance"]}


def test_salary_change_reads_as_one_field():
    old = job("1", salary_min=100, salary_max=120, salary_currency="USD", salary_period="year")
    new = job("1", salary_min=100, salary_max=130, salary_currency="USD", salary_period="year")
    (event,) = run({"1": StoredPosting(old)}, [new]).events
    assert event.changes == {"salary": ["USD 100-120 per year", "USD 100-130 per year"]}


def test_untracked_change_is_stored_silently():
    out = run({"1": StoredPosting(job("1", url="https://a"))}, [job("1", url="https://b")])
    assert out.events == []
    assert out.changed["1"].posting.url == "https://b"


@pytest.mark.parametrize("misses", [1, 2, 3])
def test_closed_only_after_enough_consecutive_misses(misses):
    stored = {"1": StoredPosting(job("1")), "2": StoredPosting(job("2"))}
    for round_ in range(1, misses + 1):
        out = run(stored, [job("1")], misses=misses)
        stored = {**stored, **out.changed}
        kinds = [e.kind for e in out.events]
        assert kinds == (["closed"] if round_ == misses else [])
    assert stored["2"].state == "closed"


def test_a_miss_is_forgiven_when_the_posting_comes_back():
    stored = {"1": StoredPosting(job("1"), misses=1)}
    out = run(stored, [job("1")])
    assert out.events == []
    assert out.changed["1"].misses == 0


def test_closed_posting_that_returns_is_reopened():
    out = run({"1": StoredPosting(job("1"), state="closed", misses=2)}, [job("1")])
    assert [e.kind for e in out.events] == ["reopened"]
    assert out.changed["1"].state == "open"


def test_closed_posting_stays_quiet_while_absent():
    out = run({"1": StoredPosting(job("1"), state="closed", misses=2)}, [])
    assert out.events == [] and out.changed == {}


def test_duplicate_ids_in_one_snapshot_count_once():
    out = run({}, [job("1", "A"), job("1", "B")])
    assert [(e.kind, e.posting.title) for e in out.events] == [("opened", "A")]


def test_source_marked_inactive_closes_at_once():
    stored = {"1": StoredPosting(job("1")), "2": StoredPosting(job("2"))}
    out = run(stored, [job("1"), replace(job("2"), active=False)])
    assert [(e.kind, e.external_id) for e in out.events] == [("closed", "2")]
    assert out.changed["2"].state == "closed" and "2" in out.fresh


def test_inactive_posting_never_seen_is_stored_closed_silently():
    out = run({}, [replace(job("9"), active=False)])
    assert out.events == [] and out.changed["9"].state == "closed"


def test_inactive_then_active_again_is_reopened():
    out = run({"1": StoredPosting(job("1"), state="closed")}, [job("1")])
    assert [e.kind for e in out.events] == ["reopened"]


def test_incremental_snapshot_counts_no_misses():
    stored = {"1": StoredPosting(job("1")), "2": StoredPosting(job("2"))}
    out = reconcile(stored, [job("3")], baseline=False, close_after_misses=1, now=NOW, complete=False)
    assert [e.kind for e in out.events] == ["opened"]
    assert set(out.changed) == {"3"}


@pytest.mark.parametrize(
    ("stored_count", "kept", "suspect"),
    [
        (1, 0, True),  # to zero: always suspect
        (30, 0, True),
        (10, 4, True),  # lost 6 of 10
        (10, 5, False),  # lost exactly half
        (9, 1, False),  # small boards may shrink
        (0, 0, False),  # nothing to lose
    ],
)
def test_suspect_drops(stored_count, kept, suspect):
    stored = {str(i): StoredPosting(job(str(i))) for i in range(stored_count)}
    snapshot = [job(str(i)) for i in range(kept)]
    assert (suspect_reason(stored, snapshot) is not None) is suspect


def test_closed_postings_do_not_count_towards_a_drop():
    stored = {str(i): StoredPosting(job(str(i)), state="closed") for i in range(20)}
    assert suspect_reason(stored, []) is None


def test_a_detail_that_arrives_late_fills_in_what_was_unknown_silently():
    bare = job("1", location=None, work_model="unknown")
    whole = job("1", location="Berlin", work_model="hybrid", salary_min=100, salary_currency="EUR")
    out = reconcile(
        {"1": StoredPosting(bare)},
        [whole],
        baseline=False,
        close_after_misses=2,
        now=NOW,
        filled=frozenset({"1"}),
    )
    assert out.events == [] and out.changed["1"].posting == whole  # written, not announced
    # A field that had a value and now has another is a change, filled or not.
    moved = replace(whole, title="Staff Engineer")
    out = reconcile(
        {"1": StoredPosting(bare)},
        [moved],
        baseline=False,
        close_after_misses=2,
        now=NOW,
        filled=frozenset({"1"}),
    )
    assert [e.changes for e in out.events] == [{"title": ["Engineer", "Staff Engineer"]}]
    # Without the mark, the same is an update.
    assert [e.kind for e in run({"1": StoredPosting(bare)}, [whole]).events] == ["updated"]
