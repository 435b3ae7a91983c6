"""`alerts status`, `alerts history`, `alerts boards resolve`."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from alerts.cli.common import common, load
from alerts.errors import ConfigError


@click.command()
@common
def status(config_path: str) -> None:
    """Show every board's health and each channel's deliveries."""
    from alerts.cli.report import status_lines
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
        for line in status_lines(config, store, datetime.now(timezone.utc)):
            click.echo(line)
    finally:
        store.close()


@click.command()
@click.option("--board", help="Only this board, e.g. greenhouse:stripe.")
@click.option("--since", default="7d", show_default=True, help="How far back: 90m, 12h, 7d...")
@click.option("--limit", default=200, show_default=True, help="At most this many events.")
@common
def history(config_path: str, board: str | None, since: str, limit: int) -> None:
    """List the stored events, newest first."""
    from alerts.boards import parse_board
    from alerts.cli.report import history_lines
    from alerts.config import parse_duration
    from alerts.store import Store

    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise ConfigError(f"--since: expected {exc}") from None
    if board:
        try:
            board = parse_board(board).key
        except ValueError as exc:
            raise ConfigError(f"--board: expected {exc}") from None
    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
        rows = store.boards.history(board, datetime.now(timezone.utc) - window, limit)
    finally:
        store.close()
    for line in history_lines(rows):
        click.echo(line)


@click.group()
def boards() -> None:
    """Board specs and careers-page URLs."""


@boards.command("resolve")
@click.argument("url")
def boards_resolve(url: str) -> None:
    """Print the kind:token spec for a careers-page URL (or check a spec)."""
    from alerts.boards import parse_board

    try:
        click.echo(parse_board(url).key)
    except ValueError as exc:
        click.echo(f"error: expected {exc}", err=True)
        raise SystemExit(1) from None
