"""Each posting's age and reposts in rendered messages, in every format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from alerts.model import Delivery, Repost, SourceText
from alerts.notify import render_message
from alerts.notify.context import ago, build_context, span

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
FORMATS = [("text", None), ("markdown", None), ("markdown", "discord"), ("html", None)]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 minute ago"),
        (59 * 60, "59 minutes ago"),
        (3600, "1 hour ago"),
        (23 * 3600 + 3599, "23 hours ago"),
        (86400, "1 day ago"),
        (3 * 86400 + 3600, "3 days ago"),
        (59 * 86400, "59 days ago"),
        (60 * 86400, "2 months ago"),
        (125 * 86400, "4 months ago"),
        (729 * 86400, "24 months ago"),
        (730 * 86400, "2 years ago"),
        (-3600, "just now"),  # a date in the future (clock skew) is now
    ],
)
def test_ago(seconds: int, text: str) -> None:
    assert ago(NOW - timedelta(seconds=seconds), NOW) == text


def test_span_is_singular_for_one() -> None:
    assert (span(86400), span(2 * 86400), span(365 * 86400 * 3)) == ("1 day", "2 days", "3 years")


def aged(make_item: Callable[..., Delivery], kind: str = "opened", **posting) -> Delivery:
    item = make_item(kind, **posting)
    return replace(item, event=replace(item.event, occurred_at=NOW - timedelta(hours=1)))


@pytest.mark.parametrize(("body_format", "service"), FORMATS)
def test_posted_age_from_the_source_date_in_every_format(make_item, body_format, service) -> None:
    item = aged(make_item, posted_at=NOW - timedelta(days=3, hours=2))
    body = render_message([item], body_format, service=service, now=NOW).body
    assert body.count("posted 3 days ago") == 1
    assert "first seen" not in body


@pytest.mark.parametrize(("body_format", "service"), FORMATS)
def test_first_seen_when_the_source_gives_no_date(make_item, body_format, service) -> None:
    ghost = aged(make_item, "updated", title="Ghost job", changes=None)
    ghost = replace(ghost, event=replace(ghost.event, first_seen_at=NOW - timedelta(days=130)))
    reopened = aged(make_item, "reopened", title="Back again")
    reopened = replace(reopened, event=replace(reopened.event, first_seen_at=NOW - timedelta(days=1)))
    # New and without a date: first seen by this very event, as "New" says.
    new = aged(make_item, "opened", title="Fresh job")
    new = replace(new, event=replace(new.event, first_seen_at=new.event.occurred_at))
    unknown = aged(make_item, "closed", title="Closed job")  # neither known: no age at all
    body = render_message([ghost, reopened, new, unknown], body_format, service=service, now=NOW).body
    assert "first seen 4 months ago" in body and "first seen 1 day ago" in body
    assert body.count("first seen") == 2 and "posted " not in body


@pytest.mark.parametrize(("body_format", "service"), FORMATS)
def test_a_repost_is_labelled_and_links_the_earlier_posting(make_item, body_format, service) -> None:
    earlier = Repost(
        "ashby:openai",
        "old-1",
        "https://jobs.example.com/old-1",
        NOW - timedelta(days=95),
        NOW - timedelta(days=4),
    )
    item = aged(make_item, url="https://jobs.example.com/new-1", posted_at=NOW - timedelta(days=1))
    item = replace(item, event=replace(item.event, reposts=earlier))
    message = render_message([item, aged(make_item, title="Another")], body_format, service=service, now=NOW)
    assert message.title == "1 new, 1 reposted: OpenAI"
    body = message.body
    assert "Reposted" in body or "REPOSTED" in body
    assert "https://jobs.example.com/old-1" in body and "https://jobs.example.com/new-1" in body
    assert "(closed 4 days ago), open 3 months in total" in body
    still_open = replace(item, event=replace(item.event, reposts=replace(earlier, closed_at=None, url=None)))
    body = render_message([still_open], body_format, service=service, now=NOW).body
    assert "reposts an earlier posting (still open), open 3 months in total" in body


def test_counts_and_context_keys_stay_and_grow(make_item) -> None:
    earlier = Repost("ashby:openai", "old-1", None, NOW - timedelta(days=95))
    item = aged(make_item)
    repost = replace(item, event=replace(item.event, reposts=earlier, first_seen_at=NOW))
    context = build_context([item, repost], "text", None, NOW)
    assert context["counts"] == {
        "opened": 2,
        "reopened": 0,
        "updated": 0,
        "closed": 0,
        "total": 2,
        "reposted": 1,
    }
    first, second = context["groups"][0]["events"]
    old_keys = {"kind", "label", "posting", "changes", "subscriptions", "occurred_at"}
    assert old_keys | {"first_seen_at", "age", "repost"} == set(first)
    assert (first["label"], second["label"]) == ("New", "Reposted")
    assert first["repost"] is None and second["repost"]["closed"] == "still open"


def test_templates_see_an_escaped_excerpt_of_the_description(make_item, tmp_path) -> None:
    text = "<b>Visa</b> sponsorship & more. " + "word " * 200
    item = make_item(description_source=SourceText(text))
    excerpt = build_context([item], "text", None, NOW)["groups"][0]["events"][0]["posting"]["description"]
    assert excerpt.startswith("<b>Visa</b> sponsorship & more. word") and excerpt.endswith("word…")
    assert len(excerpt) <= 301
    template = tmp_path / "mine.html.j2"
    template.write_text(
        "{% for g in groups %}{% for e in g.events %}{{ e.posting.description }}{% endfor %}{% endfor %}"
    )
    body = render_message([item], "html", template=template, now=NOW).body
    assert body.startswith("&lt;b&gt;Visa&lt;/b&gt; sponsorship &amp; more.")
    plain = make_item()
    assert (
        build_context([plain], "text", None, NOW)["groups"][0]["events"][0]["posting"]["description"] is None
    )
