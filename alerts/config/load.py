"""TOML file -> validated Config. The only code that reads the config file.

Every error is a ConfigError naming the file, the key path and what is
allowed. Values are never echoed back in errors: they may hold secrets.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
from pathlib import Path
from typing import Any

import tomli
from pydantic import ValidationError

from alerts.boards import BLUEDOOR, KINDS, board_key
from alerts.config.errors import config_error, key_path
from alerts.config.forms import CHANNEL_NAME
from alerts.config.models import Config, DatabaseConfig
from alerts.errors import ConfigError

DEFAULT_CONFIG_PATH = "alerts.toml"
CONFIG_ENV = "ALERTS_CONFIG"
DATABASE_ENV = "ALERTS_DATABASE_URL"

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NAME = re.compile(CHANNEL_NAME)


def user_config_path() -> Path:
    """The config in the platform's user config folder (~/.config/alerts/alerts.toml on Linux)."""
    import platformdirs  # only when no config was named

    return platformdirs.user_config_path("alerts") / DEFAULT_CONFIG_PATH


def find_config(path: str | os.PathLike[str] | None = None) -> Path:
    """The config file to read: `path` (--config), else ALERTS_CONFIG, else
    ./alerts.toml if it exists, else the user's config file if it exists.
    A ConfigError naming both places when there is none."""
    named = path or os.environ.get(CONFIG_ENV)
    if named:
        return Path(named)
    local = Path(DEFAULT_CONFIG_PATH)
    if local.exists():
        return local
    user = user_config_path()
    if user.exists():
        return user
    raise ConfigError(
        "no such file; copy config.example.toml there or run `alerts config init` "
        f"(the config is looked for in ./{DEFAULT_CONFIG_PATH}, then {user}), or pass --config FILE",
        file=DEFAULT_CONFIG_PATH,
    )


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    path = find_config(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"no such file; copy config.example.toml there or run `alerts config init {shlex.quote(str(path))}`, "
            "or pass --config FILE",
            file=str(path),
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None
    substituted: dict[str, str] = {}  # value from the environment -> where it came from
    sources: list[str] = []  # of them, those put into [sources.*]
    try:
        data = _substitute_env(data, (), substituted, sources) if "${" in text else data
    except ConfigError as exc:
        exc.file = str(path)
        raise
    if os.environ.get(DATABASE_ENV):
        data.setdefault("database", {})["url"] = os.environ[DATABASE_ENV]
        substituted[os.environ[DATABASE_ENV]] = DATABASE_ENV
    try:
        try:
            config = Config.model_validate({**data, "path": path, "from_env": tuple(sources)})
        except ValidationError as exc:
            raise config_error(exc, data, path) from None
        _check_sources(config, path)
        _check_references(config, path)
        _check_templates(config, path)
    except ConfigError as exc:
        # A value read from the environment may be a secret: never echoed back.
        raise _without(exc, substituted) from None
    return config.model_copy(update={"database": _resolve_database(config, path)})


# Shorter values are too common as substrings to replace safely (and are no secret).
_SECRET_MIN_CHARS = 3
# From this length a substituted value is taken out wherever it appears.
_ANYWHERE_MIN_CHARS = 6


def _without(exc: ConfigError, substituted: dict[str, str]) -> ConfigError:
    message = exc.message
    for value in sorted(substituted, key=len, reverse=True):
        said = f"<value of {substituted[value]}>"
        if len(value) >= _ANYWHERE_MIN_CHARS:
            message = message.replace(value, said)
        elif len(value) >= _SECRET_MIN_CHARS:
            # A short value only as a whole word: "jobs" in "jobs.example.com" or
            # in a key path stays, or the message would be garbled.
            pattern = rf"(?<![\w.-]){re.escape(value)}(?![\w-]|\.[\w-])"
            message = re.sub(pattern, said.replace("\\", "\\\\"), message)
    return exc if message == exc.message else ConfigError(message, file=exc.file, key=exc.key)


def _substitute_env(
    value: Any, key: tuple[str | int, ...], substituted: dict[str, str], sources: list[str]
) -> Any:
    if isinstance(value, dict):
        return {k: _substitute_env(v, key + (k,), substituted, sources) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute_env(v, key + (i,), substituted, sources) for i, v in enumerate(value)]
    if not isinstance(value, str) or "$" not in value:
        return value

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"${{{name}}} is not set in the environment; export {name} or edit the value",
                key=key_path(key),
            )
        substituted[os.environ[name]] = f"${{{name}}}"
        if key[:1] == ("sources",) and len(os.environ[name]) >= _SECRET_MIN_CHARS:
            sources.append(os.environ[name])
        return os.environ[name]

    result = _ENV_REF.sub(lookup, value)
    if result != value:
        substituted.setdefault(result, key_path(key))
    return result


