"""Review b of trust-a: a ${VAR} secret of a base_url shown in another
form than it was written in: percent-encoded as httpx writes a path (a
space as %20 but a `+` as it is, neither `quote()` form), or in another
case (a server echoing the path upper-cased)."""

from __future__ import annotations

import socket
import threading

import pytest

from hardening_support import RawServer, http_head, write_config
from support import alerts

SECRET = "Pr0xy S3cret+T0ken"


def echoing(upper: bool):
    def answer(conn: socket.socket, head: bytes, stop: threading.Event) -> None:
        path = head.split(b"\r\n", 1)[0].decode().split(" ")[1]
        body = f"no upstream for {path.upper() if upper else path}".encode()
        conn.sendall(
            http_head(
                "502 Bad Gateway", Content_Type="text/plain", Content_Length=len(body), Connection="close"
            )
            + body
        )

    return answer


@pytest.mark.parametrize("upper", [False, True], ids=["as-asked", "upper-cased"])
def test_a_secret_encoded_or_in_another_case_is_never_shown(tmp_path, upper):
    env = {"PROXY_TOKEN": SECRET}
    with RawServer(echoing(upper)) as proxy:
        config = write_config(
            tmp_path,
            f"""
[sources.greenhouse]
base_url = "http://127.0.0.1:{proxy.port}/${{PROXY_TOKEN}}/gh"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
""",
        )
        args = ("--config", str(config))
        runs = [
            alerts("run", "--once", "-vv", *args, set_env=env),
            alerts("status", "-v", *args, set_env=env),
        ]
        assert proxy.requests, "the proxy was never asked"
    output = "".join(run.stdout + run.stderr for run in runs)
    assert "Traceback" not in output, output[-3000:]
    assert "no upstream for" in output.lower(), output[-3000:]
    assert "s3cret" not in output.lower(), output[-4000:]
