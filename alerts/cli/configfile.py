"""`alerts config init` (a commented starter config) and `alerts config schema`
(the config's JSON Schema, for editors)."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from alerts.cli.common import common, say, without_config


@click.group("config")
def config() -> None:
    """The config file: a commented starter, and its JSON Schema for editors."""


@config.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--user",
    "in_user_folder",
    is_flag=True,
    help="Write it to your user config folder, where every command finds it when there is no "
    "./alerts.toml (on Linux ~/.config/alerts/alerts.toml).",
)
@common
def init(config_path: str | None, path: str | None, in_user_folder: bool) -> None:
    """Write a commented starter config to PATH: every key with what it means,
    one console channel and one subscription to start from.

    PATH defaults to --config (or ALERTS_CONFIG), else ./alerts.toml. An
    existing file is never overwritten.
    """
    from alerts.config import DEFAULT_CONFIG_PATH, find_config, user_config_path
    from alerts.config.starter import starter_config
    from alerts.errors import ConfigError

    if path and in_user_folder:
        raise ConfigError("give PATH or --user, not both")
    target = Path(path or (user_config_path() if in_user_folder else config_path or DEFAULT_CONFIG_PATH))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot make its folder: {exc.strerror}", file=str(target)) from None
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(starter_config())
    except FileExistsError:
        raise ConfigError(
            "already exists; not overwritten (move it away or name another file)", file=str(target)
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot write: {exc.strerror}", file=str(target)) from None
    try:
        found = find_config().resolve() == target.resolve()
    except ConfigError:
        found = False
    check = "alerts validate" if found else f"alerts validate --config {shlex.quote(str(target))}"
    say(f"wrote {target}: make its boards, filters and channels yours, then run `{check}`")


@config.command("schema")
@without_config
def schema() -> None:
    """Print the config's JSON Schema (draft 2020-12), for editors and validators.

    It is the file alerts/config/schema.json of the package, which the
    `#:schema` line of config.example.toml and of `alerts config init`'s
    starter names: Taplo and Even Better TOML then complete and check a
    config as it is typed.
    """
    from alerts.config.schema import schema_text

    click.echo(schema_text(), nl=False)
