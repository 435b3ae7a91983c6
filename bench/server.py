"""A local job-board server for the benchmarks: `python -m bench.server ...`.

Serves every board of a `Universe` under the per-kind prefixes of
bench.boards.PREFIXES, on one port of each loopback address in bench.boards.HOSTS, from bodies serialised ahead of time (so the server's
own cost per request is a dict lookup and a socket write), with a weak ETag
per body and 304 for a matching If-None-Match. Counts every request.

Control endpoints (GET):
  /_bench/round/N   build round N's bodies (blocks until ready), serve them
  /_bench/stats     request counts since the last reset, as JSON
  /_bench/reset     zero the counts
POST /_hook/...     accepts a delivery (Apprise json://) and counts it.

On start it prints `PORT <n>` on stdout once round 0 is ready.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import socket
import sys
from collections import Counter
from dataclasses import dataclass, field

from bench.boards import HOSTS, BoardState, Universe

MAX_HEADER_BYTES = 64 * 1024


@dataclass
class Body:
    data: bytes
    etag: str


@dataclass
class Stats:
    board_requests: Counter[str] = field(default_factory=Counter)
    status: Counter[int] = field(default_factory=Counter)
    conditional: int = 0  # requests that carried If-None-Match
    bytes_sent: int = 0
    hook_posts: int = 0
    hook_bytes: int = 0
    other: int = 0

    def as_dict(self) -> dict[str, object]:
        counts = list(self.board_requests.values())
        return {
            "board_requests": sum(counts),
            "boards_hit": len(counts),
            "max_per_board": max(counts, default=0),
            "status": {str(k): v for k, v in self.status.items()},
            "conditional": self.conditional,
            "bytes_sent": self.bytes_sent,
            "hook_posts": self.hook_posts,
            "hook_bytes": self.hook_bytes,
            "other": self.other,
        }


class BoardServer:
    def __init__(self, universe: Universe):
        self.universe = universe
        self.round = -1
        self.states: dict[int, BoardState] = {}
        self.bodies: dict[str, Body] = {}  # path without query -> body
        self.stats = Stats()

    def build(self, round_no: int) -> None:
        """Serve round `round_no`; steps forward from the current round when it can."""
        u = self.universe
        if round_no < self.round or not self.states:
            self.states = {b: u.initial(b) for b in range(u.boards)}
            self.round = 0
        for r in range(self.round + 1, round_no + 1):
            for b, state in self.states.items():
                u.advance(b, state, r)
        self.round = round_no
        bodies = {}
        for b, state in self.states.items():
            data = u.body(b, state)
            etag = 'W/"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
            bodies[u.path(b).split("?", 1)[0]] = Body(data, etag)
        self.bodies = bodies

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, sep, value = line.partition(":")
                    if sep:
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                payload = await reader.readexactly(length) if length else b""
                status, extra, body = self.route(method, target, headers, payload)
                close = headers.get("connection", "").lower() == "close"
                reason = {200: "OK", 304: "Not Modified", 404: "Not Found", 405: "Method Not Allowed"}
                head_out = (
                    f"HTTP/1.1 {status} {reason.get(status, 'OK')}\r\n"
                    f"Content-Length: {len(body)}\r\n{extra}"
                    f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
                ).encode("latin-1")
                writer.write(head_out)
                if body:
                    writer.write(body)
                await writer.drain()
                if close:
                    return
        except ConnectionError:
            return
        finally:
            writer.close()

    def route(
        self, method: str, target: str, headers: dict[str, str], payload: bytes
    ) -> tuple[int, str, bytes]:
        path = target.split("?", 1)[0]
        if path.startswith("/_hook/"):
            self.stats.hook_posts += 1
            self.stats.hook_bytes += len(payload)
            return 200, "Content-Type: application/json\r\n", b"{}"
        if path.startswith("/_bench/"):
            return self.control(path)
        if method != "GET":
            self.stats.other += 1
            return 405, "", b""
        body = self.bodies.get(path)
        if body is None:
            self.stats.other += 1
            self.stats.status[404] += 1
            return 404, "Content-Type: application/json\r\n", b'{"status":404,"error":"Job not found"}'
        self.stats.board_requests[path] += 1
        wanted = headers.get("if-none-match")
        if wanted is not None:
            self.stats.conditional += 1
            tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
            if "*" in tags or body.etag.removeprefix("W/") in tags:
                self.stats.status[304] += 1
                return 304, f"ETag: {body.etag}\r\n", b""
        self.stats.status[200] += 1
        self.stats.bytes_sent += len(body.data)
        return 200, f"Content-Type: application/json; charset=utf-8\r\nETag: {body.etag}\r\n", body.data

    def control(self, path: str) -> tuple[int, str, bytes]:
        parts = path.strip("/").split("/")
        if parts[1:2] == ["round"] and len(parts) == 3 and parts[2].isdigit():
            self.build(int(parts[2]))
            answer: dict[str, object] = {
                "round": self.round,
                "boards": len(self.bodies),
                "bytes": sum(len(b.data) for b in self.bodies.values()),
            }
        elif parts[1:] == ["stats"]:
            answer = {"round": self.round, **self.stats.as_dict()}
        elif parts[1:] == ["reset"]:
            self.stats = Stats()
            answer = {"reset": True}
        else:
            return 404, "", b"unknown control path"
        return 200, "Content-Type: application/json\r\n", json.dumps(answer).encode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(universe: Universe, port: int) -> None:
    server = BoardServer(universe)
    server.build(0)
    hosts = sorted(set(HOSTS.values()))
    # One port on every host, so a kind's base_url differs only by address.
    for attempt in range(20):
        try:
            listener = await asyncio.start_server(
                server.handle, hosts, port or _free_port(), limit=MAX_HEADER_BYTES, backlog=1024
            )
            break
        except OSError:
            if port or attempt == 19:
                raise
    bound = listener.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    async with listener:
        await listener.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--boards", type=int, required=True)
    parser.add_argument("--postings", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--churn", type=float, default=0.03)
    parser.add_argument("--text-bytes", type=int, default=600)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    universe = Universe(args.seed, args.boards, args.postings, args.churn, args.text_bytes)
    try:
        asyncio.run(serve(universe, args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
