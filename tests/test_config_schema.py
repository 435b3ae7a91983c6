"""The config's JSON Schema: generated from the models, shipped in the package,
taken by editors through the example's `#:schema` line, and never at odds
with `alerts validate` on what a config may hold."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli
from jsonschema import Draft7Validator, Draft202012Validator

from alerts.boards import KINDS, board_key
from alerts.config.channel import ChannelConfig, known_zone
from alerts.config.forms import FORMS
from alerts.config.schema import SCHEMA_FILE, SCHEMA_URL, config_schema, schema_text
from alerts.config.types import cron_trigger, currency_code, parse_duration, parse_size
from alerts.config.urls import check_base_url, check_database_url

from config_support import per_kind_keys_as_one, schema_keys, written_keys
from support import alerts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"


# Taplo validates with a draft 7 validator whatever $schema says; the schema
# uses no keyword that draft 7 reads otherwise, so both must agree.
VALIDATORS = (Draft202012Validator, Draft7Validator)


@pytest.fixture(scope="module")
def validators() -> list[Draft202012Validator | Draft7Validator]:
    schema = json.loads(SCHEMA_FILE.read_text())
    for kind in VALIDATORS:
        kind.check_schema(schema)
    return [kind(schema) for kind in VALIDATORS]


def errors(validators: list[Any], data: Any) -> dict[str, list[str]]:
    """Each validator's messages, by draft."""
    return {type(v).__name__: [e.message for e in v.iter_errors(data)] for v in validators}


def test_the_shipped_schema_is_the_one_the_models_make():
    assert SCHEMA_FILE.read_text() == schema_text(), (
        "alerts/config/schema.json is out of date: run `alerts config schema > alerts/config/schema.json`"
    )


def test_the_schema_is_draft_2020_12_and_lives_in_the_repository():
    schema = config_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA_URL.startswith("https://raw.githubusercontent.com/") and SCHEMA_URL.endswith(
        "/alerts/config/schema.json"
    )


def test_the_example_names_the_schema_on_its_first_line():
    assert EXAMPLE.read_text().splitlines()[0] == f"#:schema {SCHEMA_URL}"


def test_the_example_validates(validators):
    data = tomli.loads(EXAMPLE.read_text())
    assert errors(validators, data) == {"Draft202012Validator": [], "Draft7Validator": []}


def test_the_schema_shows_values_as_they_are_written():
    text = schema_text()
    assert '"format": "duration"' not in text and "PT15M" not in text and '"format": "path"' not in text
    polling = config_schema()["$defs"]["PollingConfig"]["properties"]
    assert polling["interval"]["default"] == "15m"
    assert polling["max_response_size"]["default"] == "50MB"
    assert "15m" in polling["interval"]["examples"]


def _described(node: Any, where: str, missing: list[str]) -> None:
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if not sub.get("description"):
                missing.append(f"{where}.{key}")
        for key, sub in node.items():
            _described(sub, f"{where}.{key}", missing)
    elif isinstance(node, list):
        for sub in node:
            _described(sub, where, missing)


def test_every_key_has_a_description():
    missing: list[str] = []
    _described(config_schema(), "", missing)
    assert missing == []


def test_unknown_keys_are_refused_in_every_table():
    schema = config_schema()
    tables = [schema, *schema["$defs"].values()]
    assert all(table.get("additionalProperties") is False for table in tables)
    assert set(schema["properties"]["sources"]["properties"]) == set(KINDS)
    assert schema["properties"]["sources"]["additionalProperties"] is False


# Each bad config is refused by the schema and by `alerts validate`, which
# names the key; (TOML to add or replace, the key path `validate` names).
MINIMAL = """
[channels.out]
url = "console://"

[[subscriptions]]
name = "s"
boards = ["greenhouse:acme"]
channels = ["out"]
"""
REFUSED = {
    "unknown key": ("[polling]\nintervall = '15m'\n", "polling.intervall"),
    "wrong type": ("[polling]\nclose_after_misses = 'two'\n", "polling.close_after_misses"),
    "bad duration": ("[polling]\ninterval = '15 minutes'\n", "polling.interval"),
    "bad size": ("[polling]\nmax_response_size = '50 megabytes'\n", "polling.max_response_size"),
    "unknown source kind": ("[sources.greenhose]\nbase_url = 'https://x.example'\n", "sources.greenhose"),
    "bad board": (MINIMAL.replace("greenhouse:acme", "stripe"), "subscriptions[0].boards"),
    "bad cron": (
        MINIMAL.replace('"console://"', '"console://"\ndigest = "every day"'),
        "channels.out.digest",
    ),
    "unknown channel key": (
        MINIMAL.replace('"console://"', '"console://"\nretries = 3'),
        "channels.out.retries",
    ),
    "unknown filter": (
        MINIMAL.replace('channels = ["out"]', 'channels = ["out"]\nsalary = 1'),
        "subscriptions[0].salary",
    ),
}


