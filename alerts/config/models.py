"""The config's shape: pydantic models, validated once, unknown keys refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from alerts.boards import board_key
from alerts.config.subscription import Subscription
from alerts.config.types import (
    DAY,
    SECOND,
    Duration,
    Interval,
    Size,
    Strict,
    StrList,
    between,
    cron_trigger,
    size_between,
)
from alerts.config.urls import check_base_url, check_database_url
from alerts.model import BoardRef

DEFAULT_DATABASE_URL = "sqlite:///alerts.db"
MAX_REPOST_WINDOW = timedelta(days=365)


class DatabaseConfig(Strict):
    url: Annotated[str, AfterValidator(check_database_url)] = DEFAULT_DATABASE_URL


class PollingConfig(Strict):
    interval: Interval = timedelta(minutes=15)
    jitter: Annotated[Duration, between(timedelta(0), DAY)] = timedelta(seconds=30)
    close_after_misses: int = Field(2, ge=1, le=1000)
    # One request's wait for the server (connecting, each read).
    timeout: Annotated[Duration, between(SECOND, timedelta(minutes=10))] = timedelta(seconds=30)
    # One board's whole fetch: every page, retry and detail. A board still
    # answering then fails for this cycle.
    board_deadline: Annotated[Duration, between(SECOND, timedelta(hours=1))] = timedelta(minutes=2)
    # Decoded bytes of one response (a gzip bomb is counted as it expands).
    max_response_size: Annotated[Size, size_between(1024, 4 * 1024**3)] = 50 * 1024**2
    # How often a running service asks the database what is due.
    tick: Annotated[Duration, between(SECOND, timedelta(hours=1))] = timedelta(seconds=5)
    # How long a process may hold a board or a channel before the others
    # take it over (a process killed mid-poll is replaced after this).
    lease: Annotated[Duration, between(SECOND, DAY)] = timedelta(minutes=5)
    # Boards polled at once by one process.
    concurrency: int = Field(16, ge=1, le=10_000)


class AlertsConfig(Strict):
    """About the service itself."""

    # A channel told when a board has failed `failure_threshold` times in a
    # row, and again when it recovers.
    ops_channel: str | None = None
    failure_threshold: int = Field(3, ge=1)
    # A posting with a new id but the same company, title and location as one
    # closed (or still open) this recently is announced as a repost. "0s": off.
    repost_window: Duration = timedelta(days=30)

    @field_validator("repost_window")
    @classmethod
    def _bounded_window(cls, value: timedelta) -> timedelta:
        if value > MAX_REPOST_WINDOW:
            raise ValueError(f"a window of at most {MAX_REPOST_WINDOW.days}d (or 0s for none)")
        return value


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as 'UTC' or 'Europe/Berlin'") from None
    return value


class DisplayConfig(Strict):
    """How the command line and the web page show things."""

    # Times in `status`, `history`, `jobs` and on the web page.
    timezone: Annotated[str, AfterValidator(_known_zone)] = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SourceConfig(Strict):
    base_url: Annotated[str, AfterValidator(check_base_url)] | None = None
    api_key: str | None = None


# Bounds of a channel's `timeout` and `connect_timeout`.
SEND_WAIT_BOUNDS = {
    "timeout": (timedelta(seconds=1), timedelta(minutes=10)),
    "connect_timeout": (timedelta(seconds=1), timedelta(minutes=5)),
}


def _shown(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


class BoardConfig(Strict):
    """`[boards."lever:plaid"]`: settings of one board, keyed by its spec."""

    # The company of every posting of the board, whatever the source says
    # (Lever and Ashby say nothing, so their postings show the token).
    name: str | None = None

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("a company name, not a blank string")
        return value.strip() if value is not None else None


_QUIET_HOURS = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")


class ChannelConfig(Strict):
    url: str | None = None
    urls: StrList = Field(default_factory=list)
    format: Literal["text", "markdown", "html"] | None = None
    template: Path | None = None
    digest: str | None = None
    timezone: str = "UTC"
    # Instant channels: a daily window ("22:00-07:00", in `timezone`) during
    # which messages are held; they go out together when it ends.
    quiet_hours: str | None = None
    # A delivery that keeps failing becomes dead (kept and shown by `alerts
    # status`, requeued by `alerts retry --dead`) after this many attempts,
    # or once it has been failing for this long, whichever comes first. With
    # the back-off (30 s doubling to 6 h) 20 attempts take about 2.5 days, so
    # by default retry_for decides.
    max_attempts: int = Field(20, ge=1, le=1_000_000)
    retry_for: Duration = timedelta(days=2)
    # How long a send waits for the service's answer once connected (email:
    # each reply), and for the connection. Unset: Apprise's rto/cto in the
    # URL if given, else 30s and 10s. A message that went out in full and got
    # no answer in time counts as sent, unconfirmed; a refused connection, a
    # DNS failure or a connect timeout is a failure, retried.
    timeout: Duration | None = None
    connect_timeout: Duration | None = None

    @field_validator("timeout", "connect_timeout")
    @classmethod
    def _bounded_wait(cls, value: timedelta | None, info: ValidationInfo) -> timedelta | None:
        low, high = SEND_WAIT_BOUNDS[info.field_name or ""]
        if value is not None and not low <= value <= high:
            raise ValueError(f"a duration from {_shown(low)} to {_shown(high)}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _known_zone(value)

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_window(cls, value: str | None) -> str | None:
        if value is not None and not _QUIET_HOURS.match(value):
            raise ValueError('a daily window written "HH:MM-HH:MM", such as "22:00-07:00"')
        return value

    @model_validator(mode="after")
    def _valid_digest(self) -> ChannelConfig:
        if self.digest is not None:
            try:
                trigger = cron_trigger(self.digest, self.timezone)
            except ValueError:
                raise ValueError(
                    'digest: expected a cron line such as "0 8 * * mon-fri", or hourly, daily, weekly'
                ) from None
            if trigger.get_next_fire_time(None, datetime.now(ZoneInfo(self.timezone))) is None:
                raise ValueError(f"digest: the schedule {self.digest!r} never fires (is the date real?)")
            if self.quiet_hours is not None:
                # A digest already sends only when its schedule says so.
                raise ValueError(
                    "quiet_hours: only on an instant channel (no digest); for a digest, "
                    'use a schedule that skips the night, such as "0 7-21 * * *"'
                )
        return self

    @property
    def quiet_window(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """((start hour, minute), (end hour, minute)) of the quiet hours, or None."""
        match = _QUIET_HOURS.match(self.quiet_hours or "")
        if match is None:
            return None
        h1, m1, h2, m2 = (int(part) for part in match.groups())
        return (h1, m1), (h2, m2)

    @property
    def targets(self) -> list[str]:
        return ([self.url] if self.url else []) + list(self.urls)


class Config(Strict):
    database: DatabaseConfig = DatabaseConfig()
    polling: PollingConfig = PollingConfig()
    alerts: AlertsConfig = AlertsConfig()
    display: DisplayConfig = DisplayConfig()
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
    # Written [boards."kind:token"]; not `boards`, which is the method below.
    board_settings: dict[str, BoardConfig] = Field(default_factory=dict, alias="boards")
    channels: dict[str, ChannelConfig] = Field(default_factory=dict)
    subscriptions: list[Subscription] = Field(default_factory=list)
    # Where the config came from: used to resolve relative paths and name the file in errors.
    path: Path | None = Field(None, exclude=True)

    @cached_property
    def _by_board(self) -> dict[str, tuple[BoardRef, list[Subscription]]]:
        # Built once per config: with thousands of subscriptions, scanning
        # them all for every board or event would cost more than the polling.
        index: dict[str, tuple[BoardRef, list[Subscription]]] = {}
        for sub in self.subscriptions:
            for ref in sub.board_refs:
                index.setdefault(ref.key, (ref, []))[1].append(sub)
        return index

    def boards(self) -> dict[str, BoardRef]:
        """Every distinct board any subscription names, by key."""
        return {key: ref for key, (ref, _) in self._by_board.items()}

    def subscriptions_on(self, key: str) -> list[Subscription]:
        """The subscriptions that name this board."""
        entry = self._by_board.get(key)
        return entry[1] if entry else []

    def board_interval(self, key: str) -> timedelta:
        """The shortest interval any subscription on the board asks for."""
        wanted = [sub.interval for sub in self.subscriptions_on(key) if sub.interval]
        return min(wanted, default=self.polling.interval)

    @cached_property
    def _board_names(self) -> dict[str, str]:
        # Keys are checked when the file is loaded (alerts.config.load).
        return {board_key(spec): s.name for spec, s in self.board_settings.items() if s.name}

    def board_name(self, key: str) -> str | None:
        """The company name the config gives this board, if any."""
        return self._board_names.get(key)

    def base_url(self, source: str) -> str | None:
        settings = self.sources.get(source)
        return settings.base_url if settings else None

    def template_path(self, channel: str) -> Path | None:
        template = self.channels[channel].template
        if template is None or template.is_absolute() or self.path is None:
            return template
        return self.path.parent / template
