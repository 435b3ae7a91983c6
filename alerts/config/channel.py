"""A channel: where messages go, when, and how long a failing one is retried."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from alerts.config.recipients import recipient_urls
from alerts.config.types import Duration, Form, OneOrMany, Strict, as_list, cron_trigger

# Bounds of a channel's `timeout` and `connect_timeout`.
SEND_WAIT_BOUNDS = {
    "timeout": (timedelta(seconds=1), timedelta(minutes=10)),
    "connect_timeout": (timedelta(seconds=1), timedelta(minutes=5)),
}
_QUIET_HOURS = re.compile(r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*$")

AppriseUrl = Annotated[str, Form("apprise-url")]
TimeZone = Annotated[str, Form("timezone")]


def known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as 'UTC' or 'Europe/Berlin'") from None
    return value


def _shown(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60}m" if seconds % 60 == 0 else f"{seconds}s"


def _url_or_urls(schema: dict[str, Any]) -> None:
    # What load.py checks: url or urls, not both (the schema says so to editors).
    schema["oneOf"] = [{"required": ["url"]}, {"required": ["urls"]}]


class ChannelConfig(Strict):
    """A channel, `[channels.NAME]`: where messages go. Each service gets a
    body written for it (HTML email with a plain-text part, Slack mrkdwn,
    Discord Markdown, plain text for webhooks, one line per job for SMS); a
    message too long for the service is split between jobs, or ends "...and N
    more" where it is SMS-sized."""

    model_config = ConfigDict(json_schema_extra=_url_or_urls)

    url: AppriseUrl | None = Field(
        None,
        description="Any Apprise URL (https://github.com/caronc/apprise/wiki), or console:// to print "
        "to the terminal. Set url or urls, not both.",
        examples=["console://"],
    )
    urls: Annotated[list[AppriseUrl], BeforeValidator(as_list), OneOrMany()] = Field(
        default_factory=list,
        description="Several Apprise URLs instead of url: every message goes to each of them, once.",
        examples=[["console://", "https://hooks.slack.com/services/${SLACK_WEBHOOK}"]],
    )
    format: Literal["text", "markdown", "html"] | None = Field(
        None,
        description='The body\'s format: "text", "markdown" or "html". Unset: what the service shows best.',
        examples=["text"],
    )
    template: Annotated[Path, Form("file")] | None = Field(
        None,
        description='Your own Jinja2 body, a file in the config\'s folder (README, "Delivery"). '
        "Unset: the built-in one for the service.",
        examples=["my-template.md.j2"],
    )
    digest: Annotated[str, Form("cron")] | None = Field(
        None,
        description='A cron line, or "hourly", "daily" (08:00), "weekly" (Monday 08:00): events are '
        "collected and sent as one message when it fires, nothing for an empty period. Unset: instant.",
        examples=["0 8 * * mon-fri"],
    )
    timezone: TimeZone = Field("UTC", description="The time zone of digest and quiet_hours.")
    quiet_hours: Annotated[str, Form("quiet-hours")] | None = Field(
        None,
        description='Instant channels: a daily window ("22:00-07:00", in timezone) during which '
        "messages are held; they go out together when it ends.",
        examples=["22:00-07:00"],
    )
    # With the back-off (30 s doubling to 6 h) 20 attempts take about 2.5
    # days, so by default retry_for decides.
    max_attempts: int = Field(
        20,
        ge=1,
        le=1_000_000,
        description="A failing message is retried with growing waits (30s doubling up to 6h) and gives "
        'up ("dead") after this many tries or after retry_for, whichever is first; `alerts status` '
        "shows it, `alerts retry --dead` sends it again.",
    )
    retry_for: Duration = Field(
        timedelta(days=2), description="How long a failing message is retried before it is dead."
    )
    timeout: Duration | None = Field(
        None,
        description="How long a send waits (1s to 10m) for the service's answer once connected (email: "
        "each reply); a message that went out and got no answer in time counts as sent, unconfirmed "
        "(`alerts status` counts it). Unset: Apprise's rto in the URL if given, else 30s.",
        examples=["30s"],
    )
    connect_timeout: Duration | None = Field(
        None,
        description="How long a send waits (1s to 5m) to connect; refused, a DNS failure or no connection "
        "in time is a failure, retried. Unset: Apprise's cto in the URL if given, else 10s.",
        examples=["10s"],
    )

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
        return known_zone(value)

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
    def written_urls(self) -> list[str]:
        """`url` or `urls` as the user wrote them."""
        return ([self.url] if self.url else []) + list(self.urls)

    @property
    def targets(self) -> list[str]:
        """Each URL the channel sends to, with its own delivery state; an
        email URL with several recipients as one per recipient (recipients.py)."""
        return list(dict.fromkeys(target for url in self.written_urls for target in recipient_urls(url)))
