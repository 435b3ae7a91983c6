"""Issue 11, the transport's own rules, without sockets (httpx.MockTransport
behind the real PoliteTransport): the redirect policy and bodies decoded
within the size limit."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import httpx
import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.sources import make_client
from alerts.sources.redirects import registrable_domain

BOARD = BoardRef("lever", "acme")


def fetch(url: str, handler, *, max_body_bytes: int = 1 << 20) -> tuple[bytes | SourceError, list[str]]:
    asked: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return handler(request)

    async def go() -> bytes | SourceError:
        transport = httpx.MockTransport(record)
        async with make_client(transport=transport, max_body_bytes=max_body_bytes) as client:
            try:
                return (await client.get(url, BOARD)).body
            except SourceError as exc:
                return exc

    return asyncio.run(go()), asked


def redirecting(to: str):
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start":
            return httpx.Response(302, headers={"Location": to})
        return httpx.Response(200, json=[])

    return handle


@pytest.mark.parametrize(
    ("start", "to", "followed"),
    [
        ("https://api.lever.co/start", "https://api.lever.co/next", True),
        ("https://api.lever.co/start", "/next", True),
        ("https://api.lever.co/start", "https://jobs.eu.lever.co/next", True),
        ("https://api.lever.co/start", "https://lever.co.evil.example/next", False),
        ("https://api.lever.co/start", "https://evil.co/next", False),
        ("https://api.lever.co/start", "http://api.lever.co/next", False),
        ("https://api.lever.co/start", "https://127.0.0.1/next", False),
        ("https://api.lever.co/start", "https://169.254.169.254/latest/meta-data", False),
        ("https://api.lever.co/start", "https://[::1]/next", False),
        ("https://api.lever.co/start", "https://localhost/next", False),
        ("https://acme.github.io/start", "https://evil.github.io/next", False),  # a private suffix
        ("http://127.0.0.1:8080/start", "http://127.0.0.1:8080/next", True),
        ("http://127.0.0.1:8080/start", "http://127.0.0.1:8081/next", False),
        ("http://10.1.2.3/start", "http://10.1.2.4/next", False),
    ],
)
def test_redirect_policy(start: str, to: str, followed: bool) -> None:
    result, asked = fetch(start, redirecting(to))
    if followed:
        assert result == b"[]", result
        assert len(asked) == 2
    else:
        assert isinstance(result, SourceError), result
        assert "not followed" in result.message and result.transient is False
        assert asked == [start], "nothing may be sent to a refused place"


def test_registrable_domains() -> None:
    assert registrable_domain("jobs.eu.lever.co") == "lever.co"
    assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
    assert registrable_domain("127.0.0.1") is None


def compressed(encoding: str, data: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(data)
    if encoding == "deflate":
        return zlib.compress(data)
    if encoding == "raw-deflate":
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(data) + packer.flush()
    raise AssertionError(encoding)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "gzip, gzip"])
@pytest.mark.parametrize(("size", "fits"), [(1000, True), (2 << 20, False)])
def test_bodies_are_decoded_within_the_limit(encoding: str, size: int, fits: bool) -> None:
    data = b"[" + b" " * (size - 2) + b"]"
    body = data
    layers = [layer.strip() for layer in encoding.split(",")]
    for layer in layers:
        body = compressed(layer, body)
    header = ", ".join("deflate" if layer == "raw-deflate" else layer for layer in layers)

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": header}, content=body)

    result, _ = fetch("https://api.lever.co/v0/postings/acme", handle, max_body_bytes=1 << 20)
    if fits:
        assert result == data
    else:
        assert isinstance(result, SourceError) and "over 1,048,576 bytes" in result.message, result


def test_an_encoding_we_did_not_ask_for_fails_the_board() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.headers["Accept-Encoding"] == "gzip, deflate"
        return httpx.Response(200, headers={"Content-Encoding": "br"}, content=b"\x00\x01")

    result, _ = fetch("https://api.lever.co/v0/postings/acme", handle)
    assert isinstance(result, SourceError) and "br" in result.message, result
