from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from alerts.config import load_config, parse_duration
from alerts.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """
[channels.out]
url = "console://"

[[subscriptions]]
name = "s"
boards = ["greenhouse:stripe"]
channels = ["out"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(textwrap.dedent(text))
    return path


def error_for(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    return str(info.value)


def test_example_config_loads_as_shipped():
    config = load_config(ROOT / "config.example.toml")
    assert set(config.boards()) == {"ashby:openai", "greenhouse:stripe", "lever:plaid"}
    assert config.channels["terminal"].targets == ["console://"]
    assert config.subscriptions[0].include_existing is True
    assert config.subscriptions[1].title.exclude == ["intern"]
    assert config.board_name("lever:plaid") == "Plaid"


def test_defaults(tmp_path):
    config = load_config(write(tmp_path, MINIMAL))
    assert config.polling.interval == timedelta(minutes=15)
    assert config.polling.close_after_misses == 2
    assert config.subscriptions[0].events == ["opened", "updated", "closed", "reopened"]
    # a relative SQLite path is relative to the config file
    assert config.database.url == f"sqlite:///{tmp_path.resolve() / 'alerts.db'}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(minutes=90)),
        ("2d", timedelta(days=2)),
        (45, timedelta(seconds=45)),
    ],
)
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["15", "15x", "m", "", "-5m", "1h 2q"])
def test_bad_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_env_substitution_and_override(tmp_path, monkeypatch):
    monkeypatch.setenv("HOOK", "xyz")
    monkeypatch.setenv("ALERTS_DATABASE_URL", "sqlite:////tmp/other.db")
    config = load_config(write(tmp_path, MINIMAL.replace("console://", "json://127.0.0.1/${HOOK}")))
    assert config.channels["out"].targets == ["json://127.0.0.1/xyz"]
    assert config.database.url == "sqlite:////tmp/other.db"


def test_subscription_interval_shortest_wins(tmp_path):
    text = (
        MINIMAL
        + """
[[subscriptions]]
name = "fast"
boards = ["greenhouse:stripe", "lever:plaid"]
interval = "5m"
channels = ["out"]
"""
    )
    config = load_config(write(tmp_path, text))
    assert config.board_interval("greenhouse:stripe") == timedelta(minutes=5)
    assert config.board_interval("lever:plaid") == timedelta(minutes=5)


def test_title_shorthand_and_case_insensitive_enums(tmp_path):
    text = MINIMAL.replace(
        'channels = ["out"]', 'channels = ["out"]\ntitle = ["engineer"]\nwork_model = ["Remote"]'
    )
    sub = load_config(write(tmp_path, text)).subscriptions[0]
    assert sub.title.include == ["engineer"] and sub.work_model == ["remote"]


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            ('name = "s"', 'name = "s"\ndepartmnet = ["x"]'),
            "subscriptions[0].departmnet (subscription 's')",
            "allowed here: boards, channels, company",
        ),
        (
            ("[channels.out]", "[channels.out]\nformt = 'text'"),
            "channels.out.formt",
            "allowed here: digest, format",
        ),
        (
            ('channels = ["out"]', 'channels = ["slak"]'),
            "subscriptions[0].channels",
            "'slak' is not defined under [channels]; defined: out",
        ),
        (
            ('"greenhouse:stripe"', '"greenhose:stripe"'),
            "subscriptions[0].boards (subscription 's')",
            "kinds: greenhouse, lever",
        ),
        (('"greenhouse:stripe"', '"stripe"'), "subscriptions[0].boards (subscription 's')", "kind:token"),
        (("console://", "${NOT_SET_ANYWHERE}"), "channels.out.url", "${NOT_SET_ANYWHERE} is not set"),
        (
            ('name = "s"', 'name = "s"\nwork_model = ["office"]'),
            "subscriptions[0].work_model[0] (subscription 's')",
            "'remote', 'hybrid', 'onsite' or 'unknown'",
        ),
        (
            ("[channels.out]", "[polling]\ninterval = 'soon'\n[channels.out]"),
            "polling.interval",
            'a duration like "90s"',
        ),
        (("[channels.out]", "[channels.out]\ndigest = 'every tuesday'"), "channels.out.digest", "cron line"),
        (
            ("[channels.out]", "[channels.out]\ntimezone = 'Mars/Base'"),
            "channels.out.timezone",
            "IANA time zone",
        ),
        (('url = "console://"', ""), "channels.out", "set url (or urls)"),
        (('name = "s"\n', ""), "subscriptions[0].name", "required key is missing"),
    ],
)
def test_errors_name_file_key_and_allowed(tmp_path, change, key, words):
    old, new = change
    assert old in MINIMAL
    message = error_for(tmp_path, MINIMAL.replace(old, new, 1))
    assert message.startswith(f"{tmp_path / 'alerts.toml'}: {key}: "), message
    assert words in message


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="no such file; copy config.example.toml"):
        load_config(tmp_path / "nope.toml")


def test_toml_syntax_error_names_the_file(tmp_path):
    message = error_for(tmp_path, "[channels\n")
    assert message.startswith(f"{tmp_path / 'alerts.toml'}: not valid TOML")


def test_errors_never_echo_values(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET", "hunter2")
    text = MINIMAL.replace('url = "console://"', 'url = "console://"\ndigest = "${SECRET}"')
    assert "hunter2" not in error_for(tmp_path, text)


NAMES = """
[boards."lever:plaid"]
name = "Plaid"
[boards."https://jobs.ashbyhq.com/openai"]
name = " OpenAI "
[boards."teamtailor:acme"]
"""


def test_board_names(tmp_path):
    config = load_config(write(tmp_path, MINIMAL + NAMES))
    # Keyed by the board, however the key was written; a table without a name names nothing.
    assert config.board_name("lever:plaid") == "Plaid"
    assert config.board_name("ashby:openai") == "OpenAI"
    assert config.board_name("teamtailor:acme") is None
    assert config.board_name("greenhouse:stripe") is None


@pytest.mark.parametrize(
    ("table", "key", "words"),
    [
        ('[boards."lever:"]\nname = "x"', 'boards."lever:"', "expected a board written kind:token"),
        ('[boards."plaid"]\nname = "x"', 'boards."plaid"', "expected a board written kind:token"),
        (
            '[boards."https://example.com/careers"]\nname = "x"',
            'boards."https://example.com/careers"',
            "is neither. Accepted: ashby:TOKEN",
        ),
        ('[boards."bluedoor"]\nname = "x"', 'boards."bluedoor"', "takes each posting's company from the API"),
        ('[boards."lever:plaid"]\nnmae = "x"', "boards.lever:plaid.nmae", "unknown key; allowed here: name"),
        ('[boards."lever:plaid"]\nname = "  "', "boards.lever:plaid.name", "not a blank string"),
        ('[boards."lever:plaid"]\nname = 3', "boards.lever:plaid.name", "valid string"),
        (
            '[boards."lever:plaid"]\nname = "A"\n[boards."https://jobs.lever.co/plaid/"]\nname = "B"',
            'boards."https://jobs.lever.co/plaid/"',
            'the same board as boards."lever:plaid" (lever:plaid)',
        ),
        ('[boardz."lever:plaid"]\nname = "A"', "boardz", "allowed here: alerts, boards, channels"),
    ],
)
def test_board_name_errors_name_file_and_key(tmp_path, table, key, words):
    message = error_for(tmp_path, MINIMAL + table)
    assert message.startswith(f"{tmp_path / 'alerts.toml'}: {key}: "), message
    assert words in message