def _config(extra: str) -> str:
    return extra if "[[subscriptions]]" in extra else MINIMAL + extra


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_bad_config_is_refused_by_the_schema_and_by_validate(case, validators, tmp_path):
    text, key = REFUSED[case]
    path = tmp_path / "alerts.toml"
    path.write_text(_config(text))
    found = errors(validators, tomli.loads(path.read_text()))
    assert all(found.values()), f"the schema takes {case}: {found}"
    result = alerts("validate", "--config", str(path))
    assert result.returncode == 1, result.stdout
    assert f"{path}: {key}" in result.stderr, result.stderr


# Written as users may: the schema must not flag what `alerts validate` takes.
ACCEPTED = {
    "a value from the environment": MINIMAL.replace('"console://"', '"${HOOK_URL}"'),
    "one board as a string": MINIMAL.replace('["greenhouse:acme"]', '"greenhouse:acme"'),
    "title as a bare list": MINIMAL + 'title = ["engineer"]\nkeywords = "Rust"\n',
    "a duration in seconds": "[polling]\ninterval = 900\nmax_response_size = 1048576\n" + MINIMAL,
    "every kind's table": "".join(f"[sources.{kind}]\n" for kind in KINDS if kind != "bluedoor") + MINIMAL,
    "a named board and a digest": '[boards."https://jobs.lever.co/plaid"]\nname = "Plaid"\n'
    + MINIMAL.replace('"console://"', '"console://"\ndigest = "daily"\ntimezone = "Europe/Berlin"'),
}


@pytest.mark.parametrize("case", ACCEPTED, ids=str)
def test_what_validate_takes_the_schema_takes(case, validators, tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text(ACCEPTED[case])
    result = alerts("validate", "--config", str(path), env={**os.environ, "HOOK_URL": "console://"})
    assert result.returncode == 0, result.stderr
    assert errors(validators, tomli.loads(ACCEPTED[case])) == {
        "Draft202012Validator": [],
        "Draft7Validator": [],
    }


def _parses(parse: Any, value: str) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _quiet_hours(value: str) -> None:
    ChannelConfig(url="console://", quiet_hours=value)


# Each written form: values its parser takes (the pattern must take them too)
# and values both refuse. The pattern may be looser than the parser
# ("Mars/Olympus" looks like a zone), never stricter.
FORM_CASES: dict[str, tuple[Any, list[str], list[str]]] = {
    "duration": (
        parse_duration,
        ["15m", "90s", "1h30m", "2d", " 1h 30m ", "15M"],
        ["15 minutes", "1.5h", "m", ""],
    ),
    "size": (parse_size, ["50MB", "500kb", "1GiB", "1024", " 2 gb ", "1.5MB"], ["50 megabytes", "MB", "-1"]),
    "cron": (
        lambda v: cron_trigger(v, "UTC"),
        ["0 8 * * mon-fri", "daily", "HOURLY", "*/15 * * * *"],
        ["0 8 * *", "every day"],
    ),
    "timezone": (
        known_zone,
        ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"],
        ["Europe Berlin", ""],
    ),
    "board": (
        board_key,
        ["greenhouse:stripe", "lever-eu:acme", "https://jobs.lever.co/plaid", "bluedoor", " ashby:openai "],
        ["stripe", "foo:bar", "ftp://jobs.lever.co/plaid"],
    ),
    "board-key": (board_key, ["lever:plaid", "https://jobs.ashbyhq.com/openai"], ["stripe", "greenhouse:"]),
    "database-url": (
        check_database_url,
        ["sqlite:///alerts.db", "postgresql://u@h:5432/db", "POSTGRES://h/db"],
        ["mysql://h/db", "alerts.db"],
    ),
    "base-url": (
        check_base_url,
        ["https://api.example.com/v1", "http://127.0.0.1:8080", "https://{token}.recruitee.com/api"],
        ["api.example.com", "ftp://x.example"],
    ),
    "quiet-hours": (_quiet_hours, ["22:00-07:00", "7:30 - 9:00"], ["22-07", "25:00-07:00"]),
    "currency": (currency_code, ["USD", "eur"], ["dollars", "US"]),
}


@pytest.mark.parametrize("form", FORM_CASES, ids=str)
def test_each_form_follows_its_parser(form):
    parse, good, bad = FORM_CASES[form]
    check = Draft202012Validator(FORMS[form])
    for value in good:
        assert _parses(parse, value), f"{form}: the parser refuses {value!r}"
        assert check.is_valid(value), f"{form}: the schema refuses {value!r}, which the parser takes"
    for value in bad:
        assert not _parses(parse, value) or form == "board-key", f"{form}: the parser takes {value!r}"
        assert not check.is_valid(value), f"{form}: the schema takes {value!r}"
    assert check.is_valid("${FROM_THE_ENVIRONMENT}")


def test_a_duration_as_a_number_of_seconds_is_one():
    assert parse_duration(90) == timedelta(seconds=90)
    assert Draft202012Validator(FORMS["duration"]).is_valid(90)


def test_every_key_of_the_models_is_in_the_example_and_no_other():
    models = per_kind_keys_as_one(schema_keys(config_schema()))
    example = per_kind_keys_as_one(written_keys(EXAMPLE.read_text()))
    assert sorted(models - example) == [], "keys the example does not show"
    assert sorted(example - models) == [], "keys in the example that the models do not have"
