from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture
def payload_bytes() -> Callable[[str], bytes]:
    def read(name: str) -> bytes:
        # A missing fixture must fail the test, never skip it.
        return (DATA_DIR / name).read_bytes()

    return read


@pytest.fixture
def payload(payload_bytes: Callable[[str], bytes]) -> Callable[[str], Any]:
    return lambda name: json.loads(payload_bytes(name))


@pytest.fixture
def closed_port() -> int:
    """A local port with nothing listening: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def cut_off_server() -> Iterator[str]:
    """A server that promises 1000 bytes of JSON, sends 12 and hangs up,
    as a dropped connection looks to the client."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n" + b'{"jobs": [{"'
            )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()
    thread.join(timeout=5)
