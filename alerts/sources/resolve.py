"""Careers-page URLs to boards: `https://jobs.lever.co/plaid` is `lever:plaid`.

People copy the URL of the page they look at; the tables below know each
kind's public pages and API URLs. Anything else is refused with the list of
forms we accept, never guessed at.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from alerts.model import BoardRef

from . import SOURCES

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
        if sep and kind.strip() in SOURCES and token and "/" not in token:
            return BoardRef(kind.strip(), token)
        raise _refused(text)
    parsed = urlsplit(spec)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise _refused(text)
    parts = [unquote(part) for part in parsed.path.split("/") if part]
    found = _from_url(parsed.hostname.lower(), parts, parsed.query)
    if found is None or not found[1] or not found[1].strip() or "/" in found[1]:
        raise _refused(text)
    return BoardRef(found[0], found[1].strip())
