"""What every command shares: --config, -v, --log-format, logging, and one
clear line instead of a traceback."""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from alerts.errors import AlertsError
from alerts.service.redact import RedactingFormatter, Redactor

if TYPE_CHECKING:
    from alerts.config import Config

log = logging.getLogger("alerts")


# click's context meta key: this command was given -q/--quiet.
QUIET = "alerts.quiet"


def quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(QUIET))


def say(message: str) -> None:
    """Print an informational line (a summary, "ok", "done") unless -q/--quiet.
    What a command was asked to show (a status table, a preview) is printed
    with click.echo whatever the flag; warnings and errors go to stderr."""
    if not quiet():
        click.echo(message)


# Secrets of the loaded config, taken out of every log line (service/redact.py).
REDACTOR = Redactor()
# Libraries whose logs may print URLs with credentials (urllib3 prints each
# request's path and query: a webhook's token): quiet unless asked twice, and
# redacted even then.
LIBRARY_LOGGERS = (
    "httpx",
    "httpcore",
    "urllib3",
    "requests",
    "charset_normalizer",
    "paho",
    "apscheduler",
    "alembic",
)


def _setup_logging(verbose: int, log_format: str, quiet: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    formatter: logging.Formatter
    if log_format == "json":
        from alerts.service.jsonlog import JsonFormatter

        formatter = JsonFormatter()
    else:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    handler.setFormatter(RedactingFormatter(formatter, REDACTOR))
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    # Apprise's per-send results capture its log records through handlers on
    # its own logger, so it keeps its level; it just does not reach our stderr.
    logging.getLogger("apprise").propagate = verbose > 1


def common(command: Callable[..., Any]) -> Callable[..., Any]:
    """--config, -v, -q and --log-format for every command, and one clear line instead of a traceback."""
    return click.option(
        "--config",
        "config_path",
        envvar="ALERTS_CONFIG",
        default=None,
        type=click.Path(dir_okay=False),
        help="The TOML config file (env ALERTS_CONFIG). Default: ./alerts.toml, else alerts.toml in "
        "your user config folder (alerts config init writes one).",
    )(_shared(command))


def without_config(command: Callable[..., Any]) -> Callable[..., Any]:
    """-v, -q and --log-format and the one clear line, for a command that reads no config."""
    return _shared(command)


def _shared(command: Callable[..., Any]) -> Callable[..., Any]:
    @click.option(
        "-v", "--verbose", count=True, help="More logging; tracebacks on errors. -vv: library logs too."
    )
    @click.option("-q", "--quiet", is_flag=True, help="Warnings and errors only.")
    @click.option(
        "--log-format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="json: one JSON object per log line, for log shippers.",
    )
    @functools.wraps(command)
    def wrapper(verbose: int, quiet: bool, log_format: str, **kwargs: Any) -> None:
        click.get_current_context().meta[QUIET] = quiet
        _setup_logging(verbose, log_format, quiet)
        try:
            command(**kwargs)
        except AlertsError as exc:
            if verbose:
                traceback.print_exc()
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as exc:
            # A database that went away or is locked mid-command: one line too.
            from alerts.store import database_problem

            problem = database_problem(exc)
            if problem is None:
                raise
            if verbose:
                traceback.print_exc()
            click.echo(f"error: {problem}", err=True)
            sys.exit(1)

    return wrapper


def load(config_path: str | None) -> Config:
    from alerts.config import load_config
    from alerts.notify.checks import check_config

    config = load_config(config_path)
    hide_secrets(config)
    check_config(config)
    return config


def hide_secrets(config: Config) -> None:
    """From now on, the config's secrets are masked in every log line, and
    the values ${VAR} put into [sources.*] in every URL and error shown."""
    from alerts.sources.masked import hide

    REDACTOR.add(config_secrets(config))
    hide(config.from_env)


def config_secrets(config: Config) -> list[str]:
    """What must never be printed: channel URLs' secret parts, api keys, the database password."""
    from alerts.notify.mask import url_secrets

    found = [
        secret
        for channel in config.channels.values()
        for url in dict.fromkeys([*channel.written_urls, *channel.targets])
        for secret in url_secrets(url)
    ]
    found += [source.api_key for source in config.sources.values() if source.api_key]
    found += config.from_env
    _, _, rest = config.database.url.partition("://")
    userinfo, at, _ = rest.rpartition("@")
    if at and ":" in userinfo:
        found.append(userinfo.partition(":")[2])
    return found
