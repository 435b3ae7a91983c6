"""The config's shape: pydantic models, validated once, unknown keys refused."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from alerts.boards import BLUEDOOR, bluedoor_token, board_key
from alerts.config.types import (
    MAX_DURATION,
    Currency,
    Duration,
    Phrases,
    Size,
    StrList,
    as_list,
    between,
    cron_trigger,
    size_between,
)
from alerts.config.urls import check_base_url, check_database_url
from alerts.model import EMPLOYMENT_TYPES, EVENT_KINDS, WORK_MODELS, BoardRef

DEFAULT_DATABASE_URL = "sqlite:///alerts.db"
MAX_REPOST_WINDOW = timedelta(days=365)
MAX_POSTED_WITHIN = timedelta(days=3650)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Strict):
    url: Annotated[str, AfterValidator(check_database_url)] = DEFAULT_DATABASE_URL


SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
# Every duration is at most config.types.MAX_DURATION; these keys have bounds of their own.
Interval = Annotated[Duration, between(SECOND, MAX_DURATION)]


class PollingConfig(_Strict):
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


class AlertsConfig(_Strict):
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


class DisplayConfig(_Strict):
    """How the command line and the web page show things."""

    # Times in `status`, `history`, `jobs` and on the web page.
    timezone: Annotated[str, AfterValidator(_known_zone)] = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SourceConfig(_Strict):
    base_url: Annotated[str, AfterValidator(check_base_url)] | None = None
    api_key: str | None = None


class BoardConfig(_Strict):
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


class ChannelConfig(_Strict):
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


class TitleFilter(_Strict):
    include: StrList = Field(default_factory=list)
    exclude: StrList = Field(default_factory=list)


def _title_filter(value: Any) -> Any:
    # `title = ["engineer"]` is shorthand for `title = {include = ["engineer"]}`.
    if isinstance(value, (str, list)):
        return {"include": as_list(value)}
    return value


class KeywordFilter(_Strict):
    """Words or phrases looked for in the title and the description."""

    include: Phrases = Field(default_factory=list)
    exclude: Phrases = Field(default_factory=list)


class Subscription(_Strict):
    name: str
    boards: StrList
    company: StrList = Field(default_factory=list)
    department: StrList = Field(default_factory=list)
    team: StrList = Field(default_factory=list)
    work_model: list[Literal[WORK_MODELS]] = Field(default_factory=list)  # type: ignore[valid-type]
    location: StrList = Field(default_factory=list)
    employment_type: list[Literal[EMPLOYMENT_TYPES]] = Field(default_factory=list)  # type: ignore[valid-type]
    title: Annotated[TitleFilter, BeforeValidator(_title_filter)] = Field(default_factory=TitleFilter)
    events: list[Literal[EVENT_KINDS]] = Field(default_factory=lambda: list(EVENT_KINDS))  # type: ignore[valid-type]
    channels: StrList = Field(default_factory=list)
    interval: Interval | None = None
    include_existing: bool = False
    # Salaries compare on a yearly basis; a posting without one passes
    # unless salary_required (see filters.py).
    salary_min: float | None = None
    salary_currency: Currency | None = None
    salary_required: bool = False
    keywords: Annotated[KeywordFilter, BeforeValidator(_title_filter)] = Field(default_factory=KeywordFilter)
    posted_within: Duration | None = None
    reposts: Literal["announce", "hide"] = "announce"

    @field_validator("work_model", "employment_type", "events", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [v.lower() if isinstance(v, str) else v for v in as_list(value)]

    @field_validator("reposts", mode="before")
    @classmethod
    def _lower_word(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("salary_min", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e12:
            raise ValueError("a yearly amount of zero or more, such as 120000")
        return value

    @field_validator("posted_within")
    @classmethod
    def _age(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and not timedelta(0) < value <= MAX_POSTED_WITHIN:
            raise ValueError(f'an age such as "14d", more than 0s and at most {MAX_POSTED_WITHIN.days}d')
        return value

    @field_validator("boards")
    @classmethod
    def _valid_boards(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError('at least one board, such as "greenhouse:stripe"')
        return [board_key(spec) for spec in value]

    @model_validator(mode="after")
    def _bluedoor_query(self) -> Subscription:
        # "bluedoor" means: this subscription's filters, asked of the bluedoor
        # API. The board key carries the query, so equal queries are one board.
        if BLUEDOOR in self.boards:
            key = f"{BLUEDOOR}:{bluedoor_token(self.company, self.department, list(self.work_model))}"
            self.__dict__["boards"] = [key if b == BLUEDOOR else b for b in self.boards]
        return self

    @property
    def board_refs(self) -> list[BoardRef]:
        return [BoardRef(*key.split(":", 1)) for key in self.boards]


class Config(_Strict):
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
