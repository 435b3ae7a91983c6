"""When to try a GET again and how long to wait first. Pure, so it is easy to test."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from alerts.backoff import Backoff

# Overloaded or briefly unavailable: the same request may well work soon. A
# 500 is usually a bug on the server that the next second will not fix.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# The longest wait a server may ask for: a board asking for more is polled
# again after a day anyway (and 999999999999 s would overflow a timedelta).
MAX_RETRY_AFTER_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # tries in all, the first included
    base_seconds: float = 1.0  # first backoff ceiling; doubles each retry
    # The longest wait inside one cycle. A server asking for more gets it
    # through the scheduler (SourceError.retry_after) instead of a stalled cycle.
    cap_seconds: float = 30.0

    def backoff(self, retry: int, rng: random.Random | None = None) -> float:
        """Seconds before retry number `retry` (1, 2, ...): "full jitter", a uniform
        draw up to an exponential ceiling, so clients that failed together do
        not all come back together."""
        policy = Backoff(timedelta(seconds=self.base_seconds), timedelta(seconds=self.cap_seconds), "full")
        return policy.delay(retry, rng).total_seconds()


def retryable_error(exc: BaseException) -> bool:
    """A failure of this one request, not of our setup: connecting, reading,
    a dropped connection. A bad URL or too many redirects will not heal."""
    return isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP-date.
    None when absent or unreadable; never negative, never over a day."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return min(float(text), MAX_RETRY_AFTER_SECONDS)
    try:
        when = parsedate_to_datetime(text)
        if when.tzinfo is None:  # RFC 9110 dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS)
