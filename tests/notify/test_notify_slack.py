"""Slack and Discord bodies as the services receive them (Apprise's own
request, caught by `responses`): Slack's mrkdwn without a stray backslash
or a posting's text read as formatting, Discord's Markdown with its links
in <>; mentions inert in both."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import responses

from alerts.model import Repost
from alerts.notify.compose import compose, target_for
from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP
from alerts.notify.escape import escape_slack
from alerts.notify.send import send

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
URL = "https://jobs.example.com/globex/sre-7"


def posted(url: str, items) -> list[dict]:
    endpoint = url.split("?", 1)[0]  # Apprise's own parameters are not sent
    with responses.RequestsMock() as caught:
        if "discord" in url:
            caught.add(responses.POST, endpoint, status=204)
        else:
            caught.add(responses.POST, endpoint, body="ok")
        for part in compose(items, target_for(url), now=NOW):
            assert send(url, part.message, tag="ch-x").status == "sent"
        payloads = [json.loads(call.request.body) for call in caught.calls]
    for payload in payloads:
        for attachment in payload.get("attachments", []):
            attachment.pop("ts", None)
    return payloads


@pytest.fixture
def update(make_item):
    """An update with salary and work model changes, posted 12 days ago."""
    return make_item(
        "updated",
        changes={"salary": ["USD 120,000-150,000 per year", "USD 135,000-165,000 per year"]},
        title="Site Reliability Engineer",
        company="Globex",
        department=None,
        location="United States",
        work_model="remote",
        salary_min=135000,
        salary_max=165000,
        salary_currency="USD",
        salary_period="year",
        url=URL,
        apply_url=f"{URL}/apply",
        posted_at=NOW - timedelta(days=12),
        subs=("remote-us",),
    )


@pytest.mark.parametrize(
    ("raw", "sent"),
    [
        ("*bold* _it_ ~gone~ `code`", "∗bold∗ ˍitˍ ∼gone∼ ˋcodeˋ"),  # look-alikes: Slack has no escape
        (
            "[x](http://evil) <b> #1 !",
            r"\[x\]\(http://evil\) \<b\> \#1 \!",
        ),  # Apprise drops these backslashes
        (
            "C:\\dir\\<x>",
            "C:\\" + ZWSP + "dir\\" + ZWSP + r"\<x\>",
        ),  # a posting's own backslash pairs with nothing
        ("R&D", "R&D"),  # Apprise writes &amp; itself
    ],
)
def test_escape_slack(raw: str, sent: str) -> None:
    assert escape_slack(raw) == sent


def test_slack_gets_clean_mrkdwn(update) -> None:
    (payload,) = posted(SLACK_URL, [update])
    assert payload["mrkdwn"] is True
    (attachment,) = payload["attachments"]
    assert attachment["title"] == "1 updated: Globex"
    assert attachment["text"] == (
        "*Globex*\n"
        f"- *Updated:* <{URL}|Site Reliability Engineer>\n"
        "  United States · remote · full time · $135K–$165K/yr\n"
        f"  _posted 12 days ago_ · <{URL}/apply|Apply>\n"
        "  salary: $120K–$150K/yr → $135K–$165K/yr\n"
        "  _matched: remote-us_"
    )


def test_discord_gets_its_markdown(update) -> None:
    (payload,) = posted(DISCORD_URL, [update])
    assert payload["content"] == (
        "1 updated: Globex\r\n"
        "**Globex**\n"
        f"- **Updated:** [Site Reliability Engineer](<{URL}>)\n"
        "  United States · remote · full time · $135K–$165K/yr\n"
        f"  _posted 12 days ago_ · [Apply](<{URL}/apply>)\n"
        "  - salary: $120K–$150K/yr → $135K–$165K/yr\n"
        "  _matched: remote-us_"
    )


def test_a_repost_and_a_closed_job_in_slack(make_item) -> None:
    earlier = Repost("ashby:openai", "old-1", "https://jobs.example.com/old-1", NOW - timedelta(days=95))
    repost = make_item(url="https://jobs.example.com/new-1", apply_url=None, subs=("s",))
    repost = replace(repost, event=replace(repost.event, reposts=earlier))
    closed = make_item("closed", title="Gone", url="https://jobs.example.com/gone", subs=("s",))
    (payload,) = posted(SLACK_URL, [repost, closed])
    text = payload["attachments"][0]["text"]
    assert "- *Reposted:* <https://jobs.example.com/new-1|" in text
    assert (
        "reposts <https://jobs.example.com/old-1|an earlier posting> (still open), open 3 months in total"
        in text
    )
    assert "- *Closed:* ~<https://jobs.example.com/gone|Gone>~" in text
    assert "/application|Apply>" not in text.split("*Closed:*", 1)[1]  # nothing to apply to


HOSTILE = (
    "<!channel> <!here|here> <@U123> @everyone *bold* _it_ ~s~ `c` **x** "
    "[x](http://evil) <http://evil|click> \\<!here> a\\*b & &lt;"
)


def test_hostile_text_reaches_slack_as_plain_words(make_item) -> None:
    item = make_item(title=HOSTILE, company=HOSTILE, department=HOSTILE, location="*Remote*", subs=("s",))
    (payload,) = posted(SLACK_URL, [item])
    text = payload["attachments"][0]["text"]
    # The only anchors are ours: the posting link and the Apply link.
    anchors = re.findall(r"<([^<>|]*)\|", text)
    assert anchors == [item.event.posting.url, item.event.posting.apply_url]
    outside = re.sub(r"<https://[^<>|]*\|", "", text).replace(">\n", "\n")
    assert "<" not in outside.replace("&lt;", "")  # no mention, link or special sequence
    assert "<!" not in text and "<@" not in text and "@everyone" not in text
    # Formatting comes only from the template: the company heading in bold,
    # the bold label, the italic "matched" line.
    heading, *lines = text.split("\n")
    assert heading.startswith("*") and heading.endswith("*")
    assert lines[0].startswith("- *New:* <") and lines[-1] == "  _matched: s_"
    words = "\n".join([heading[1:-1], lines[0][len("- *New:* ") :], *lines[1:-1]])
    assert not re.search(r"[*_~`]", words), words
    assert "\\*" not in text and "\\_" not in text and "\\<" not in text  # no stray backslashes
    assert "&amp;lt;" in text and " &amp; " in text  # entities in the posting stay words


def test_hostile_text_in_discord_never_pings(make_item) -> None:
    item = make_item(title=HOSTILE, company="@here team", subs=("s",))
    for url in (DISCORD_URL, DISCORD_URL + "?format=markdown"):
        (payload,) = posted(url, [item])
        dumped = json.dumps(payload, ensure_ascii=False)
        assert "allow_mentions" not in payload and "👉" not in dumped
        assert "@everyone" not in dumped and "@here" not in dumped and "<@U123>" not in dumped
