"""When a digest channel's schedule says it is time to send."""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts.config import cron_trigger
from alerts.store import Store


def next_fire(expr: str, timezone: str, after: datetime) -> datetime:
    fire = cron_trigger(expr, timezone).get_next_fire_time(None, after + timedelta(seconds=1))
    assert fire is not None  # a crontab always fires again
    return fire


def digest_due(store: Store, channel: str, expr: str, timezone: str, now: datetime) -> bool:
    """True once the schedule has fired since the channel's last digest.

    The first time a channel is seen, its schedule starts now; a digest that
    fell due while the service was down is due as soon as it runs again.
    """
    last = store.last_digest(channel)
    if last is None:
        store.set_last_digest(channel, now)
        return False
    return next_fire(expr, timezone, last) <= now
