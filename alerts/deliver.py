"""The delivery pass: for each channel with work, decide what may go now
(digest schedule, quiet hours, retry back-off), compose each URL's messages,
send them through Apprise and record every part's outcome on its rows.

Exactly-once, as far as it can be had (README, "Delivery"): a channel is
worked on by one process at a time (a lease row); each part is marked
"sending" before it goes out, and a row found still marked by the next
holder of the lease is settled as sent-but-unconfirmed, like a timeout,
rather than sent again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timezone

from alerts.config import ChannelConfig, Config
from alerts.deliver_url import Batch, BatchSender, DeliveryResult, retry_delay, target_id
from alerts.digest import digest_due, quiet_until
from alerts.notify.send import SendResult, send
from alerts.store import Store

__all__ = ["Clock", "Deliverer", "DeliveryResult", "retry_delay", "target_id", "utcnow"]

log = logging.getLogger("alerts")

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Deliverer:
    def __init__(
        self,
        config: Config,
        store: Store,
        clock: Clock = utcnow,
        *,
        owner: str | None = None,
        sender: Callable[..., SendResult] = send,
    ):
        self.config = config
        self.store = store
        self.clock = clock
        # The name on the channel leases this process holds.
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.sender = sender
        self._lock = asyncio.Lock()

    async def deliver(self, *, ignore_backoff: bool = False) -> list[DeliveryResult]:
        """Every channel with work, concurrently; `ignore_backoff` for run --once."""
        # One delivery pass at a time per process: two passes would send the same rows twice.
        async with self._lock:
            waiting = set(await asyncio.to_thread(self.store.pending_channels))
            for name, channel in self.config.channels.items():
                if channel.digest and name not in waiting:
                    await asyncio.to_thread(self._close_empty_digest, name, channel)
            names = sorted(waiting & set(self.config.channels))
            results = await asyncio.gather(
                *(asyncio.to_thread(self.deliver_channel, name, ignore_backoff) for name in names)
            )
        return [r for r in results if r is not None]

    def _close_empty_digest(self, name: str, channel: ChannelConfig) -> None:
        # An empty period sends nothing but still ends, so an event arriving
        # later waits for the next firing instead of going out at once.
        assert channel.digest is not None
        now = self.clock()
        if digest_due(self.store, name, channel.digest, channel.timezone, now):
            self.store.set_last_digest(name, now)

    def deliver_channel(self, name: str, ignore_backoff: bool = False) -> DeliveryResult | None:
        lease = f"channel:{name}"
        if not self.store.claim(self.owner, lease, self.clock(), self.config.polling.lease):
            return None  # another process is delivering to this channel right now
        try:
            return self._deliver_held(name, ignore_backoff)
        finally:
            self.store.release(self.owner, lease)

    def _deliver_held(self, name: str, ignore_backoff: bool) -> DeliveryResult | None:
        channel = self.config.channels[name]
        now = self.clock()
        targets = {target_id(url): url for url in channel.targets}
        settled = self.store.settle_interrupted(name, set(targets), now)
        if settled:
            log.warning(
                "channel %s: %d deliveries were being sent when a process stopped; "
                "counted as sent, unconfirmed (alerts retry --unconfirmed resends)",
                name,
                settled,
            )
        result = DeliveryResult(name)
        until = quiet_until(channel, now)
        if until is not None:
            result.held = f"quiet hours until {until:%Y-%m-%d %H:%M} UTC"
            return result
        new = True
        if channel.digest:
            new = digest_due(self.store, name, channel.digest, channel.timezone, now)
        queued = self.store.queued(name, None if ignore_backoff else now, new=new)
        early = {q.pending.delivery_id for q in queued if q.next_attempt_at and q.next_attempt_at > now}
        sender = BatchSender(self.config, self.store, self.clock, self.owner, self.sender)
        for fingerprint, url in targets.items():
            items = [q.pending for q in queued if fingerprint not in q.sent_targets]
            batch = Batch(name, url, set(targets), items, early)
            if items and not sender.send(batch, result):
                break  # the lease was lost: another process has the channel now
        if channel.digest and new:
            # The period closes whether its sends succeeded or not: failed rows
            # are retried on their own back-off, not held for the next digest.
            self.store.set_last_digest(name, now)
        return result if queued or result.held else None
