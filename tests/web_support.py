"""A small stored world for `alerts jobs`, status/history, the web page and
the feeds: two boards polled four times over twenty days, written through
the real store (reconcile, events, outbox rows), with times relative to now
because the commands read the wall clock.

    t0 = now-20d  baseline: acme a1 "Platform Engineer", globex g1 "Data Engineer"
    t1 = now-10d  opened: acme a2 "Finance Manager", a3 (hostile title), a4 "Office Manager";
                  globex g2 "Backend Engineer" (posted now-3d)
    t2 = now-5d   updated: a1 title -> "Senior Platform Engineer"; closed: g1
    t3 = now-2d   reopened: g1
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from alerts.config import Config, parse_config
from alerts.filters import route
from alerts.model import BoardRef, Posting
from alerts.store import SentPart, Store

HOSTILE = "<img src=x onerror=alert(1)> Engineer </script><script>alert(2)</script>"
ACME = BoardRef("greenhouse", "acme")
GLOBEX = BoardRef("lever", "globex")

CONFIG = """
[database]
url = "{url}"

[display]
timezone = "{zone}"

[channels.me]
url = "console://"

[[subscriptions]]
name = "engineering"
boards = ["greenhouse:acme", "lever:globex"]
title = ["engineer"]
channels = ["me"]

[[subscriptions]]
name = "finance"
boards = ["greenhouse:acme"]
title = ["finance"]
channels = ["me"]
"""


@dataclass
class World:
    path: Path  # the config file
    config: Config
    now: datetime
    url: str


def posting(board: BoardRef, external_id: str, title: str, **fields: object) -> Posting:
    company = {"acme": "Acme Corp", "globex": "Globex"}[board.token]
    return Posting(
        source=board.source,
        board_token=board.token,
        external_id=external_id,
        title=title,
        company=company,
        url=f"https://jobs.example.com/{board.token}/{external_id}",
        **fields,  # type: ignore[arg-type]
    )


def seed(tmp_path: Path, url: str | None = None, zone: str = "UTC") -> World:
    url = url or f"sqlite:///{tmp_path / 'alerts.db'}"
    path = tmp_path / "alerts.toml"
    path.write_text(CONFIG.format(url=url, zone=zone))
    config = parse_config(path.read_text(), path)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    t0, t1, t2, t3 = (now - timedelta(days=d) for d in (20, 10, 5, 2))

    a1 = posting(
        ACME,
        "a1",
        "Platform Engineer",
        location="London, UK",
        work_model="hybrid",
        salary_min=90000,
        salary_max=120000,
        salary_currency="GBP",
        salary_period="year",
        posted_at=now - timedelta(days=30),
    )
    a2 = posting(
        ACME, "a2", "Finance Manager", location="Remote - US", work_model="remote", department="Finance"
    )
    a3 = posting(ACME, "a3", HOSTILE, location="Springfield", work_model="onsite")
    a4 = posting(ACME, "a4", "Office Manager", location="London, UK", work_model="onsite")
    g1 = posting(GLOBEX, "g1", "Data Engineer", location="Berlin", work_model="onsite")
    g2 = posting(
        GLOBEX,
        "g2",
        "Backend Engineer",
        location="Remote",
        work_model="remote",
        posted_at=now - timedelta(days=3),
    )
    a1_renamed = replace(a1, title="Senior Platform Engineer")

    store = Store(config.database.url)
    try:
        store.upgrade()
        store.boards.sync_boards([ACME, GLOBEX], t0)
        polls = [
            (t0, {ACME: [a1], GLOBEX: [g1]}),
            (t1, {ACME: [a1, a2, a3, a4], GLOBEX: [g1, g2]}),
            (t2, {ACME: [a1_renamed, a2, a3, a4], GLOBEX: [g2]}),
            (t3, {ACME: [a1_renamed, a2, a3, a4], GLOBEX: [g1, g2]}),
        ]
        for when, snapshots in polls:
            for board, snapshot in snapshots.items():
                subs = config.subscriptions_on(board.key)
                store.snapshots.apply(
                    board,
                    snapshot,
                    close_after_misses=1,
                    now=when,
                    route=lambda event, baseline, key=board.key, subs=subs: route(
                        subs, event, key, baseline=baseline
                    ),
                )
        # Everything queued before t3 went out; t3's reopen still waits.
        rows = [d.id for d in store.outbox.open_items("me") if d.event.occurred_at < t3]
        store.sends.record_sent([SentPart(rows, "t", frozenset({"t"}))], t3)
    finally:
        store.close()
    return World(path, config, now, config.database.url)
