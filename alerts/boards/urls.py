"""Careers-page and API URLs -> (kind, token): the tables of each kind's
public pages. Anything not in them is refused by the caller, never guessed."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

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
    "api.rippling.com": ("rippling", ("platform", "api", "ats", "v1", "board")),
}
_WORKABLE_API = ("api", "v1", "widget", "accounts")
# First segments that are pages of the host itself, not a board.
_NOT_BOARDS = {"embed", "j", "api", "v1", "oauth", "login", "careers", "jobs"}
# Hosts whose first label is the board (`{token}.recruitee.com`): the kind,
# and the labels that are the provider's own sites, not a company's.
_BOARD_LABEL_HOSTS: dict[str, tuple[str, frozenset[str]]] = {
    ".recruitee.com": (
        "recruitee",
        frozenset({"www", "api", "app", "blog", "docs", "help", "support", "status", "careers"}),
    ),
    ".jobs.personio.de": ("personio", frozenset({"www", "api", "app"})),
    ".jobs.personio.com": ("personio", frozenset({"www", "api", "app"})),
    ".teamtailor.com": ("teamtailor", frozenset({"www", "app", "api", "docs", "support"})),
    ".breezy.hr": (
        "breezy",
        frozenset(
            {"www", "api", "app", "developer", "marketing", "assets-cdn", "attachments-cdn", "gallery-cdn"}
        ),
    ),
    ".pinpointhq.com": ("pinpoint", frozenset({"www", "api", "app", "docs", "help", "support", "status"})),
    ".bamboohr.com": (
        "bamboohr",
        frozenset({"www", "api", "app", "help", "static", "marketplace", "partners", "status"}),
    ),
}
# Teamtailor's North-American accounts: `{token}.na.teamtailor.com`.
_TEAMTAILOR_REGIONS = frozenset({"na"})
# `{token}.personio.de` is the company's Personio login, not its job page.
_PERSONIO_LOGIN = (".personio.de", ".personio.com")
# `{tenant}.wdN.myworkdayjobs.com`: wdN is the data centre (wd1, wd5, wd103, ...).
_WORKDAY_HOST = re.compile(r"(?P<tenant>[a-z0-9][a-z0-9-]*)\.(?P<dc>wd\d+)\.myworkdayjobs\.com")
_WORKDAY_NOT_SITES = {"wday", "job", "details", "login", "userhome"}
_LOCALE = re.compile(r"[a-z]{2}(?:-[A-Z]{2})?")
_RIPPLING_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")

ACCEPTED_URL_FORMS: tuple[str, ...] = (
    "ashby:TOKEN or https://jobs.ashbyhq.com/TOKEN",
    "greenhouse:TOKEN or https://boards.greenhouse.io/TOKEN (or job-boards[.eu].greenhouse.io)",
    "lever:TOKEN or https://jobs.lever.co/TOKEN",
    "breezy:TOKEN or https://TOKEN.breezy.hr/",
    "lever-eu:TOKEN or https://jobs.eu.lever.co/TOKEN",
    "personio:TOKEN or https://TOKEN.jobs.personio.de/ (or .com)",
    "pinpoint:TOKEN or https://TOKEN.pinpointhq.com/",
    "recruitee:TOKEN or https://TOKEN.recruitee.com/",
    "smartrecruiters:TOKEN or https://jobs.smartrecruiters.com/TOKEN",
    "teamtailor:TOKEN or https://TOKEN.teamtailor.com/jobs (North America: TOKEN.na)",
    "workable:TOKEN or https://apply.workable.com/TOKEN/",
    "workday:TENANT.wdN/SITE or https://TENANT.wdN.myworkdayjobs.com/[LOCALE/]SITE",
    "bamboohr:TOKEN or https://TOKEN.bamboohr.com/careers",
    "rippling:TOKEN or https://ats.rippling.com/TOKEN/jobs",
    "jsonld:URL (a careers page carrying schema.org JobPosting data, or its XML sitemap)",
)


def from_url(host: str, parts: list[str], query: str) -> tuple[str, str | None] | None:
    """(kind, token or None) for a known host, None for an unknown one."""
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
    for suffix, (kind, reserved) in _BOARD_LABEL_HOSTS.items():
        if host.endswith(suffix):
            return kind, _board_label(kind, host[: -len(suffix)], reserved)
    if host.endswith("-jobs.personio.de"):
        # The host Personio retired in 2021; its boards moved to {token}.jobs.personio.de.
        return "personio", _board_label("personio", host[: -len("-jobs.personio.de")], frozenset())
    if (found := _WORKDAY_HOST.fullmatch(host)) is not None:
        return "workday", _workday_site(found["tenant"], found["dc"], parts)
    if host == "ats.rippling.com":
        if parts[:3] == ["api", "v2", "board"]:
            return "rippling", parts[3] if len(parts) > 3 else None
        if len(parts) > 1 and _RIPPLING_LOCALE.fullmatch(parts[0]):
            parts = parts[1:]
        return "rippling", parts[0] if parts and parts[0].lower() not in _NOT_BOARDS else None
    return None


def _board_label(kind: str, label: str, reserved: frozenset[str]) -> str | None:
    name, _, region = label.partition(".")
    if not name or name in reserved or "." in region:
        return None
    if region:
        # Only Teamtailor puts a region between the board and its host.
        return label if kind == "teamtailor" and region in _TEAMTAILOR_REGIONS else None
    return name


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


# Workday's other careers host: `wdN.myworkdaysite.com/[LOCALE/]recruiting/TENANT/SITE`.
_WORKDAY_SHARED_HOST = re.compile(r"(?P<dc>wd\d+)\.myworkdaysite\.com")


def workday_shared_host(host: str, parts: list[str]) -> ValueError | None:
    """The hint for a Workday careers site on myworkdaysite.com, which a
    workday: board cannot name (its sites share one host)."""
    found = _WORKDAY_SHARED_HOST.fullmatch(host)
    if found is None:
        return None
    if parts and _LOCALE.fullmatch(parts[0]):
        parts = parts[1:]
    named = len(parts) >= 3 and parts[0] == "recruiting"
    tenant, site = (parts[1].lower(), parts[2]) if named else ("TENANT", "SITE")
    # Worded to follow "expected", as every refusal here is.
    return ValueError(
        f"a Workday site on TENANT.wdN.myworkdayjobs.com, such as "
        f"https://{tenant}.{found['dc']}.myworkdayjobs.com/{site} (workday:{tenant}.{found['dc']}/{site}): "
        f"Workday careers sites on {host} are not supported yet, as they share one host a "
        f"workday: board cannot name; if the company's site is also on myworkdayjobs.com, give that URL"
    )


def personio_login(host: str) -> ValueError | None:
    """The hint for a company's Personio login URL, which is not its job page."""
    for suffix in _PERSONIO_LOGIN:
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        if label and "." not in label:
            # Worded to follow "expected", as every refusal here is.
            return ValueError(
                f"the job page https://{label}.jobs.personio.de (personio:{label}), "
                f"not https://{host}: that is the company's Personio login"
            )
    return None
