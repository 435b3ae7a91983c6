"""`alerts config init`, `alerts config schema`, and where a command finds its
config: --config, ALERTS_CONFIG, ./alerts.toml, then the user config folder."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import tomli
from jsonschema import Draft202012Validator

from alerts.boards import BLUEDOOR
from alerts.config.schema import SCHEMA_FILE, SCHEMA_URL, config_schema

from config_support import schema_keys, written_keys
from support import alerts


def user_env(tmp_path: Path) -> dict[str, str]:
    """The environment with a user config folder of this test's own."""
    env = {k: v for k, v in os.environ.items() if k != "ALERTS_CONFIG"}
    return {**env, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}


def user_file(tmp_path: Path) -> Path:
    # platformdirs on Linux: $XDG_CONFIG_HOME/alerts.
    return tmp_path / "xdg" / "alerts" / "alerts.toml"


def ok_line(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_init_writes_a_starter_that_validate_finds_and_accepts(tmp_path):
    env = user_env(tmp_path)
    result = alerts("config", "init", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "alerts.toml"
    assert result.stdout.strip() == (
        "wrote alerts.toml: make its boards, filters and channels yours, then run `alerts validate`"
    )
    check = alerts("validate", cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert ok_line(check) == f"{written}: ok: 3 boards, 1 subscriptions, 1 channels"
    assert check.stderr == ""


def test_the_starter_names_the_schema_and_passes_it(tmp_path):
    alerts("config", "init", str(tmp_path / "alerts.toml"), env=user_env(tmp_path))
    text = (tmp_path / "alerts.toml").read_text()
    assert text.splitlines()[0] == f"#:schema {SCHEMA_URL}"
    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))
    assert [e.message for e in validator.iter_errors(tomli.loads(text))] == []


def test_the_starter_shows_every_key_with_its_description(tmp_path):
    alerts("config", "init", str(tmp_path / "alerts.toml"), env=user_env(tmp_path))
    text = (tmp_path / "alerts.toml").read_text()
    models = schema_keys(config_schema())
    # One [sources.KIND] table stands for every kind (they take the same keys).
    other_kinds = {key for key in models if key.startswith("sources.") and key.split(".")[1] != BLUEDOOR}
    assert sorted(models - other_kinds - written_keys(text)) == []
    assert sorted(written_keys(text) - models) == []
    interval = config_schema(form_descriptions=False)["$defs"]["PollingConfig"]["properties"]["interval"]
    described = " ".join(line.lstrip("# ") for line in text.splitlines())
    assert interval["description"] in described
    assert '\n# interval = "15m"\n' in text


def test_init_never_overwrites(tmp_path):
    target = tmp_path / "alerts.toml"
    target.write_text("# mine\n")
    result = alerts("config", "init", cwd=tmp_path, env=user_env(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: alerts.toml: already exists; not overwritten (move it away or name another file)"
    ]
    assert target.read_text() == "# mine\n"


def test_init_to_a_path_says_how_to_check_it(tmp_path):
    target = tmp_path / "deep" / "er" / "mine.toml"
    result = alerts("config", "init", str(target), cwd=tmp_path, env=user_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"then run `alerts validate --config {target}`")
    assert alerts("validate", "--config", str(target)).returncode == 0


def test_init_quiet_says_nothing(tmp_path):
    result = alerts("config", "init", "-q", cwd=tmp_path, env=user_env(tmp_path))
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    assert (tmp_path / "alerts.toml").exists()


def test_init_where_no_folder_can_be_is_one_line(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = alerts("config", "init", str(tmp_path / "a-file" / "alerts.toml"), env=user_env(tmp_path))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {tmp_path / 'a-file' / 'alerts.toml'}: cannot make its folder: ")


def test_init_path_and_user_together_is_an_error(tmp_path):
    result = alerts("config", "init", "--user", "x.toml", cwd=tmp_path, env=user_env(tmp_path))
    assert result.returncode == 1 and result.stderr.strip() == "error: give PATH or --user, not both"


def test_no_config_anywhere_names_both_places_and_init(tmp_path):
    result = alerts("validate", cwd=tmp_path, env=user_env(tmp_path))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: alerts.toml: no such file; copy config.example.toml there")
    assert "`alerts config init`" in line and "./alerts.toml" in line and str(user_file(tmp_path)) in line


def test_the_config_is_looked_for_in_order(tmp_path):
    env = user_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()

    # Only the user's file: every command finds it.
    made = alerts("config", "init", "--user", cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    assert user_file(tmp_path).exists()
    assert made.stdout.strip().endswith("then run `alerts validate`")
    assert ok_line(alerts("validate", cwd=work, env=env)).startswith(f"{user_file(tmp_path)}: ok: 3 boards")

    # ./alerts.toml wins over it.
    local = work / "alerts.toml"
    local.write_text('[channels.out]\nurl = "console://"\n')
    assert (
        ok_line(alerts("validate", cwd=work, env=env))
        == f"{local}: ok: 0 boards, 0 subscriptions, 1 channels"
    )

    # ALERTS_CONFIG wins over both, and --config over ALERTS_CONFIG.
    named = tmp_path / "named.toml"
    named.write_text('[channels.a]\nurl = "console://"\n[channels.b]\nurl = "console://"\n')
    from_env = alerts("validate", cwd=work, env={**env, "ALERTS_CONFIG": str(named)})
    assert ok_line(from_env).startswith(f"{named}: ok: 0 boards, 0 subscriptions, 2 channels")
    given = alerts("validate", "--config", str(local), cwd=work, env={**env, "ALERTS_CONFIG": str(named)})
    assert ok_line(given).startswith(f"{local}: ok")


def test_a_relative_config_is_named_in_full(tmp_path):
    (tmp_path / "mine.toml").write_text('[channels.out]\nurl = "console://"\n')
    result = alerts("validate", "--config", "mine.toml", cwd=tmp_path, env=user_env(tmp_path))
    assert ok_line(result).startswith(f"{tmp_path / 'mine.toml'}: ok")


def test_schema_prints_the_shipped_schema_even_when_quiet(tmp_path):
    for args in (("config", "schema"), ("config", "schema", "-q")):
        result = alerts(*args, cwd=tmp_path, env=user_env(tmp_path))
        assert result.returncode == 0, result.stderr
        assert result.stdout == SCHEMA_FILE.read_text()
    assert re.search(r'"\$schema": "https://json-schema.org/draft/2020-12/schema"', result.stdout)
