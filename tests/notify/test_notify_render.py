from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

import pytest

from alerts.notify import render_message, sample_items
from alerts.notify.render import TEMPLATE_NAMES

SEED_TITLE = "Order Management & Billing Lead, Cloud Marketplaces & Partnerships - AWS"
SEED_URL = "https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943"
SAMPLE_SUBJECT = "1 new, 1 reopened, 1 updated, 1 closed: OpenAI"


def test_built_in_templates_ship_inside_the_package() -> None:
    folder = files("alerts.notify") / "templates"
    for name in TEMPLATE_NAMES.values():
        assert (folder / name).is_file(), name


def test_sample_items_are_one_of_each_kind_about_the_seed_job() -> None:
    items = sample_items()
    assert sorted(i.event.kind for i in items) == ["closed", "opened", "reopened", "updated"]
    posting = items[0].event.posting
    assert (posting.company, posting.title, posting.department) == ("OpenAI", SEED_TITLE, "Finance")
    assert (posting.location, posting.work_model, posting.board_key) == (
        "San Francisco",
        "hybrid",
        "ashby:openai",
    )
    assert posting.url == SEED_URL


@pytest.mark.parametrize(
    ("body_format", "shown_title", "change"),
    [
        ("text", SEED_TITLE, "work model: onsite -> hybrid"),
        ("markdown", SEED_TITLE, "work model: onsite → hybrid"),
        ("html", SEED_TITLE.replace("&", "&amp;"), "work model: onsite &rarr; hybrid"),
    ],
)
def test_each_format_shows_every_event(body_format: str, shown_title: str, change: str) -> None:
    message = render_message(sample_items(), body_format)

    assert message.title == SAMPLE_SUBJECT
    assert message.body_format == body_format
    body = message.body
    assert body.count(shown_title) == 4
    # Email's cards also link an Apply form (SEED_URL + "/application").
    assert body.count(f'href="{SEED_URL}"' if body_format == "html" else SEED_URL) == 4
    for word in ("OpenAI", "Finance", "San Francisco", "hybrid", "team: Order to Cash", change):
        assert word in body, word
    for label in ("New", "Reopened", "Updated", "Closed"):
        assert label.lower() in body.lower()
    # Subscriptions are named, once per event that matched them (and once
    # more in the email's footer, which says why the mail came).
    footer = 1 if body_format == "html" else 0
    assert body.count("finance-hybrid") == 4 + footer
    assert body.count("openai-everything") == 3 + footer


def test_text_is_plain_with_links_written_out() -> None:
    body = render_message(sample_items(), "text").body
    assert "<" not in body and "](" not in body and "**" not in body
    assert f"\n    {SEED_URL}\n" in body


def test_html_links_and_marks_closed() -> None:
    body = render_message(sample_items(), "html").body
    assert f'<a href="{SEED_URL}" ' in body  # styled inline, as mail clients need
    assert "<s><a href" in body  # the closed posting is struck through


def test_markdown_links_the_title() -> None:
    body = render_message(sample_items(), "markdown").body
    assert f"[{SEED_TITLE}]({SEED_URL})" in body


def test_companies_in_the_order_their_first_story_began_then_stories_in_time_order(make_item) -> None:
    # Issue 10, item 5: this was "by company, then kind, then title"; a message
    # now tells what happened in the order it happened.
    def at(minute: int) -> datetime:
        return datetime(2026, 6, 1, 9, minute, tzinfo=UTC)

    items = [
        make_item("closed", title="Zeta", company="stripe", at=at(5)),
        make_item("opened", title="Beta", company="OpenAI", at=at(3)),
        make_item("updated", title="Alpha", company="OpenAI", changes={"team": ["A", "B"]}, at=at(1)),
        make_item("opened", title="Alpha2", company="OpenAI", at=at(4)),
        make_item("reopened", title="Gamma", company="Plaid", at=at(2)),
        make_item("opened", title="Delta", company=None, board_token="lever:acme", at=at(6)),
    ]
    body = render_message(items, "text").body
    order = ["OpenAI", "UPDATED: Alpha", "NEW: Beta", "NEW: Alpha2", "Plaid", "stripe", "lever:acme"]
    positions = [body.index(word) for word in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("kinds", "companies", "subject"),
    [
        (["opened"], ["OpenAI"], "1 new: OpenAI"),
        (
            ["opened", "opened", "closed"],
            ["Stripe", "OpenAI", "OpenAI"],
            "2 new, 1 closed: OpenAI, Stripe",
        ),
        (["updated"] * 5, ["E", "d", "C", "b", "A"], "5 updated: A, b, C +2 more"),
        (["reopened", "closed"], ["A", "B"], "1 reopened, 1 closed: A, B"),
    ],
)
def test_subject_counts_kinds_and_names_companies(make_item, kinds, companies, subject) -> None:
    items = [
        make_item(k, company=c, title=f"t{n}") for n, (k, c) in enumerate(zip(kinds, companies, strict=True))
    ]
    assert render_message(items, "text").title == subject


def test_no_items_still_renders() -> None:
    message = render_message([], "markdown")
    assert message.title == "No job changes"


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="body format"):
        render_message(sample_items(), "rtf")


def test_updated_from_nothing_reads_none(make_item) -> None:
    item = make_item("updated", changes={"salary": [None, "USD 150,000-180,000 per year"]})
    body = render_message([item], "text").body
    assert "salary: none -> USD 150,000-180,000 per year" in body
