"""`alerts preview`, `alerts test-notify`, `alerts retry`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import click

from alerts.cli.common import common, load, say
from alerts.errors import ConfigError


def _shown(url: str) -> str:
    """The URL as Apprise masks it, without the query of defaults it adds."""
    from alerts.notify.send import mask_url

    return mask_url(url).split("?", 1)[0]


def _channels(config: Any, channel: str | None, subscription: str | None) -> list[str]:
    """The channels asked for, checked against the config."""
    names = sorted(config.channels)
    if subscription is not None:
        subs = {sub.name: sub for sub in config.subscriptions}
        if subscription not in subs:
            known = ", ".join(sorted(subs)) or "none"
            raise ConfigError(f"--subscription: no subscription {subscription!r}; defined: {known}")
        names = [n for n in names if n in subs[subscription].channels]
    if channel is not None:
        if channel not in config.channels:
            known = ", ".join(sorted(config.channels)) or "none"
            raise ConfigError(f"no channel {channel!r} under [channels]; defined: {known}")
        names = [n for n in names if n == channel]
    if not names:
        raise ConfigError(f"subscription {subscription!r} does not send to channel {channel!r}")
    return names


@click.command()
@click.option("--subscription", "subscription", metavar="S", help="Only what this subscription matched.")
@click.option("--channel", "channel", metavar="C", help="Only this channel.")
@common
def preview(config_path: str | None, subscription: str | None, channel: str | None) -> None:
    """Show what each channel would receive now, as it would be sent.

    Uses the events waiting in the outbox; with none waiting, sample events.
    Nothing is sent and nothing is marked as sent.
    """
    from alerts.cli.report_delivery import channel_mode
    from alerts.delivery.deliverer import envelope_for
    from alerts.delivery.schedule import next_digest
    from alerts.notify import sample_items
    from alerts.notify.compose import compose, target_for
    from alerts.store import Store

    config = load(config_path)
    names = _channels(config, channel, subscription)
    store = Store(config.database.url)
    now = datetime.now(timezone.utc)
    try:
        store.upgrade()
        for name in names:
            items = [q for q in store.outbox.open_items(name)]
            if subscription is not None:
                items = [p for p in items if subscription in p.subscriptions]
            source = f"{len(items)} waiting"
            if not items:
                items, source = sample_items(), "nothing waiting: sample events"
            settings = config.channels[name]
            click.echo(f"=== {name}: {channel_mode(name, settings, store, now)}; {source}")
            envelope = envelope_for(config, name, store.channels.last_digest(name))
            if settings.digest:  # the digest as it will go out
                due = next_digest(store, name, settings.digest, settings.timezone, now)
                envelope = replace(envelope, until=due)
            for url in settings.targets:
                parts = compose(
                    items,
                    target_for(url, settings.format),
                    template=config.template_path(name),
                    envelope=envelope,
                )
                for number, part in enumerate(parts, start=1):
                    count = f" (message {number} of {len(parts)})" if len(parts) > 1 else ""
                    click.echo(f"--- to {_shown(url)}{count}, {part.message.body_format}")
                    click.echo(f"Title: {part.message.title}\n")
                    click.echo(part.message.body)
                    if part.text is not None:
                        click.echo("\n--- plain-text part of the same email\n")
                        click.echo(part.text)
                    click.echo("")
    finally:
        store.close()


@click.command("test-notify")
@click.argument("channel")
@common
def test_notify(config_path: str | None, channel: str) -> None:
    """Send one realistic sample message to CHANNEL and say whether it arrived.

    The sample goes through the channel's real template and URL; the outbox
    is not touched. Exits 1 when any of the channel's URLs did not take it.
    """
    from alerts.delivery.channel_run import send_timeouts
    from alerts.delivery.deliverer import envelope_for
    from alerts.model import Message
    from alerts.notify import sample_items
    from alerts.notify.compose import compose, target_for
    from alerts.notify.send import send

    config = load(config_path)
    _channels(config, channel, None)
    settings = config.channels[channel]
    failed = 0
    for url in settings.targets:
        parts = compose(
            sample_items(),
            target_for(url, settings.format),
            template=config.template_path(channel),
            envelope=replace(envelope_for(config, channel, None), digest=False),
        )
        problems = []
        for part in parts:
            message = Message(f"Test: {part.message.title}", part.message.body, part.message.body_format)
            outcome = send(url, message, tag=f"ch-{channel}", text=part.text, **send_timeouts(settings))
            if outcome.status == "failed":
                problems.append(f"it refused or could not be reached: {outcome.detail}")
                break
            if outcome.status == "unknown":
                problems.append(f"no answer in time, it may still arrive: {outcome.detail}")
                break
        if problems:
            failed += 1
            click.echo(f"{channel}: {_shown(url)}: FAILED: {problems[0]}", err=True)
        else:
            say(f"{channel}: {_shown(url)}: sent ({len(parts)} message{'s' * (len(parts) > 1)})")
    if failed:
        raise SystemExit(1)


@click.command()
@click.option("--channel", "channel", metavar="C", help="Only this channel.")
@click.option("--dead", is_flag=True, help="Also deliveries that gave up after too many attempts.")
@click.option(
    "--unconfirmed",
    is_flag=True,
    help="Also deliveries sent without confirmation (timeout, or a process stopped mid-send); may repeat them.",
)
@common
def retry(config_path: str | None, channel: str | None, dead: bool, unconfirmed: bool) -> None:
    """Send failing deliveries again at the next delivery pass, without waiting for their back-off."""
    from alerts.store import Store

    config = load(config_path)
    names = _channels(config, channel, None)
    store = Store(config.database.url)
    try:
        store.upgrade()
        count = store.channels.requeue(
            datetime.now(timezone.utc), only=names, dead=dead, unconfirmed=unconfirmed
        )
    finally:
        store.close()
    what = "delivery" if count == 1 else "deliveries"
    say(f"requeued {count} {what}; they go out at the next delivery pass (alerts run, or run --once)")
