from __future__ import annotations

import re

import pytest

from alerts.notify import FORMATS, render_message
from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP

SEED_URL = "https://jobs.ashbyhq.com/openai/1d03b4ee-8cec-47a1-b9e2-8ce9c5650943"


def test_html_escapes_posting_text(hostile_items) -> None:
    message = render_message(hostile_items, "html")
    body = message.body
    assert "<script>" not in body and "<b>Remote" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;Remote&lt;/b&gt;" in body
    # Only http(s) links survive: the first posting's title and its Apply
    # button (the email's cards have one since issue 14); the second's
    # javascript: link is dropped.
    assert "javascript:" not in body
    assert body.count("<a href=") == 2
    assert re.findall(r'<a href="([^"]*)"', body) == [SEED_URL, f"{SEED_URL}/application"]


def test_markdown_escapes_control_characters(hostile_items) -> None:
    body = render_message(hostile_items, "markdown").body
    assert "[x](http://evil)" not in body and "[y](http://evil)" not in body
    assert r"\[x\]\(http://evil\)" in body
    assert r"\*bold\*" in body
    assert r"\<script\>" in body
    assert "javascript:" not in body
    assert "[z](http://evil)" not in body  # changes are posting text too


def test_text_without_service_stays_verbatim(hostile_items) -> None:
    body = render_message(hostile_items, "text").body
    assert "<script>alert(1)</script>" in body and "*bold*" in body


@pytest.mark.parametrize("body_format", FORMATS)
def test_slack_mentions_are_neutralised(hostile_items, body_format: str) -> None:
    message = render_message(hostile_items, body_format, service="slack")
    for text in (message.body, message.title):
        for mention in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "@everyone", "@here"):
            assert mention not in text, (mention, text)
    assert f"@{ZWSP}everyone" in message.title
    if body_format == "markdown":
        assert r"\<" + ZWSP + r"\!channel\>" in message.body


@pytest.mark.parametrize("body_format", FORMATS)
def test_discord_mentions_are_neutralised(hostile_items, body_format: str) -> None:
    message = render_message(hostile_items, body_format, service="discord")
    for text in (message.body, message.title):
        for mention in ("@everyone", "@here", "<@123>", "<@&456>"):
            assert mention not in text, (mention, text)
    assert f"@{ZWSP}everyone" in message.body


def test_discord_text_is_escaped_because_discord_renders_markdown(hostile_items) -> None:
    message = render_message(hostile_items, "text", service="discord")
    assert "[x](http://evil)" not in message.body
    assert "[y](http://evil)" not in message.title


def test_multiline_titles_are_folded(make_item) -> None:
    item = make_item(title="Engineer\n# Heading\n- [a](http://evil)")
    body = render_message([item], "markdown").body
    assert r"Engineer \# Heading - \[a\]" in body


def test_html_escapes_the_details_line(make_item) -> None:
    item = make_item(department="<i>Fin</i>", location="A & B", salary_min=1, salary_currency="<u>")
    body = render_message([item], "html").body
    # Issue 14's cards: the department beside the company, the rest on a line of their own.
    assert "OpenAI</strong> &middot; &lt;i&gt;Fin&lt;/i&gt;</p>" in body
    assert "A &amp; B · Hybrid · Full time &middot; <strong" in body
    assert ">&lt;u&gt; 1</strong>" in body
    assert "<i>" not in body and "<u>" not in body
