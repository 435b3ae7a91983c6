"""Review trust-b item 5b: ops notices in chat channels that render
Markdown: the board key and the error text (which can quote a server) are
escaped as posting text is, as the services receive them (Apprise's own
request, caught by `responses`)."""

from __future__ import annotations

import json

import pytest
import responses

from alerts.model import Delivery, Notice
from alerts.notify.compose import compose, target_for
from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP
from alerts.notify.send import send

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
BOARD = "greenhouse:my_board_co"
ERROR = "503 from [click here](http://evil.example) *now* <!channel> @everyone `x`"


def received(url: str, notice: Notice) -> str:
    endpoint = url.split("?", 1)[0]
    with responses.RequestsMock() as caught:
        if "discord" in url:
            caught.add(responses.POST, endpoint, status=204)
        else:
            caught.add(responses.POST, endpoint, body="ok")
        [part] = compose([Delivery(1, "ops", notice, ())], target_for(url))
        assert send(url, part.message, tag="ch-ops").status == "sent"
        [call] = caught.calls
    payload = json.loads(call.request.body)
    if "discord" in url:
        return payload["content"]
    return " ".join([payload.get("text", ""), *(a.get("text", "") for a in payload.get("attachments", []))])


@pytest.mark.parametrize("url", [SLACK_URL, DISCORD_URL], ids=["slack", "discord"])
def test_a_failing_notice_is_inert_in_markdown_channels(url: str) -> None:
    text = received(url, Notice("failing", BOARD, 5, ERROR))
    # No link: Discord's Markdown form escaped; Slack's <url|text> never formed
    # (its mrkdwn has no [text](url)).
    assert "<http://evil.example" not in text
    if url == DISCORD_URL:
        assert "](http://evil.example)" not in text
    assert "*now*" not in text and "_board_" not in text  # no bold or italics
    assert "<!channel>" not in text and "@everyone" not in text  # no pings
    assert f"@{ZWSP}everyone" in text
    assert "evil.example" in text and "now" in text  # still said


@pytest.mark.parametrize("url", [SLACK_URL, DISCORD_URL], ids=["slack", "discord"])
def test_a_recovered_notice_names_the_board_inertly(url: str) -> None:
    text = received(url, Notice("recovered", BOARD, 5))
    assert "_board_" not in text and "5 failed polls" in text


def test_plain_text_channels_get_the_words_as_they_are() -> None:
    [part] = compose(
        [Delivery(1, "ops", Notice("failing", BOARD, 5, ERROR), ())], target_for("json://127.0.0.1/x")
    )
    assert BOARD in part.message.body and ERROR in part.message.body


@pytest.mark.parametrize("url", ["mailto://u:p@example.com?to=ops@example.com", "json://127.0.0.1/x"])
def test_a_subject_no_service_renders_names_the_board_as_it_is(url: str) -> None:
    # A channel written in Markdown (format = "markdown") escapes its body;
    # its title is a plain subject line, as a posting's is (escape_title).
    [part] = compose(
        [Delivery(1, "ops", Notice("failing", BOARD, 5, ERROR), ())], target_for(url, "markdown")
    )
    assert part.message.title == f"alerts: {BOARD} is failing"
    assert "my\\_board" in part.message.body
