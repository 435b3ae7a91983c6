"""How times and ages read, on the command line and the web page alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo


def when(value: datetime | None, zone: tzinfo = timezone.utc) -> str:
    """ "2026-11-28 09:15 CET"; "never" for None."""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") if value else "never"


def iso(value: datetime | None, zone: tzinfo = timezone.utc) -> str | None:
    """ISO 8601 with the zone's offset, for JSON."""
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None


def age(delta: timedelta) -> str:
    """A short age: "40m", "5h", "3d", "4mo"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if days < 60:
        return f"{days}d"
    return f"{days // 30}mo"
