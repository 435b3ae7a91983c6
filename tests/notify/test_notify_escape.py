from __future__ import annotations

import pytest

from alerts.notify.escape import ZERO_WIDTH_SPACE as ZWSP
from alerts.notify.escape import break_mentions, escape_markdown, one_line, safe_link

MARKDOWN_CASES = [
    ("plain words", "plain words"),
    ("[x](http://evil)", r"\[x\]\(http://evil\)"),
    ("![img](http://evil/i.png)", r"\!\[img\]\(http://evil/i.png\)"),
    ("*bold* _it_ ~~gone~~ `code`", r"\*bold\* \_it\_ \~\~gone\~\~ \`code\`"),
    ("<http://evil> <b>", r"\<http://evil\> \<b\>"),
    ("a\\b", r"a\\b"),
    ("# Heading", r"\# Heading"),
    ("- item", r"\- item"),
    ("+ item", r"\+ item"),
    ("1. first", r"1\. first"),
    ("Billing Lead - AWS & Partners, 2026.", "Billing Lead - AWS & Partners, 2026."),
]


@pytest.mark.parametrize(("raw", "escaped"), MARKDOWN_CASES)
def test_escape_markdown(raw: str, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


MENTION_CASES = [
    (
        "slack",
        "<!channel> <!here> <@U123> @channel",
        f"<{ZWSP}!channel> <{ZWSP}!here> <@{ZWSP}U123> @{ZWSP}channel",
    ),
    (
        "discord",
        "@everyone @here <@123> <@&123>",
        f"@{ZWSP}everyone @{ZWSP}here <@{ZWSP}123> <@{ZWSP}&123>",
    ),
    (None, "@everyone <!channel>", "@everyone <!channel>"),
    ("mailto", "@everyone", "@everyone"),
]


@pytest.mark.parametrize(("service", "raw", "broken"), MENTION_CASES)
def test_break_mentions(service: str | None, raw: str, broken: str) -> None:
    assert break_mentions(raw, service) == broken


def test_one_line_folds_all_whitespace() -> None:
    assert one_line("  a\n\tb\r\n c  ") == "a b c"


@pytest.mark.parametrize(
    ("url", "service", "safe"),
    [
        ("https://jobs.example.com/a?b=1&c=%20d", None, "https://jobs.example.com/a?b=1&c=%20d"),
        (
            "https://x.example/a b(c)[d]<e>|f",
            None,
            "https://x.example/a%20b%28c%29%5Bd%5D%3Ce%3E%7Cf",
        ),
        ("https://x.example/@everyone", "discord", "https://x.example/%40everyone"),
        ("https://x.example/@me", None, "https://x.example/@me"),
        ("javascript:alert(1)", None, None),
        ("data:text/html,hi", None, None),
        ("//no-scheme.example", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_safe_link(url: str | None, service: str | None, safe: str | None) -> None:
    assert safe_link(url, service) == safe
