"""Issue 10, item 2: a send that went out in full and got no answer in time
(or lost its connection before the answer) is "unknown", sent unconfirmed;
one that never got through (refused, DNS, connect timeout, a TLS handshake
or SMTP greeting that stalls, a stalled RCPT) is "failed", retried.

Every peer is a real socket on 127.0.0.1; all cases run at once from threads,
so each verdict also proves that a send's probe sees only its own send.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

from aiosmtpd.controller import Controller

from alerts.model import Message
from alerts.notify.probe import StartGuard
from alerts.notify.send import send

from support import free_port

MESSAGE = Message("1 new: Acme", "hello", "text")
MAIL = "from=a@example.com&to=b@example.com"
LATE_SECONDS = 3.0


class Peer:
    """A TCP server that reads one HTTP request and then behaves as told."""

    def __init__(self, mode: str):
        self.mode, self.received = mode, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        try:
            while True:
                conn, _ = self.sock.accept()
                self.conns.append(conn)
                threading.Thread(target=self._one, args=(conn,), daemon=True).start()
        except OSError:
            pass

    def _one(self, conn: socket.socket) -> None:
        if self.mode == "silent":
            return  # accepts, reads nothing, says nothing
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
            while len(body) < length:
                body += conn.recv(65536)
            self.received += 1
            if self.mode == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                conn.close()
            elif self.mode == "late":
                time.sleep(LATE_SECONDS)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


class Blackhole:
    """A listener whose backlog is full: a new connection times out."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fill = []
        for _ in range(8):
            client = socket.socket()
            client.setblocking(False)
            try:
                client.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self.fill.append(client)

    def close(self) -> None:
        for client in self.fill:
            client.close()
        self.sock.close()


class LateMail:
    """Stores the mail, then stalls before its final reply (or stalls at RCPT)."""

    def __init__(self, at: str):
        self.at, self.stored = at, 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.at == "rcpt":
            await asyncio.sleep(LATE_SECONDS)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.stored += 1
        if self.at == "data":
            await asyncio.sleep(LATE_SECONDS)
        return "250 OK"


@contextmanager
def mailbox(at: str) -> Iterator[tuple[LateMail, int]]:
    box, port = LateMail(at), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def test_each_way_a_send_can_end() -> None:
    with ExitStack() as stack:
        late, silent, reset = Peer("late"), Peer("silent"), Peer("reset")
        blackhole = Blackhole()
        for peer in (late, silent, reset, blackhole):
            stack.callback(peer.close)
        late_mail, late_mail_port = stack.enter_context(mailbox("data"))
        _, stalled_rcpt_port = stack.enter_context(mailbox("rcpt"))
        cases = {
            "json answers late": (f"json://127.0.0.1:{late.port}/h", "unknown"),
            "json says nothing": (f"json://127.0.0.1:{silent.port}/h", "unknown"),
            "json resets after the request": (f"json://127.0.0.1:{reset.port}/h", "unknown"),
            "jsons TLS handshake stalls": (f"jsons://127.0.0.1:{silent.port}/h", "failed"),
            "json refused": (f"json://127.0.0.1:{free_port()}/h", "failed"),
            "json DNS failure": ("json://no-such-host.invalid/h", "failed"),
            "json connect timeout": (f"json://127.0.0.1:{blackhole.port}/h", "failed"),
            "mail stalls after DATA": (f"mailto://127.0.0.1:{late_mail_port}/?{MAIL}", "unknown"),
            "mail stalls at RCPT": (f"mailto://127.0.0.1:{stalled_rcpt_port}/?{MAIL}", "failed"),
            "mail without a greeting": (f"mailto://127.0.0.1:{silent.port}/?{MAIL}", "failed"),
            "mail refused": (f"mailto://127.0.0.1:{free_port()}/?{MAIL}", "failed"),
            "mqtt qos 1 without an ack": (f"mqtt://127.0.0.1:{silent.port}/t?qos=1", "unknown"),
            "console": ("console://", "sent"),
        }

        def one(url: str) -> tuple[str, float]:
            started = time.monotonic()
            result = send(url, MESSAGE, tag="ch-t", timeout=1.0, connect_timeout=1.0)
            return result.status, time.monotonic() - started

        with ThreadPoolExecutor(len(cases)) as pool:
            futures = {name: pool.submit(one, url) for name, (url, _) in cases.items()}
            outcomes = {name: future.result() for name, future in futures.items()}
    assert {name: status for name, (status, _) in outcomes.items()} == {
        name: expected for name, (_, expected) in cases.items()
    }
    # The channel's timeouts decide the waits, not the service answering late.
    assert outcomes["json answers late"][1] < LATE_SECONDS, outcomes
    assert late.received == 1 and reset.received == 1 and late_mail.stored == 1


def test_a_timeout_set_on_the_channel_wins_over_apprises_default() -> None:
    late = Peer("late")
    try:
        # Apprise's own default read timeout is 4 s; the channel's 5 s lets the answer in.
        result = send(f"json://127.0.0.1:{late.port}/h", MESSAGE, tag="ch-t", timeout=LATE_SECONDS + 2)
    finally:
        late.close()
    assert result.status == "sent"


def test_a_send_apprise_gave_up_on_before_it_began_never_begins() -> None:
    calls: list[str] = []

    class Service:
        def notify(self, **kwargs: Any) -> bool:
            calls.append("sent")
            return True

    service = Service()
    guard = StartGuard(service)
    assert guard.give_up() is False
    assert service.notify() is False and calls == []

    begun = StartGuard(service := Service())
    assert service.notify() is True and begun.give_up() is True and calls == ["sent"]
