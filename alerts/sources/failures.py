"""The one place where httpx, HTTP status and JSON failures become SourceError.

Messages name the URL (secrets masked) and say what to do; `transient` says
whether the next poll may go better.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httpx

from alerts.errors import SourceError
from alerts.model import BoardRef
from alerts.text import clean_line, truncate

from . import not_found, weight
from .masked import display_url
from .not_found import Explain


class BodyTooLarge(httpx.TransportError):
    """A response body over the size limit: reading stopped there."""


class RedirectRefused(httpx.TransportError):
    """A redirect the policy (redirects.py) does not follow; nothing was sent there."""


_SAID_CHARS = 200


def _reason(exc: BaseException) -> str:
    # httpx says "All connection attempts failed"; the OSError underneath
    # says "Connection refused" or "Name or service not known".
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, OSError) and seen.errno and seen.errno > 0:
            return os.strerror(seen.errno)
        if isinstance(seen, OSError) and seen.strerror:  # DNS errors have negative errnos
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    return str(exc) or type(exc).__name__


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018  (raises when the error has none)
    except RuntimeError:
        return False
    return True


def request_error(board: BoardRef, shown: str, exc: Exception, *, tries: int = 1) -> SourceError:
    # Order matters: UnsupportedProtocol is a TransportError, and the timeouts
    # are TransportErrors too.
    after = f" ({tries} tries)" if tries > 1 else ""
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting to",
            httpx.ReadTimeout: "reading from",
            httpx.WriteTimeout: "sending to",
            httpx.PoolTimeout: "waiting for a free connection to",
        }.get(type(exc), "requesting")
        return SourceError(board.key, f"timed out {phase} {shown}{after}", transient=True)
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return SourceError(board.key, f"invalid URL {shown}; check base_url", transient=False)
    if isinstance(exc, BodyTooLarge):
        return SourceError(board.key, f"{shown}: {exc}; stopped reading", transient=False)
    if isinstance(exc, RedirectRefused):
        where = display_url(str(exc.request.url))[:_SAID_CHARS] if _has_request(exc) else "another place"
        return SourceError(
            board.key, f"{shown} redirects to {where}; not followed: {exc}; check base_url", transient=False
        )
    if isinstance(exc, httpx.TooManyRedirects):
        return SourceError(board.key, f"too many redirects from {shown}; check base_url", transient=False)
    reason = truncate(clean_line(_reason(exc)), _SAID_CHARS)
    if isinstance(exc, httpx.ConnectError):
        return SourceError(board.key, f"could not connect to {shown} ({reason}){after}", transient=True)
    return SourceError(board.key, f"request to {shown} failed ({reason}){after}", transient=True)


def server_says(response: httpx.Response, content: bytes) -> str | None:
    """The error text a server put in its body (`content`), if short and
    readable: JSON `{"error": "..."}`, `{"error": {"code", "message"}}`,
    `{"message": ...}`, or a line of plain text. Never HTML: a whole error
    page is noise."""
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type:
        return None
    try:
        body: Any = json.loads(content)
    except (ValueError, RecursionError):
        raw = content[:_SAID_CHARS].decode("utf-8", "replace").strip()
        text = clean_line(raw)
        return text if text and "\n" not in raw and not text.startswith("<") else None
    if not isinstance(body, dict):
        return None
    said = body.get("error") or body.get("message")
    if isinstance(said, dict):
        parts = [said.get("code"), said.get("message")]
        said = ": ".join(str(part) for part in parts if isinstance(part, (str, int)) and str(part).strip())
    said = clean_line(said) if isinstance(said, str) else None
    return truncate(said, _SAID_CHARS) if said else None


def status_error(
    board: BoardRef,
    shown: str,
    response: httpx.Response,
    body: bytes,
    *,
    explain: Explain | None = None,
    retry_after: float | None = None,
    note: str = "",
) -> SourceError:
    status = response.status_code
    transient = status in (408, 429) or status >= 500
    message = explain(response, body) if explain else None
    if message is None:
        if status in (404, 410):
            message = f"board not found at {shown}; check the board token and base_url"
        elif status == 429:
            message = f"rate limited by {shown}"
        elif status >= 500 or status == 408:
            message = f"server error from {shown}"
        elif status in (401, 403):
            message = f"access denied by {shown}; the board may be private"
        elif 300 <= status < 400:
            message = f"board not found: {shown} redirects to {not_found.redirect_target(response)}"
        else:
            message = f"unexpected answer from {shown}"
        said = server_says(response, body)
        message += f" (it says: {said!r})" if said else ""
    message += f"; {note}" if note else ""
    return SourceError(board.key, message, status=status, transient=transient, retry_after=retry_after)


def without_secret(exc: SourceError, secret: str | None) -> SourceError:
    """The error as it may be shown and stored: `secret` masked wherever a
    server echoed it back. The same error when there is nothing to mask."""
    if not secret or secret not in exc.message:
        return exc
    message = exc.message.replace(secret, "***")
    return SourceError(
        exc.board_key, message, status=exc.status, transient=exc.transient, retry_after=exc.retry_after
    )


def _looks_like_html(response: httpx.Response, body: bytes) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    return "html" in content_type or body.lstrip()[:1] == b"<"


def _explain_bad_json(
    response: httpx.Response, body: bytes, shown: str, exc: json.JSONDecodeError
) -> tuple[str, bool]:
    """A message and whether trying again may help."""
    if _looks_like_html(response, body):
        return f"{shown} returned an HTML page, not JSON; check base_url", False
    if not body.strip():
        return f"{shown} returned an empty body, not JSON", True
    rest = exc.doc[exc.pos :].rstrip()
    cut_word = bool(rest) and any(word.startswith(rest) for word in ("null", "true", "false"))
    if exc.msg.startswith("Unterminated string") or exc.pos >= len(exc.doc.rstrip()) or cut_word:
        # A body cut short is a dropped connection more often than a bug
        # (cut anywhere: in a string, after a comma, inside a `null`).
        return f"the JSON from {shown} ends early (truncated response)", True
    return f"{shown} returned invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", False


def decode_json(response: httpx.Response, body: bytes, board: BoardRef) -> Any:
    try:
        weight.check_json(body)
    except weight.TooHeavy as exc:
        message = f"{display_url(str(response.url))} returned {exc}"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from None
    try:
        # json.loads on bytes detects UTF-8/16/32 itself, as RFC 8259 asks.
        return json.loads(body)
    except json.JSONDecodeError as exc:
        shown = display_url(str(response.url))
        message, transient = _explain_bad_json(response, body, shown, exc)
        raise SourceError(board.key, message, status=response.status_code, transient=transient) from exc
    except RecursionError as exc:
        message = (
            f"{display_url(str(response.url))} returned a body that is not readable JSON (nested too deeply)"
        )
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc
    except UnicodeDecodeError as exc:
        message = f"{display_url(str(response.url))} returned a body that is not readable JSON"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc
    except ValueError as exc:  # after its subclasses: Python's limit on an integer's digits
        message = f"{display_url(str(response.url))} returned JSON with a number of too many digits; not read"
        raise SourceError(board.key, message, status=response.status_code, transient=False) from exc
