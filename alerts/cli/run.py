"""`alerts run`, `alerts validate`, `alerts db upgrade`."""

from __future__ import annotations

import asyncio

import click

from alerts.cli import common, load, main


@main.command()
@click.option(
    "--once", is_flag=True, help="Run one full cycle now (every board, whatever its interval) and exit."
)
@common
def run(config_path: str, once: bool) -> None:
    """Poll the boards, reconcile, deliver; forever, or once with --once."""
    from alerts.cycle import Cycle
    from alerts.scheduler import Service
    from alerts.sources import make_client
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)

    async def go() -> None:
        async with make_client(timeout_seconds=config.polling.timeout.total_seconds()) as client:
            cycle = Cycle(config, store, client)
            if once:
                await cycle.prepare()
                report = await cycle.run_once()
                click.echo(report.summary())
            else:
                await Service(cycle).serve()

    try:
        asyncio.run(go())
    finally:
        store.close()


@main.command()
@common
def validate(config_path: str) -> None:
    """Check the config file, its channels and templates; print a summary."""
    config = load(config_path)
    click.echo(
        f"{config_path}: ok: {len(config.boards())} boards, "
        f"{len(config.subscriptions)} subscriptions, {len(config.channels)} channels"
    )


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@common
def db_upgrade(config_path: str) -> None:
    """Create or upgrade the database schema (alerts run does this too)."""
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
    finally:
        store.close()
    click.echo("database schema is up to date")
