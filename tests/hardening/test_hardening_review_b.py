"""Review b of trust-a: a ${VAR} secret of a base_url shown in another
form than it was written in: percent-encoded as httpx writes a path (a
space as %20 but a `+` as it is, neither `quote()` form), or in another
case (a server echoing the path upper-cased)."""

from __future__ import annotations

import socket
import threading

import pytest

from hardening_support import RawServer, alerts_measured, http_head, write_config
from support import alerts

SECRET = "Pr0xy S3cret+T0ken"


def echoing(upper: bool):
    def answer(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        path = head.split(b"\r\n", 1)[0].decode().split(" ")[1]
        body = f"no upstream for {path.upper() if upper else path}".encode()
        conn.sendall(
            http_head(
                "502 Bad Gateway", Content_Type="text/plain", Content_Length=len(body), Connection="close"
            )
            + body
        )

    return answer


@pytest.mark.parametrize("upper", [False, True], ids=["as-asked", "upper-cased"])
def test_a_secret_encoded_or_in_another_case_is_never_shown(tmp_path, upper):
    env = {"PROXY_TOKEN": SECRET}
    with RawServer(echoing(upper)) as proxy:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "http://127.0.0.1:{proxy.port}/${{PROXY_TOKEN}}/gh"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
        )
        args = ("--config", str(config))
        runs = [
            alerts("run", "--once", "-vv", *args, set_env=env),
            alerts("status", "-v", *args, set_env=env),
        ]
        assert proxy.requests, "the proxy was never asked"
    output = "".join(run.stdout + run.stderr for run in runs)
    assert "Traceback" not in output, output[-3000:]
    assert "no upstream for" in output.lower(), output[-3000:]
    assert "s3cret" not in output.lower(), output[-4000:]


# Review b: a sitemap index's child sitemap is read without the check that
# the board's own sitemap gets (a document type declaration in its first
# 64 KB refused): past a long comment, a DOCTYPE's entities expanded until
# expat's amplification limit, 100 times the body (half a gigabyte for 5 MB).
ENTITIES = (
    b'<!ENTITY lol "'
    + b"lol" * 30
    + b'">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode())) * 10)
        for i in range(1, 9)
    )
)
SITEMAP_NS = b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap_site(port_of: list[int]):
    def answer(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        path = head.split(b"\r\n", 1)[0].split(b" ")[1]
        base = f"http://127.0.0.1:{port_of[0]}".encode()
        if path == b"/child.xml":
            body = (
                b'<?xml version="1.0"?><!--' + b"x" * 8_000_000 + b"--><!DOCTYPE urlset [" + ENTITIES + b"]>"
                b"<urlset " + SITEMAP_NS + b"><url><loc>" + base + b"/jobs/&lol8;</loc></url></urlset>"
            )
        else:
            body = (
                b'<?xml version="1.0"?><sitemapindex '
                + SITEMAP_NS
                + b"><sitemap><loc>"
                + base
                + b"/child.xml"
                b"</loc></sitemap></sitemapindex>"
            )
        conn.sendall(
            http_head(Content_Type="application/xml", Content_Length=len(body), Connection="close") + body
        )

    return answer


def test_a_child_sitemap_with_a_doctype_is_refused_before_it_is_parsed(tmp_path):
    port: list[int] = []
    with RawServer(sitemap_site(port)) as site:
        port.append(site.port)
        key = f"jsonld:{site.url}/careers"
        config = write_config(
            tmp_path,
            f"""
[polling]
timeout = "20s"
board_deadline = "60s"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["{key}"]
channels = ["term"]
""",
        )
        result, peak_kb = alerts_measured(
            "run", "--once", "--config", str(config), tmp_path=tmp_path, timeout=60
        )
        assert "/child.xml" in " ".join(site.requests)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "1 boards polled (1 failed)" in result.stdout, output[-3000:]
    assert "document type declaration" in output, output[-3000:]
    assert peak_kb < 300 * 1024, f"peak RSS {peak_kb // 1024} MB"


def test_boards_find_never_shows_a_secret_a_server_echoes(tmp_path):
    """Review b: `alerts boards find` printed each failure as it came: the URL
    masked, but not what the server said (its echo of the path asked)."""
    from alerts.sources import SOURCES

    with RawServer(echoing(upper=False)) as proxy:
        sections = "".join(
            f'[sources.{kind}]\nbase_url = "http://127.0.0.1:{proxy.port}/'
            + ("${PROXY_TOKEN}/" if kind == "greenhouse" else "")
            + f'{kind}"\n'
            for kind in SOURCES
            if "{token}" not in SOURCES[kind].default_base_url
        )
        config = write_config(tmp_path, sections)
        result = alerts("boards", "find", "Acme", "--config", str(config), set_env={"PROXY_TOKEN": SECRET})
        assert any("Pr0xy" in line for line in proxy.requests), proxy.requests
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "no upstream for" in output.lower(), output[-3000:]
    assert "s3cret" not in output.lower(), output[-4000:]
