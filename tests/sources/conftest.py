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
    def load(name: str) -> Any:
        data = json.loads(payload_bytes(name))
        # The workable recording is wrapped in a test-case file; the body
        # the API sent is at cases.normal.body.
        return data["cases"]["normal"]["body"] if name.startswith("workable") else data

    return load


@pytest.fixture
def served_bytes(
    payload_bytes: Callable[[str], bytes], payload: Callable[[str], Any]
) -> Callable[[str], bytes]:
    """A recorded response body as the API sent it, ready to serve."""

    def read(name: str) -> bytes:
        if name.startswith("workable"):
            return json.dumps(payload(name), ensure_ascii=False).encode()
        return payload_bytes(name)

    return read


@pytest.fixture
def closed_port() -> int:
    """A local port with nothing listening: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return
        body += chunk


@pytest.fixture
def cut_off_server() -> Iterator[str]:
    """A server that promises 1000 bytes of JSON, sends 12 and hangs up,
    as a dropped connection looks to the client; every time it is asked."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    address = listener.getsockname()
    stop = threading.Event()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                if stop.is_set():  # the wake-up call below
                    return
                # The whole request (a POST's body too): closing on unread
                # data would reset the connection instead of cutting it short.
                _read_request(conn)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000\r\n\r\n" + b'{"jobs": [{"'
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{address[1]}"
    stop.set()
    socket.create_connection(address, timeout=5).close()  # wakes accept() at once
    thread.join(timeout=5)
    listener.close()
