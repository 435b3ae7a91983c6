"""The command line. The only module that prints or exits."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import traceback
from typing import Any, Callable

import click

from alerts import __version__
from alerts.errors import AlertsError

log = logging.getLogger("alerts")


def _setup_logging(verbose: int) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    # Third-party loggers may print URLs with credentials: keep them quiet unless asked twice.
    for name in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    # Apprise's per-send results capture its log records through handlers on
    # its own logger, so it keeps its level; it just does not reach our stderr.
    logging.getLogger("apprise").propagate = verbose > 1


def common(command: Callable[..., Any]) -> Callable[..., Any]:
    """--config and -v for every command, and one clear line instead of a traceback."""

    @click.option(
        "--config",
        "config_path",
        envvar="ALERTS_CONFIG",
        default="alerts.toml",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The TOML config file (env ALERTS_CONFIG).",
    )
    @click.option("-v", "--verbose", count=True, help="More logging; tracebacks on errors. -vv: library logs too.")
    @functools.wraps(command)
    def wrapper(config_path: str, verbose: int, **kwargs: Any) -> None:
        _setup_logging(verbose)
        try:
            command(config_path=config_path, **kwargs)
        except AlertsError as exc:
            if verbose:
                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)

    return wrapper


def _load(config_path: str):  # type: ignore[no-untyped-def]
    from alerts.checks import check_config
    from alerts.config import load_config

    config = load_config(config_path)
    check_config(config)
    return config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="alerts")
def main() -> None:
    """Job-change alerts: watch job boards, get told what opened, changed or closed."""


@main.command()
@click.option("--once", is_flag=True, help="Run one full cycle now (every board, whatever its interval) and exit.")
@common
def run(config_path: str, once: bool) -> None:
    """Poll the boards, reconcile, deliver; forever, or once with --once."""
    from alerts.cycle import Cycle
    from alerts.scheduler import Service
    from alerts.sources import make_client
    from alerts.store import Store

    config = _load(config_path)
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
    config = _load(config_path)
    click.echo(
        f"{config_path}: ok: {len(config.boards())} boards, "
        f"{len(config.subscriptions)} subscriptions, {len(config.channels)} channels"
    )


@main.command()
@common
def status(config_path: str) -> None:
    """Show every board's health and each channel's deliveries."""
    from alerts.report import status_lines
    from alerts.store import Store

    config = _load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
        for line in status_lines(config, store):
            click.echo(line)
    finally:
        store.close()


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@common
def db_upgrade(config_path: str) -> None:
    """Create or upgrade the database schema (alerts run does this too)."""
    from alerts.store import Store

    config = _load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
    finally:
        store.close()
    click.echo("database schema is up to date")
