"""`alerts run`, `alerts validate`, `alerts db upgrade`."""

from __future__ import annotations

import asyncio
import gc
from typing import TYPE_CHECKING

import click

from alerts.cli.common import common, load, say

if TYPE_CHECKING:
    from alerts.config import Config
    from alerts.cycle import CycleReport

# Exit codes of `run --once` (README, "Running it for real"): 0 the cycle ran
# and a board answered (or there was nothing to poll); 1 the cycle could not
# run (config, database, lock: every command's error exit).
EXIT_EVERY_BOARD_FAILED = 3


@click.command()
@click.option(
    "--once",
    is_flag=True,
    help="Run one full cycle now (every board, whatever its interval; failing boards "
    "wait out their back-off) and exit: 0, 3 when every board polled failed, 1 when it could not run.",
)
@click.option("--all", "every_board", is_flag=True, help="With --once: poll failing boards now too.")
@click.option(
    "--http",
    metavar="HOST:PORT",
    help="Serve the web page, feeds, /healthz and /metrics there, e.g. 127.0.0.1:9108 (off by default).",
)
@common
def run(config_path: str | None, once: bool, every_board: bool, http: str | None) -> None:
    """Poll the boards, reconcile, deliver; forever, or once with --once.

    SIGTERM or SIGINT stop it cleanly; SIGHUP reloads the config file.
    """
    gc.disable()  # start-up makes only objects that live on; see _settle_gc
    try:
        from alerts.cycle import Cycle
        from alerts.errors import ConfigError
        from alerts.service.web.http import parse_listen
        from alerts.sources import make_client
        from alerts.store import ProcessLock, Store

        if http:
            try:
                parse_listen(http)
            except ValueError as exc:
                raise ConfigError(f"--http: expected {exc}") from None
        if every_board and not once:
            raise ConfigError("--all: only with --once (the service polls each board when it is due)")
        config = load(config_path)
    finally:
        _settle_gc()
    # SIGHUP reloads the file read now, wherever it was found.
    config_file = str(config.path)
    _warn(config)
    lock = ProcessLock(config.database.url)
    lock.acquire()
    store = Store(config.database.url)

    async def go() -> CycleReport | None:
        async with make_client(
            timeout_seconds=config.polling.timeout.total_seconds(),
            max_body_bytes=config.polling.max_response_size,
        ) as client:
            cycle = Cycle(config, store, client, sole=lock.held)
            if once:
                await cycle.prepare()
                return await cycle.run_once(every_board=every_board)
            from alerts.service.scheduler import Service  # APScheduler: only the service needs it

            await Service(cycle, reload=lambda: load(config_file), http=http).serve()
            return None

    try:
        report = asyncio.run(go())
    finally:
        store.close()
        lock.release()
    if report is not None:
        say(report.summary())
        if report.boards and all(board.error for board in report.boards):
            raise SystemExit(EXIT_EVERY_BOARD_FAILED)


def _warn(config: Config) -> None:
    from alerts.config import warnings_of

    for warning in warnings_of(config):
        click.echo(f"warning: {warning}", err=True)


def _settle_gc() -> None:
    """Start-up's objects (modules, the config) live as long as the process:
    the cyclic collector paused while they were made (a 10,000-subscription
    config loads much faster), and now they are moved out of its sight, so
    its passes during a poll scan only what the poll made.
    No collection first: start-up leaves little garbage, and a full pass
    over a large config is slow."""
    gc.freeze()
    gc.enable()


@click.command()
@common
def validate(config_path: str | None) -> None:
    """Check the config file, its channels and templates; print what each
    subscription filters on, then a summary."""
    from alerts.cli.summary import subscription_lines

    config = load(config_path)
    _warn(config)
    for line in subscription_lines(config):
        say(line)
    say(
        f"{_read_from(config)}: ok: {len(config.boards())} boards, "
        f"{len(config.subscriptions)} subscriptions, {len(config.channels)} channels"
    )


def _read_from(config: Config) -> str:
    """The file the config was read from, as a full path: found by --config,
    ALERTS_CONFIG, ./alerts.toml or the user's config folder."""
    return str(config.path.resolve()) if config.path else "config"


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@common
def db_upgrade(config_path: str | None) -> None:
    """Create or upgrade the database schema (alerts run does this too)."""
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
    finally:
        store.close()
    say("database schema is up to date")
