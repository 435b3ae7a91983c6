""" "No such board", in a source's own words: a 404 or 410, or a redirect
from a list URL that is asked for with redirects off (an API that never
redirects a real board sends an unknown one to a login or marketing page).
The one place these words are made, for every kind."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from .masked import display_url

# A source's own words for a failed response (and its body), or None for the generic ones.
Explain = Callable[[httpx.Response, bytes], str | None]

_SHOWN_CHARS = 200


def redirect_target(response: httpx.Response) -> str:
    """Where a 3xx points, as shown to a user: the path alone on the same
    host (it says why: /login.php, /settings/account/expired.php)."""
    location = response.headers.get("Location", "").strip()
    if not location:
        return "nowhere (no Location header)"
    try:
        target = response.url.join(location)
    except (httpx.InvalidURL, ValueError):
        return "an invalid address"
    same = (target.scheme, target.host, target.port) == (
        response.url.scheme,
        response.url.host,
        response.url.port,
    )
    shown = target.raw_path.decode("ascii", "replace") if same else display_url(str(target))
    return shown[:_SHOWN_CHARS]


def unknown_board(
    words: str, hint: str = "", *, gone: str | None = None, moved: str | None = None
) -> Explain:
    """`words` names the board in the source's terms ("no Rippling job
    board 'acme'"); `hint` says what to check, after a 404/410 (`gone`, if
    given) or a redirect (`moved`, if given)."""

    def explain(response: httpx.Response, body: bytes) -> str | None:
        status = response.status_code
        shown = display_url(str(response.url))
        if status in (404, 410):
            return f"{words} at {shown}{hint if gone is None else gone}"
        if 300 <= status < 400:
            return (
                f"{words}: {shown} redirects to {redirect_target(response)}{hint if moved is None else moved}"
            )
        return None

    return explain
