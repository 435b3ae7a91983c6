"""One phase of scenario (c), in its own process so its peak RSS is its own:
`python -m bench.reconcile_worker --db URL --boards N --postings P --phase seed|churn`.

seed:  create the schema and store every board's first snapshot (its baseline)
       through store.snapshots.apply.
churn: apply round 1 of every board (`churn` of its postings added, removed
       or retitled) through store.snapshots.apply: reconcile, postings, events
       and outbox rows, one board at a time, as a cycle does.

Snapshots are built straight as Posting objects (no HTTP, no JSON): this
measures reconcile and its store writes alone. Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from alerts.model import BoardRef, Posting
from alerts.store import Store
from bench.boards import Universe

_statements: Counter[str] = Counter()


def _count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
    _statements[statement.lstrip().split(None, 1)[0].upper()] += 1


def postings(universe: Universe, board: int, round_no: int) -> list[Posting]:
    kind, token = universe.kind(board), universe.token(board)
    out = []
    for job in universe.state(board, round_no).jobs:
        f = universe.facts(board, job)
        place = f["place"]
        paid = kind != "greenhouse" and f["h"] % 2 == 1
        out.append(
            Posting(
                source=kind,
                board_token=token,
                external_id=str(f["num_id"]) if kind == "greenhouse" else f["uuid"],
                title=f["title"],
                company=token,
                department=f["dept"],
                team=None if kind == "greenhouse" else f["team"],
                location=place[0],
                city=place[1],
                region=place[2],
                country=place[3],
                work_model=place[5],
                employment_type="unknown" if kind == "greenhouse" else "full_time",
                salary_min=float(f["salary"][0]) if paid else None,
                salary_max=float(f["salary"][1]) if paid else None,
                salary_currency="USD" if paid else None,
                salary_period="year" if paid else None,
                url=f"https://jobs.example.com/{token}/{f['uuid']}",
                posted_at=datetime.fromtimestamp(f["created_ms"] / 1000, tz=timezone.utc),
            )
        )
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    universe = Universe(args.seed, args.boards, args.postings, args.churn)
    store = Store(args.db)
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    refs = [BoardRef(universe.kind(b), universe.token(b)) for b in range(args.boards)]
    if args.phase == "seed":
        store.upgrade()
        store.boards.sync_boards(refs, now)
        round_no, routes = 0, {}
    else:
        # Every event of the churn round goes to one channel: outbox rows too.
        round_no, now, routes = args.round, now + timedelta(hours=args.round), {"bench": ["sub"]}

    def route(event: Any, baseline: bool) -> dict[str, list[str]]:
        return routes

    sa.event.listen(store.engine, "before_cursor_execute", _count)
    build = apply = 0.0
    events = 0
    for board, ref in enumerate(refs):
        start = time.perf_counter()
        snapshot = postings(universe, board, round_no)
        middle = time.perf_counter()
        applied = store.snapshots.apply(ref, snapshot, close_after_misses=1, now=now, route=route)
        apply += time.perf_counter() - middle
        build += middle - start
        events += len(applied.events)
    store.close()
    return {
        "phase": args.phase,
        "boards": args.boards,
        "postings": args.boards * args.postings,
        "apply_seconds": apply,
        "build_seconds": build,
        "events": events,
        "statements": sum(_statements.values()),
        "verbs": dict(_statements),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True)
    parser.add_argument("--boards", type=int, required=True)
    parser.add_argument("--postings", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--churn", type=float, default=0.01)
    parser.add_argument("--phase", choices=("seed", "churn"), required=True)
    parser.add_argument(
        "--round", type=int, default=1, help="churn: the round to apply (after the one before)"
    )
    json.dump(run(parser.parse_args(argv)), sys.stdout)
    print()


if __name__ == "__main__":
    main()
