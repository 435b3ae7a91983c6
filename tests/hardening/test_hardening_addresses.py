"""Review finding (trust-a 3), where a request may go: `ipaddress`'s
`is_global` decides what is internal, an IPv6 address that embeds an IPv4
one is judged by that one too, and every URL a jsonld board follows (its
sitemap's entries, a sitemap index's children) passes the same policy as a
redirect before it is asked."""

from __future__ import annotations

import asyncio
import ipaddress
import json

import pytest

from alerts.sources.redirects import follow_refusal, internal

from hardening_support import RawServer, board_line, respond, write_config
from support import alerts

INTERNAL = [
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",
    "100.64.0.1",  # CGNAT
    "0.1.2.3",  # "this network"
    "192.0.0.8",  # IETF protocol assignments
    "198.18.0.1",  # benchmarking
    "224.0.0.251",  # multicast (is_global says True for some of it)
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "fe80::1",
    "fd00::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses(address):
    assert internal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address):
    assert not internal(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("configured", "target", "allowed"),
    [
        ("https://careers.acme.example/sitemap.xml", "https://www.acme.example/jobs/1", True),
        ("http://careers.acme.example/sitemap.xml", "https://careers.acme.example/jobs/1", True),
        ("https://careers.acme.example/sitemap.xml", "https://evil.example/jobs/1", False),
        ("https://careers.acme.example/sitemap.xml", "http://169.254.169.254/latest/meta-data/", False),
        ("https://careers.acme.example/sitemap.xml", "http://[64:ff9b::a9fe:a9fe]/", False),
        ("https://careers.acme.example/sitemap.xml", "https://jobs.localhost/", False),
        ("http://127.0.0.1:8080/sitemap.xml", "http://127.0.0.1:8080/jobs/1", True),
        ("http://127.0.0.1:8080/sitemap.xml", "http://127.0.0.1:8081/jobs/1", False),
        ("http://127.0.0.1:8080/sitemap.xml", "http://[::ffff:127.0.0.1]:8080/jobs/1", False),
        ("http://127.0.0.1:8080/sitemap.xml", "http://169.254.169.254/", False),
    ],
)
def test_followed_urls_pass_the_redirect_policy(configured, target, allowed):
    assert (asyncio.run(follow_refusal(configured, target)) is None) is allowed


def job_page(number: int) -> bytes:
    block = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": f"Engineer {number}",
        "identifier": {"@type": "PropertyValue", "value": str(number)},
        "hiringOrganization": {"@type": "Organization", "name": "Acme"},
    }
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(block)}</script></head></html>'.encode()
    )


def test_a_sitemap_pointing_elsewhere_is_not_followed(tmp_path):
    """A sitemap on 127.0.0.1 (the configured URL) lists a page of its own,
    the metadata address, another port of the same host and that host as an
    IPv4-mapped IPv6 address: only its own page is asked, and the board
    completes with it."""
    with RawServer(respond(b"INTERNAL", content_type="text/plain")) as other:
        sitemap: list[str] = []

        def site(conn, head, stop):
            path = head.split(b" ", 2)[1]
            if path == b"/sitemap.xml":
                body = "".join(f"<url><loc>{loc}</loc></url>" for loc in sitemap)
                xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
                respond(xml.encode(), content_type="application/xml")(conn, head, stop)
            else:
                respond(job_page(1), content_type="text/html")(conn, head, stop)

        with RawServer(site) as board:
            sitemap += [
                f"{board.url}/jobs/1",
                "http://169.254.169.254/latest/meta-data/",
                f"{other.url}/jobs/2",
                f"http://[::ffff:127.0.0.1]:{other.port}/jobs/3",
            ]
            key = f"jsonld:{board.url}/sitemap.xml"
            config = write_config(
                tmp_path,
                f"""
[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["{key}"]
channels = ["term"]
""",
            )
            result = alerts("run", "--once", "--config", str(config))
            status = alerts("status", "--config", str(config))
        assert other.requests == [], other.requests
        asked = [line.split(" ")[1] for line in board.requests]
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert sorted(asked) == ["/jobs/1", "/sitemap.xml"], asked
    assert "1 boards polled (0 failed)" in result.stdout, output[-3000:]
    assert "3 URLs of the sitemap are on other sites; not read" in output, output[-3000:]
    assert "failing" not in board_line(status.stdout, key), status.stdout
