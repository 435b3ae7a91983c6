"""XML sitemaps (sitemaps.org): the pages a site lists, with their lastmod.

Bounded as the protocol bounds them: 50,000 URLs and 50 MB per file, and
only URLs on the sitemap's own site: its host, or another host of the same
registrable domain (`acme.example` lists `www.acme.example`, as most sites
that redirect to www do), over the same scheme or https. Never another site
on a sitemap's say-so. A document type declaration is refused outright: a
sitemap has no use for entities.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx

from .. import weight
from ..redirects import follow_refusal, registrable_domain
from ..xmlfeed import Refused, without_doctype

MAX_URLS = 50_000
MAX_CHILDREN = 50  # sitemaps read from one sitemap index
MAX_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# The first element, after any XML declaration, document type (refused
# later, in words), comments and white space.
_ROOT = re.compile(
    rb"(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|\s)*<(?:[\w.-]+:)?(?:urlset|sitemapindex)[\s>]",
    re.DOTALL | re.IGNORECASE,
)
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class NotASitemap(ValueError):
    pass


@dataclass
class Sitemap:
    index: bool  # a sitemap index: `pages` are sitemaps
    pages: dict[str, str] = field(default_factory=dict)  # URL -> lastmod ("" if none)
    dropped: int = 0  # URLs on other sites, or past the limit
    elsewhere: int = 0  # of them, URLs on other sites
    capped: bool = False  # URLs of this site past MAX_URLS were not read


def unpacked(body: bytes) -> bytes:
    """The body, gunzipped if it is gzip (a `.xml.gz` sitemap), within the size limit."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_BYTES)
    except zlib.error as exc:
        raise NotASitemap(f"a gzip body that does not unpack ({exc})") from exc
    if inflater.unconsumed_tail:
        raise NotASitemap(f"a gzip body over {MAX_BYTES:,} bytes unpacked")
    return data


def is_sitemap(body: bytes) -> bool:
    head = (unpacked(body) if body.startswith(GZIP_MAGIC) else body)[:8192]
    return _ROOT.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def read(body: bytes, *sites: str) -> Sitemap:
    """The sitemap's URLs on the site of any of `sites` (the sitemap's URL,
    and where it was finally answered from)."""
    data = unpacked(body)
    if _DECLARATIONS.search(data[:65536]):
        raise NotASitemap("a sitemap with a document type declaration (refused)")
    try:
        weight.check_xml(data)
    except weight.TooHeavy as exc:
        raise NotASitemap(f"a sitemap of {exc}") from None
    try:
        # Past its first 64 KB too (a child sitemap is read without is_sitemap's look at its head).
        root = without_doctype(data)
    except Refused:
        raise NotASitemap("a sitemap with a document type declaration (refused)") from None
    except ElementTree.ParseError as exc:
        raise NotASitemap(f"invalid XML ({exc})") from exc
    kind = root.tag.rsplit("}", 1)[-1]
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"XML whose root is <{kind}>, not a sitemap")
    found = Sitemap(index=kind == "sitemapindex")
    for entry in root:
        loc = lastmod = ""
        for part in entry:
            name = part.tag.rsplit("}", 1)[-1]
            if name == "loc":
                loc = (part.text or "").strip()
            elif name == "lastmod":
                lastmod = (part.text or "").strip()[:40]
        if not loc:
            continue
        ours = any(same_site(loc, site) for site in sites)
        if not ours or len(found.pages) >= MAX_URLS or len(loc) > 2000:
            found.dropped += 1
            found.elsewhere += not ours
            found.capped |= ours and len(found.pages) >= MAX_URLS
            continue
        found.pages.setdefault(loc, lastmod)
    return found


async def reachable(
    pages: dict[str, str], configured: str, route: Callable[[str], str]
) -> tuple[dict[str, str], int]:
    """The pages the address policy lets us fetch (redirects.follow_refusal:
    the configured URL's site, never an internal address unless that URL is
    one), and how many are skipped. Decided once per host and port."""
    verdicts: dict[tuple[str, str, int | None], bool] = {}
    kept: dict[str, str] = {}
    for loc, lastmod in pages.items():
        target = route(loc)
        try:
            url = httpx.URL(target)
        except (httpx.InvalidURL, TypeError):
            continue
        place = (url.scheme, url.host.lower(), url.port)
        if place not in verdicts:
            verdicts[place] = await follow_refusal(configured, target) is None
        if verdicts[place]:
            kept[loc] = lastmod
    return kept, len(pages) - len(kept)


def same_site(url: str, site: str) -> bool:
    """`url` is on `site`'s host or another host of its registrable domain,
    over the same scheme (or https), on the same port if one is written."""
    try:
        a, b = urlsplit(site), urlsplit(url)
        ports = a.port, b.port
    except ValueError:
        return False
    if b.scheme.lower() not in (a.scheme.lower(), "https") or ports[0] != ports[1]:
        return False
    host, other = (a.hostname or "").lower(), (b.hostname or "").lower()
    if not other:
        return False
    if host == other:
        return True
    domain = registrable_domain(host)
    return domain is not None and registrable_domain(other) == domain
