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
from collections.abc import Callable, Iterable
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

ACCEPTED_FORMS: tuple[str, ...] = (
    "ashby:TOKEN or https://jobs.ashbyhq.com/TOKEN",
    "greenhouse:TOKEN or https://boards.greenhouse.io/TOKEN (or job-boards[.eu].greenhouse.io)",
    "lever:TOKEN or https://jobs.lever.co/TOKEN",
    "lever-eu:TOKEN or https://jobs.eu.lever.co/TOKEN",
    "recruitee:TOKEN or https://TOKEN.recruitee.com/",
    "smartrecruiters:TOKEN or https://jobs.smartrecruiters.com/TOKEN",
    "workable:TOKEN or https://apply.workable.com/TOKEN/",
)


# A token rule says why a kind refuses a token, or None when it takes it.
# Tokens become parts of API paths and host names: a rule must never let one
# walk up a path (`..`, `%2e%2e`), leave it (`/`, `?`, `#`) or change the host.
TokenRule = Callable[[str], str | None]


def _fully_unquoted(text: str) -> str:
    for _ in range(5):  # %252e%252e is %2e%2e is ..
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def pattern_rule(pattern: str, says: str) -> TokenRule:
    """Tokens that match `pattern` whole once percent-decoded, with no
    segment (between slashes) that is only dots."""
    compiled = re.compile(pattern)

    def rule(token: str) -> str | None:
        decoded = _fully_unquoted(token)
        if decoded != token:
            return f"{says}, written plainly (no %-escapes)"
        if any(part and part.strip(".") == "" for part in decoded.split("/")):
            return f"{says}, not only dots"
        return None if compiled.fullmatch(decoded) else says

    return rule


def _printable(token: str) -> str | None:
    return None if token.isprintable() else "printable text"


# The path segment of most APIs: a slug.
SLUG = pattern_rule(r"[^\W_][\w.-]*", "letters, digits, '.', '_' and '-'")
# Kinds whose board is the first label of a host name (`{token}.recruitee.com`).
HOST_LABEL = pattern_rule(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", "a host name label: letters, digits and '-'"
)
# Each kind's rule (SLUG when not listed). New kinds add theirs: Workday's
# `TENANT.DC/SITE`, a URL for jsonld.
TOKEN_RULES: dict[str, TokenRule] = {
    "recruitee": HOST_LABEL,
    # The canonical query made from a subscription's filters (bluedoor_token):
    # it goes into the query string, quoted.
    "bluedoor": _printable,
}


def check_token(kind: str, token: str) -> str | None:
    """Why `kind` refuses this token (for an error after "expected"), or None."""
    problem = TOKEN_RULES.get(kind, SLUG)(token)
    return f"a {kind} board token of {problem}; {token!r} is not one" if problem else None


def _board(kind: str, token: str) -> BoardRef:
    problem = check_token(kind, token)
    if problem:
        raise ValueError(problem)
    return BoardRef(kind, token)


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
    if host.endswith(_RECRUITEE):
        label = host[: -len(_RECRUITEE)]
        ok = label and "." not in label and label not in _RECRUITEE_HOSTS
        return "recruitee", label if ok else None
    return None


def resolve_board(text: str) -> BoardRef:
    """`kind:token` or a careers-page / API URL as a BoardRef; ValueError
    listing the accepted forms for anything else."""
    spec = text.strip()
    if "://" not in spec:
        kind, sep, token = spec.partition(":")
        token = token.strip()
        if sep and kind.strip() in KINDS and token and "/" not in token:
            return _board(kind.strip(), token)
        raise _refused(text)
    parsed = urlsplit(spec)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise _refused(text)
    parts = [unquote(part) for part in parsed.path.split("/") if part]
    found = _from_url(parsed.hostname.lower(), parts, parsed.query)
    if found is None or not found[1] or not found[1].strip() or "/" in found[1]:
        raise _refused(text)
    return _board(found[0], found[1].strip())


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
    return _board(kind, token)


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
