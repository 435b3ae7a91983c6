"""The delivery pass: for each channel with work, decide what may go now
(digest schedule, quiet hours, retry back-off), compose each URL's messages,
send them through Apprise and record every part's outcome on its rows.

Every channel of a pass is handled at once: leases claimed, interrupted
sends settled and queued rows loaded in a statement or a few each, however
many channels and events there are; the sends then go out in waves, several
channels side by side (deliver_wave.py).

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

from alerts.config import Config
from alerts.config.recipients import recipient_urls
from alerts.delivery.channel_run import Batch, ChannelRun, DeliveryResult, retry_delay, target_id
from alerts.delivery.schedule import Digest, digest_state, quiet_until
from alerts.delivery.waves import Waves, lease_name
from alerts.notify.envelope import Envelope
from alerts.notify.send import SendResult, send
from alerts.store import SentPart, Store

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
        lease_clock: Clock | None = None,
    ):
        self.config = config
        self.store = store
        self.clock = clock
        # Leases and "sending" marks are compared across processes: the
        # database's time when the cycle gives it (store/clock.py).
        self.lease_clock = lease_clock or clock
        # The name on the channel leases this process holds.
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.sender = sender
        self._lock = asyncio.Lock()

    async def deliver(self, *, ignore_backoff: bool = False) -> list[DeliveryResult]:
        """Every channel with work; `ignore_backoff` for run --once."""
        # One delivery pass at a time per process: two passes would send the same rows twice.
        async with self._lock:
            return await asyncio.to_thread(self._pass, None, ignore_backoff)

    def _pass(self, only: list[str] | None, ignore_backoff: bool) -> list[DeliveryResult]:
        config = self.config  # a reload (SIGHUP) takes effect at the next pass
        now = self.clock()
        channels = config.channels
        fired = self._fired(config, [name for name, c in channels.items() if c.digest], now)
        if only is None:
            waiting = set(self.store.outbox.pending_channels())
            # An empty period sends nothing but still ends, so an event arriving
            # later waits for the next firing instead of going out at once.
            empty = [name for name, state in fired.items() if state.ends_period and name not in waiting]
            if empty:
                self.store.channels.set_last_digests(empty, now)
            only = sorted(waiting & set(channels))
        claimed_at = self.lease_clock()
        leases = self.store.leases.claim_many(
            self.owner, map(lease_name, only), claimed_at, config.polling.lease
        )
        # The others are being delivered to by another process right now.
        held = [name for name in only if lease_name(name) in leases]
        if not held:
            return []
        # Read again now that the leases are ours: another process may have
        # closed a period between the first read and the claim.
        fired |= self._fired(config, [name for name in held if channels[name].digest], now)
        try:
            return self._deliver_held(config, held, now, fired, ignore_backoff, claimed_at)
        finally:
            self.store.leases.release_many(self.owner, map(lease_name, held))

    def _fired(self, config: Config, digests: list[str], now: datetime) -> dict[str, Digest]:
        """Per digest channel: has its schedule fired since its period began?"""
        if not digests:
            return {}
        last = self.store.channels.last_digests()
        return {
            name: digest_state(last.get(name), c.digest, c.timezone, now)
            for name in digests
            if (c := config.channels[name]).digest
        }

    def _deliver_held(
        self,
        config: Config,
        names: list[str],
        now: datetime,
        fired: dict[str, Digest],
        ignore_backoff: bool,
        claimed_at: datetime,
    ) -> list[DeliveryResult]:
        targets = {name: {target_id(url): url for url in config.channels[name].targets} for name in names}
        settled = self.store.sends.settle_interrupted_many({n: frozenset(t) for n, t in targets.items()}, now)
        for name, count in sorted(settled.items()):
            log.warning(
                "channel %s: %d deliveries were being sent when a process stopped; "
                "counted as sent, unconfirmed (alerts retry --unconfirmed resends)",
                name,
                count,
            )
        results = {name: DeliveryResult(name) for name in names}
        new: dict[str, bool] = {}  # channel -> may send rows never tried (else only retries)
        closing = []  # digest periods this pass ends (or starts, at first sight)
        for name in names:
            channel = config.channels[name]
            until = quiet_until(channel, now)
            if until is not None:
                results[name].held = f"quiet hours until {until:%Y-%m-%d %H:%M} UTC"
                continue
            new[name] = fired[name].sends_new if channel.digest else True
            if channel.digest and fired[name].ends_period:
                closing.append(name)
        queued = self.store.outbox.queued_many(new, None if ignore_backoff else now)
        # Where each digest's period began, for its header (read before it closes below).
        digests = any(config.channels[name].digest for name in queued)
        began = self.store.channels.last_digests() if digests else {}
        runs = []
        settle: list[SentPart] = []
        for name, rows in queued.items():
            early = {q.id for q in rows if q.next_attempt_at and q.next_attempt_at > now}
            everyone = frozenset(targets[name])
            whole = _whole_urls(config.channels[name].written_urls)
            took = {q.id: _took(q.sent_targets, whole) for q in rows}
            # Every URL the channel has now took these (a recipient that
            # failed them was taken out of the config): sent, not owed forever.
            if done := [q.id for q in rows if everyone <= took[q.id]]:
                settle.extend(SentPart(done, fingerprint, everyone) for fingerprint in sorted(everyone))
            batches = [
                Batch(name, url, everyone, items, early)
                for fingerprint, url in targets[name].items()
                if (items := [q for q in rows if fingerprint not in took[q.id]])
            ]
            if batches:
                envelope = envelope_for(config, name, began.get(name))
                channel, template = config.channels[name], config.template_path(name)
                runs.append(ChannelRun(channel, template, batches, results[name], envelope=envelope))
        if settle:
            self.store.sends.record_sent(settle, now)
        waves = Waves(self.store, self.clock, self.owner, config.polling.lease, self.sender, self.lease_clock)
        waves.run(runs, claimed_at)
        if closing:
            # The period closes whether its sends succeeded or not: failed rows
            # are retried on their own back-off, not held for the next digest.
            self.store.channels.set_last_digests(closing, now)
        return [results[name] for name in names if queued.get(name) or results[name].held]


def _whole_urls(written: list[str]) -> dict[str, frozenset[str]]:
    """An email URL with several recipients as written (one target until
    one per recipient), by fingerprint -> its recipients' targets: a row it
    took then is theirs already."""
    found = {}
    for url in written:
        each = recipient_urls(url)
        if len(each) > 1:
            found[target_id(url)] = frozenset(map(target_id, each))
    return found


def _took(sent: frozenset[str], whole: dict[str, frozenset[str]]) -> frozenset[str]:
    return sent.union(*(whole[f] for f in sent & whole.keys())) if whole else sent


def envelope_for(config: Config, name: str, since: datetime | None) -> Envelope:
    """What a channel's messages say they are for: its digest period (from
    `since`, the last digest, to when it goes out), in its time zone."""
    channel = config.channels[name]
    return Envelope(
        channel=name,
        timezone=channel.timezone,
        digest=bool(channel.digest),
        since=since if channel.digest else None,
        config_file=config.path.name if config.path else None,
        web_url=config.web.public_url,
    )
