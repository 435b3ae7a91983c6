"""URLs as messages may show them: without the secrets a base_url or a query
may carry."""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

from alerts.errors import SourceError
from alerts.text import any_form

_SECRET_PARAM = re.compile(r"key|token|secret|pass|auth|sig", re.IGNORECASE)
MASK = "***"
# Values the config took from ${VAR} into [sources.*] (a token in a proxy's
# base_url), as written and as a URL carries them: masked in every URL and
# error shown. Set once the config is loaded (cli/common.py): the process
# has one config at a time, and values of an earlier one stay hidden.
_hidden: set[str] = set()
_pattern: re.Pattern[str] | None = None


def hide(values: Iterable[str]) -> None:
    global _pattern
    _hidden.update(value for value in values if value)
    _pattern = any_form(_hidden)


def hidden(text: str) -> str:
    """`text` with every value given to `hide` masked, in whatever form it
    came (percent-encoded as httpx or a server wrote it, in another case)."""
    return _pattern.sub(MASK, text) if _pattern is not None else text


def hidden_error(exc: SourceError) -> SourceError:
    """The error as it may be shown and stored (`alerts status`, ops notices):
    what `hide` was given masked, wherever it came in (a URL, a server's echo)."""
    message = hidden(exc.message)
    if message == exc.message:
        return exc
    return SourceError(
        exc.board_key, message, status=exc.status, transient=exc.transient, retry_after=exc.retry_after
    )


def display_url(url: str) -> str:
    """The URL as it may appear in messages: no userinfo (a proxy base_url may
    carry a password) and no value of a query parameter that looks secret."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    shown = parsed.copy_with(username=None, password=None)
    params = list(shown.params.multi_items())
    if any(_SECRET_PARAM.search(name) for name, _ in params):
        query = "&".join(f"{name}={'***' if _SECRET_PARAM.search(name) else value}" for name, value in params)
        return hidden(str(shown.copy_with(query=None)) + "?" + query)
    return hidden(str(shown))
