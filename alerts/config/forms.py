"""Each value's written form as JSON Schema: the strings users write in the
TOML file ("15m", "50MB", "0 8 * * mon-fri", "greenhouse:stripe"), for
editors and the config's schema (config/schema.py).

The patterns follow the parsers (types.py, urls.py, alerts.boards), never
stricter: an editor must not flag a value `alerts validate` takes. Any string
may name an environment variable instead (`${VAR}`, read when the file is
loaded), so every pattern also takes a value that contains one.
"""

from __future__ import annotations

from typing import Any

from alerts.boards import BLUEDOOR, TOKEN_KINDS
from alerts.config.types import DIGEST_ALIASES
from alerts.config.urls import DATABASE_SCHEMES

ENV_REF = r"\$\{[A-Za-z_][A-Za-z0-9_]*\}"
# Channel names, as `[channels.NAME]` and `channels = [...]` write them.
CHANNEL_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _any_case(word: str) -> str:
    """A pattern for `word` in any case (JSON Schema patterns take no flags)."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ch for ch in word)


def _string(pattern: str) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^(?:{pattern})$|{ENV_REF}"}


def _written(pattern: str, description: str, examples: list[Any]) -> dict[str, Any]:
    return {"description": description, "examples": examples, **_string(pattern)}


_HTTP = _any_case("http") + "[sS]?://"
_BOARD_KINDS = "|".join(TOKEN_KINDS)
_BOARD_URL = _HTTP + r"\S+"

FORMS: dict[str, dict[str, Any]] = {
    "duration": {
        "description": 'A duration: whole numbers with d, h, m or s, such as "90s", "15m", "1h30m" '
        'or "2d" (at most "3650d"), or a number of seconds.',
        "examples": ["15m", "90s", "1h30m", "2d"],
        "anyOf": [_string(r"\s*(?:[0-9]+\s*[dhmsDHMS]\s*)+"), {"type": "number", "minimum": 0}],
    },
    "size": {
        "description": 'A size: "500KB", "50MB", "1GB" (binary units: 1KB = 1024 bytes) or a number '
        "of bytes.",
        "examples": ["50MB", "500KB", "1GB"],
        "anyOf": [
            _string(r"\s*[0-9]+(?:\.[0-9]+)?\s*(?:[bB]|[kKmMgG][iI]?[bB])?\s*"),
            {"type": "integer", "minimum": 0},
        ],
    },
    "cron": _written(
        r"\s*(?:\S+(?:\s+\S+){4}|" + "|".join(_any_case(alias) for alias in DIGEST_ALIASES) + r")\s*",
        "A schedule: a cron line of five fields (minute hour day-of-month month day-of-week, such as "
        '"0 8 * * mon-fri"), or "hourly", "daily" (08:00) or "weekly" (Monday 08:00).',
        ["0 8 * * mon-fri", "daily", "0 7-21 * * *"],
    ),
    "timezone": _written(
        r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*",
        'An IANA time zone name, such as "UTC", "Europe/Berlin" or "America/New_York".',
        ["UTC", "Europe/Berlin", "America/New_York"],
    ),
    "board": _written(
        rf"\s*(?:{BLUEDOOR}|(?:{_BOARD_KINDS}):\s*\S.*|{_BOARD_URL})\s*",
        f"A board: kind:token (kinds: {', '.join(TOKEN_KINDS)}), a careers-page URL such as "
        f'"https://jobs.ashbyhq.com/openai", or "{BLUEDOOR}" (the bluedoor API asked for the '
        "subscription's company, department and work_model).",
        ["greenhouse:stripe", "https://jobs.lever.co/plaid", "workday:nvidia.wd5/NVIDIAExternalCareerSite"],
    ),
    "board-key": _written(
        rf"\s*(?:(?:{_BOARD_KINDS}):\s*\S.*|{_BOARD_URL})\s*",
        "A board of a job site as written in `boards`: kind:token or its careers-page URL.",
        ["lever:plaid", "https://jobs.ashbyhq.com/openai"],
    ),
    "apprise-url": _written(
        r"[A-Za-z][A-Za-z0-9+.-]*://\S*",
        "An Apprise URL (https://github.com/caronc/apprise/wiki): the scheme names the service; "
        "console:// prints to the terminal. Put secrets in the environment: ${VAR}.",
        [
            "console://",
            "https://hooks.slack.com/services/${SLACK_WEBHOOK}",
            "mailtos://alerts:${SMTP_PASSWORD}@example.com?to=me@example.com",
        ],
    ),
    "database-url": _written(
        "(?:" + "|".join(_any_case(scheme).replace("+", r"\+") for scheme in DATABASE_SCHEMES) + r")://\S*",
        'A database URL: "sqlite:///alerts.db" (a relative path is relative to the config file) '
        'or "postgresql://user@host:5432/db".',
        ["sqlite:///alerts.db", "postgresql://alerts@localhost:5432/alerts"],
    ),
    "base-url": _written(
        _HTTP + r"[^\s/]+\S*",
        "An http:// or https:// URL with a host.",
        ["https://boards-api.greenhouse.io/v1", "http://proxy.internal:8080/greenhouse"],
    ),
    "host-name": _written(
        r"\s*(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\s*",
        "A host name (or IP address) as a Host header names it, without a scheme or port.",
        ["jobs.example.org"],
    ),
    "quiet-hours": _written(
        r"\s*(?:[01]?[0-9]|2[0-3]):[0-5][0-9]\s*-\s*(?:[01]?[0-9]|2[0-3]):[0-5][0-9]\s*",
        'A daily window written "HH:MM-HH:MM"; it may span midnight.',
        ["22:00-07:00"],
    ),
    "file": {
        "type": "string",
        "description": "A file name, relative to the config file's folder.",
        "examples": ["my-template.md.j2"],
    },
    "currency": _written(
        r"\s*[A-Za-z]{3}\s*",
        'An ISO 4217 currency code, such as "USD", "EUR" or "GBP".',
        ["USD", "EUR", "GBP"],
    ),
}
