"""URLs as messages may show them: without the secrets a base_url or a query
may carry."""

from __future__ import annotations

import re

import httpx

_SECRET_PARAM = re.compile(r"key|token|secret|pass|auth|sig", re.IGNORECASE)


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
        return str(shown.copy_with(query=None)) + "?" + query
    return str(shown)