def _check_sources(config: Config, path: Path) -> None:
    # A misspelt kind would leave the real one at its public host (not the proxy meant).
    for name in config.sources:
        if name not in KINDS:
            raise ConfigError(
                f"unknown source kind; kinds: {', '.join(KINDS)}", file=str(path), key=f"sources.{name}"
            )


def _check_templates(config: Config, path: Path) -> None:
    """A channel's template stays inside the config's folder: a config shared
    or generated must not print any file of the machine."""
    folder = path.parent.resolve()
    for name in config.channels:
        template = config.template_path(name)
        if template is not None and not template.resolve().is_relative_to(folder):
            raise ConfigError(
                f"the template must be inside the config's folder ({folder}); move it there",
                file=str(path),
                key=f"channels.{name}.template",
            )


def _check_board_settings(config: Config, path: Path) -> None:
    seen: dict[str, str] = {}
    for spec in config.board_settings:
        key = f'boards."{spec}"'
        try:
            board = board_key(spec)
        except ValueError as exc:
            raise ConfigError(f"expected {exc}", file=str(path), key=key) from None
        if board.split(":", 1)[0] == BLUEDOOR:
            raise ConfigError(
                "a bluedoor board takes each posting's company from the API; name boards of job sites only",
                file=str(path),
                key=key,
            )
        if board in seen:
            raise ConfigError(f'the same board as boards."{seen[board]}" ({board})', file=str(path), key=key)
        seen[board] = spec


def _check_references(config: Config, path: Path) -> None:
    _check_board_settings(config, path)
    for name, channel in config.channels.items():
        key = f"channels.{name}"
        if not _NAME.match(name):
            raise ConfigError("channel names use letters, digits, '-', '_' and '.'", file=str(path), key=key)
        if not channel.targets:
            raise ConfigError("set url (or urls) to an Apprise URL or console://", file=str(path), key=key)
        if channel.url and channel.urls:
            raise ConfigError("set url or urls, not both", file=str(path), key=key)
    ops = config.alerts.ops_channel
    if ops is not None and ops not in config.channels:
        defined = ", ".join(sorted(config.channels)) or "none"
        raise ConfigError(
            f"channel {ops!r} is not defined under [channels]; defined: {defined}",
            file=str(path),
            key="alerts.ops_channel",
        )
    _check_bluedoor_key(config, path)
    names: set[str] = set()
    for i, sub in enumerate(config.subscriptions):
        key = f"subscriptions[{i}]"
        if sub.name in names:
            raise ConfigError(
                f"subscription name {sub.name!r} is used twice", file=str(path), key=f"{key}.name"
            )
        names.add(sub.name)
        if not sub.channels:
            raise ConfigError("name at least one channel", file=str(path), key=f"{key}.channels")
        for wanted in sub.channels:
            if wanted not in config.channels:
                defined = ", ".join(sorted(config.channels)) or "none"
                raise ConfigError(
                    f"channel {wanted!r} is not defined under [channels]; defined: {defined}",
                    file=str(path),
                    key=f"{key}.channels",
                )


def _check_bluedoor_key(config: Config, path: Path) -> None:
    """A bluedoor board cannot be fetched without a key: say so now, not at every poll."""
    if not any(ref.source == BLUEDOOR for ref in config.boards().values()):
        return
    settings = config.sources.get(BLUEDOOR)
    if settings is None or not settings.api_key:
        raise ConfigError(
            'a subscription asks the bluedoor API, which needs a key: set api_key = "${BLUEDOOR_API_KEY}" '
            "under [sources.bluedoor] (and export the key), or remove bluedoor from its boards",
            file=str(path),
            key="sources.bluedoor.api_key",
        )


def warnings_of(config: Config) -> list[str]:
    """What is allowed but probably not meant: said by `validate` and `run`."""
    found = []
    if not config.subscriptions:
        found.append("no [[subscriptions]]: no board is polled and nothing is sent")
    followed = config.boards()
    for spec, settings in config.board_settings.items():
        key = board_key(spec)  # checked when the file was loaded
        if key in followed:
            continue
        near = difflib.get_close_matches(key, list(followed), n=1)
        typo = f" (did you mean {near[0]!r}?)" if near else ""
        what = f"names {settings.name!r} for" if settings.name else "is about"
        found.append(f'[boards."{spec}"] {what} a board no subscription follows{typo}')
    return found


def _resolve_database(config: Config, path: Path) -> DatabaseConfig:
    # A relative SQLite path is relative to the config file, not to wherever
    # the command happens to run from.
    url = config.database.url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        db_path = (path.parent / url[len(prefix) :]).resolve()
        url = prefix + str(db_path)
    return DatabaseConfig(url=url)
