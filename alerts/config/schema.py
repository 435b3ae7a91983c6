"""The config's JSON Schema (draft 2020-12), generated from the models, for
editors (Taplo, Even Better TOML: the `#:schema` line of a config file) and
for `alerts config schema`.

Values are described as users write them (config/forms.py), defaults as they
would be written ("15m", "50MB"), and every table refuses unknown keys as the
loader does. The package ships the result as schema.json; a test regenerates
it and compares.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from alerts import HOMEPAGE
from alerts.config.forms import FORMS
from alerts.config.models import Config
from alerts.config.types import FORM_KEY, format_duration, format_size

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = Path(__file__).with_name("schema.json")
# Where editors fetch it: the file in the repository, as `#:schema` names it.
SCHEMA_URL = (
    HOMEPAGE.replace("https://github.com/", "https://raw.githubusercontent.com/", 1)
    + "/main/alerts/config/schema.json"
)


class _AsWritten(GenerateJsonSchema):
    """pydantic's generator, with defaults written as in a config file and
    without a title for every key (the key is its own title)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def sort(self, value: JsonSchemaValue, parent_key: str | None = None) -> JsonSchemaValue:
        return value  # keys in the models' order, examples as written

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema)

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        default = self.get_default_value(schema)
        if isinstance(default, BaseModel):
            # A table's default is the defaults of its keys, shown with each key.
            json_schema.pop("default", None)
        elif json_schema.get(FORM_KEY) == "size" and isinstance(default, int):
            json_schema["default"] = format_size(default)
        return json_schema

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, timedelta):
            return format_duration(dft)
        if isinstance(dft, PurePath):
            return str(dft)
        return super().encode_default(dft)


def config_schema(*, form_descriptions: bool = True) -> dict[str, Any]:
    """The JSON Schema of a config file. With form_descriptions, a key's
    description also says how its value is written ("A duration: ...")."""
    generated = Config.model_json_schema(by_alias=True, schema_generator=_AsWritten)
    generated.pop("title", None)
    tidy = _tidy(generated, form_descriptions)
    _describe_tables(tidy)
    return {
        "$schema": DRAFT,
        # No $id: a copy kept elsewhere (offline, a fork) resolves its own $refs.
        "$comment": "Generated from the config's models by `alerts config schema`: edit the models, "
        "not this file. Its validation keywords are draft 7's as well, so editors that read it as "
        "draft 7 (Taplo) check the same.",
        "title": "alerts configuration",
        **tidy,
    }


def schema_text() -> str:
    """The schema as schema.json holds it (and `alerts config schema` prints it)."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"


def _describe_tables(schema: dict[str, Any]) -> None:
    """Every key its own description, a table's included (pydantic leaves it
    on the table's definition alone)."""
    defs = schema["$defs"]
    for table in (schema, *defs.values()):
        for field in table.get("properties", {}).values():
            ref = field.get("$ref")
            if ref and not field.get("description"):
                field["description"] = defs[ref.rsplit("/", 1)[1]]["description"]


def _tidy(node: Any, form_descriptions: bool) -> Any:
    if isinstance(node, list):
        return [_tidy(item, form_descriptions) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if "anyOf" in node:
        # TOML has no null: an optional key is one left out.
        options = [option for option in node["anyOf"] if option != {"type": "null"}]
        if len(options) == 1:
            del node["anyOf"]
            node = {**options[0], **node}
        else:
            node["anyOf"] = options
    if "default" in node and node["default"] is None:
        del node["default"]
    if FORM_KEY in node:
        form = FORMS[node.pop(FORM_KEY)]
        own = node.get("description")
        node = {**form, **node}
        if own:
            node["description"] = f"{own} {form['description']}" if form_descriptions else own
    if isinstance(node.get("description"), str):
        node["description"] = " ".join(node["description"].split())
    return {key: _tidy(value, form_descriptions) for key, value in node.items()}
