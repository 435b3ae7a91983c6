"""What the web page and feeds cost at ~100k stored postings (review of the
web server, finding 1): seeds a database through the real store (100 boards
x 1,000 postings, two polls: a baseline, then 5% closed and 5% opened), then
times each page and feed and prints the query plans of the views they read.

    python bench/web_bench.py [--db sqlite|postgresql] [--boards 100] [--postings 1000]

Timings are wall-clock on this machine; no test asserts on them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from alerts.config import parse_config
from alerts.filters import route
from alerts.model import BoardRef, Posting
from alerts.service.web import pages
from alerts.service.web.feeds import atom_feed
from alerts.store import Store

TITLES = ["Backend Engineer", "Data Scientist", "Finance Manager", "Product Designer", "Office Manager"]
CONFIG = """
[database]
url = "{url}"

[channels.me]
url = "console://"

[[subscriptions]]
name = "engineering"
boards = [{boards}]
title = ["engineer"]
channels = ["me"]

[[subscriptions]]
name = "finance"
boards = [{some}]
title = ["finance"]
channels = ["me"]
"""


def seed(url: str, workdir: Path, boards: int, per_board: int) -> tuple[object, datetime]:
    refs = [BoardRef("greenhouse", f"co{n}") for n in range(boards)]
    keys = ", ".join(f'"{r.key}"' for r in refs)
    some = ", ".join(f'"{r.key}"' for r in refs[: max(1, boards // 10)])
    path = workdir / "alerts.toml"
    path.write_text(CONFIG.format(url=url, boards=keys, some=some))
    config = parse_config(path.read_text(), path)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    store = Store(url)
    try:
        store.upgrade()
        store.boards.sync_boards(refs, now - timedelta(days=30))
        for n, ref in enumerate(refs):
            first = [_posting(ref, i) for i in range(per_board)]
            churn = per_board // 20
            second = first[churn:] + [_posting(ref, per_board + i) for i in range(churn)]
            subs = config.subscriptions_on(ref.key)
            for when, snapshot in ((now - timedelta(days=20), first), (now - timedelta(days=2), second)):
                store.snapshots.apply(
                    ref,
                    snapshot,
                    close_after_misses=1,
                    now=when,
                    route=lambda e, b, key=ref.key, subs=subs: route(subs, e, key, baseline=b),
                )
            if n % 10 == 0:
                print(f"  seeded {n + 1}/{boards} boards", file=sys.stderr)
    finally:
        store.close()
    return config, now


def _posting(ref: BoardRef, i: int) -> Posting:
    return Posting(
        source=ref.source,
        board_token=ref.token,
        external_id=str(i),
        title=f"{TITLES[i % len(TITLES)]} {i}",
        company=f"Company {ref.token}",
        location="Remote" if i % 3 else "Berlin",
        url=f"https://jobs.example.com/{ref.token}/{i}",
        department="Engineering" if i % 2 else "Finance",
    )


def timed(what: str, fn, repeat: int = 3) -> None:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    print(f"{what:44s} median {statistics.median(runs) * 1000:8.0f} ms  (min {min(runs) * 1000:.0f})")


def over_http(config, store: Store, now: datetime) -> None:
    """Through the real server: the first /, the next ones (kept), and ten
    at once beside /healthz."""
    import asyncio
    import threading
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from alerts.service.web.app import WebApp
    from alerts.service.web.http import HttpServer

    async def healthy() -> bool:
        return await asyncio.to_thread(store.ping)

    app = WebApp(lambda: config, store, healthy=healthy, listen="127.0.0.1:8080")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    server = HttpServer(f"127.0.0.1:{free}", app)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    port = free

    def get(path: str) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
            response.read()
            return response.status

    def fetch(path: str) -> int:
        try:
            return get(path)
        except urllib.error.HTTPError as exc:
            return exc.code

    import urllib.error

    timed("HTTP / first", lambda: get("/?first"), repeat=1)
    timed("HTTP / asked again (kept)", lambda: get("/?first"), repeat=5)
    with ThreadPoolExecutor(12) as pool:
        started = time.perf_counter()
        crowd = [pool.submit(fetch, f"/?q=word{n}") for n in range(12)]
        time.sleep(0.5)
        health = []
        for _ in range(5):
            t = time.perf_counter()
            get("/healthz")
            health.append(time.perf_counter() - t)
        statuses = [f.result() for f in crowd]
        total = time.perf_counter() - started
    print(
        f"12 different / at once: {sorted(statuses)} in {total:.1f} s; "
        f"/healthz meanwhile: max {max(health) * 1000:.0f} ms"
    )
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
    app.close()
    loop.call_soon_threadsafe(loop.stop)


def plans(store: Store, dialect: str) -> None:
    from alerts.store.tables import boards, events, postings

    queries = {
        "open postings of some boards": sa.select(postings.c.data)
        .join(boards, boards.c.id == postings.c.board_id)
        .where(postings.c.state == "open", boards.c.key.in_(["greenhouse:co1", "greenhouse:co2"])),
        "newest events of some boards": sa.select(events.c.id)
        .join(boards, boards.c.id == events.c.board_id)
        .where(boards.c.key.in_(["greenhouse:co1", "greenhouse:co2"]))
        .order_by(events.c.occurred_at.desc(), events.c.id.desc())
        .limit(500),
        "closed/reopened events (chart)": sa.select(events.c.board_id).where(
            events.c.kind.in_(["closed", "reopened"])
        ),
    }
    explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    with store.db.engine.connect() as conn:
        for name, query in queries.items():
            sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
            print(f"-- {name}")
            for row in conn.execute(sa.text(explain + sql)):
                print("   ", " ".join(str(c) for c in row))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--postings", type=int, default=1000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="web-bench-"))
    schema = None
    if args.db == "sqlite":
        url = f"sqlite:///{workdir / 'alerts.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{args.postgres_url}?options=-csearch_path%3D{schema}"
    try:
        started = time.perf_counter()
        config, now = seed(url, workdir, args.boards, args.postings)
        print(
            f"seeded {args.boards * args.postings * 21 // 20} postings in {time.perf_counter() - started:.0f} s"
        )
        store = Store(url)
        try:
            timed("/ (every subscription)", lambda: pages.index(config, store, {}, now))
            timed(
                "/?subscription=finance", lambda: pages.index(config, store, {"subscription": "finance"}, now)
            )
            timed("/?q=backend", lambda: pages.index(config, store, {"q": "backend"}, now))
            timed("/feeds/all.atom", lambda: atom_feed(config, store, None, "http://x", now))
            timed("/feeds/finance.atom", lambda: atom_feed(config, store, "finance", "http://x", now))
            query = {"board": "greenhouse:co1", "id": "7"}
            timed("/posting", lambda: pages.posting_page(config, store, query, now))
            timed("version token (what a kept page costs)", store.views.version, repeat=5)
            over_http(config, store, now)
            plans(store, args.db)
        finally:
            store.close()
    finally:
        if schema:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
