"""Where a redirect may take a request: the redirect policy of the transport.

A board's redirect is followed only within the scheme and the registrable
domain of the URL the request began with (`api.lever.co` may send us to
`jobs.lever.co`, never to another company's host), and never to a loopback,
link-local, private or otherwise not global address (`ipaddress`'s
`is_global`, with the IPv4 address inside an IPv6 one judged too), unless the request itself went to such an
address (a local proxy, a test server): then only to the same host and port.
One change of scheme is followed: http:// to https:// on the same host (to
443 from the default port, or on the same port), never the other way.
Host names are resolved to check where they point; a name that does not
resolve is left to fail when connecting.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from functools import cache

import httpx
from publicsuffixlist import PublicSuffixList

from .failures import RedirectRefused

# Request extension: the URL a Client.request began with (httpx copies a
# request's extensions to the requests of its redirects).
ORIGIN = "alerts.origin"


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _suffixes() -> PublicSuffixList:
    # The list shipped with the package: never fetched, loaded at the first redirect.
    return PublicSuffixList()


def ip_literal(host: str) -> Address | None:
    """The IP address a host is written as ("[::1]" too), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# NAT64 prefixes (RFC 6052's well-known one, RFC 8215's local-use one):
# the last 32 bits are the IPv4 address the gateway connects to.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
# IETF protocol assignments: `is_global` lets a few of them through (192.0.0.9,
# .10 are anycast services); none is a job board.
_ALSO_INTERNAL = (ipaddress.ip_network("192.0.0.0/24"),)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it embeds one:
    IPv4-mapped (::ffff:a.b.c.d), 6to4 (2002::/16), NAT64 (64:ff9b::/96),
    Teredo's client. None for a plain address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.teredo is not None:
        return address.teredo[1]
    return None


def internal(address: Address) -> bool:
    """Not an address of the public internet: what `ipaddress` calls not
    global (loopback, private, link-local, CGNAT 100.64/10, 0.0.0.0/8,
    192.0.0.0/24, benchmarking 198.18/15, reserved, documentation, ...), or
    multicast; an IPv6 address that embeds an IPv4 one is judged by both."""
    inner = embedded_ipv4(address)
    if inner is not None and internal(inner):
        return True
    also = any(address in net for net in _ALSO_INTERNAL)
    return not address.is_global or address.is_multicast or also


async def _addresses(host: str, port: int) -> list[Address]:
    literal = ip_literal(host)
    if literal is not None:
        return [literal]
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    found = []
    for *_, sockaddr in infos:
        address = ip_literal(str(sockaddr[0]).split("%", 1)[0])
        if address is not None:
            found.append(address)
    return found


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def same_place(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.host.lower(), _port(a)) == (b.scheme, b.host.lower(), _port(b))


def upgrade(a: httpx.URL, b: httpx.URL) -> bool:
    """`b` is `a` moved from http to https on the same host: to 443 from the
    default port, or on the same port."""
    if (a.scheme, b.scheme) != ("http", "https") or a.host.lower() != b.host.lower():
        return False
    return _port(a) == _port(b) or (_port(a) == 80 and _port(b) == 443)


def registrable_domain(host: str) -> str | None:
    """`jobs.eu.lever.co` -> `lever.co`; None for an IP address or a bare suffix."""
    if ip_literal(host) is not None:
        return None
    return _suffixes().privatesuffix(host.lower().rstrip("."))


async def refusal(origin: httpx.URL, target: httpx.URL) -> str | None:
    """Why a redirect from a request that began at `origin` to `target` is not
    followed, or None when it may be."""
    if same_place(origin, target) or upgrade(origin, target):
        return None
    if any(internal(a) for a in await _addresses(origin.host, _port(origin))):
        return "it leaves the base_url's host and port, which is a local or private address"
    if target.scheme != origin.scheme:
        return f"it changes the scheme from {origin.scheme} to {target.scheme}"
    domain = registrable_domain(origin.host)
    if domain is None or registrable_domain(target.host) != domain:
        return f"it leaves {domain or origin.host}"
    if any(internal(a) for a in await _addresses(target.host, _port(target))):
        return "it points at a local or private address"
    return None


async def follow_refusal(configured: str, target: str) -> str | None:
    """Why a URL a board's answer points at (a sitemap's entry, a page's
    link) is not fetched, or None when it may be: the redirect policy, with
    an upgrade from http to https allowed. `configured` is the URL the
    board's config names (as routed through base_url)."""
    try:
        origin, url = httpx.URL(configured), httpx.URL(target)
    except (httpx.InvalidURL, TypeError):
        return "it is not a valid URL"
    if url.scheme == "https" and origin.scheme == "http" and not same_place(origin, url):
        origin = origin.copy_with(scheme="https", port=origin.port)
    return await refusal(origin, url)


async def check(request: httpx.Request) -> None:
    """Raise RedirectRefused when `request` is a redirect the policy does not follow."""
    origin = request.extensions.get(ORIGIN)
    if origin is None:
        return
    origin_url = httpx.URL(origin)
    if same_place(origin_url, request.url) or upgrade(origin_url, request.url):
        return
    problem = await refusal(origin_url, request.url)
    if problem:
        raise RedirectRefused(problem, request=request)
