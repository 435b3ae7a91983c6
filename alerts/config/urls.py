"""Checks of the URLs a config names: the database and each source's base_url.

Messages never echo the URL: a database URL or a proxy's base_url may carry
a password.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# The databases (and drivers) `alerts` runs on; postgresql:// means psycopg 3.
DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgres", "postgresql+psycopg")
_DATABASE_EXAMPLE = "sqlite:///alerts.db or postgresql://user@host:5432/db"


def check_database_url(url: str) -> str:
    """The URL if `alerts` can use it; else ValueError saying what is wrong."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme or any(ch.isspace() for ch in url):
        raise ValueError(f"a database URL such as {_DATABASE_EXAMPLE}")
    if scheme.lower() not in DATABASE_SCHEMES:
        raise ValueError(
            f"a database URL such as {_DATABASE_EXAMPLE}; unsupported kind {scheme!r} "
            f"(supported: {', '.join(DATABASE_SCHEMES)})"
        )
    if scheme.lower().startswith("sqlite"):
        if rest and not rest.startswith("/"):
            raise ValueError(
                "a SQLite URL with three slashes: sqlite:///relative.db or sqlite:////abs/path.db"
            )
        return url
    try:
        parsed = urlsplit(url)
        port = parsed.port
    except ValueError:
        raise ValueError("a PostgreSQL URL whose port is a number from 1 to 65535") from None
    if port == 0:
        raise ValueError("a PostgreSQL URL whose port is a number from 1 to 65535")
    return url


def check_base_url(url: str) -> str:
    """An http(s) URL with a host and a valid port ({token} placeholders allowed)."""
    try:
        parsed = urlsplit(url)
        port = parsed.port
    except ValueError:
        raise ValueError("an http(s) URL whose port is a number from 1 to 65535") from None
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise ValueError("an http:// or https:// URL with a host, such as https://api.example.com/v1")
    if port == 0:
        raise ValueError("an http(s) URL whose port is a number from 1 to 65535")
    return url


_HOST_NAME = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\Z")


def check_host_name(name: str) -> str:
    """A host name or IP address as a Host header carries it, lower-cased;
    ValueError for a URL, a port or anything else."""
    value = name.strip().lower()
    bare = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        if len(value) <= 253 and _HOST_NAME.match(value):
            return value
        raise ValueError(
            'a host name such as "jobs.example.org" (no scheme, port or path) or an IP address'
        ) from None
    return f"[{address}]" if address.version == 6 else str(address)


def check_public_url(url: str) -> str:
    """An http(s) URL with a host and no query or fragment, without a final slash."""
    check_base_url(url)
    parsed = urlsplit(url)
    if parsed.query or parsed.fragment or parsed.username or parsed.password or "{" in url:
        raise ValueError(
            "an http:// or https:// URL with no query, fragment or user, such as https://jobs.example.org"
        )
    return url.rstrip("/")
