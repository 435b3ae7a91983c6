"""The config's shape: pydantic models, validated once, unknown keys refused.

Every key has its description here, the one place that says what it means:
`alerts config schema` and `alerts config init` are written from them.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from alerts.boards import KINDS, board_key
from alerts.config.channel import ChannelConfig, TimeZone, known_zone
from alerts.config.forms import CHANNEL_NAME
from alerts.config.subscription import Subscription
from alerts.config.types import (
    DAY,
    FORM_KEY,
    SECOND,
    Duration,
    Form,
    Interval,
    Size,
    Strict,
    between,
    format_duration,
    size_between,
)
from alerts.config.urls import check_base_url, check_database_url, check_host_name, check_public_url
from alerts.model import BoardRef

__all__ = ["ChannelConfig", "Config"]

DEFAULT_DATABASE_URL = "sqlite:///alerts.db"
MAX_REPOST_WINDOW = timedelta(days=365)


class DatabaseConfig(Strict):
    """Where the state is kept: every board's postings, the events, the outbox."""

    url: Annotated[str, AfterValidator(check_database_url), Form("database-url")] = Field(
        DEFAULT_DATABASE_URL,
        description='SQLite (the default) or PostgreSQL ("postgresql://user@host:5432/db"). A relative '
        "SQLite path is relative to the config file. ALERTS_DATABASE_URL overrides it.",
    )


# Beyond board_deadline, what a board's lease leaves for storing its
# snapshot: a quarter of the deadline, at least a second (2m: 30s).
LEASE_MARGIN_SHARE = 0.25


class PollingConfig(Strict):
    """How the boards are polled. The keys from `tick` on are for `alerts run`
    (the service); their defaults suit almost everyone."""

    interval: Interval = Field(
        timedelta(minutes=15),
        description="How often each board is polled (a subscription's interval may ask for more often).",
    )
    jitter: Annotated[Duration, between(timedelta(0), DAY)] = Field(
        timedelta(seconds=30),
        description="Random spread added to each poll, so boards are not hit in step (at most 1d).",
    )
    close_after_misses: int = Field(
        2,
        ge=1,
        le=1000,
        description='Complete snapshots a posting must be missing from before it is "closed".',
    )
    timeout: Annotated[Duration, between(SECOND, timedelta(minutes=10))] = Field(
        timedelta(seconds=30),
        description="One request's wait for the server: connecting, and each read (1s to 10m).",
    )
    board_deadline: Annotated[Duration, between(SECOND, timedelta(hours=1))] = Field(
        timedelta(minutes=2),
        description="A whole board's fetch (every page, retry and detail); a board still answering "
        "then fails for this cycle, its stored state kept (1s to 1h).",
    )
    max_response_size: Annotated[Size, size_between(1024, 4 * 1024**3)] = Field(
        50 * 1024**2,
        description="Decoded bytes of one response, gzip counted as it expands; a larger one fails its "
        "board (1KB to 4GB).",
    )
    tick: Annotated[Duration, between(SECOND, timedelta(hours=1))] = Field(
        timedelta(seconds=5),
        description="How often a running service asks the database what is due (1s to 1h).",
    )
    lease: Annotated[Duration, between(SECOND, DAY)] = Field(
        timedelta(minutes=5),
        description="How long a process may hold a board or a channel before the others take it over: "
        "a process killed mid-poll is replaced after this (1s to 1d; at least board_deadline and a quarter of it more).",
    )
    concurrency: int = Field(16, ge=1, le=10_000, description="Boards one process polls at once.")

    @model_validator(mode="after")
    def _lease_outlasts_a_fetch(self) -> PollingConfig:
        # A board's lease is not renewed while it is fetched: a shorter one
        # would let another process take a board that is still being polled.
        margin = max(SECOND, self.board_deadline * LEASE_MARGIN_SHARE)
        least = self.board_deadline + margin
        if self.lease < least:
            raise ValueError(
                f"polling.lease of at least polling.board_deadline plus {format_duration(margin)} "
                f"({format_duration(least)}; it is {format_duration(self.lease)}): a board's lease is not "
                "renewed while it is fetched, so another process could take a board still being fetched; "
                "raise polling.lease or lower polling.board_deadline"
            )
        return self


class AlertsConfig(Strict):
    """About the service itself."""

    ops_channel: str | None = Field(
        None,
        description="A channel (under [channels]) told once when a board has failed failure_threshold "
        "polls in a row, and once more when it recovers; under `alerts run` and `run --once` alike, "
        "and a channel that is down is told later, once. Unset: nobody is told.",
        examples=["terminal"],
    )
    failure_threshold: int = Field(
        3, ge=1, description="Failed polls in a row before ops_channel is told about a board."
    )
    repost_window: Duration = Field(
        timedelta(days=30),
        description="A new posting with the same company, title and location as one closed (or still "
        'open) this recently is announced once as "Reposted", with a link to the earlier one; '
        '"0s": off; at most 365d.',
    )

    @field_validator("repost_window")
    @classmethod
    def _bounded_window(cls, value: timedelta) -> timedelta:
        if value > MAX_REPOST_WINDOW:
            raise ValueError(f"a window of at most {MAX_REPOST_WINDOW.days}d (or 0s for none)")
        return value


