"""Review finding (trust-a 2), secrets in a base_url: a value that came
from ${VAR} into `[sources.KIND] base_url` (in its path, its query, its
userinfo) is masked wherever a URL built from it is shown: text and JSON
logs at -vv, `alerts status` (text and JSON), ops notices, error messages,
even when the server echoes the URL back."""

from __future__ import annotations

import socket
import threading

import pytest

from hardening_support import RawServer, http_head, write_config
from support import alerts

SECRET = "pr0xyS3cretT0ken"
FORMS = {
    "path": "http://127.0.0.1:{port}/${{PROXY_TOKEN}}/gh",
    "query": "http://127.0.0.1:{port}/gh?p=${{PROXY_TOKEN}}&x=1",
    "userinfo": "http://proxy:${{PROXY_TOKEN}}@127.0.0.1:{port}/gh",
}


def echoing_error(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
    """A proxy that fails and says which path it was asked, as some do."""
    line = head.split(b"\r\n", 1)[0].decode()
    body = f"no upstream for {line.split(' ')[1]}".encode()
    conn.sendall(
        http_head("502 Bad Gateway", Content_Type="text/plain", Content_Length=len(body), Connection="close")
        + body
    )


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_secret_in_base_url_is_never_shown(tmp_path, form, log_format):
    env = {"PROXY_TOKEN": SECRET}
    with RawServer(echoing_error) as proxy:
        config = write_config(
            tmp_path,
            f"""

[alerts]
ops_channel = "term"
failure_threshold = 1

[sources.greenhouse]
base_url = "{FORMS[form].format(port=proxy.port)}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
        )
        args = ("--log-format", log_format, "--config", str(config))
        runs = [
            alerts("run", "--once", "-vv", *args, set_env=env),
            alerts("status", "-v", *args, set_env=env),
            alerts("status", "--format", "json", *args, set_env=env),
            alerts("history", *args, set_env=env),
        ]
        assert proxy.requests, "the proxy was never asked"
    output = "".join(run.stdout + run.stderr for run in runs)
    assert "Traceback" not in output, output[-3000:]
    assert "502" in output or "server error" in output, output[-3000:]
    assert "ops" in output.lower() or "failing" in output, output[-3000:]
    assert SECRET not in output, output[-4000:]
