"""Issue 11, secrets even at -vv (library logs on: Apprise's, urllib3's),
in text and JSON logs, with the hook failing so every error path logs."""

from __future__ import annotations

import pytest
from test_hardening_secrets import TOKEN, VALUE, hook_config

from hardening_support import RawServer, respond
from support import alerts


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_test_notify_at_vv_prints_no_secret(tmp_path, log_format):
    with RawServer(respond(b"{}", status="500 Internal Server Error")) as hook:
        config = hook_config(tmp_path, hook.port)
        result = alerts("test-notify", "-vv", "--log-format", log_format, "--config", str(config), "hook")
        assert hook.requests, "the hook was never called"
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "urllib3" in output or "POST /hooks/" in output, "the library logs were not on at -vv"
    assert TOKEN not in output and VALUE not in output, output[-3000:]
