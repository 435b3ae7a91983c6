"""TOML file -> validated Config. The only module that reads the config file.

Every error is a ConfigError naming the file, the key path and what is
allowed. Values are never echoed back in errors: they may hold secrets.
"""

from __future__ import annotations

import os
import re
import types
from datetime import datetime, timedelta
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from alerts.errors import ConfigError
from alerts.model import EMPLOYMENT_TYPES, EVENT_KINDS, WORK_MODELS, BoardRef

DEFAULT_CONFIG_PATH = "alerts.toml"
CONFIG_ENV = "ALERTS_CONFIG"
DATABASE_ENV = "ALERTS_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///alerts.db"

_DURATION_PART = re.compile(r"(\d+)\s*(d|h|m|s)")
_DURATION_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
BLUEDOOR = "bluedoor"
DIGEST_ALIASES = {"hourly": "0 * * * *", "daily": "0 8 * * *", "weekly": "0 8 * * mon"}


@lru_cache(maxsize=256)
def cron_trigger(expr: str, timezone: str) -> CronTrigger:
    """A digest schedule: a crontab line or hourly/daily/weekly. Raises ValueError."""
    return CronTrigger.from_crontab(
        DIGEST_ALIASES.get(expr.strip().lower(), expr), timezone=ZoneInfo(timezone)
    )


