"""Board specs, the words users write in `boards`: `greenhouse:stripe`, a
careers-page URL (`https://jobs.lever.co/plaid` is `lever:plaid`), or
"bluedoor" (the bluedoor API asked for a subscription's filters).

Config and sources both use this module, so it imports neither. People copy
the URL of the page they look at; the tables below know each kind's public
pages and API URLs. Anything else is refused with the list of forms we
accept, never guessed at.
"""

from __future__ import annotations

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
    "personio",
    "teamtailor",
    "breezy",
    "pinpoint",
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
}
# Teamtailor's North-American accounts: `{token}.na.teamtailor.com`.
_TEAMTAILOR_REGIONS = frozenset({"na"})
# `{token}.personio.de` is the company's Personio login, not its job page.
_PERSONIO_LOGIN = (".personio.de", ".personio.com")

ACCEPTED_FORMS: tuple[str, ...] = (
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
)


def _refused(text: str) -> ValueError:
    return ValueError(
        f"a board as kind:token or a careers-page URL; {text!r} is neither. Accepted: {'; '.join(ACCEPTED_FORMS)}"
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
    for suffix, (kind, reserved) in _BOARD_LABEL_HOSTS.items():
        if host.endswith(suffix):
            return kind, _board_label(kind, host[: -len(suffix)], reserved)
    if host.endswith("-jobs.personio.de"):
        # The host Personio retired in 2021; its boards moved to {token}.jobs.personio.de.
        return "personio", _board_label("personio", host[: -len("-jobs.personio.de")], frozenset())
    return None


def _board_label(kind: str, label: str, reserved: frozenset[str]) -> str | None:
    name, _, region = label.partition(".")
    if not name or name in reserved or "." in region:
        return None
    if region:
        # Only Teamtailor puts a region between the board and its host.
        return label if kind == "teamtailor" and region in _TEAMTAILOR_REGIONS else None
    return name


def _personio_login(host: str) -> ValueError | None:
    for suffix in _PERSONIO_LOGIN:
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        if label and "." not in label:
            # Worded to follow "expected", as every refusal here is.
            return ValueError(
                f"the job page https://{label}.jobs.personio.de (personio:{label}), "
                f"not https://{host}: that is the company's Personio login"
            )
    return None


def resolve_board(text: str) -> BoardRef:
    """`kind:token` or a careers-page / API URL as a BoardRef; ValueError
    listing the accepted forms for anything else."""
    spec = text.strip()
    if "://" not in spec:
        kind, sep, token = spec.partition(":")
        token = token.strip()
        if sep and kind.strip() in KINDS and token and "/" not in token:
            return BoardRef(kind.strip(), token)
        raise _refused(text)
    parsed = urlsplit(spec)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise _refused(text)
    parts = [unquote(part) for part in parsed.path.split("/") if part]
    host = parsed.hostname.lower()
    found = _from_url(host, parts, parsed.query)
    if found is None and (login := _personio_login(host)):
        raise login
    if found is None or not found[1] or not found[1].strip() or "/" in found[1]:
        raise _refused(text)
    return BoardRef(found[0], found[1].strip())


def parse_board(spec: str) -> BoardRef:
    """`kind:token`, or a careers-page URL that resolves to one."""
    spec = spec.strip()
    if "://" in spec:
        return resolve_board(spec)  # its ValueError lists the accepted URL forms
    kind, sep, token = spec.partition(":")
    token = token.strip()
    if not sep or not token or kind not in TOKEN_KINDS or "/" in token:
        raise ValueError(
            f"a board written kind:token such as greenhouse:stripe, a careers-page URL, "
            f'or "bluedoor", not {spec!r}; kinds: {", ".join(TOKEN_KINDS)}'
        )
    return BoardRef(kind, token)


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
