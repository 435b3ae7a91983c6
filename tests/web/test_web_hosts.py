"""The page and feeds answer only host names that cannot be a stranger's
(DNS rebinding): localhost, the bound address, [web] allowed_hosts and
public_url's host; /healthz and /metrics answer any. Feed links are built
from the checked host or public_url, never from a name not allowed."""

from __future__ import annotations

import urllib.request
from urllib.error import HTTPError

import feedparser
import pytest

from alerts.config import parse_config
from alerts.config.models import WebConfig
from alerts.errors import ConfigError
from alerts.service.web.hosts import Hosts

from web_support import World


def get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as exc:
        return exc.code, exc.read().decode()


def with_web(world: World, table: str) -> World:
    text = world.path.read_text() + "\n[web]\n" + table
    world.path.write_text(text)
    world.config = parse_config(text, world.path)
    return world


PAGES = ["/", "/feeds/all.atom", "/feeds/finance.atom", "/posting?board=lever:globex&id=g1", "/style.css"]


@pytest.mark.parametrize("path", PAGES)
def test_a_rebound_name_gets_nothing_from_a_loopback_server(server, path):
    for host in ("evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example"):
        status, body = get(server.url + path, host=host)
        assert status == 421, (path, host)
        assert "allowed_hosts" in body and "Engineer" not in body


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:1", "[::1]:8080", None]
)
def test_local_names_and_no_host_at_all_are_answered(server, host):
    status, body = get(server.url + "/", host=host)
    assert status == 200 and "Backend Engineer" in body


def test_health_answers_any_name(server):
    assert get(server.url + "/healthz", host="evil.example") == (200, "ok\n")
    assert get(server.url + "/metrics", host="evil.example")[0] == 404  # alerts web has none; not 421


def test_an_allowed_name_is_answered_and_builds_the_feed_links(world, serving):
    with_web(world, 'allowed_hosts = ["Alerts.Example.COM"]\n')
    with serving(world) as server:
        assert get(server.url + "/", host="alerts.example.com:8080")[0] == 200
        status, body = get(server.url + "/feeds/all.atom", host="alerts.example.com:8080")
        assert get(server.url + "/", host="other.example.com")[0] == 421
    assert status == 200
    feed = feedparser.parse(body)
    assert feed.feed.links[0].rel == "self"
    assert feed.feed.links[0].href == "http://alerts.example.com:8080/feeds/all.atom"
    related = [link.href for entry in feed.entries for link in entry.links if link.rel == "related"]
    assert len(related) == len(feed.entries) == 6
    assert all(href.startswith("http://alerts.example.com:8080/posting?") for href in related)


def test_a_public_url_makes_every_feed_link(world, serving):
    with_web(world, 'public_url = "https://jobs.example.org/alerts/"\n')
    with serving(world) as server:
        status, body = get(server.url + "/feeds/finance.atom")
        assert get(server.url + "/", host="jobs.example.org")[0] == 200  # its host is allowed
    assert status == 200
    assert 'href="https://jobs.example.org/alerts/feeds/finance.atom"' in body
    assert 'href="https://jobs.example.org/alerts/?subscription=finance"' in body
    assert "127.0.0.1" not in body


@pytest.mark.parametrize(
    ("bound", "host", "answered"),
    [
        ("127.0.0.1", "127.0.0.5", True),
        ("127.0.0.1", "192.168.1.5", False),
        ("127.0.0.1", "evil.example", False),
        ("localhost", "localhost:9", True),
        ("::1", "[::1]", True),
        ("::1", "[::2]", False),
        ("0.0.0.0", "192.168.1.5:8080", True),  # a name is needed to rebind; an address is typed
        ("0.0.0.0", "[2001:db8::1]:8080", True),
        ("0.0.0.0", "127.0.0.1:9108", True),  # Docker's published port on this machine
        ("0.0.0.0", "evil.example", False),
        ("0.0.0.0", "jobs.example.org", True),  # allowed below
        ("192.168.1.5", "192.168.1.5", True),
        ("jobs.example.org", "jobs.example.org:443", True),
        ("0.0.0.0", "bad host", False),
        # Review b: a fully qualified name (a final dot) is the same host; two dots are no name.
        ("127.0.0.1", "localhost.", True),
        ("127.0.0.1", "LOCALHOST.:8080", True),
        ("0.0.0.0", "jobs.example.org.", True),
        ("127.0.0.1", "localhost..", False),
        ("127.0.0.1", "evil.example.", False),
        ("127.0.0.1", ".", False),
        ("0.0.0.0", "", False),
    ],
)
def test_which_names_are_answered(bound, host, answered):
    web = WebConfig(allowed_hosts=["jobs.example.org"]) if bound == "0.0.0.0" else WebConfig()
    assert (Hosts(bound).checked(host, web) is not None) is answered


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ('allowed_hosts = ["https://jobs.example.org"]', "host name"),
        ('allowed_hosts = ["jobs.example.org:8080"]', "host name"),
        ('allowed_hosts = ["*.example.org"]', "host name"),
        ('public_url = "ftp://jobs.example.org"', "http"),
        ('public_url = "https://jobs.example.org/?x=1"', "no query"),
    ],
)
def test_bad_web_settings_are_named(world, table, complaint):
    with pytest.raises(ConfigError) as caught:
        with_web(world, table + "\n")
    assert "web" in str(caught.value) and complaint in str(caught.value)
