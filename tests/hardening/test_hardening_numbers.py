"""Issue 11, numbers from outside and durations in the config: Retry-After
is clamped, every config duration is bounded, zero tick/lease/timeout refused."""

from __future__ import annotations

import pytest

from hardening_support import (
    RawServer,
    assert_one_line_error,
    greenhouse_body,
    greenhouse_job,
    respond,
    write_config,
)
from support import alerts


def test_huge_retry_after_fails_the_board_without_crashing(tmp_path):
    too_many = respond(b'{"error": "slow down"}', status="429 Too Many Requests", Retry_After="999999999999")
    healthy = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(too_many) as limited, RawServer(healthy) as good:
        config = write_config(
            tmp_path,
            f"""
[sources.lever]
base_url = "{limited.url}"
[sources.greenhouse]
base_url = "{good.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:limited", "greenhouse:acme"]
channels = ["term"]
""",
        )
        result = alerts("run", "--once", "--config", str(config))
        output = result.stdout + result.stderr
        assert "Traceback" not in output and "OverflowError" not in output, output[-3000:]
        assert result.returncode == 0, output[-3000:]
        assert "2 boards polled (1 failed)" in result.stdout, output[-3000:]
        assert len(limited.requests) == 1, "a board asking to wait is not asked again in the same cycle"
    status = alerts("status", "--config", str(config))
    assert "Traceback" not in status.stdout + status.stderr, status.stderr[-3000:]
    assert status.returncode == 0, status.stderr
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("lever:limited")]
    assert "failing" in line, status.stdout
    # A later retry: a date, not "now" and not "never".
    columns = line.split("  ")
    next_poll = [c.strip() for c in columns if c.strip()][3]
    assert next_poll.endswith("UTC"), line


SUBSCRIPTION = """
[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:acme"]
channels = ["term"]
"""


@pytest.mark.parametrize("value", ["99999999d", "999999999999d"])
@pytest.mark.parametrize("where", ["polling.interval", "subscriptions[0].interval"])
def test_absurd_intervals_are_refused_by_validate(tmp_path, value, where):
    if where == "polling.interval":
        body = f'[polling]\ninterval = "{value}"\n{SUBSCRIPTION}'
    else:
        body = SUBSCRIPTION.replace('channels = ["term"]', f'channels = ["term"]\ninterval = "{value}"')
    config = write_config(tmp_path, body)
    result = alerts("validate", "--config", str(config))
    assert_one_line_error(result, str(config), where)


@pytest.mark.parametrize("key", ["tick", "lease", "timeout"])
def test_zero_tick_lease_timeout_are_refused(tmp_path, key):
    config = write_config(tmp_path, f'[polling]\n{key} = "0s"\n{SUBSCRIPTION}')
    result = alerts("validate", "--config", str(config))
    assert_one_line_error(result, str(config), f"polling.{key}")


def test_absurd_channel_duration_is_refused(tmp_path):
    body = SUBSCRIPTION.replace('url = "console://"', 'url = "console://"\nretry_for = "999999999999d"')
    config = write_config(tmp_path, body)
    result = alerts("validate", "--config", str(config))
    assert_one_line_error(result, str(config), "channels.term.retry_for")
