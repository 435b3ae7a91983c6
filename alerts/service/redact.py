"""Log lines with secrets taken out, whatever logger wrote them.

A formatter around the real one (text or JSON) redacts the finished line, so
message arguments, `extra=` fields and tracebacks are all covered. It is fed
the secrets of the loaded config: every channel URL's userinfo, path and
query values, the sources' api_keys, the database password.

A value of LONG_SECRET_CHARS or more is masked wherever it appears. A
shorter one ("jobs", "1") is masked only as a whole part of a URL (between
its / : @ ? & = # delimiters): masked everywhere, it would garble every line
that happens to hold the word or the digit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from alerts.text import any_form

MASK = "***"
LONG_SECRET_CHARS = 6
# A URL in a log line, up to what ends one in prose.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")
_DELIMITERS = "/:@?&=#,;"
# What may follow a URL in prose, taken into it by _URL: "(see https://h/x)."
_CLOSING = r"[.!?)\]}>]"


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._long: re.Pattern[str] | None = None
        self._short: re.Pattern[str] | None = None

    def add(self, secrets: Iterable[str]) -> None:
        self._secrets.update(secret for secret in secrets if secret)
        # Percent-encoded, in another case or JSON-escaped too (a JSON log line).
        self._long = any_form(secret for secret in self._secrets if len(secret) >= LONG_SECRET_CHARS)
        short = any_form(secret for secret in self._secrets if len(secret) < LONG_SECRET_CHARS)
        edge = re.escape(_DELIMITERS)
        # At the URL's end, before what closes a sentence or a bracket ("…/ab12.").
        end = rf"(?=[{edge}]|{_CLOSING}*$)"
        self._short = re.compile(rf"(?<=[{edge}])(?:{short.pattern}){end}", re.I) if short else None

    def __call__(self, text: str) -> str:
        if self._long is not None:
            text = self._long.sub(MASK, text)
        short = self._short
        if short is not None and "://" in text:
            text = _URL.sub(lambda url: short.sub(MASK, url[0]), text)
        return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, inner: logging.Formatter, redactor: Redactor):
        super().__init__()
        self.inner = inner
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(self.inner.format(record))
