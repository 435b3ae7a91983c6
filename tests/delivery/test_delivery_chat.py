"""Slack and Discord payloads as the services receive them (captured with
`responses`), through the whole delivery pass."""

from __future__ import annotations

import json

import responses

from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP

from delivery_support import HOSTILE, job

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"
APPRISE_ICONS = "https://github.com/caronc/apprise/raw/master/apprise/assets/themes/default"


def posted(rsps) -> list[dict]:
    return [json.loads(call.request.body) for call in rsps.calls]


@responses.activate
def test_slack_payload_is_mrkdwn_with_hostile_text_neutralised(sqlite_world):
    responses.add(responses.POST, SLACK_URL, body="ok")
    world = sqlite_world(f'[channels.slack]\nurl = "{SLACK_URL}"\n')
    world.queue(job("1", HOSTILE, company="Evil <!here>", url="https://jobs.example.com/1?a=(b)"))

    assert world.deliverer().deliver_channel("slack").sent == 1

    (payload,) = posted(responses.mock)
    payload["attachments"][0].pop("ts")
    company = f"Evil &lt;{ZWSP}!here&gt;"
    title = (
        f"&lt;script&gt;alert(1)&lt;/script&gt; &lt;{ZWSP}!channel&gt; @{ZWSP}everyone "
        f"&lt;@{ZWSP}&amp;456&gt; [x](http://evil) \u2217bold\u2217"
    )
    icon = f"{APPRISE_ICONS}/apprise-info-72x72.png"
    assert payload == {
        "mrkdwn": True,
        "attachments": [
            {
                "title": f"1 new: {company}",
                "text": f"*{company}*\n- *New:* <https://jobs.example.com/1?a=%28b%29|{title}>\n  _matched: everything_",
                "color": "#3AA3E3",
                "footer_icon": icon,
                "footer": "alerts",
            }
        ],
        "icon_url": icon,
    }


@responses.activate
def test_discord_payload_is_discord_markdown_with_mentions_broken(sqlite_world):
    responses.add(responses.POST, DISCORD_URL, status=204)
    world = sqlite_world(f'[channels.discord]\nurl = "{DISCORD_URL}"\n')
    world.queue(job("1", HOSTILE, company="Evil @here", department="Eng"))

    assert world.deliverer().deliver_channel("discord").sent == 1

    (payload,) = posted(responses.mock)
    title = (
        rf"\<script\>alert\(1\)\</script\> \<\!channel\> @{ZWSP}everyone \<@{ZWSP}&456\> "
        r"\[x\]\(http://evil\) \*bold\*"
    )
    assert payload == {
        "tts": False,
        "wait": True,
        "avatar_url": f"{APPRISE_ICONS}/apprise-info-256x256.png",
        "content": (
            f"1 new: Evil @{ZWSP}here\r\n"
            f"**Evil @{ZWSP}here**\n"
            f"- **New:** [{title}](<https://jobs.example.com/acme/1>)\n"
            "  Eng\n"
            "  _matched: everything_"
        ),
    }


@responses.activate
def test_a_long_discord_message_is_split_at_event_boundaries(sqlite_world):
    responses.add(responses.POST, DISCORD_URL, status=204)
    world = sqlite_world(f'[channels.discord]\nurl = "{DISCORD_URL}"\n')
    titles = [f"Senior Software Engineer, Platform Reliability Team {n:02d}" for n in range(40)]
    world.queue(*(job(str(n), title, department="Engineering") for n, title in enumerate(titles)))

    result = world.deliverer().deliver_channel("discord")

    contents = [p["content"] for p in posted(responses.mock)]
    assert result.sent == 40 and len(contents) > 1
    assert all(len(content) <= 2000 for content in contents)
    for number, content in enumerate(contents, start=1):
        # Each part's title summarises its own events and says which part it is.
        head = content.split("\r\n", 1)[0]
        assert head == f"{sum(f'[{t}]' in content for t in titles)} new: Acme ({number}/{len(contents)})"
    shown = [t for t in titles for content in contents if f"[{t}]" in content]
    assert sorted(shown) == sorted(titles)  # every event once, none cut in half
    assert world.counts() == {("discord", "sent"): 40}


@responses.activate
def test_split_parts_that_went_out_are_not_repeated_when_a_later_part_fails(sqlite_world):
    responses.add(responses.POST, DISCORD_URL, status=204)
    responses.add(responses.POST, DISCORD_URL, status=500)
    world = sqlite_world(f'[channels.discord]\nurl = "{DISCORD_URL}"\n')
    titles = [f"Senior Software Engineer, Platform Reliability Team {n:02d}" for n in range(40)]
    world.queue(*(job(str(n), title) for n, title in enumerate(titles)))
    deliverer = world.deliverer()

    first = deliverer.deliver_channel("discord")
    first_part = posted(responses.mock)[0]["content"]
    delivered = [t for t in titles if f"[{t}]" in first_part]
    assert first.sent == len(delivered) and first.errors
    assert world.counts() == {("discord", "sent"): len(delivered), ("discord", "failed"): 40 - len(delivered)}

    responses.replace(responses.POST, DISCORD_URL, status=204)
    world.clock.advance(minutes=1)
    deliverer.deliver_channel("discord")
    later = [p["content"] for p in posted(responses.mock)[2:]]
    assert not any(f"[{t}]" in content for t in delivered for content in later)
    assert world.counts() == {("discord", "sent"): 40}
