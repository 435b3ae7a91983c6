"""Issue 11, hostile text: a posting's title never reaches a chat service
in a form that pings (per service, every format), and bidi overrides and
terminal escapes never reach a terminal (console:// and `alerts history`)."""

from __future__ import annotations

import html
from dataclasses import replace

import pytest

from alerts.model import Delivery, Event
from alerts.notify import compose, sample_items, target_for

from hardening_support import RawServer, greenhouse_body, greenhouse_job, respond, write_config
from support import alerts

# Each service's URL, and the mentions it honours in message text.
SERVICES: dict[str, tuple[str, list[str]]] = {
    "slack": (
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general",
        ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "@channel", "@here", "@everyone"],
    ),
    "discord": (
        "discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js",
        ["@everyone", "@here", "<@123>", "<@&456>"],
    ),
    "matrix": ("matrix://user:pass@example.com/#room", ["@room"]),
    "zulip": (
        "zulip://bot@example.zulipchat.com/" + "a" * 32,
        ["@**all**", "@**everyone**", "@**channel**", "@**stream**", "@**topic**"],
    ),
    "mattermost": ("mmost://example.com/3ccdd113474722377935511fc85d3dd4", ["@channel", "@here", "@all"]),
    "rocketchat": ("rocket://user:pass@example.com/#channel", ["@all", "@here"]),
    # MS Teams through Apprise's Power Automate plugin, which turns <at>X</at> into a mention.
    "msteams": (
        "workflow://prod-00.westus.logic.azure.com:443/abc123/sig456",
        ["<at>all</at>", "<at>Everyone</at>"],
    ),
    "googlechat": ("gchat://workspace/key/token", ["<users/all>"]),
}
# Services that show the title as its own field, where mentions do not ping
# (Zulip: the topic; Teams: a separate text block Apprise does not scan).
TITLE_APART = {"zulip", "msteams"}
EVERY_MENTION = sorted({mention for _, mentions in SERVICES.values() for mention in mentions})
HOSTILE = "Engineer " + " ".join(EVERY_MENTION)


def hostile_items() -> list[Delivery]:
    base = sample_items()[0]
    posting = replace(base.event.posting, title=HOSTILE, company="Acme " + " ".join(EVERY_MENTION))
    event = Event("opened", posting.board_key, posting.external_id, posting)
    return [replace(base, event=event)]


@pytest.mark.parametrize("body_format", [None, "text", "markdown", "html"], ids=lambda f: f or "native")
@pytest.mark.parametrize("service", SERVICES)
def test_mentions_never_reach_the_service_in_pinging_form(service, body_format):
    url, mentions = SERVICES[service]
    target = target_for(url, body_format)
    parts = compose(hostile_items(), target)
    assert parts, "nothing rendered"
    for part in parts:
        texts = [part.message.body] + ([] if service in TITLE_APART else [part.message.title])
        if target.body_format == "html" or target.send_format == "html":
            # Apprise converts HTML to the service's own format: entities come back.
            texts += [html.unescape(text) for text in texts]
        for text in texts:
            for mention in mentions:
                assert mention not in text, f"{service} ({target.body_format}) gets {mention!r} raw:\n{text}"


TERMINAL_TRICKS = {
    "bidi override": "\u202e",
    "OSC title": "\x1b]0;pwned\x07",
    "CSI clear": "\x1b[2J",
    "C1 CSI": "\x9b31m",
}
FORBIDDEN = ["\u202e", "\x1b", "\x07", "\x9b"]


def test_terminal_escapes_never_reach_the_console_or_history(tmp_path):
    title = "Platform " + " ".join(TERMINAL_TRICKS.values()) + " Engineer"
    board = respond(greenhouse_body(greenhouse_job(7001, title, company_name="Acme\u202e\x1b[2J")))
    with RawServer(board) as server:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "{server.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
include_existing = true
""",
        )
        run = alerts("run", "--once", "--config", str(config))
    history = alerts("history", "--config", str(config))
    assert run.returncode == 0 and "Platform" in run.stdout, run.stdout + run.stderr[-3000:]
    assert history.returncode == 0 and "Platform" in history.stdout, history.stdout + history.stderr[-3000:]
    for name, result in (("run --once (console://)", run), ("alerts history", history)):
        for char in FORBIDDEN:
            assert char not in result.stdout + result.stderr, f"{name} printed {char!r}:\n{result.stdout!r}"
