"""`alerts web`: the read-only web page and feeds, alone."""

from __future__ import annotations

import asyncio

import click

from alerts.cli.common import common, load

DEFAULT_LISTEN = "127.0.0.1:8080"


@click.command()
@click.option(
    "--http",
    metavar="HOST:PORT",
    default=DEFAULT_LISTEN,
    show_default=True,
    help="Where to serve; 0.0.0.0:PORT or [::]:PORT to serve beyond this machine (by a name: "
    "list it in [web] allowed_hosts).",
)
@common
def web(config_path: str | None, http: str) -> None:
    """Serve the web page (/) and Atom feeds (/feeds/all.atom, /feeds/NAME.atom).

    Read-only: it reads the database and polls nothing, so it can run beside
    a cron `alerts run --once`. `alerts run --http` serves the same pages.
    SIGTERM or SIGINT stop it; SIGHUP reloads the config file.
    """
    from alerts.errors import ConfigError
    from alerts.service.web.http import parse_listen
    from alerts.service.web.standalone import serve_web
    from alerts.store import Store

    try:
        parse_listen(http)
    except ValueError as exc:
        raise ConfigError(f"--http: expected {exc}") from None
    config = load(config_path)
    config_file = str(config.path)  # SIGHUP reloads the file read now
    store = Store(config.database.url)
    try:
        store.upgrade()
        asyncio.run(serve_web(config, store, http, reload=lambda: load(config_file)))
    finally:
        store.close()
