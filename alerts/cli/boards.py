"""`alerts status`: boards and channels at a glance."""

from __future__ import annotations

import click

from alerts.cli import common, load, main


@main.command()
@common
def status(config_path: str) -> None:
    """Show every board's health and each channel's deliveries."""
    from alerts.report import status_lines
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
        for line in status_lines(config, store):
            click.echo(line)
    finally:
        store.close()
