"""Descriptions in the store: kept as plain text, written when they change
(never an `updated` event), never parsed for an unchanged posting, and there
for keyword filters on stored postings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from alerts.config import Subscription
from alerts.filters import matches_posting
from alerts.model import BoardRef, Posting, SourceText
from alerts.sources.description import html_text
from alerts.store import Store
from alerts.store.tables import events, postings

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
BOARD = BoardRef("greenhouse", "acme")
parsed: list[str] = []


def counted_html_text(markup: str) -> str | None:
    parsed.append(markup)
    return html_text(markup)


def job(external_id: str, description: str, title: str = "Engineer") -> Posting:
    # A fresh SourceText each time, as each poll builds them.
    source = SourceText(f"<div><p>{description}</p></div>", counted_html_text)
    return Posting("greenhouse", "acme", external_id, title, company="Acme", description_source=source)


@pytest.fixture
def store(database_url):  # type: ignore[no-untyped-def]
    store = Store(database_url)
    store.upgrade()
    store.boards.sync_boards([BOARD], NOW)
    parsed.clear()
    yield store
    store.close()


def apply(store: Store, snapshot: list[Posting], minutes: int):  # type: ignore[no-untyped-def]
    return store.snapshots.apply(
        BOARD,
        snapshot,
        close_after_misses=2,
        now=NOW + timedelta(minutes=minutes),
        route=lambda event, baseline: {} if baseline else {"c": ["s"]},
    ).events


def stored(store: Store) -> dict[str, Posting]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(postings.c.external_id, postings.c.data)).all()
    return {key: Posting.from_dict(data) for key, data in rows}


def test_descriptions_are_stored_as_plain_text_and_changes_written_without_an_event(store) -> None:
    apply(store, [job("1", "Visa sponsorship &amp; relocation"), job("2", "Rust")], 0)
    assert stored(store)["1"].description == "Visa sponsorship & relocation"
    with store.engine.connect() as conn:
        raw = conn.execute(sa.select(postings.c.data).where(postings.c.external_id == "1")).scalar_one()
    assert raw["description"] == "Visa sponsorship & relocation"  # never the HTML
    assert "<p>" not in str(raw)

    assert apply(store, [job("1", "No sponsorship"), job("2", "Rust")], 15) == []  # not an update...
    assert stored(store)["1"].description == "No sponsorship"  # ...but written

    new = apply(store, [job("1", "No sponsorship"), job("2", "Rust"), job("3", "Go", title="Gopher")], 30)
    assert [e.kind for e in new] == ["opened"]
    with store.engine.connect() as conn:
        event_posting = conn.execute(sa.select(events.c.posting)).scalar_one()
    assert event_posting["description"] == "Go"


def test_a_steady_poll_parses_no_html(store) -> None:
    apply(store, [job(str(n), f"Description {n}") for n in range(50)], 0)
    assert len(parsed) == 50  # each stored once
    parsed.clear()
    assert apply(store, [job(str(n), f"Description {n}") for n in range(50)], 15) == []
    assert parsed == []  # recognised by fingerprint: no HTML parsed at all
    apply(store, [job(str(n), f"Description {n}" + (" changed" if n == 7 else "")) for n in range(50)], 30)
    assert len(parsed) == 1  # only the changed one


def test_keyword_filters_work_on_stored_postings(store) -> None:
    apply(store, [job("1", "We offer <b>visa</b> sponsorship."), job("2", "No relocation")], 0)
    wants = Subscription(name="s", boards=["greenhouse:acme"], channels=["c"], keywords=["visa sponsorship"])
    found = [key for key, posting in stored(store).items() if matches_posting(wants, posting)]
    assert found == ["1"]


def test_events_know_when_their_posting_was_first_seen(store) -> None:
    apply(store, [job("1", "a"), job("2", "b")], 0)
    (opened,) = apply(store, [job("1", "a"), job("2", "b"), job("3", "c")], 60)
    assert opened.first_seen_at == NOW + timedelta(minutes=60)
    changed = apply(store, [job("1", "a", title="Senior Engineer"), job("3", "c")], 120)
    changed += apply(store, [job("1", "a", title="Senior Engineer"), job("3", "c")], 180)
    assert {(e.kind, e.external_id, e.first_seen_at) for e in changed} == {
        ("updated", "1", NOW),
        ("closed", "2", NOW),
    }
    loaded = store.outbox.queued_many({"c": True}, None)["c"]  # as delivery reads them
    assert {(d.event.external_id, d.event.kind, d.event.first_seen_at) for d in loaded} == {
        ("3", "opened", NOW + timedelta(minutes=60)),
        ("1", "updated", NOW),
        ("2", "closed", NOW),
    }
