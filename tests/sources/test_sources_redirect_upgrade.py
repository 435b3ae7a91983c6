"""Review trust-b item 5a: a redirect from http:// to https:// on the same
host is followed; a downgrade, or an upgrade that also moves elsewhere, is not."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pytest_httpserver import HTTPServer

from alerts.model import BoardRef
from alerts.sources.redirects import refusal

from sources_support import fetch_error


@pytest.mark.parametrize(
    ("origin", "target", "followed"),
    [
        ("http://boards.example.com/v1/x", "https://boards.example.com/v1/x", True),
        ("http://boards.example.com:80/v1/x", "https://BOARDS.example.com:443/v1/x", True),
        ("http://127.0.0.1:8080/x", "https://127.0.0.1:8080/x", True),  # a local server: same port
        ("https://boards.example.com/v1/x", "http://boards.example.com/v1/x", False),  # a downgrade
        ("http://boards.example.com/x", "https://jobs.example.com/x", False),  # and another host
        ("http://boards.example.com/x", "https://boards.example.com:8443/x", False),  # and another port
        ("http://127.0.0.1:8080/x", "https://127.0.0.1:8443/x", False),
    ],
)
def test_only_the_same_host_upgrade_is_followed(origin: str, target: str, followed: bool) -> None:
    said = asyncio.run(refusal(httpx.URL(origin), httpx.URL(target)))
    assert (said is None) is followed, said


def test_an_upgrade_is_followed_over_a_real_socket(httpserver: HTTPServer) -> None:
    # The local server speaks plain HTTP: the followed upgrade fails in TLS,
    # not as a refused redirect.
    secure = f"https://127.0.0.1:{httpserver.port}/boards/acme/jobs?content=true"
    httpserver.expect_request("/boards/acme/jobs").respond_with_data(
        "", status=301, headers={"Location": secure}
    )
    err = fetch_error(BoardRef("greenhouse", "acme"), f"http://127.0.0.1:{httpserver.port}")
    assert "redirect" not in str(err).lower(), err
