"""The outbox to the channels: render each channel's pending events into one
message per URL, send it through Apprise, record the outcome per row."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from alerts.config import Config
from alerts.digest import digest_due
from alerts.notify.render import render_message
from alerts.notify.send import native_format, send, service_of
from alerts.store import Store

log = logging.getLogger("alerts")

Clock = Callable[[], datetime]
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=6)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class DeliveryResult:
    channel: str
    sent: int = 0
    errors: list[str] = field(default_factory=list)


def target_id(url: str) -> str:
    """A stable fingerprint of one channel URL, stored instead of the URL (which may hold secrets)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int) -> timedelta:
    """Back-off before the next try: 30 s, 1 m, 2 m, ... capped at 6 h, with jitter."""
    delay = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)
    return delay * random.uniform(0.8, 1.2)


class Deliverer:
    def __init__(self, config: Config, store: Store, clock: Clock = utcnow):
        self.config = config
        self.store = store
        self.clock = clock
        self._lock = asyncio.Lock()

    async def deliver(self, *, ignore_backoff: bool = False) -> list[DeliveryResult]:
        """Every channel with due rows, concurrently; `ignore_backoff` for run --once."""
        # One delivery pass at a time per process: two passes would send the same rows twice.
        async with self._lock:
            names = [
                n for n in await asyncio.to_thread(self.store.pending_channels) if n in self.config.channels
            ]
            results = await asyncio.gather(
                *(asyncio.to_thread(self.deliver_channel, name, ignore_backoff) for name in names)
            )
        return [r for r in results if r is not None]

    def deliver_channel(self, name: str, ignore_backoff: bool = False) -> DeliveryResult | None:
        channel = self.config.channels[name]
        now = self.clock()
        if channel.digest:
            if not digest_due(self.store, name, channel.digest, channel.timezone, now):
                return None
            ignore_backoff = False
        queued = self.store.queued(name, None if ignore_backoff else now)
        if not queued:
            if channel.digest:  # an empty digest sends nothing but still closes its period
                self.store.set_last_digest(name, now)
            return None
        result = DeliveryResult(name)
        targets = {target_id(url): url for url in channel.targets}
        for fingerprint, url in targets.items():
            items = [q.pending for q in queued if fingerprint not in q.sent_targets]
            if not items:
                continue
            ids = [p.delivery_id for p in items]
            message = render_message(
                items,
                channel.format or native_format(url),
                template=self.config.template_path(name),
                service=service_of(url),
            )
            outcome = send(url, message, tag=f"ch-{name}")
            if outcome.status == "failed":
                attempts = max(p.attempts for p in items) + 1
                self.store.mark_failed(ids, outcome.detail, now + retry_delay(attempts))
                result.errors.append(outcome.detail)
                log.warning("channel %s: delivery failed, will retry: %s", name, outcome.detail)
                continue
            # A timeout means the service may well have the message: count it
            # as sent so that nobody is told twice (see README, "Delivery").
            if outcome.status == "unknown":
                log.warning("channel %s: no answer in time; counted as sent: %s", name, outcome.detail)
            self.store.mark_sent(ids, fingerprint, set(targets), now)
            result.sent += len(items)
        if channel.digest and not result.errors:
            self.store.set_last_digest(name, now)
        return result
