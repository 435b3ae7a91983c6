"""How long migration 0013 (repost keys computed again, repost chains filled)
takes on a database written by 0012: N postings on 100 boards, one `opened`
event each plus a `closed` for a third, and a repost (an `opened` event with
`reposts`) for every 20th posting.

    python bench/migration_0013.py --postings 100000 [--postgres-url URL]

SQLite in a temporary file; PostgreSQL in a schema of its own, dropped
afterwards. Prints seconds; asserts nothing about time, but checks the
chains and keys it wrote."""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from alerts.model import Posting
from alerts.store.engine import make_engine, upgrade
from alerts.store.reposts import repost_key
from alerts.store.tables import boards, events, postings

T0 = datetime(2026, 9, 1, tzinfo=UTC)


def fill(engine: sa.Engine, n: int) -> None:
    upgrade(engine, "0012")
    with engine.begin() as conn:
        ids = (
            conn.execute(
                sa.insert(boards).returning(boards.c.id),
                [
                    {"key": f"lever:c{b}", "source": "lever", "token": f"c{b}", "created_at": T0}
                    for b in range(100)
                ],
            )
            .scalars()
            .all()
        )
    rows, evs = [], []
    for i in range(n):
        board = ids[i % 100]
        p = Posting("lever", f"c{i % 100}", str(i), f"Engineer {i // 20}", department="Eng",
                    location="London", company=f"C{i % 100}")  # fmt: skip
        data = p.to_dict()
        state = "closed" if i % 3 == 0 else "open"
        rows.append({"board_id": board, "external_id": str(i), "data": data, "state": state,
                     "content_hash": p.content_hash, "first_seen_at": T0, "changed_at": T0,
                     "repost_key": "old"})  # fmt: skip
        reposts = None
        if i % 20 == 19:
            reposts = {"board_key": f"lever:c{i % 100}", "external_id": str(i - 100), "url": None,
                       "first_seen_at": T0.isoformat(), "closed_at": None}  # fmt: skip
        evs.append({"board_id": board, "external_id": str(i), "kind": "opened", "changes": {},
                    "posting": data, "occurred_at": T0, "reposts": reposts})  # fmt: skip
        if state == "closed":
            evs.append({"board_id": board, "external_id": str(i), "kind": "closed", "changes": {},
                        "posting": data, "occurred_at": T0, "reposts": None})  # fmt: skip
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(postings), rows[start : start + 5000])
        for start in range(0, len(evs), 5000):
            conn.execute(sa.insert(events), evs[start : start + 5000])


def measure(url: str, n: int) -> float:
    engine = make_engine(url)
    try:
        fill(engine, n)
        start = time.perf_counter()
        upgrade(engine)
        took = time.perf_counter() - start
        with engine.connect() as conn:
            chains = conn.execute(sa.select(sa.func.count()).where(postings.c.chain.is_not(None))).scalar()
            bad = conn.execute(sa.select(sa.func.count()).where(postings.c.repost_key == "old")).scalar()
            (data,) = conn.execute(sa.select(postings.c.data).where(postings.c.external_id == "7")).scalars()
            key = conn.execute(sa.select(postings.c.repost_key).where(postings.c.external_id == "7")).scalar()
        assert chains == n // 20 and bad == 0 and key == repost_key(Posting.from_dict(data)), (chains, bad)
        return took
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    if "sqlite" in args.db:
        with tempfile.TemporaryDirectory() as tmp:
            took = measure(f"sqlite:///{Path(tmp) / 'alerts.db'}", args.postings)
            print(f"sqlite: {args.postings} postings: upgrade 0012 -> head {took:.1f} s")
    if "postgresql" in args.db:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(args.postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = f"{args.postgres_url}?options={quote(f'-csearch_path={schema}')}"
            took = measure(url, args.postings)
            print(f"postgresql: {args.postings} postings: upgrade 0012 -> head {took:.1f} s")
        finally:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
