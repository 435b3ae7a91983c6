"""Log lines with secrets taken out, whatever logger wrote them.

A formatter around the real one (text or JSON) redacts the finished line, so
message arguments, `extra=` fields and tracebacks are all covered. It is fed
the secrets of the loaded config: every channel URL's userinfo, path and
query values, the sources' api_keys, the database password.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "***"


class Redactor:
    def __init__(self) -> None:
        self._secrets: list[str] = []

    def add(self, secrets: Iterable[str]) -> None:
        found = set(self._secrets) | {secret for secret in secrets if secret}
        # Longest first: a token is not half-replaced by one of its pieces.
        self._secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, inner: logging.Formatter, redactor: Redactor):
        super().__init__()
        self.inner = inner
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(self.inner.format(record))
