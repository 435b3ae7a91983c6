"""XML sitemaps (sitemaps.org): the pages a site lists, with their lastmod.

Bounded as the protocol bounds them: 50,000 URLs and 50 MB per file, and
only URLs on the sitemap's own host (the protocol's rule, and no fetch of
another host on a sitemap's say-so). A document type declaration is refused
outright: a sitemap has no use for entities.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

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
    dropped: int = 0  # URLs on other hosts, or past the limit
    capped: bool = False  # URLs of this host past MAX_URLS were not read


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


def read(body: bytes, sitemap_url: str) -> Sitemap:
    data = unpacked(body)
    if _DECLARATIONS.search(data[:65536]):
        raise NotASitemap("a sitemap with a document type declaration (refused)")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise NotASitemap(f"invalid XML ({exc})") from exc
    kind = root.tag.rsplit("}", 1)[-1]
    if kind not in ("urlset", "sitemapindex"):
        raise NotASitemap(f"XML whose root is <{kind}>, not a sitemap")
    found = Sitemap(index=kind == "sitemapindex")
    host = _origin(sitemap_url)
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
        if _origin(loc) != host or len(found.pages) >= MAX_URLS or len(loc) > 2000:
            found.dropped += 1
            found.capped |= _origin(loc) == host and len(found.pages) >= MAX_URLS
            continue
        found.pages.setdefault(loc, lastmod)
    return found


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
