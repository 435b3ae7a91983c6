"""The deliveries part of `alerts status`: each channel's mode and queue in
a table, then one line per problem saying what to do about it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from alerts.cli.tables import table, when
from alerts.config import ChannelConfig, Config
from alerts.delivery.schedule import next_digest, quiet_until
from alerts.service.display import iso
from alerts.store import Store
from alerts.store.channels import ChannelState
from alerts.text import clean_line


def channel_mode(name: str, channel: ChannelConfig, store: Store, now: datetime) -> str:
    """How and when the channel sends; its times in the channel's own time zone."""
    zone = ZoneInfo(channel.timezone)
    if channel.digest:
        due = next_digest(store, name, channel.digest, channel.timezone, now)
        return f"digest {channel.digest} ({channel.timezone}), next {when(due, zone)}"
    if channel.quiet_hours:
        until = quiet_until(channel, now)
        state = f"quiet until {when(until, zone)}" if until else "not quiet now"
        return f"instant, quiet {channel.quiet_hours} ({channel.timezone}): {state}"
    return "instant"


def delivery_lines(config: Config, store: Store, now: datetime | None = None) -> Iterator[str]:
    now = now or datetime.now(timezone.utc)
    zone = config.display.zone
    states = store.channels.channel_states()
    rows = []
    notes: list[str] = []
    for name in sorted(config.channels):
        state = states.get(name, ChannelState())
        count = state.counts.get
        rows.append(
            (
                name,
                channel_mode(name, config.channels[name], store, now),
                str(count("pending", 0)),
                str(count("failed", 0)),
                str(count("dead", 0)),
                str(count("sent", 0)),
                when(state.last_sent_at, zone),
            )
        )
        notes.extend(_notes(name, state, zone))
    yield from table(("CHANNEL", "MODE", "PENDING", "FAILING", "DEAD", "SENT", "LAST SENT"), rows)
    if notes:
        yield ""
        yield from notes


def channel_data(config: Config, store: Store, now: datetime) -> list[dict[str, Any]]:
    """`alerts status --format json`: one dict per channel, in name order."""
    zone = config.display.zone
    states = store.channels.channel_states()
    found = []
    for name in sorted(config.channels):
        state = states.get(name, ChannelState())
        count = state.counts.get
        found.append(
            {
                "channel": name,
                "mode": channel_mode(name, config.channels[name], store, now),
                "pending": count("pending", 0),
                "failing": count("failed", 0),
                "dead": count("dead", 0),
                "sent": count("sent", 0),
                "unconfirmed": state.unconfirmed,
                "next_retry_at": iso(state.next_retry, zone) if count("failed", 0) else None,
                "last_error": state.last_error,
                "last_sent_at": iso(state.last_sent_at, zone),
            }
        )
    return found


def _notes(name: str, state: ChannelState, zone: tzinfo) -> Iterator[str]:
    failing, dead = state.counts.get("failed", 0), state.counts.get("dead", 0)
    error = f": {clean_line(state.last_error)}" if state.last_error else ""
    if failing:
        yield f"{name}: {failing} failing, next try {when(state.next_retry, zone)}{error}"
    if dead:
        yield (
            f"{name}: {dead} gave up (too many attempts){error if not failing else ''}; "
            f"`alerts retry --dead --channel {name}` sends them again"
        )
    if state.unconfirmed:
        yield (
            f"{name}: {state.unconfirmed} sent without confirmation (no answer in time, or the process "
            f"stopped mid-send); `alerts retry --unconfirmed --channel {name}` sends them again"
        )
