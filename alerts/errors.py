"""The exception tree. Every error we raise on purpose is an AlertsError.

`transient` tells whether trying again later can help: a timeout or a 503 is
transient, a 404 or a config typo is not.
"""

from __future__ import annotations


class AlertsError(Exception):
    transient = False


class ConfigError(AlertsError):
    """A config file that cannot be used; names the file and the key path."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        self.message = message
        self.file = file
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.key) if part)
        return f"{where}: {self.message}" if where else self.message


class SourceError(AlertsError):
    """A board could not be fetched or read; its stored state stays untouched."""

    def __init__(
        self,
        board_key: str,
        message: str,
        *,
        status: int | None = None,
        transient: bool = True,
        retry_after: float | None = None,
    ):
        self.board_key = board_key
        self.message = message
        self.status = status
        self.transient = transient
        # Seconds the source asked us to wait (Retry-After) beyond what one
        # cycle waits: the board's next poll is pushed back at least this far.
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status else ""
        return f"{self.board_key}: {self.message}{status}"


class StoreError(AlertsError):
    """The database cannot be used (unreachable, locked, wrong schema)."""


class DeliveryError(AlertsError):
    """A channel could not take a message; the delivery stays pending."""

    def __init__(self, channel: str, message: str, *, transient: bool = True):
        self.channel = channel
        self.message = message
        self.transient = transient
        super().__init__(f"{channel}: {message}")
