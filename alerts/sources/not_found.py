""" "No such board", in a source's own words: a 404 or 410, or a redirect
from a list URL that is asked for with redirects off (an API that never
redirects a real board sends an unknown one to a login or marketing page)."""

from __future__ import annotations

import httpx

from .failures import Explain, display_url


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
    return shown[:200]


def unknown_board(words: str, hint: str = "") -> Explain:
    """`words` names the board in the source's terms ("no Rippling job
    board 'acme'"); `hint` says what to check."""

    def explain(response: httpx.Response, body: bytes) -> str | None:
        status = response.status_code
        if status in (404, 410):
            return f"{words} at {display_url(str(response.url))}{hint}"
        if 300 <= status < 400:
            return f"{words}: {display_url(str(response.url))} redirects to {redirect_target(response)}{hint}"
        return None

    return explain
