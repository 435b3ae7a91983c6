"""Which body each kind of channel gets, and what happens when it is long."""

from __future__ import annotations

from dataclasses import replace

import pytest

from alerts.model import Delivery
from alerts.notify import sample_items
from alerts.notify.compose import SPLIT_MIN_CHARS, compose, target_for
from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP

from delivery_support import HOSTILE

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
# An SMS service (160 characters a message); never contacted here.
SMS_URL = (
    "twilio://AC12345678901234567890123456789012:abcdefabcdefabcdefabcdefabcdefab@15551234567/15557654321"
)
MAIL_URL = "mailto://127.0.0.1:2525/?from=a@example.com&to=b@example.com"


def many(count: int, title: str = "Senior Software Engineer, Platform Team") -> list[Delivery]:
    base = sample_items()[0]
    items = []
    for n in range(count):
        posting = replace(
            base.event.posting,
            external_id=f"id-{n:03d}",
            title=f"{title} {n:03d}",
            url=f"https://jobs.example.com/{n:03d}",
        )
        event = replace(base.event, posting=posting, external_id=posting.external_id)
        items.append(Delivery(n + 1, "c", event, base.subscriptions))
    return items


@pytest.mark.parametrize(
    ("url", "override", "written", "sent", "marker"),
    [
        (MAIL_URL, None, "html", "html", "<h2"),
        (SLACK_URL, None, "markdown", "markdown", "- **New:** ["),
        (DISCORD_URL, None, "markdown", "text", "](<https://"),
        (DISCORD_URL + "?format=markdown", None, "markdown", "markdown", "](<https://"),
        ("json://127.0.0.1:8080/hook", None, "text", "text", "NEW: "),
        ("console://", None, "text", "text", "NEW: "),
        (SMS_URL, None, "text", "text", "New: "),
        (SLACK_URL, "text", "text", "text", "NEW: "),
        (MAIL_URL, "text", "text", "text", "NEW: "),
    ],
)
def test_each_channel_kind_gets_its_own_body(url, override, written, sent, marker):
    target = target_for(url, override)
    assert (target.body_format, target.send_format) == (written, sent)
    parts = compose(sample_items()[:1], target)
    assert marker in parts[0].message.body


def test_a_message_that_fits_is_one_part_with_every_row():
    (part,) = compose(sample_items(), target_for(DISCORD_URL))
    assert part.ids == (1, 2, 3, 4)
    assert part.message.title == "1 new, 1 reopened, 1 updated, 1 closed: OpenAI"


def test_discord_parts_fit_2000_characters_with_their_title():
    items = many(60)
    parts = compose(items, target_for(DISCORD_URL))
    assert len(parts) > 2
    for number, part in enumerate(parts, start=1):
        assert len(part.message.title) + 2 + len(part.message.body) <= 2000
        assert part.message.title.endswith(f" ({number}/{len(parts)})")
    assert sorted(i for part in parts for i in part.ids) == [item.id for item in items]


def test_an_event_too_long_for_any_message_is_cut_not_refused():
    (part,) = compose(many(1, title="x" * 5000), target_for(DISCORD_URL))
    assert len(part.message.title) + 2 + len(part.message.body) <= 2000
    assert part.message.body.endswith("…")


def test_sms_sized_services_get_and_n_more_with_a_link():
    items = many(5, title="Engineer")
    (part,) = compose(items, target_for(SMS_URL))
    message = part.message
    assert len(message.title) + 2 + len(message.body) <= 160 < SPLIT_MIN_CHARS
    assert message.title == "5 new: OpenAI"  # the title counts everything
    assert part.ids == (1, 2, 3, 4, 5)  # every row is accounted for: none repeats
    lines = message.body.splitlines()
    assert lines[0] == "New: Engineer 000 (OpenAI) https://jobs.example.com/000"
    assert lines[-1].startswith("...and ") and lines[-1].endswith("more, next: https://jobs.example.com/001")


@pytest.mark.parametrize("url", [DISCORD_URL, SLACK_URL, SMS_URL, "json://127.0.0.1:8080/hook", MAIL_URL])
def test_hostile_titles_stay_inert_for_every_channel_kind(url):
    base = sample_items()[0]
    posting = replace(base.event.posting, title=HOSTILE, company="Evil @here <!channel>")
    item = Delivery(1, "c", replace(base.event, posting=posting), ("s",))
    part = compose([item], target_for(url))[0]
    text = f"{part.message.title}\n{part.message.body}\n{part.text or ''}"
    target = target_for(url)
    if target.service in ("discord", "slack"):
        assert "@everyone" not in text and "@here" not in text
        assert f"@{ZWSP}everyone" in text
        assert "<!channel>" not in text
    if target.body_format == "html":
        assert "<script>" not in part.message.body
    if target.body_format == "markdown":
        assert "[x](http://evil)" not in part.message.body and r"\[x\]\(http://evil\)" in part.message.body