class DisplayConfig(Strict):
    """How `alerts status`, `history`, `jobs` and the web page (`alerts web`,
    `alerts run --http`) show times. A channel's digest and quiet hours use
    the channel's own timezone."""

    timezone: Annotated[TimeZone, AfterValidator(known_zone)] = Field(
        "UTC", description="The time zone times are shown in."
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class WebConfig(Strict):
    """The web page and feeds (`alerts web`, `alerts run --http`): who may
    ask for them by name. A request naming any other host in its Host
    header is refused (421), so that a web site whose name is made to point
    at this machine (DNS rebinding) cannot read the page; /healthz answers
    whatever the name."""

    allowed_hosts: list[Annotated[str, AfterValidator(check_host_name), Form("host-name")]] = Field(
        default_factory=list,
        description="Names (without a port) this server may be asked for, beside localhost and IP "
        "addresses: the name a reverse proxy passes on, or this machine's name on the network when "
        "serving on 0.0.0.0. Where it is bound to a loopback address only localhost, 127.0.0.1, "
        "[::1] and these are taken.",
        examples=[["jobs.example.org"]],
    )
    public_url: Annotated[str, AfterValidator(check_public_url), Form("base-url")] | None = Field(
        None,
        description="Where readers reach the page (behind a proxy, say): the feeds' links start "
        "with it, its host is allowed, and an email too long to show every posting links to it. "
        "Unset: the feeds' links use the host the request named, once allowed.",
        examples=["https://jobs.example.org/alerts"],
    )


class SourceConfig(Strict):
    """One source kind's settings, `[sources.KIND]`."""

    base_url: Annotated[str, AfterValidator(check_base_url), Form("base-url")] | None = Field(
        None,
        description="Another host for this kind (a proxy, a mirror, a test server) instead of its "
        'public API; "{token}" stands for the board where the host carries it (Workday: {tenant}, '
        '{dc}, {site}; jsonld: unset, each board\'s own URL, and "{url}" in it passes that URL to a '
        "proxy). Redirects are followed only within its scheme and registrable domain, and "
        "to a local or private address only when the base_url is one itself (then to the same host "
        "and port).",
        examples=["https://api.bluedoor.sh/job-postings/v1"],
    )
    api_key: str | None = Field(
        None,
        description="The API key: bluedoor needs one. Keep it in the environment.",
        examples=["${BLUEDOOR_API_KEY}"],
    )


class BoardConfig(Strict):
    """One board's settings, `[boards."kind:token"]`, keyed by the board as
    written in `boards` (kind:token or its careers-page URL)."""

    name: str | None = Field(
        None,
        description="The board's company, as messages show it. Lever and Ashby do not say, so their "
        'postings show the token ("plaid") unless the board is named here; a name given here also '
        "wins over what any other source says.",
        examples=["Plaid"],
    )

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("a company name, not a blank string")
        return value.strip() if value is not None else None


def _one_table_per_kind(schema: dict[str, Any]) -> None:
    # [sources.KIND]: only the kinds there are (load.py refuses any other).
    table = schema.pop("additionalProperties")
    schema["properties"] = {
        kind: {**table, "description": f"Settings of the {kind} source kind."} for kind in KINDS
    }
    schema["additionalProperties"] = False


class Config(Strict):
    """The configuration of `alerts`: the boards to watch, what matters, and where to say so."""

    database: DatabaseConfig = Field(DatabaseConfig(), description=DatabaseConfig.__doc__)
    polling: PollingConfig = Field(PollingConfig(), description=PollingConfig.__doc__)
    alerts: AlertsConfig = Field(AlertsConfig(), description=AlertsConfig.__doc__)
    display: DisplayConfig = Field(DisplayConfig(), description=DisplayConfig.__doc__)
    web: WebConfig = Field(WebConfig(), description=WebConfig.__doc__)
    sources: dict[str, SourceConfig] = Field(
        default_factory=dict,
        description="Each source kind may point at another host (base_url), and bluedoor needs an "
        f"api_key: [sources.KIND], KIND one of {', '.join(KINDS)}; any other is an error.",
        json_schema_extra=_one_table_per_kind,
    )
    # Written [boards."kind:token"]; not `boards`, which is the method below.
    board_settings: dict[str, BoardConfig] = Field(
        default_factory=dict,
        alias="boards",
        description='A board\'s company name: [boards."lever:plaid"] name = "Plaid".',
        json_schema_extra={"propertyNames": {FORM_KEY: "board-key"}},
    )
    channels: dict[str, ChannelConfig] = Field(
        default_factory=dict,
        description="Where messages go, by name: [channels.NAME] (letters, digits, '-', '_', '.').",
        json_schema_extra={"propertyNames": {"pattern": CHANNEL_NAME}},
    )
    subscriptions: list[Subscription] = Field(
        default_factory=list,
        description="[[subscriptions]]: which boards to watch, which postings matter, where to send them.",
    )
    # Where the config came from: used to resolve relative paths and name the file in errors.
    path: SkipJsonSchema[Path | None] = Field(None, exclude=True)
    # What ${VAR} put into [sources.*] (a token in a proxy's base_url): never
    # shown in a URL, a log line or a stored error (cli/common.py, sources/masked.py).
    from_env: SkipJsonSchema[tuple[str, ...]] = Field((), exclude=True, repr=False)

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
