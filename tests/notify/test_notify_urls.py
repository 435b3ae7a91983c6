from __future__ import annotations

import pytest

from alerts.notify import check_url, mask_url, native_format
from alerts.notify.send import body_limit, service_of

SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD_URL = "https://discord.com/api/webhooks/123/TOKEN"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", "text"),
        ("json://127.0.0.1:8080/hook", "text"),
        ("mailtos://user:pw@example.com", "html"),
        (SLACK_URL, "markdown"),
        (DISCORD_URL, "text"),
        (DISCORD_URL + "?format=markdown", "markdown"),
        ("not a url", "text"),
    ],
)
def test_native_format(url: str, expected: str) -> None:
    assert native_format(url) == expected


@pytest.mark.parametrize(
    ("url", "service"),
    [
        (SLACK_URL, "slack"),
        (DISCORD_URL, "discord"),
        ("console://", "console"),
        ("mailtos://u:p@example.com", "mailto"),
        ("bogus://x", None),
    ],
)
def test_service_of(url: str, service: str | None) -> None:
    assert service_of(url) == service


def test_body_limit() -> None:
    assert body_limit(DISCORD_URL) == 2000
    assert body_limit("bogus://x") is None


@pytest.mark.parametrize(
    "url",
    [
        "console://",
        "json://127.0.0.1:8080/hook",
        SLACK_URL,
        DISCORD_URL,
        "mailtos://user:pw@example.com?to=me@example.com",
    ],
)
def test_check_url_accepts_good_urls(url: str) -> None:
    assert check_url(url) is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("bogus://x", "unknown service 'bogus'"),
        ("no-scheme-at-all", "not a URL"),
        ("https://example.com/hook", "no Apprise service recognises"),
        ("json://", "not a valid json URL"),
        ("mailtos://user:topsecret@", "not a valid mailtos URL"),
    ],
)
def test_check_url_explains_bad_urls(url: str, message: str) -> None:
    error = check_url(url)
    assert error is not None and message in error
    assert "topsecret" not in error


def test_mask_url_hides_the_password() -> None:
    masked = mask_url("mailtos://user:secret@example.com")
    assert masked.startswith("mailtos://user:")
    assert "secret" not in masked


def test_mask_url_of_unparseable_url_keeps_only_the_scheme() -> None:
    assert mask_url("mailtos://user:secret@") == "mailtos://…"
