"""What a board token may look like, per kind: most are a plain name; a
Workday board is `TENANT.wdN/SITE`, a jsonld board a URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

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


# A token rule gives a token in its canonical form, or None when the kind
# refuses it. Tokens become parts of API paths and host names: a rule must
# never let one walk up a path (`..`, `%2e%2e`), leave it (`/`, `?`, `#`) or
# change the host. Each kind has one (SLUG when not listed); a new kind adds its own.
TokenRule = Callable[[str], str | None]


def _fully_unquoted(text: str) -> str:
    for _ in range(5):  # %252e%252e is %2e%2e is ..
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def pattern_rule(pattern: str, *, lower: bool = False) -> TokenRule:
    """Tokens that match `pattern` whole, written plainly (no %-escapes, so
    `%2e%2e` is refused as `..` is), with no segment that is only dots."""
    compiled = re.compile(pattern)

    def rule(token: str) -> str | None:
        if _fully_unquoted(token) != token:
            return None
        if any(part.strip(".") == "" for part in token.split("/")):
            return None
        token = token.lower() if lower else token
        return token if compiled.fullmatch(token) else None

    return rule


def _workday(token: str) -> str | None:
    tenant, slash, site = token.partition("/")
    return pattern_rule(WORKDAY_TOKEN.pattern)(tenant.lower() + slash + site)


def _jsonld(token: str) -> str | None:
    return token if jsonld_url_ok(token) else None


def _printable(token: str) -> str | None:
    return token if token.isprintable() else None


# The path segment of most APIs: letters, digits, '.', '_', '-', not first '.', '_' or '-'.
SLUG = pattern_rule(r"[^\W_][\w.-]{0,254}")
# The first label of a host name (`{token}.recruitee.com`).
HOST_LABEL = pattern_rule(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", lower=True)
TOKEN_RULES: dict[str, TokenRule] = {
    "recruitee": HOST_LABEL,
    "personio": HOST_LABEL,
    "breezy": HOST_LABEL,
    "pinpoint": HOST_LABEL,
    # North-American accounts are `{token}.na.teamtailor.com`.
    "teamtailor": pattern_rule(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.na)?", lower=True),
    "workday": _workday,
    "bamboohr": pattern_rule(_SLUG.pattern, lower=True),
    "rippling": pattern_rule(_SLUG.pattern, lower=True),
    "jsonld": _jsonld,
    # The canonical query made from a subscription's filters (bluedoor_token),
    # sent in the query string, quoted.
    "bluedoor": _printable,
}


def canonical_token(kind: str, token: str) -> str | None:
    """The token in its canonical form, or None when it is not one of `kind`'s."""
    return TOKEN_RULES.get(kind, SLUG)(token) if token else None


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
