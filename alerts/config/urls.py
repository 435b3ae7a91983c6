"""Checks of the URLs a config names: the database and each source's base_url.

Messages never echo the URL: a database URL or a proxy's base_url may carry
a password.
"""

from __future__ import annotations

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
