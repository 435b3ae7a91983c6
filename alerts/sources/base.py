"""What every source module shares: the Source record and URL building.

Kept apart from `__init__` so the kind modules can import it while
`__init__` imports them to build the registry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from alerts.model import BoardRef, Posting

Fetch = Callable[[httpx.AsyncClient, BoardRef, str], Awaitable[list[Posting]]]


@dataclass(frozen=True)
class Source:
    kind: str
    default_base_url: str
    fetch: Fetch


def board_url(base_url: str, path: str, token: str) -> str:
    """`base_url` + `path`, with `{token}` filled in both.

    Some hosts carry the board in the host name (recruitee's
    `https://{token}.recruitee.com/api`), so the base URL is templated too.
    The token is quoted whole: a token with `/` or `?` must not reach
    another path or start a query.
    """
    quoted = quote(token, safe="")
    return base_url.replace("{token}", quoted).rstrip("/") + path.replace("{token}", quoted)
