"""One channel URL's share of a delivery pass: compose its parts, mark each
one "sending", send it, and record the outcome on exactly the rows it
carried, so a part that went out is never repeated by a retry."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from alerts.config import ChannelConfig, Config
from alerts.model import Pending
from alerts.notify.compose import compose, target_for
from alerts.notify.send import SendResult
from alerts.store import Store

log = logging.getLogger("alerts")

RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=6)
RETRY_JITTER = 0.2  # +-20%, so channels that failed together do not retry in step


@dataclass
class DeliveryResult:
    channel: str
    sent: int = 0  # rows delivered (to each URL of the channel)
    errors: list[str] = field(default_factory=list)
    dead: int = 0
    unconfirmed: int = 0
    held: str | None = None  # why nothing went out now, when something waits


def target_id(url: str) -> str:
    """A stable fingerprint of one channel URL, stored instead of the URL (which may hold secrets)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int) -> timedelta:
    """Back-off before the next try: 30 s, 1 m, 2 m, ... capped at 6 h, with jitter."""
    delay = min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)
    return delay * random.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)


@dataclass(frozen=True)
class Batch:
    """What one channel URL is owed in this pass."""

    name: str  # the channel
    url: str
    all_targets: set[str]  # fingerprints of every URL of the channel
    items: list[Pending]
    # Rows tried before their back-off ended (run --once tries everything):
    # a failure then is noted but not counted, so a cron job running every
    # few minutes does not use up max_attempts in a short outage.
    early: set[int]

    @property
    def target(self) -> str:
        return target_id(self.url)


@dataclass
class BatchSender:
    config: Config
    store: Store
    clock: Callable[[], datetime]
    owner: str
    sender: Callable[..., SendResult]

    def send(self, batch: Batch, result: DeliveryResult) -> bool:
        """Compose and send one URL's parts; False when the channel's lease was lost."""
        name, url = batch.name, batch.url
        channel = self.config.channels[name]
        try:
            parts = compose(
                batch.items, target_for(url, channel.format), template=self.config.template_path(name)
            )
        except Exception as exc:  # e.g. a user template that fails on real data: retried, then dead
            every = [p.delivery_id for p in batch.items]
            self._failed(name, channel, batch, every, f"cannot render: {exc}", result)
            return True
        for index, part in enumerate(parts):
            now = self.clock()
            if not self.store.claim(self.owner, f"channel:{name}", now, self.config.polling.lease):
                log.warning("channel %s: lease lost mid-pass; leaving the rest to its new holder", name)
                return False
            ids = list(part.ids)
            self.store.mark_sending(ids, batch.target, now)
            try:
                outcome = self.sender(url, part.message, tag=f"ch-{name}", text=part.text)
            except Exception as exc:  # send() does not raise for delivery failures: a bug, before sending
                log.exception("channel %s: send failed", name)
                outcome = SendResult("failed", f"internal error: {type(exc).__name__}")
            if outcome.status == "failed":
                # The parts not tried yet fail with it: the service is down,
                # and knocking again at every tick would not help.
                rest = [row for later in parts[index:] for row in later.ids]
                self._failed(name, channel, batch, rest, outcome.detail, result)
                return True
            doubt = (outcome.detail or "no answer in time") if outcome.status == "unknown" else None
            self.store.mark_sent(ids, batch.target, batch.all_targets, self.clock(), unconfirmed=doubt)
            result.sent += len(ids)
            if doubt:
                # Counted as sent so that nobody is told twice (README, "Delivery").
                result.unconfirmed += len(ids)
                log.warning("channel %s: %s; counted as sent, unconfirmed", name, doubt)
        return True

    def _failed(
        self,
        name: str,
        channel: ChannelConfig,
        batch: Batch,
        ids: list[int],
        detail: str,
        result: DeliveryResult,
    ) -> None:
        now = self.clock()
        result.errors.append(detail)
        early = [row for row in ids if row in batch.early]
        if early:
            self.store.note_early_failure(early, detail, now)
            ids = [row for row in ids if row not in batch.early]
        if not ids:
            log.warning("channel %s: delivery failed again before its retry time: %s", name, detail)
            return
        attempts = max((p.attempts for p in batch.items if p.delivery_id in set(ids)), default=0) + 1
        dead = self.store.mark_failed(
            ids,
            detail,
            now + retry_delay(attempts),
            now=now,
            max_attempts=channel.max_attempts,
            retry_for=channel.retry_for,
        )
        result.dead += dead
        if dead < len(ids):
            log.warning("channel %s: delivery failed (attempt %d), will retry: %s", name, attempts, detail)
        if dead:
            log.error(
                "channel %s: %d deliveries gave up (max_attempts %d, retry_for %s); "
                "`alerts retry --dead --channel %s` requeues them",
                name,
                dead,
                channel.max_attempts,
                _hours(channel.retry_for),
                name,
            )


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g}h"
