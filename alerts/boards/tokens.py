"""What a board token may look like, per kind: most are a plain name; a
Workday board is `TENANT.wdN/SITE`, a jsonld board a URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Kinds whose token is not a plain name: what it must look like, in words.
TOKEN_FORMS: dict[str, str] = {
    "workday": "workday:TENANT.wdN/SITE, such as workday:nvidia.wd5/NVIDIAExternalCareerSite",
    "bamboohr": "bamboohr:TOKEN, the TOKEN of https://TOKEN.bamboohr.com/careers",
    "rippling": "rippling:TOKEN, the TOKEN of https://ats.rippling.com/TOKEN/jobs",
    "jsonld": "jsonld:URL with an http(s) URL, such as jsonld:https://careers.example.com/jobs",
}
# A Workday board: the tenant and data centre of the host, and the site.
WORKDAY_TOKEN = re.compile(
    r"(?P<tenant>[a-z0-9][a-z0-9-]{0,62})\.(?P<dc>wd\d{1,4})/(?P<site>[A-Za-z0-9][A-Za-z0-9_-]{0,99})"
)
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
JSONLD_MAX_URL = 255  # the store keeps tokens up to 255 characters


def canonical_token(kind: str, token: str) -> str | None:
    """The token in its canonical form, or None when it is not one of `kind`'s."""
    if kind == "workday":
        tenant, slash, site = token.partition("/")
        token = tenant.lower() + slash + site
        return token if WORKDAY_TOKEN.fullmatch(token) else None
    if kind in ("bamboohr", "rippling"):
        return token.lower() if _SLUG.fullmatch(token.lower()) else None
    if kind == "jsonld":
        return token if jsonld_url_ok(token) else None
    return token if token and "/" not in token else None


def jsonld_url_ok(url: str) -> bool:
    """An absolute http(s) URL with a host, of a sane length, nothing hidden in it."""
    if len(url) > JSONLD_MAX_URL or any(ch.isspace() or not ch.isprintable() for ch in url):
        return False
    try:
        parsed = urlsplit(url)
        parsed.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return False
    return parsed.scheme.lower() in ("http", "https") and bool(parsed.hostname) and not parsed.username
