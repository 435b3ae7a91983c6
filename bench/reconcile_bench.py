"""Scenario (c): reconcile alone, 100,000 and 1,000,000 stored postings, 1% churn,
on SQLite and PostgreSQL. Seeding and the measured churn round are separate
processes, so the peak RSS reported is the churn round's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import measure
from bench.databases import DEFAULT_POSTGRES_URL, database


def reconcile_point(
    *,
    db: str,
    total: int,
    postings: int,
    churn: float,
    seed: int,
    alerts_src: Path,
    workdir: Path,
    postgres_url: str = DEFAULT_POSTGRES_URL,
) -> dict[str, Any]:
    boards = max(1, total // postings)
    work = workdir / f"reconcile-{db}-{total}"
    env = measure.child_env(alerts_src)
    result: dict[str, Any] = {
        "db": db,
        "postings": boards * postings,
        "boards": boards,
        "per_board": postings,
        "churn": churn,
    }
    with database(db, work, postgres_url) as url:
        base = [
            measure.python(),
            "-m",
            "bench.reconcile_worker",
            "--db",
            url,
            "--boards",
            str(boards),
            "--postings",
            str(postings),
            "--seed",
            str(seed),
            "--churn",
            str(churn),
            "--phase",
        ]
        for phase in ("seed", "churn"):
            run = measure.run(base + [phase], env=env, cwd=work, timeout=7200)
            if run.code != 0:
                raise RuntimeError(f"reconcile {phase} on {db} exited {run.code}:\n{run.stderr[-3000:]}")
            summary = json.loads(run.stdout.strip().splitlines()[-1])
            result[phase] = {"wall": run.wall, "cpu": run.cpu, "rss_mb": run.rss_mb, **summary}
    return result


def reconcile_scenario(
    *,
    sizes: list[int],
    dbs: list[str],
    postings: int,
    churn: float,
    seed: int,
    alerts_src: Path,
    workdir: Path,
    postgres_url: str,
) -> list[dict[str, Any]]:
    return [
        reconcile_point(
            db=db,
            total=total,
            postings=postings,
            churn=churn,
            seed=seed,
            alerts_src=alerts_src,
            workdir=workdir,
            postgres_url=postgres_url,
        )
        for db in dbs
        for total in sizes
    ]
