"""`alerts status`, `alerts history`, `alerts boards resolve`."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from alerts.cli.common import common, load
from alerts.errors import ConfigError

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts (times in [display] timezone either way).",
)


def _verbose() -> bool:
    """-v (read from the shared options): the long forms of the cells."""
    return bool(click.get_current_context().params.get("verbose"))


@click.command()
@FORMAT
@common
def status(config_path: str, fmt: str) -> None:
    """Show every board's health and each channel's deliveries.

    MATCH/OPEN is how many open postings of the board a subscription on it
    matches, of all it has open (`alerts jobs` lists them). -v shows each
    failing board's whole error.
    """
    from alerts.cli.report import status_data, status_lines
    from alerts.cli.tables import emit_json
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    now = datetime.now(timezone.utc)
    try:
        store.upgrade()
        if fmt == "json":
            emit_json(status_data(config, store, now))
            return
        for line in status_lines(config, store, now, verbose=_verbose()):
            click.echo(line)
    finally:
        store.close()


@click.command()
@click.option("--board", help="Only this board, e.g. greenhouse:stripe.")
@click.option("--since", default="7d", show_default=True, help="How far back: 90m, 12h, 7d...")
@click.option("--limit", default=200, show_default=True, help="At most this many events.")
@FORMAT
@common
def history(config_path: str, board: str | None, since: str, limit: int, fmt: str) -> None:
    """List the stored events, newest first, with where each was delivered."""
    from alerts.boards import parse_board
    from alerts.cli.report_history import history_data, history_lines
    from alerts.cli.tables import emit_json
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
        events = store.views.events(
            board_keys=[board] if board else None,
            since=datetime.now(timezone.utc) - window,
            limit=limit,
            with_deliveries=True,
        )
    finally:
        store.close()
    zone = config.display.zone
    if fmt == "json":
        emit_json(history_data(events, zone))
        return
    for line in history_lines(events, zone):
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
