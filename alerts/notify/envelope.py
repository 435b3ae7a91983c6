"""What a message is sent for, besides its events: the channel, the period a
digest covers in the channel's time zone, and the config file that set it up.
Messages say it in their header and footer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PERIOD_DASH = " – "


@dataclass(frozen=True)
class Envelope:
    channel: str | None = None
    timezone: str = "UTC"  # the channel's, for the times a message shows
    digest: bool = False
    # A digest covers its period: from the last digest to when this one goes
    # out. An instant message has only `until` (default: when it is written).
    since: datetime | None = None
    until: datetime | None = None
    config_file: str | None = None  # "alerts.toml": where the subscriptions are
    web_url: str | None = None  # where the web page is reached (web.public_url), if anywhere


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # validated in config; samples may say anything
        return ZoneInfo("UTC")


def moment(at: datetime) -> str:
    """ "Mon 24 Nov 08:00" (English names whatever the locale)."""
    day = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[at.weekday()]
    month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[at.month - 1]
    return f"{day} {at.day} {month} {at:%H:%M}"


def period_context(envelope: Envelope, now: datetime) -> dict[str, Any]:
    """The `period` key of the template context (documented in render.py)."""
    zone = _zone(envelope.timezone)
    end = (envelope.until or now).astimezone(zone)
    start = envelope.since.astimezone(zone) if envelope.digest and envelope.since else None
    text = f"{moment(start)}{PERIOD_DASH}{moment(end)}" if start else moment(end)
    return {
        "digest": envelope.digest,
        "start": start,
        "end": end,
        "timezone": envelope.timezone,
        "text": text,
    }
