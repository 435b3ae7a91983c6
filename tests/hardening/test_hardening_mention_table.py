"""Issue 11, mentions per service: every chat service Apprise supports that
has mentions (TABLE below: each by its Apprise protocol name, with what
pings there), in every body format; and the one case where Apprise itself
makes a ping out of text (Discord's markdown embeds) sends none."""

from __future__ import annotations

import html
import json
from dataclasses import replace

import pytest
import responses

from alerts.model import Delivery, Event
from alerts.notify import render_message, sample_items, send
from alerts.notify.escape import ZERO_WIDTH_SPACE, text_escaper

# (Apprise protocol, what pings there)
TABLE: list[tuple[str, list[str]]] = [
    ("slack", ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S1>", "<@U123>", "@here"]),
    ("discord", ["@everyone", "@here", "<@123>", "<@!123>", "<@&456>"]),
    ("guilded", ["@everyone", "@here", "<@123>"]),
    ("fluxer", ["@everyone", "@here", "<@123>", "<@&456>"]),
    ("notifiarr", ["@everyone", "@here", "<@123>"]),
    ("mmost", ["@channel", "@all", "@here", "@someone", "<!channel>", "<!here>", "<!all>", "<@id>"]),
    ("rocket", ["@all", "@here", "@someone"]),
    ("zulip", ["@**all**", "@**everyone**", "@**channel**", "@**stream**", "@**topic**", "@*group*"]),
    ("matrix", ["@room", "@user:example.org"]),
    ("gchat", ["<users/all>", "<users/123>"]),
    ("workflow", ["<at>all</at>", "<at>Everyone</at>"]),
    ("lark", ['<at user_id="all"></at>', "<at id=all></at>"]),
    ("feishu", ['<at user_id="all"></at>']),
    ("kook", ["(met)all(met)", "(met)here(met)", "(rol)1(rol)", "(chn)1(chn)"]),
    ("wxteams", ["<@personEmail:a@b.c>", "<@all>"]),
    ("tgram", ["@username"]),
    ("mastodon", ["@user", "@user@host.example"]),
    ("misskey", ["@user"]),
    ("x", ["@handle"]),
    ("reddit", ["u/name", "/u/name"]),
    ("revolt", ["<@USER>"]),
    ("nctalk", ["@all", '@"user name"']),
    ("synology", ["@user", "<@1>"]),
    ("cliq", ["{@participants}", "@all"]),
    ("twist", ["@user"]),
    ("ryver", ["@user"]),
    ("humhub", ["@user"]),
    ("github", ["@user", "@org/team"]),
    ("some-future-service", ["@everyone", "<!here>", "<at>all</at>"]),
]
FORMATS = ["text", "markdown", "html"]


@pytest.mark.parametrize("body_format", FORMATS)
@pytest.mark.parametrize(("service", "mentions"), TABLE, ids=[row[0] for row in TABLE])
def test_every_mention_is_broken(service: str, mentions: list[str], body_format: str) -> None:
    escape = text_escaper(body_format, service)
    for mention in mentions:
        out = escape(f"Engineer {mention} Lead")
        seen = [out, html.unescape(out), out.replace("\\", "")]
        for text in seen:
            assert mention not in text, f"{service} ({body_format}): {mention!r} stays in {out!r}"


@pytest.mark.parametrize("service", ["mailto", "json", "xml", "form", "console", "mqtt", "syslog"])
def test_services_without_mentions_keep_the_text(service: str) -> None:
    assert ZERO_WIDTH_SPACE not in text_escaper("text", service)("ops@example.com <b>")


DISCORD_MARKDOWN = "https://discord.com/api/webhooks/123/TOKEN?format=markdown"


@responses.activate
def test_discord_markdown_embeds_carry_no_ping() -> None:
    """In ?format=markdown Apprise scans the body for @names and <@ids> and adds
    a pinging content line (👉) with allow_mentions: broken mentions give none."""
    responses.add(responses.POST, DISCORD_MARKDOWN.split("?")[0], status=204)
    base = sample_items()[0]
    posting = replace(base.event.posting, title="Lead @everyone @here <@123> <@&456> @acme")
    event = Event("opened", posting.board_key, posting.external_id, posting)
    items: list[Delivery] = [replace(base, event=event)]
    message = render_message(items, "markdown", service="discord")
    assert send(DISCORD_MARKDOWN, message, tag="ch-discord").status == "sent"
    (call,) = responses.calls
    payload = json.loads(call.request.body)
    assert "allow_mentions" not in payload and "allowed_mentions" not in payload, payload
    assert "👉" not in json.dumps(payload, ensure_ascii=False), payload
