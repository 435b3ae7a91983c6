"""Log lines with secrets taken out, whatever logger wrote them.

A formatter around the real one (text or JSON) redacts the finished line, so
message arguments, `extra=` fields and tracebacks are all covered. It is fed
the secrets of the loaded config: every channel URL's userinfo, path and
query values, the sources' api_keys, the database password.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from alerts.text import any_form

MASK = "***"


class Redactor:
    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, secrets: Iterable[str]) -> None:
        self._secrets.update(secret for secret in secrets if secret)
        # Percent-encoded, in another case or JSON-escaped too (a JSON log line).
        self._pattern = any_form(self._secrets)

    def __call__(self, text: str) -> str:
        return self._pattern.sub(MASK, text) if self._pattern is not None else text


class RedactingFormatter(logging.Formatter):
    def __init__(self, inner: logging.Formatter, redactor: Redactor):
        super().__init__()
        self.inner = inner
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(self.inner.format(record))
