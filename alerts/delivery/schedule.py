"""When a channel may send: digest schedules and quiet hours.

Both are decided from the clock and the database alone (the channel's last
digest time), so they hold across restarts and across processes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo

from alerts.config import ChannelConfig, cron_trigger
from alerts.store import Store


def next_fire(expr: str, tz: str, after: datetime) -> datetime:
    fire = cron_trigger(expr, tz).get_next_fire_time(None, after + timedelta(seconds=1))
    assert fire is not None  # a crontab always fires again
    return fire.astimezone(timezone.utc)


class Digest(Enum):
    """Where a digest channel's period stands at a delivery pass."""

    DUE = "due"  # the schedule fired since the period began: send, and close the period
    WAITING = "waiting"  # not yet: only retries of failed rows go out
    FIRST_SIGHT = "first sight"  # never seen: the period starts now, nothing is sent

    @property
    def sends_new(self) -> bool:
        return self is Digest.DUE

    @property
    def ends_period(self) -> bool:
        return self is not Digest.WAITING


def digest_state(last: datetime | None, expr: str, tz: str, now: datetime) -> Digest:
    if last is None:
        return Digest.FIRST_SIGHT
    return Digest.DUE if fired_since(last, expr, tz, now) else Digest.WAITING


def fired_since(last: datetime, expr: str, tz: str, now: datetime) -> bool:
    """Whether the schedule has fired since the period began at `last`: a
    digest that fell due while the service was down is due once, however
    many firings it missed."""
    return next_fire(expr, tz, last) <= now


def next_digest(store: Store, channel: str, expr: str, tz: str, now: datetime) -> datetime:
    """When the channel's next digest goes out (now, if one is overdue)."""
    return max(next_fire(expr, tz, store.channels.last_digest(channel) or now), now)


def quiet_until(channel: ChannelConfig, now: datetime) -> datetime | None:
    """The end of the quiet hours `now` falls in, or None when the channel may send."""
    window = channel.quiet_window
    if window is None:
        return None
    (h1, m1), (h2, m2) = window
    start, end = time(h1, m1), time(h2, m2)
    if start == end:
        return None  # "22:00-22:00" is an empty window, not a whole day
    local = now.astimezone(ZoneInfo(channel.timezone))
    clock = local.time().replace(tzinfo=None)
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if start < end:
        quiet = start <= clock < end
    else:  # the window spans midnight
        quiet = clock >= start or clock < end
        if clock >= start:
            ends += timedelta(days=1)
    # Aware arithmetic in a ZoneInfo zone is wall-clock arithmetic, so the
    # window ends at 07:00 local even across a daylight-saving change.
    return ends.astimezone(timezone.utc) if quiet else None
