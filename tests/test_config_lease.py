"""Review trust-b item 5d: a lease shorter than board_deadline (plus the
time to store a snapshot) would let another process take a board still
being fetched: validate refuses it, naming both keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.config import parse_config
from alerts.errors import ConfigError

BASE = '[channels.c]\nurl = "console://"\n[[subscriptions]]\nname = "s"\nboards = ["lever:acme"]\nchannels = ["c"]\n'


@pytest.mark.parametrize(
    ("polling", "refused"),
    [
        ('lease = "1m"', True),  # under the default board_deadline of 2m
        ('lease = "2m"\nboard_deadline = "2m"', True),
        ('lease = "149s"\nboard_deadline = "2m"', True),
        ('lease = "150s"\nboard_deadline = "2m"', False),
        ('lease = "1m"\nboard_deadline = "20s"', False),
        ("", False),  # the defaults: 5m and 2m
    ],
)
def test_a_lease_shorter_than_a_fetch_is_refused(polling: str, refused: bool) -> None:
    text = f"[polling]\n{polling}\n{BASE}"
    if not refused:
        parse_config(text, Path("alerts.toml"))
        return
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("alerts.toml"))
    said = str(caught.value)
    assert "polling.lease" in said and "polling.board_deadline" in said and "\n" not in said
