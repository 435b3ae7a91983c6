"""The channel keys delivery reads, and `alerts validate` on templates."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from alerts.config import parse_config
from alerts.errors import ConfigError

from support import alerts

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIPTION = '\n[[subscriptions]]\nname = "s"\nboards = ["lever:plaid"]\nchannels = ["me"]\n'


def channel(tmp_path: Path, body: str):
    path = tmp_path / "alerts.toml"
    text = f'[channels.me]\nurl = "console://"\n{body}\n{SUBSCRIPTION}'
    path.write_text(text)
    return parse_config(text, path)


def test_defaults(tmp_path):
    me = channel(tmp_path, "").channels["me"]
    assert (me.quiet_hours, me.max_attempts, me.retry_for) == (None, 20, timedelta(days=2))


def test_keys_are_read(tmp_path):
    me = channel(tmp_path, 'quiet_hours = "22:30-6:15"\nmax_attempts = 4\nretry_for = "12h"').channels["me"]
    assert me.quiet_window == ((22, 30), (6, 15))
    assert (me.max_attempts, me.retry_for) == (4, timedelta(hours=12))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('quiet_hours = "22-07"', 'channels.me.quiet_hours: expected a daily window written "HH:MM-HH:MM"'),
        ('quiet_hours = "25:00-07:00"', "channels.me.quiet_hours: expected a daily window"),
        (
            'digest = "daily"\nquiet_hours = "22:00-07:00"',
            "channels.me.quiet_hours: only on an instant channel",
        ),
        ('digest = "bogus"', 'channels.me.digest: expected a cron line such as "0 8 * * mon-fri"'),
        ('digest = "0 0 30 2 *"', "channels.me.digest: the schedule '0 0 30 2 *' never fires"),
        ("max_attempts = 0", "channels.me.max_attempts"),
        ('retry_for = "soon"', 'channels.me.retry_for: expected a duration like "90s"'),
    ],
)
def test_mistakes_name_the_key(tmp_path, body, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        channel(tmp_path, body)


def example_keys() -> dict[str, str]:
    """The channel keys config.example.toml documents, as `key = value` lines."""
    example = (ROOT / "config.example.toml").read_text()
    found = re.findall(r"^#\s+(\w+)\s+=\s+(.+?)\s*(?:#.*)?$", example, re.M)
    return {key: f"{key} = {value}" for key, value in found}


def test_the_example_documents_every_channel_key():
    from alerts.config import ChannelConfig

    documented = example_keys()
    for key in ChannelConfig.model_fields:
        assert key in documented or key in ("url", "urls"), f"config.example.toml does not document {key}"


@pytest.mark.parametrize(
    "key", ["format", "template", "digest", "timezone", "quiet_hours", "max_attempts", "retry_for"]
)
def test_each_documented_channel_key_is_valid_as_written(tmp_path, key):
    channel(tmp_path, example_keys()[key])


def test_validate_names_the_template_file_and_line_of_a_typo(tmp_path):
    (tmp_path / "mine.txt.j2").write_text(
        "{{ title }}\n{% for g in groups %}\n{{ g.compnay }}\n{% endfor %}\n"
    )
    path = tmp_path / "alerts.toml"
    path.write_text(f'[channels.me]\nurl = "console://"\ntemplate = "mine.txt.j2"\n{SUBSCRIPTION}')
    result = alerts("validate", "--config", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {path}: channels.me.template: {tmp_path / 'mine.txt.j2'}: "
        "template error on line 3: 'dict object' has no attribute 'compnay'"
    )
