"""Board specs, the words users write in `boards`: `greenhouse:stripe`, a
careers-page URL (`https://jobs.lever.co/plaid` is `lever:plaid`), or
"bluedoor" (the bluedoor API asked for a subscription's filters).

Config and sources both use this package, so it imports neither. People copy
the URL of the page they look at; `urls.py` knows each kind's public pages
and API URLs, `tokens.py` what each kind's token may look like. Anything
else is refused with the list of forms we accept, never guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote, unquote, urlencode, urlsplit

from alerts.boards.tokens import TOKEN_FORMS, WORKDAY_TOKEN, canonical_token, jsonld_url_ok
from alerts.boards.urls import ACCEPTED_URL_FORMS, from_url, personio_login, workday_shared_host
from alerts.model import BoardRef

__all__ = [
    "ACCEPTED_FORMS",
    "BLUEDOOR",
    "BLUEDOOR_ALL",
    "KINDS",
    "TOKEN_KINDS",
    "WORKDAY_TOKEN",
    "bluedoor_token",
    "board_key",
    "jsonld_url_ok",
    "parse_board",
    "resolve_board",
]

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
ACCEPTED_FORMS = ACCEPTED_URL_FORMS


def _refused(text: str, form: str | None = None) -> ValueError:
    hint = f" (a {form.split(':', 1)[0]} board is written {form})" if form else ""
    return ValueError(
        f"a board as kind:token or a careers-page URL; {text!r} is neither{hint}. "
        f"Accepted: {'; '.join(ACCEPTED_FORMS)}"
    )


def _token_board(kind: str, token: str, text: str) -> BoardRef:
    canonical = canonical_token(kind, token.strip())
    if canonical is None:
        raise _refused(text, TOKEN_FORMS.get(kind))
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
    host = parsed.hostname.lower()
    found = from_url(host, parts, parsed.query)
    if found is None and (hint := personio_login(host) or workday_shared_host(host, parts)):
        raise hint
    if found is None or not found[1] or not found[1].strip():
        raise _refused(text)
    canonical = canonical_token(found[0], found[1].strip())
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
