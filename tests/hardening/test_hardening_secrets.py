"""Issue 11, secrets: path tokens and query values of channel URLs never
appear in any output, at -v, in text or JSON logs; config errors never echo
a value that came from ${VAR}."""

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

TOKEN = "TOPSECRETTOKEN"
VALUE = "SECRETVALUE"


def hook_config(tmp_path, hook_port: int, board_url: str = "http://127.0.0.1:9"):
    return write_config(
        tmp_path,
        f"""
[sources.greenhouse]
base_url = "{board_url}"

[channels.hook]
url = "json://127.0.0.1:{hook_port}/hooks/{TOKEN}?key={VALUE}"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["hook"]
include_existing = true
""",
    )


def assert_no_secret(result, what: str) -> None:
    output = result.stdout + result.stderr
    assert TOKEN not in output, f"{what} printed the path token:\n{output[-3000:]}"
    assert VALUE not in output, f"{what} printed the query value:\n{output[-3000:]}"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_test_notify_verbose_prints_no_secret(tmp_path, log_format):
    with RawServer(respond(b"{}")) as hook:
        config = hook_config(tmp_path, hook.port)
        result = alerts("test-notify", "-v", "--log-format", log_format, "--config", str(config), "hook")
        assert hook.requests, "the hook was never called"
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert_no_secret(result, f"test-notify -v --log-format {log_format}")


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_run_once_verbose_prints_no_secret(tmp_path, log_format):
    board = respond(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(respond(b"{}")) as hook, RawServer(board) as server:
        config = hook_config(tmp_path, hook.port, server.url)
        result = alerts("run", "--once", "-v", "--log-format", log_format, "--config", str(config))
        assert hook.requests, "nothing was delivered"
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert_no_secret(result, f"run --once -v --log-format {log_format}")


def test_preview_prints_no_secret(tmp_path):
    config = hook_config(tmp_path, 9)
    result = alerts("preview", "-v", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "--- to json://" in result.stdout, result.stdout
    assert_no_secret(result, "preview")


def test_failed_test_notify_prints_no_secret(tmp_path):
    # Nothing listens on the hook's port: the failure message names the URL.
    with RawServer(respond(b"{}")) as closed:
        port = closed.port
    config = hook_config(tmp_path, port)
    result = alerts("test-notify", "-v", "--config", str(config), "hook")
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    assert_no_secret(result, "a failing test-notify")


def test_config_error_does_not_echo_a_substituted_value(tmp_path):
    config = write_config(
        tmp_path,
        """
[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["lever:acme"]
channels = ["${CH}"]
""",
    )
    result = alerts("validate", "--config", str(config), set_env={"CH": "S3cr3tValue"})
    assert "S3cr3tValue" not in result.stdout + result.stderr, result.stderr
    assert_one_line_error(result, str(config), "subscriptions[0].channels")
