"""One channel's share of a delivery pass: what each of its URLs is owed,
the parts composed for it, and what a failed send does to the rows it
carried (retry back-off, then dead). Sending itself is deliver_wave.py's."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from alerts.backoff import DELIVERY_RETRY
from alerts.config import ChannelConfig
from alerts.model import Delivery
from alerts.notify.compose import Part, compose, target_for
from alerts.notify.envelope import Envelope
from alerts.notify.mask import recipient_hint
from alerts.store import Store

log = logging.getLogger("alerts")


@dataclass
class DeliveryResult:
    channel: str
    sent: int = 0  # rows delivered (to each URL of the channel)
    errors: list[str] = field(default_factory=list)
    dead: int = 0
    unconfirmed: int = 0
    held: str | None = None  # why nothing went out now, when something waits


def send_timeouts(channel: ChannelConfig) -> dict[str, float]:
    """The `timeout` and `connect_timeout` the channel sets, in seconds, as send() takes them."""
    waits = {"timeout": channel.timeout, "connect_timeout": channel.connect_timeout}
    return {name: wait.total_seconds() for name, wait in waits.items() if wait is not None}


def target_id(url: str) -> str:
    """A stable fingerprint of one channel URL, stored instead of the URL (which may hold secrets)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def retry_delay(attempts: int) -> timedelta:
    """Back-off before the next try: 30 s, 1 m, 2 m, ... capped at 6 h, with jitter."""
    return DELIVERY_RETRY.delay(attempts)


@dataclass(frozen=True)
class Batch:
    """What one channel URL is owed in this pass."""

    name: str  # the channel
    url: str
    all_targets: frozenset[str]  # fingerprints of every URL of the channel
    items: list[Delivery]
    # Rows tried before their back-off ended (run --once tries everything):
    # a failure then is noted but not counted, so a cron job running every
    # few minutes does not use up max_attempts in a short outage.
    early: set[int]

    @property
    def target(self) -> str:
        return target_id(self.url)


@dataclass
class ChannelRun:
    """One channel in a pass: its URLs one after another, each URL's parts in
    order, one part in flight at a time (a row has one "sending" mark)."""

    channel: ChannelConfig
    template: Path | None
    batches: list[Batch]  # the URLs still owed something, the current one first
    result: DeliveryResult
    parts: list[Part] | None = None  # the current URL's, once composed
    index: int = 0  # the current URL's next part
    stopped: bool = False  # the lease was lost: the rest is left to its new holder
    # What its messages say they are for (digest period, config file).
    envelope: Envelope = field(default_factory=Envelope)

    @property
    def name(self) -> str:
        return self.result.channel

    @property
    def batch(self) -> Batch:
        return self.batches[0]

    def next_part(self, store: Store, now: datetime) -> Part | None:
        """The next part to send, composing a URL's parts when it comes up."""
        while self.batches and not self.stopped:
            if self.parts is None:
                self.parts = []
                try:
                    target = target_for(self.batch.url, self.channel.format)
                    self.parts = compose(
                        self.batch.items, target, template=self.template, now=now, envelope=self.envelope
                    )
                except Exception as exc:  # e.g. a user template failing on real data: retried, then dead
                    every = [p.id for p in self.batch.items]
                    self.fail(store, now, every, f"cannot render: {exc}")
            if self.index < len(self.parts):
                return self.parts[self.index]
            self.next_url()
        return None

    def rest(self) -> list[int]:
        """Rows of the current URL's parts from the one going out now on."""
        return [row for part in (self.parts or [])[self.index :] for row in part.ids]

    def advance(self) -> None:
        """The part out now went out."""
        self.index += 1
        if self.index >= len(self.parts or []):
            self.next_url()

    def next_url(self) -> None:
        self.batches.pop(0)
        self.parts, self.index = None, 0

    def fail(self, store: Store, now: datetime, ids: list[int], detail: str) -> None:
        """These rows of the current URL failed: back-off, or dead once out of tries."""
        name, channel, batch, result = self.name, self.channel, self.batch, self.result
        if len(batch.all_targets) > 1 and (hint := recipient_hint(batch.url)):
            detail = f"to {hint}: {detail}"  # which recipient of the channel refused it
        result.errors.append(detail)
        early = [row for row in ids if row in batch.early]
        if early:
            store.sends.note_early_failure(early, detail, now)
            ids = [row for row in ids if row not in batch.early]
        if not ids:
            log.warning("channel %s: delivery failed again before its retry time: %s", name, detail)
            return
        failing = set(ids)
        attempts = max((p.attempts for p in batch.items if p.id in failing), default=0) + 1
        dead = store.sends.mark_failed(
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
