"""Board specs, the words users write in `boards`: `greenhouse:stripe`, a
careers-page URL (`https://jobs.lever.co/plaid` is `lever:plaid`), or
"bluedoor" (the bluedoor API asked for a subscription's filters).

Config and sources both use this module, so it imports neither. People copy
the URL of the page they look at; the tables below know each kind's public
pages and API URLs. Anything else is refused with the list of forms we
accept, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from alerts.model import BoardRef

# Every source kind (alerts.sources.SOURCES has one module for each; a test
# keeps the two in step).
KINDS: tuple[str, ...] = (
    "greenhouse",
    "lever",
    "lever-eu",
    "ashby",
    "smartrecruiters",
    "workable",
    "recruitee",
    "workday",
    "bamboohr",
    "rippling",
    "jsonld",
    "bluedoor",
)
BLUEDOOR = "bluedoor"
# Kinds written kind:token in `boards` (a bluedoor board is written "bluedoor").
TOKEN_KINDS: tuple[str, ...] = tuple(kind for kind in KINDS if kind != BLUEDOOR)
BLUEDOOR_ALL = "all"  # the token of a bluedoor query without filters
BLUEDOOR_WORKPLACE_TYPES = frozenset({"remote", "hybrid", "onsite"})

# Hosts whose first path segment is the board: the careers pages.
_PAGE_HOSTS: dict[str, str] = {
    "jobs.ashbyhq.com": "ashby",
    "boards.greenhouse.io": "greenhouse",
    "boards.eu.greenhouse.io": "greenhouse",
    "job-boards.greenhouse.io": "greenhouse",
    "job-boards.eu.greenhouse.io": "greenhouse",
    "jobs.lever.co": "lever",
    "jobs.eu.lever.co": "lever-eu",
    "apply.workable.com": "workable",
    "jobs.smartrecruiters.com": "smartrecruiters",
    "careers.smartrecruiters.com": "smartrecruiters",
}
# API URLs: host and the path segments before the board.
_API_PREFIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "boards-api.greenhouse.io": ("greenhouse", ("v1", "boards")),
    "api.lever.co": ("lever", ("v0", "postings")),
    "api.eu.lever.co": ("lever-eu", ("v0", "postings")),
    "api.ashbyhq.com": ("ashby", ("posting-api", "job-board")),
    "api.smartrecruiters.com": ("smartrecruiters", ("v1", "companies")),
}
_WORKABLE_API = ("api", "v1", "widget", "accounts")
# First segments that are pages of the host itself, not a board.
_NOT_BOARDS = {"embed", "j", "api", "v1", "oauth", "login", "careers", "jobs"}
# `{token}.recruitee.com`, except the company's own hosts.
_RECRUITEE = ".recruitee.com"
_RECRUITEE_HOSTS = {"www", "api", "app", "blog", "docs", "help", "support", "status", "careers"}
# `{tenant}.wdN.myworkdayjobs.com`: wdN is the data centre (wd1, wd5, wd103, ...).
_WORKDAY_HOST = re.compile(r"(?P<tenant>[a-z0-9][a-z0-9-]*)\.(?P<dc>wd\d+)\.myworkdayjobs\.com")
_WORKDAY_NOT_SITES = {"wday", "job", "details", "login", "userhome"}
_LOCALE = re.compile(r"[a-z]{2}(?:-[A-Z]{2})?")
_RIPPLING_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")
# `{token}.bamboohr.com`, except BambooHR's own hosts.
_BAMBOOHR = ".bamboohr.com"
_BAMBOOHR_HOSTS = {"www", "api", "app", "help", "static", "marketplace", "partners", "status"}

ACCEPTED_FORMS: tuple[str, ...] = (
    "ashby:TOKEN or https://jobs.ashbyhq.com/TOKEN",
    "greenhouse:TOKEN or https://boards.greenhouse.io/TOKEN (or job-boards[.eu].greenhouse.io)",
    "lever:TOKEN or https://jobs.lever.co/TOKEN",
    "lever-eu:TOKEN or https://jobs.eu.lever.co/TOKEN",
    "recruitee:TOKEN or https://TOKEN.recruitee.com/",
    "smartrecruiters:TOKEN or https://jobs.smartrecruiters.com/TOKEN",
    "workable:TOKEN or https://apply.workable.com/TOKEN/",
    "workday:TENANT.wdN/SITE or https://TENANT.wdN.myworkdayjobs.com/[LOCALE/]SITE",
    "bamboohr:TOKEN or https://TOKEN.bamboohr.com/careers",
    "rippling:TOKEN or https://ats.rippling.com/TOKEN/jobs",
    "jsonld:URL (a careers page carrying schema.org JobPosting data, or its XML sitemap)",
)

# Kinds whose token is not a plain name: what it must look like, in words.
_TOKEN_FORMS: dict[str, str] = {
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


def _refused(text: str, form: str | None = None) -> ValueError:
    hint = f" (a {form.split(':', 1)[0]} board is written {form})" if form else ""
    return ValueError(
        f"a board as kind:token or a careers-page URL; {text!r} is neither{hint}. "
        f"Accepted: {'; '.join(ACCEPTED_FORMS)}"
    )


def _from_url(host: str, parts: list[str], query: str) -> tuple[str, str | None] | None:
    if host in _API_PREFIXES:
        kind, prefix = _API_PREFIXES[host]
        rest = parts[len(prefix) :] if tuple(parts[: len(prefix)]) == prefix else []
        return kind, rest[0] if rest else None
    if host == "apply.workable.com" and tuple(parts[: len(_WORKABLE_API)]) == _WORKABLE_API:
        rest = parts[len(_WORKABLE_API) :]
        return "workable", rest[0] if rest else None
    if host in _PAGE_HOSTS:
        kind = _PAGE_HOSTS[host]
        if kind == "greenhouse" and parts[:1] == ["embed"]:
            # The embeddable board: /embed/job_board?for=stripe
            return kind, next(iter(parse_qs(query).get("for", [])), None)
        return kind, parts[0] if parts and parts[0].lower() not in _NOT_BOARDS else None
    if host.endswith(_RECRUITEE):
        label = host[: -len(_RECRUITEE)]
        ok = label and "." not in label and label not in _RECRUITEE_HOSTS
        return "recruitee", label if ok else None
    return _from_reach_url(host, parts)


def _from_reach_url(host: str, parts: list[str]) -> tuple[str, str | None] | None:
    if (found := _WORKDAY_HOST.fullmatch(host)) is not None:
        return "workday", _workday_site(found["tenant"], found["dc"], parts)
    if host.endswith(_BAMBOOHR):
        label = host[: -len(_BAMBOOHR)]
        return "bamboohr", label if "." not in label and label not in _BAMBOOHR_HOSTS else None
    if host == "ats.rippling.com":
        if parts[:3] == ["api", "v2", "board"]:
            return "rippling", parts[3] if len(parts) > 3 else None
        if len(parts) > 1 and _RIPPLING_LOCALE.fullmatch(parts[0]):
            parts = parts[1:]
        return "rippling", parts[0] if parts and parts[0].lower() not in _NOT_BOARDS else None
    if host == "api.rippling.com":
        prefix = ["platform", "api", "ats", "v1", "board"]
        return "rippling", parts[5] if parts[:5] == prefix and len(parts) > 5 else None
    return None


def _workday_site(tenant: str, dc: str, parts: list[str]) -> str | None:
    """The site of a Workday careers URL: the first path segment after an
    optional locale (`/en-US/Site/job/...`), or the site of the CXS API path
    (`/wday/cxs/TENANT/SITE/jobs`, whose first segment is no site)."""
    if parts[:2] == ["wday", "cxs"]:
        # The host and the API path name the same tenant; the spec cannot say otherwise.
        same = len(parts) > 3 and parts[2].lower() == tenant
        return f"{tenant}.{dc}/{parts[3]}" if same else None
    if parts and _LOCALE.fullmatch(parts[0]):
        parts = parts[1:]
    return f"{tenant}.{dc}/{parts[0]}" if parts and parts[0].lower() not in _WORKDAY_NOT_SITES else None


def _token(kind: str, token: str) -> str | None:
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


def _token_board(kind: str, token: str, text: str) -> BoardRef:
    canonical = _token(kind, token.strip())
    if canonical is None:
        raise _refused(text, _TOKEN_FORMS.get(kind))
    return BoardRef(kind, canonical)


def resolve_board(text: str) -> BoardRef:
    """`kind:token` or a careers-page / API URL as a BoardRef; ValueError
    listing the accepted forms for anything else."""
    spec = text.strip()
    kind, sep, token = spec.partition(":")
    if sep and kind.strip() in KINDS:  # `jsonld:https://...` is a spec, not a URL
        return _token_board(kind.strip(), token, text)
    if "://" not in spec:
        raise _refused(text)
    parsed = urlsplit(spec)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise _refused(text)
    parts = [unquote(part) for part in parsed.path.split("/") if part]
    found = _from_url(parsed.hostname.lower(), parts, parsed.query)
    if found is None or not found[1] or not found[1].strip():
        raise _refused(text)
    canonical = _token(found[0], found[1].strip())
    if canonical is None:
        raise _refused(text)
    return BoardRef(found[0], canonical)


def parse_board(spec: str) -> BoardRef:
    """`kind:token`, or a careers-page URL that resolves to one."""
    spec = spec.strip()
    kind, sep, token = spec.partition(":")
    if sep and kind in TOKEN_KINDS and token.strip():
        return _token_board(kind, token, spec)
    if "://" in spec and kind not in KINDS:
        return resolve_board(spec)  # its ValueError lists the accepted URL forms
    raise ValueError(
        f"a board written kind:token such as greenhouse:stripe, a careers-page URL, "
        f'or "bluedoor", not {spec!r}; kinds: {", ".join(TOKEN_KINDS)}'
    )


@lru_cache(maxsize=65536)
def board_key(spec: str) -> str:
    """The key of a board spec as written in `boards` ("bluedoor" stays as it is:
    the subscription's filters make its query). Raises ValueError."""
    # Cached: thousands of subscriptions name the same few hundred boards.
    return BLUEDOOR if spec.strip() == BLUEDOOR else parse_board(spec).key


def bluedoor_token(company: Iterable[str], department: Iterable[str], work_model: Iterable[str]) -> str:
    """The canonical query of a subscription's filters: sorted keys, sorted
    values, a key repeated for each value; "all" when there is no filter.

    A work-model filter is pushed down only when every value is one the API
    knows: "unknown" (or any other) must widen the query, since the API's
    `workplace_type` filter would hide exactly the postings it asks for.
    """
    pairs = [("company", value) for value in _values(company)]
    pairs += [("department", value) for value in _values(department)]
    models = _values(value.lower() for value in work_model)
    if models and set(models) <= BLUEDOOR_WORKPLACE_TYPES:
        pairs += [("workplace_type", value) for value in models]
    return urlencode(pairs, quote_via=quote) or BLUEDOOR_ALL


def _values(values: Iterable[str]) -> list[str]:
    return sorted({value.strip() for value in values if value and value.strip()})
