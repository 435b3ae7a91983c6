"""Issue 10, item 5: one posting's events in one message are one story."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from alerts.model import Delivery
from alerts.notify import render_message
from alerts.notify.stories import stories


def at(minute: int) -> datetime:
    return datetime(2026, 6, 1, 9, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kinds", "kind", "label"),
    [
        (["opened"], "opened", "New"),
        (["closed", "reopened"], "reopened", "Reopened"),
        (["opened", "closed"], "closed", "Opened and closed"),
        (["reopened", "closed"], "closed", "Reopened and closed"),
        (["updated", "updated"], "updated", "Updated"),
        (["opened", "updated"], "opened", "New"),
        (["updated", "closed"], "closed", "Closed"),
        (["opened", "closed", "reopened"], "opened", "New"),
        (["updated", "closed", "reopened"], "reopened", "Reopened"),
        (["closed", "reopened", "closed"], "closed", "Closed"),
    ],
)
def test_a_postings_events_read_as_one_story(
    make_item: Callable[..., Delivery], kinds: list[str], kind: str, label: str
) -> None:
    # Handed over in reverse: the story follows the times, not the row order.
    items = [make_item(k, external_id="same", at=at(n)) for n, k in enumerate(kinds)][::-1]
    [story] = stories(items)
    assert (story.kind, story.label) == (kind, label)
    assert [e.kind for e in story.events] == kinds


def test_updates_merge_first_old_to_last_new_and_drop_what_came_back(make_item) -> None:
    items = [
        make_item("updated", external_id="x", at=at(1), changes={"title": ["A", "B"], "team": ["t1", "t2"]}),
        make_item("updated", external_id="x", at=at(2), changes={"title": ["B", "C"], "team": ["t2", "t1"]}),
    ]
    [story] = stories(items)
    assert story.changes == {"title": ["A", "C"]}
    body = render_message(items, "text").body
    assert "title: A -> C" in body and "team" not in body and body.count("UPDATED") == 1


def test_a_reopened_story_keeps_the_changes_it_came_back_with(make_item) -> None:
    items = [
        make_item("closed", external_id="x", at=at(1)),
        make_item("reopened", external_id="x", at=at(2), changes={"location": ["Paris", "Berlin"]}),
    ]
    body = render_message(items, "text").body
    assert "REOPENED:" in body and "CLOSED" not in body and "location: Paris -> Berlin" in body
    assert render_message(items, "text").title.startswith("1 reopened:")


def test_the_context_names_every_kind_of_a_story(make_item, tmp_path) -> None:
    template = tmp_path / "mine.txt.j2"
    template.write_text(
        "{% for g in groups %}{% for e in g.events %}{{ e.kind }}:{{ e.kinds | join('+') }}:"
        "{{ e.first_occurred_at.minute }}-{{ e.occurred_at.minute }}:{{ counts.total }}{% endfor %}{% endfor %}"
    )
    items = [make_item("opened", external_id="x", at=at(1)), make_item("closed", external_id="x", at=at(7))]
    assert render_message(items, "text", template=template).body == "closed:opened+closed:1-7:1"