def parse_duration(value: Any) -> timedelta:
    """ "90s", "15m", "1h30m", "2d" (or a number of seconds) -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        parts = _DURATION_PART.findall(text)
        if not parts or _DURATION_PART.sub("", text).strip():
            raise ValueError('a duration like "90s", "15m", "1h" or "1h30m"')
        seconds = sum(timedelta(**{_DURATION_UNITS[unit]: int(n)}).total_seconds() for n, unit in parts)
    else:
        raise ValueError('a duration like "90s", "15m", "1h" or "1h30m"')
    if seconds < 0:
        raise ValueError("a duration of zero or more")
    return timedelta(seconds=seconds)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
StrList = Annotated[list[str], BeforeValidator(_as_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Strict):
    url: str = DEFAULT_DATABASE_URL


class PollingConfig(_Strict):
    interval: Duration = timedelta(minutes=15)
    jitter: Duration = timedelta(seconds=30)
    close_after_misses: int = Field(2, ge=1)
    timeout: Duration = timedelta(seconds=30)
    # How often a running service asks the database what is due.
    tick: Duration = timedelta(seconds=5)
    # How long a process may hold a board or a channel before the others
    # take it over (a process killed mid-poll is replaced after this).
    lease: Duration = timedelta(minutes=5)
    # Boards polled at once by one process.
    concurrency: int = Field(16, ge=1)

    @field_validator("interval")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value.total_seconds() < 1:
            raise ValueError("an interval of at least 1s")
        return value


class AlertsConfig(_Strict):
    """About the service itself."""

    # A channel told when a board has failed `failure_threshold` times in a
    # row, and again when it recovers.
    ops_channel: str | None = None
    failure_threshold: int = Field(3, ge=1)


class SourceConfig(_Strict):
    base_url: str | None = None
    api_key: str | None = None


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
    max_attempts: int = Field(20, ge=1)
    retry_for: Duration = timedelta(days=2)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("an IANA time zone such as 'UTC' or 'Europe/Berlin'") from None
        return value

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
        return {"include": _as_list(value)}
    return value


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
    interval: Duration | None = None
    include_existing: bool = False

    @field_validator("work_model", "employment_type", "events", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [v.lower() if isinstance(v, str) else v for v in _as_list(value)]

    @field_validator("boards")
    @classmethod
    def _valid_boards(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError('at least one board, such as "greenhouse:stripe"')
        return [_board_key(spec) for spec in value]

    @model_validator(mode="after")
    def _bluedoor_query(self) -> Subscription:
        # "bluedoor" means: this subscription's filters, asked of the bluedoor
        # API. The board key carries the query, so equal queries are one board.
        if BLUEDOOR in self.boards:
            from alerts.sources.bluedoor import bluedoor_token

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
    sources: dict[str, SourceConfig] = Field(default_factory=dict)
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

    def base_url(self, source: str) -> str | None:
        settings = self.sources.get(source)
        return settings.base_url if settings else None

    def template_path(self, channel: str) -> Path | None:
        template = self.channels[channel].template
        if template is None or template.is_absolute() or self.path is None:
            return template
        return self.path.parent / template


def known_sources() -> tuple[str, ...]:
    from alerts.sources import (
        SOURCES,  # late: sources import httpx, config must stay light
    )

    return tuple(SOURCES)


@lru_cache(maxsize=65536)
def _board_key(spec: str) -> str:
    # Cached: thousands of subscriptions name the same few hundred boards.
    return BLUEDOOR if spec.strip() == BLUEDOOR else parse_board(spec).key


@cache
def _board_kinds() -> tuple[str, ...]:
    return tuple(k for k in known_sources() if k != BLUEDOOR)


def parse_board(spec: str) -> BoardRef:
    """`kind:token`, or a careers-page URL that resolves to one."""
    spec = spec.strip()
    if "://" in spec:
        from alerts.sources.resolve import resolve_board

        return resolve_board(spec)  # its ValueError lists the accepted URL forms
    kind, sep, token = spec.partition(":")
    kinds = _board_kinds()
    token = token.strip()
    if not sep or not token or kind not in kinds or "/" in token:
        raise ValueError(
            f"a board written kind:token such as greenhouse:stripe, a careers-page URL, "
            f'or "bluedoor", not {spec!r}; kinds: {", ".join(kinds)}'
        )
    return BoardRef(kind, token)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no such file; copy config.example.toml there or pass --config FILE",
            file=str(path),
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    try:
        data = _substitute_env(data, ()) if "${" in text else data
    except ConfigError as exc:
        exc.file = str(path)
        raise
    if os.environ.get(DATABASE_ENV):
        data.setdefault("database", {})["url"] = os.environ[DATABASE_ENV]
    try:
        config = Config.model_validate({**data, "path": path})
    except ValidationError as exc:
        raise _config_error(exc, data, path) from None
    _check_references(config, path)
    return config.model_copy(update={"database": _resolve_database(config, path)})


def _substitute_env(value: Any, key: tuple[str | int, ...]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute_env(v, key + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_env(v, key + (i,)) for i, v in enumerate(value)]
    if not isinstance(value, str) or "$" not in value:
        return value

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"${{{name}}} is not set in the environment; export {name} or edit the value",
                key=_key_path(key),
            )
        return os.environ[name]

    return _ENV_REF.sub(lookup, value)


def _check_references(config: Config, path: Path) -> None:
    for name, channel in config.channels.items():
        key = f"channels.{name}"
        if not _NAME.match(name):
            raise ConfigError("channel names use letters, digits, '-', '_' and '.'", file=str(path), key=key)
        if not channel.targets:
            raise ConfigError("set url (or urls) to an Apprise URL or console://", file=str(path), key=key)
        if channel.url and channel.urls:
            raise ConfigError("set url or urls, not both", file=str(path), key=key)
    ops = config.alerts.ops_channel
    if ops is not None and ops not in config.channels:
        defined = ", ".join(sorted(config.channels)) or "none"
        raise ConfigError(
            f"channel {ops!r} is not defined under [channels]; defined: {defined}",
            file=str(path),
            key="alerts.ops_channel",
        )
    names: set[str] = set()
    for i, sub in enumerate(config.subscriptions):
        key = f"subscriptions[{i}]"
        if sub.name in names:
            raise ConfigError(
                f"subscription name {sub.name!r} is used twice", file=str(path), key=f"{key}.name"
            )
        names.add(sub.name)
        if not sub.channels:
            raise ConfigError("name at least one channel", file=str(path), key=f"{key}.channels")
        for channel in sub.channels:
            if channel not in config.channels:
                defined = ", ".join(sorted(config.channels)) or "none"
                raise ConfigError(
                    f"channel {channel!r} is not defined under [channels]; defined: {defined}",
                    file=str(path),
                    key=f"{key}.channels",
                )


def _resolve_database(config: Config, path: Path) -> DatabaseConfig:
    # A relative SQLite path is relative to the config file, not to wherever
    # the command happens to run from.
    url = config.database.url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        db_path = (path.parent / url[len(prefix) :]).resolve()
        url = prefix + str(db_path)
    return DatabaseConfig(url=url)


def _key_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _config_error(exc: ValidationError, data: dict[str, Any], path: Path) -> ConfigError:
    error = exc.errors()[0]
    loc = tuple(p for p in error["loc"] if p != "[key]")
    key = _key_path(loc)
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(sorted(_fields_at(Config, loc[:-1])))
        message = f"unknown key; allowed here: {allowed}"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["msg"].startswith("Value error, "):
        message = error["msg"].removeprefix("Value error, ")
        field, sep, rest = message.partition(": ")
        if sep and field in _fields_at(Config, loc):
            # A check across a table's keys ("digest: ..."): name the key it is about.
            key, message = f"{key}.{field}", rest
        else:
            message = "expected " + message
    else:
        message = error["msg"]
    sub_name = _subscription_name(loc, data)
    if sub_name:
        key = f"{key} (subscription {sub_name!r})"
    return ConfigError(message, file=str(path), key=key)


def _subscription_name(loc: tuple[str | int, ...], data: dict[str, Any]) -> str | None:
    if len(loc) >= 2 and loc[0] == "subscriptions" and isinstance(loc[1], int):
        subs = data.get("subscriptions") or []
        if loc[1] < len(subs) and isinstance(subs[loc[1]], dict):
            name = subs[loc[1]].get("name")
            return name if isinstance(name, str) else None
    return None


def _fields_at(model: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc`, walking the models' type hints."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = annotation.model_fields[str(part)].annotation
        else:
            args = get_args(annotation)
            annotation = args[-1] if args else Any
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [name for name, f in annotation.model_fields.items() if not f.exclude]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            models = [a for a in get_args(annotation) if a is not type(None)]
            annotation = models[-1]
        else:
            return annotation
