"""Reading a config file's keys, written or shown in comments, and the keys
the config's JSON Schema allows: so the example, the starter and the models
cannot drift apart."""

from __future__ import annotations

import re
from typing import Any

_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_NAMED_TABLES = ("boards", "channels")  # [boards."kind:token"], [channels.NAME]


def _table(name: str) -> str:
    head, dot, _ = name.partition(".")
    return f"{head}.*" if dot and head in _NAMED_TABLES else name


def written_keys(text: str) -> set[str]:
    """Every key a TOML file sets or shows in a comment (`# key = value`),
    as a path: polling.interval, channels.*.url, subscriptions.title.include."""
    keys: set[str] = set()
    section = ""
    for raw in text.splitlines():
        line = raw.strip().lstrip("#").strip()
        if header := _HEADER.match(line):
            section = _table(header.group(1))
            keys.add(section)
        elif key := _KEY.match(line):
            path = f"{section}.{key.group(1)}" if section else key.group(1)
            keys.add(path)
            if key.group(2).startswith("{"):
                keys.update(f"{path}.{inner}" for inner in re.findall(r"([A-Za-z_]+)\s*=", key.group(2)))
    # A key implies the tables it is in: channels.*.url -> channels.*, channels.
    return {".".join(key.split(".")[:n]) for key in keys for n in range(1, key.count(".") + 2)}


def schema_keys(schema: dict[str, Any]) -> set[str]:
    defs = schema["$defs"]
    keys: set[str] = set()

    def walk(node: dict[str, Any], prefix: str) -> None:
        if "$ref" in node:
            node = {**defs[node["$ref"].rsplit("/", 1)[1]], **node}
        for option in node.get("anyOf", []):
            walk(option, prefix)
        if isinstance(node.get("items"), dict):
            walk(node["items"], prefix)
        for key, sub in node.get("properties", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            keys.add(path)
            walk(sub, path)
        if isinstance(node.get("additionalProperties"), dict):
            keys.add(f"{prefix}.*")
            walk(node["additionalProperties"], f"{prefix}.*")

    walk(schema, "")
    return keys


def per_kind_keys_as_one(keys: set[str]) -> set[str]:
    # sources.KIND.base_url and .api_key: one table's keys, whichever kind shows them.
    return {re.sub(r"^sources\.([^.]+)\.", "sources.*.", key) for key in keys}
