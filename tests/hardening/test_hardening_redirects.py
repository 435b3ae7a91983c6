"""Issue 11, where requests may go: a board's redirect to another port or
host is not followed, and what that host says never reaches the output."""

from __future__ import annotations

import json

import pytest

from hardening_support import RawServer, board_line, respond, write_config
from support import alerts

ELSEWHERE = "INTERNAL-ADMIN-PANEL-SAYS-HELLO"


def redirect_to(location: str):
    return respond(b"", status="302 Found", Location=location)


@pytest.mark.parametrize("other_host", ["127.0.0.1", "127.0.0.2"], ids=["other-port", "other-host"])
def test_redirect_off_the_board_host_is_not_followed(tmp_path, other_host):
    body = json.dumps({"error": ELSEWHERE}).encode()
    with RawServer(respond(body, status="403 Forbidden"), host=other_host) as other:
        target = f"{other.url}/boards/acme/jobs?content=true"
        with RawServer(redirect_to(target)) as board:
            config = write_config(
                tmp_path,
                f"""
[sources.greenhouse]
base_url = "{board.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
            )
            result = alerts("run", "--once", "-v", "--config", str(config))
            status = alerts("status", "--config", str(config))
        assert board.requests, "the board was never asked"
        assert other.requests == [], f"the redirect was followed to {other.url}: {other.requests}"
    output = result.stdout + result.stderr + status.stdout + status.stderr
    assert ELSEWHERE not in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert "failing" in board_line(status.stdout, "greenhouse:acme"), status.stdout


def test_error_body_excerpt_is_short(tmp_path):
    """A 5 KB error body is quoted in at most ~200 characters."""
    said = "".join(f"word{i:04d} " for i in range(600))[:5000]
    body = json.dumps({"error": said}).encode()
    with RawServer(respond(body, status="403 Forbidden")) as board:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "{board.url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
        )
        result = alerts("run", "--once", "--config", str(config))
    # -v: the long form of the health cell, with the error (the short one stops at the status).
    status = alerts("status", "-v", "--config", str(config))
    line = board_line(status.stdout, "greenhouse:acme")
    assert "word0000" in line, line  # quoted, but short
    quoted = sum(len(word) + 1 for word in said.split() if word in line)
    assert quoted <= 220, f"{quoted} characters of the error body in: {line}"
    assert (result.stdout + result.stderr).count("word0") <= 25, result.stderr[-3000:]
