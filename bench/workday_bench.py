"""Scenario w: what a Workday tenant costs its host, poll by poll.

A local tenant (a thread in this process) answers the CXS API as real ones
do: 20 a page, `total` on page 0 only, at most 2,000 listed (offsets past
that wrap), a `timeType` facet on page 0 that can be applied. `alerts run
--once` polls it in a subprocess, as a user runs it; every request is
counted at the server. Rounds: the first poll (baseline: every detail once),
a steady poll a day later (every "Posted N Days Ago" moved on), a poll after
some postings opened and some were retitled, and the same for a tenant over
the 2,000 cap, read by facet. Then a tenant that answers as slowly as real
ones (a latency per request), polled until its first snapshot is whole:
every poll ends within board_deadline, the details left over wait for the
next one, and nothing is announced.

    python bench/run.py --scenario w
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CXS = "/wday/cxs/acme/Careers"


def row(number: int, day: int) -> dict[str, Any]:
    req = f"JR{100000 + number}"
    return {
        "title": f"Engineer {number}",
        "externalPath": f"/job/US-CA-Santa-Clara/Engineer-{number}_{req}",
        "locationsText": "US, CA, Santa Clara" if number % 7 else "3 Locations",
        "postedOn": f"Posted {day + number % 30} Days Ago",
        "remoteType": ("Flex", "Remote", "On-Site", "Hybrid (Remote & On-site)")[number % 4],
        "timeType": "Full time" if number % 3 else "Part time",
        "bulletFields": [req],
    }


class Tenant:
    def __init__(self, size: int, latency: float = 0.0):
        self.latency = latency  # seconds per request, as a real host takes
        self.numbers = list(range(size))
        self.titles: dict[int, str] = {}
        self.day = 0
        self.asked: Counter[str] = Counter()
        self.lock = threading.Lock()

    def rows(self, time_type: str | None) -> list[dict[str, Any]]:
        found = []
        for number in self.numbers:
            item = row(number, self.day)
            if number in self.titles:
                item["title"] = self.titles[number]
            if time_type is None or item["timeType"] == time_type:
                found.append(item)
        return found

    def page(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if body.get("limit", 0) > 20:
            return 400, {"errorCode": "HTTP_400", "httpStatus": 400}
        chosen = (body.get("appliedFacets") or {}).get("timeType")
        listed = self.rows(chosen[0] if chosen else None)[:2000]
        offset = body.get("offset", 0)
        offset = 0 if offset >= 2000 else offset
        answer: dict[str, Any] = {
            "total": len(listed) if offset == 0 else 0,
            "jobPostings": listed[offset : offset + 20],
        }
        if offset == 0 and not chosen:
            counts = Counter(item["timeType"] for item in self.rows(None))
            values = [{"descriptor": k, "id": k, "count": n} for k, n in sorted(counts.items())]
            answer["facets"] = [{"facetParameter": "timeType", "values": values}]
        return 200, answer

    def detail(self, path: str) -> tuple[int, dict[str, Any]]:
        number = int(path.rsplit("_JR", 1)[-1]) - 100000
        if number not in self.numbers:
            return 404, {"errorCode": "HTTP_404"}
        info = {
            "title": self.titles.get(number, f"Engineer {number}"),
            "location": "US, CA, Santa Clara",
            "additionalLocations": ["US, WA, Seattle"],
            "startDate": "2026-09-29",
            "timeType": "Full time",
            "canApply": True,
            "jobRequisitionLocation": {"country": {"alpha2Code": "US"}},
        }
        return 200, {"jobPostingInfo": info, "hiringOrganization": {"name": "Acme Corporation"}}


def serve(tenant: Tenant) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, answer: dict[str, Any]) -> None:
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # a detail alerts stopped waiting for: its time for details ran out

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            time.sleep(tenant.latency)
            with tenant.lock:
                tenant.asked["list"] += 1
                self._send(*tenant.page(body))

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(tenant.latency)
            with tenant.lock:
                tenant.asked["detail"] += 1
                self._send(*tenant.detail(self.path[len(CXS) :]))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def poll(alerts_src: Path, config: Path, tenant: Tenant) -> dict[str, Any]:
    before = Counter(tenant.asked)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "alerts", "run", "--once", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=config.parent,
        env={"PYTHONPATH": str(alerts_src), "PATH": "/usr/bin:/bin"},
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"alerts run --once failed: {result.stderr[-2000:]}")
    asked = tenant.asked - before
    events = next((line for line in result.stdout.splitlines() if "boards polled" in line), "")
    waiting = re.search(r"(\d+) new postings wait for their details", result.stderr)
    return {
        "list": asked["list"],
        "detail": asked["detail"],
        "wall": wall,
        "summary": events,
        "waiting": int(waiting[1]) if waiting else 0,
    }


def write_config(workdir: Path, name: str, port: int, deadline: str | None = None) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / f"workday-{name}.toml"
    database = workdir / f"workday-{name}.db"
    database.unlink(missing_ok=True)
    config.write_text(
        f'[database]\nurl = "sqlite:///{database}"\n'
        f"[sources.workday]\n"
        f'base_url = "http://127.0.0.1:{port}/wday/cxs/{{tenant}}/{{site}}"\n'
        '[channels.out]\nurl = "console://"\n'
        '[[subscriptions]]\nname = "all"\nboards = ["workday:acme.wd5/Careers"]\nchannels = ["out"]\n'
        + (f'[polling]\nboard_deadline = "{deadline}"\n' if deadline else "")
    )
    return config


def run_tenant(alerts_src: Path, workdir: Path, size: int, new: int, retitled: int) -> list[dict[str, Any]]:
    tenant = Tenant(size)
    server = serve(tenant)
    config = write_config(workdir, str(size), server.server_address[1])
    rounds = []
    try:
        rounds.append({"round": "first poll (baseline)", **poll(alerts_src, config, tenant)})
        tenant.day += 1  # a day later: every relative date moved on, nothing else
        rounds.append({"round": "steady (a day later)", **poll(alerts_src, config, tenant)})
        tenant.numbers += list(range(size, size + new))
        for number in range(retitled):
            tenant.titles[number] = f"Senior Engineer {number}"
        rounds.append({"round": f"{new} opened, {retitled} retitled", **poll(alerts_src, config, tenant)})
        rounds.append({"round": "steady again", **poll(alerts_src, config, tenant)})
    finally:
        server.shutdown()
        server.server_close()
    for item in rounds:
        item["postings"] = len(tenant.numbers)
        item["size"] = size
        item["changed"] = new + retitled
    return rounds


def run_slow(
    alerts_src: Path, workdir: Path, size: int, latency: float, deadline: str
) -> list[dict[str, Any]]:
    """A first poll of a slow tenant, then polls until nothing waits (at most 8)."""
    tenant = Tenant(size, latency)
    server = serve(tenant)
    config = write_config(workdir, f"{size}-slow", server.server_address[1], deadline)
    rounds = []
    try:
        for number in range(1, 9):
            item = poll(alerts_src, config, tenant)
            rounds.append({"round": f"poll {number}", **item})
            if not item["waiting"] and not item["detail"]:
                break
    finally:
        server.shutdown()
        server.server_close()
    for item in rounds:
        item.update(postings=size, size=size, latency=latency, deadline=deadline)
    return rounds


def workday_scenario(alerts_src: Path, workdir: Path, smoke: bool = False) -> list[dict[str, Any]]:
    sizes = [(60, 3, 2)] if smoke else [(2000, 20, 5), (2500, 20, 5)]
    rounds = [
        item for size, new, retitled in sizes for item in run_tenant(alerts_src, workdir, size, new, retitled)
    ]
    slow = (30, 0.05, "1s") if smoke else (2000, 0.3, "2m")
    return rounds + run_slow(alerts_src, workdir, *slow)


def table(rounds: list[dict[str, Any]]) -> str:
    lines = [
        "### Workday tenant (scenario w): requests per poll, counted at the server",
        "",
        "| tenant | poll | list requests | detail requests | detail requests per new or changed posting | wall s (whole `run --once`) |",
        "|---|---|---|---|---|---|",
    ]
    for item in rounds:
        if "latency" in item:
            continue
        per = f"{item['detail'] / item['changed']:.2f}" if "opened" in item["round"] else ""
        tenant = f"{item['size']:,} postings" + (" (over the cap: by facet)" if item["size"] > 2000 else "")
        lines.append(
            f"| {tenant} | {item['round']} | {item['list']} | {item['detail']} | {per} | {item['wall']:.2f} |"
        )
    slow = [item for item in rounds if "latency" in item]
    if slow:
        lines += [
            "",
            "### Workday tenant with latency: a large first poll within board_deadline",
            "",
            "| tenant | poll | list requests | detail requests | postings waiting | cycle summary | wall s |",
            "|---|---|---|---|---|---|---|",
        ]
        for item in slow:
            tenant = (
                f"{item['size']:,} postings, {item['latency']} s a request, board_deadline {item['deadline']}"
            )
            lines.append(
                f"| {tenant} | {item['round']} | {item['list']} | {item['detail']} | {item['waiting']} "
                f"| {item['summary']} | {item['wall']:.2f} |"
            )
    return "\n".join(lines)
