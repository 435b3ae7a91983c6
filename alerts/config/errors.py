"""pydantic's validation errors as ConfigErrors naming the file, the key path
and what is allowed there."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from alerts.config.models import Config
from alerts.errors import ConfigError


def key_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def config_error(exc: ValidationError, data: dict[str, Any], path: Path) -> ConfigError:
    error = exc.errors()[0]
    loc = tuple(p for p in error["loc"] if p != "[key]")
    key = key_path(loc)
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(sorted(_fields_at(Config, loc[:-1])))
        message = f"unknown key; allowed here: {allowed}"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["msg"].startswith("Value error, "):
        message = error["msg"].removeprefix("Value error, ")
        field, sep, rest = message.partition(": ")
        if sep and field in _fields_at(Config, loc):
            # A check across a table's keys ("digest: ..."): name the key it is about.
            key, message = f"{key}.{field}", rest
        else:
            message = "expected " + message
    else:
        message = error["msg"]
    sub_name = _subscription_name(loc, data)
    if sub_name:
        key = f"{key} (subscription {sub_name!r})"
    return ConfigError(message, file=str(path), key=key)


def _subscription_name(loc: tuple[str | int, ...], data: dict[str, Any]) -> str | None:
    if len(loc) >= 2 and loc[0] == "subscriptions" and isinstance(loc[1], int):
        subs = data.get("subscriptions") or []
        if loc[1] < len(subs) and isinstance(subs[loc[1]], dict):
            name = subs[loc[1]].get("name")
            return name if isinstance(name, str) else None
    return None


def _fields_at(model: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc`, walking the models' type hints."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # Keys are written as the field's alias where it has one.
            by_key = {f.alias or name: f for name, f in annotation.model_fields.items()}
            annotation = by_key[str(part)].annotation
        else:
            args = get_args(annotation)
            annotation = args[-1] if args else Any
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items() if not f.exclude]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            models = [a for a in get_args(annotation) if a is not type(None)]
            annotation = models[-1]
        else:
            return annotation
