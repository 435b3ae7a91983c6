from __future__ import annotations

import json

import pytest
import responses

from alerts.model import Message
from alerts.notify import native_format, render_message, sample_items, send
from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP
from alerts.notify.send import SendResult, service_of

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
# Apprise's default theme, which Slack and Discord payloads link to.
APPRISE_ICONS = "https://github.com/caronc/apprise/raw/master/apprise/assets/themes/default"
MESSAGE = Message(title="2 new: OpenAI", body="hello *world*\n", body_format="markdown")


def _posted(rsps: responses.RequestsMock) -> dict:
    (call,) = rsps.calls
    return json.loads(call.request.body)


@responses.activate
def test_slack_payload(hostile_items) -> None:
    responses.add(responses.POST, SLACK_URL, body="ok")
    message = render_message(hostile_items[:1], native_format(SLACK_URL), service=service_of(SLACK_URL))

    assert send(SLACK_URL, message, tag="ch-slack") == SendResult("sent", "")

    payload = _posted(responses.mock)
    stamp = payload["attachments"][0].pop("ts")
    assert isinstance(stamp, float)
    icon = f"{APPRISE_ICONS}/apprise-info-72x72.png"
    company = f"Evil &lt;{ZWSP}!channel&gt; @{ZWSP}everyone [y](http://evil)"
    # Slack shows a backslash as it is: *bold* arrives with look-alike
    # asterisks (U+2217) rather than as "\\*bold\\*" (issue 14).
    title = (
        f"&lt;script&gt;alert(1)&lt;/script&gt; &lt;{ZWSP}!channel&gt; &lt;{ZWSP}!here&gt; "
        f"&lt;@{ZWSP}U123&gt; @{ZWSP}everyone @{ZWSP}here "
        f"&lt;@{ZWSP}123&gt; &lt;@{ZWSP}&amp;456&gt; "
        "[x](http://evil) \u2217bold\u2217"
    )
    link = "https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943"
    assert payload == {
        "mrkdwn": True,
        "attachments": [
            {
                "title": f"1 new: {company}",
                "text": (
                    f"*{company}*\n- *New:* <{link}|{title}>\n"
                    "  Finance · San Francisco · hybrid · full time\n"
                    f"  <{link}/application|Apply>\n"
                    "  _matched: subs-a_"
                ),
                "color": "#3AA3E3",
                "footer_icon": icon,
                "footer": "alerts",
            }
        ],
        "icon_url": icon,
    }


@responses.activate
def test_discord_payload(hostile_items) -> None:
    responses.add(responses.POST, DISCORD_URL, status=204)
    message = render_message(hostile_items[1:], native_format(DISCORD_URL), service=service_of(DISCORD_URL))

    assert send(DISCORD_URL, message, tag="ch-discord") == SendResult("sent", "")

    company = rf"Evil \<\!channel\> @{ZWSP}everyone \[y\]\(http://evil\)"
    assert _posted(responses.mock) == {
        "tts": False,
        "wait": True,
        "avatar_url": f"{APPRISE_ICONS}/apprise-info-256x256.png",
        "content": (
            f"1 updated: {company}\r\n"
            f"{company}\n{'=' * len(company)}\n\n"
            rf"UPDATED: \*bold\* \<@{ZWSP}U999\>"
            "\n"
            "    Finance · San Francisco · hybrid · full time\n"
            rf"    location: \<b\>Remote\</b\> -> @{ZWSP}here \[z\]\(http://evil\)"
            "\n"
            "    (matched: subs-a)"
        ),
    }


@responses.activate
def test_slack_refusal_is_a_failure() -> None:
    responses.add(responses.POST, SLACK_URL, body="invalid_token", status=403)
    result = send(SLACK_URL, MESSAGE, tag="ch-slack")
    assert result.status == "failed"
    assert "XXXX" not in result.detail


def test_console_prints_title_and_body(capsys: pytest.CaptureFixture[str]) -> None:
    message = render_message(sample_items(), "text")
    assert send("console://", message, tag="ch-console") == SendResult("sent", "")
    out = capsys.readouterr().out
    assert out.startswith(message.title + "\n")
    assert message.body in out
