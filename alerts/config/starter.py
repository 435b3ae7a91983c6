"""The commented starter config `alerts config init` writes: every key with
its description, written from the models (through the schema, so defaults
read as in a config file). It runs as it is: one console channel and one
subscription; everything else is commented out at its default or an example.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from alerts import __version__
from alerts.config.schema import SCHEMA_URL, config_schema

WIDTH = 78
# The example table of each table-of-tables, and whether it is live.
_NAMED = {"sources": ("bluedoor", False), "boards": ('"lever:plaid"', False), "channels": ("terminal", True)}
_LIVE_CHANNEL_KEYS = ("url",)
_STARTER_VALUES = {("subscriptions", "name"): "example"}

_HEADER = f"""\
#:schema {SCHEMA_URL}
# alerts configuration, written by `alerts config init` (alerts {__version__}).
#
# Every key is here with what it means. A key behind "# " shows its default
# (or, where it has none, an example): remove the "# " to set it. Check the
# file with `alerts validate`; `alerts run --once` runs one cycle. Editors
# that read the #:schema line above (Taplo, Even Better TOML) complete and
# check the keys as you type.
#
# Any string value may use ${{VAR}}: it is read from the environment, and an
# unset VAR is an error. Keep secrets (SMTP passwords, webhook tokens) there.
# Durations are written "90s", "15m", "1h", "1h30m" or "2d" (at most "3650d");
# sizes "500KB", "50MB" or "1GB".\
"""


def starter_config() -> str:
    schema = config_schema(form_descriptions=False)
    defs = schema["$defs"]
    out = [_HEADER]
    for name, field in schema["properties"].items():
        out.append("")
        out += _comment(field.get("description") or _table(field, defs).get("description", ""))
        if field.get("type") == "array":  # [[subscriptions]]
            out += _table_lines(f"[[{name}]]", _table(field["items"], defs), defs, live=True, path=name)
        elif name in _NAMED:
            key, live = _NAMED[name]
            table = _table(_entries(field), defs)
            out += _table_lines(f"[{name}.{key}]", table, defs, live=live, path=name)
        else:
            out += _table_lines(f"[{name}]", _table(field, defs), defs, live=True, path=name)
    return "\n".join(out) + "\n"


def _entries(field: dict[str, Any]) -> dict[str, Any]:
    """The table each entry of a table-of-tables is ([sources.KIND], [channels.NAME])."""
    entries = field.get("additionalProperties")
    return entries if isinstance(entries, dict) else next(iter(field["properties"].values()))


def _table(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return defs[ref.rsplit("/", 1)[1]] if ref else node


def _table_lines(
    header: str, table: dict[str, Any], defs: dict[str, Any], live: bool, path: str
) -> list[str]:
    required = set(table.get("required", ()))
    if path == "channels":
        required |= set(_LIVE_CHANNEL_KEYS)
    lines = [header if live else f"# {header}"]
    for key, field in table["properties"].items():
        if len(lines) > 1:
            lines.append("")
        lines += _comment(field.get("description", ""))
        value = _STARTER_VALUES.get((path, key), _shown_value(field))
        line = f"{key} = {_toml(value)}"
        lines.append(line if live and key in required else f"# {line}")
    return lines


def _shown_value(field: dict[str, Any]) -> Any:
    """Its default, or, where that says nothing (none, empty), its first example."""
    default = field.get("default")
    if default not in (None, [], {}):
        return default
    examples = field.get("examples") or [default]
    return examples[0]


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="# ", subsequent_indent="# ") if text else []


def _toml(value: Any) -> str:
    """A value as TOML writes it (strings, numbers, booleans, arrays, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")
