"""Run the benchmark suite and print Markdown tables.

    python bench/run.py --scenario all          # s100, a, b and c (about 15 minutes)
    python bench/run.py --scenario a,c          # some of them
    python bench/run.py --smoke                 # seconds; no thresholds (CI)
    python bench/run.py --alerts-ref HEAD~2     # measure another commit's alerts

Scenarios: s100 (100 boards x 100 postings, 1,000 subscriptions), a (200 x 100,
500 subscriptions), b (1,000 x 100, 10,000 subscriptions), c (reconcile alone,
100,000 and 1,000,000 stored postings, SQLite and PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report  # noqa: E402
from bench.databases import DEFAULT_POSTGRES_URL  # noqa: E402
from bench.endtoend import Bench, Scenario  # noqa: E402
from bench.measure import REPO  # noqa: E402
from bench.reconcile_bench import reconcile_scenario  # noqa: E402
from bench.workday_bench import table as workday_table  # noqa: E402
from bench.workday_bench import workday_scenario  # noqa: E402

SCENARIOS: dict[str, Scenario] = {
    "s100": Scenario("s100", boards=100, postings=100, subscriptions=1_000, channels=100),
    "a": Scenario("a", boards=200, postings=100, subscriptions=500, channels=50),
    "b": Scenario("b", boards=1_000, postings=100, subscriptions=10_000, channels=1_000, repeat=2),
}
SMOKE = Scenario("smoke", boards=6, postings=20, subscriptions=12, channels=3, repeat=1, urlwatch=False)
RECONCILE_SIZES = [100_000, 1_000_000]
SMOKE_RECONCILE_SIZES = [1_000, 10_000]


def alerts_source(src: str | None, ref: str | None) -> tuple[Path, str]:
    """Where `alerts` is imported from, and a label naming it."""
    if ref:
        sha = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", ref], check=True, capture_output=True, text=True
        ).stdout.strip()
        target = Path(f"/tmp/bench-alerts-{sha}")
        if not (target / "alerts").exists():
            target.mkdir(parents=True, exist_ok=True)
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", sha], check=True, capture_output=True
            )
            subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        return target, f"commit {sha}"
    path = Path(src).resolve() if src else REPO
    label = str(path)
    if path == REPO:
        sha = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "alerts"], capture_output=True, text=True
        ).stdout.strip()
        label = f"working tree at {sha}" + (" (modified)" if dirty else "")
    return path, label


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, load {load:.1f} at start"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scenario", default="all", help="all (s100, a, b, c), or a comma list of: s100, a, b, c, w"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds; for CI (no thresholds)")
    parser.add_argument("--alerts-src", help="directory holding the alerts package (default: this repo)")
    parser.add_argument("--alerts-ref", help="git ref to measure instead (exported under /tmp)")
    parser.add_argument("--db", default="sqlite", help="database(s) for s100/a/b: sqlite,postgresql")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    parser.add_argument("--repeat", type=int, help="steady rounds measured per scenario (median)")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="cpu",
        choices=("cpu", "wall"),
        help="cProfile one steady cycle per scenario (clock: cpu, the default, or wall)",
    )
    parser.add_argument("--no-urlwatch", action="store_true")
    parser.add_argument(
        "--per-board",
        type=int,
        default=100,
        help="scenario c: postings per board (10000 puts 1M postings on 100 boards)",
    )
    parser.add_argument("--c-db", help="scenario c databases (default sqlite,postgresql; smoke: sqlite)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench-work"))
    parser.add_argument("--json", type=Path, help="also write every raw number here")
    parser.add_argument(
        "--render",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="run nothing: print the tables of earlier --json files, merged",
    )
    args = parser.parse_args(argv)
    if args.render:
        print(render(merge([json.loads(path.read_text()) for path in args.render])))
        return 0

    alerts_src, label = alerts_source(args.alerts_src, args.alerts_ref)
    names = ["s100", "a", "b", "c"] if args.scenario == "all" else args.scenario.split(",")
    if args.smoke:  # every end-to-end scenario shrinks to one tiny one; c to small sizes
        names = (["smoke"] if set(names) - {"c", "w"} else []) + [n for n in ("c", "w") if n in names]
    dbs = args.db.split(",")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: dict[str, Any] = {"started": started, "machine": machine(), "alerts": label, "cycles": []}
    print(f"alerts: {label}; {results['machine']}", file=sys.stderr)

    if "w" in names:
        print("scenario w (Workday tenant) ...", file=sys.stderr, flush=True)
        results["workday"] = workday_scenario(alerts_src, args.workdir, smoke=args.smoke)
    for name in names:
        if name in ("c", "w"):
            continue
        scenario = SMOKE if name == "smoke" else SCENARIOS[name]
        scenario = replace(
            scenario,
            profile=bool(args.profile) or scenario.profile,
            profile_clock=args.profile or scenario.profile_clock,
            urlwatch=scenario.urlwatch and not args.no_urlwatch,
            repeat=args.repeat or scenario.repeat,
        )
        for db in dbs:
            print(f"scenario {name} on {db} ...", file=sys.stderr, flush=True)
            bench = Bench(scenario, alerts_src=alerts_src, workdir=args.workdir, db=db, seed=args.seed)
            try:
                results["cycles"].append(bench.run())
            except Exception as exc:  # one scenario failing must not lose the others
                print(f"scenario {name} on {db} failed: {exc}", file=sys.stderr, flush=True)
                results.setdefault("failed", []).append(f"{name} ({db}): {str(exc)[-400:]}")
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
    if "c" in names:
        c_dbs = (
            args.c_db.split(",") if args.c_db else (["sqlite"] if args.smoke else ["sqlite", "postgresql"])
        )
        print(f"scenario c on {', '.join(c_dbs)} ...", file=sys.stderr, flush=True)
        results["reconcile"] = reconcile_scenario(
            sizes=SMOKE_RECONCILE_SIZES if args.smoke else RECONCILE_SIZES,
            dbs=c_dbs,
            postings=args.per_board,
            churn=0.01,
            seed=args.seed,
            alerts_src=alerts_src,
            workdir=args.workdir,
            postgres_url=args.postgres_url,
        )

    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    print(render(results))
    return 0


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several runs' results as one (each run's header kept)."""
    return {
        "started": ", ".join(dict.fromkeys(r["started"] for r in runs)),
        "machine": "; ".join(dict.fromkeys(r["machine"] for r in runs)),
        "alerts": "; ".join(dict.fromkeys(r["alerts"] for r in runs)),
        "cycles": [c for r in runs for c in r.get("cycles", [])],
        "reconcile": [p for r in runs for p in r.get("reconcile", [])],
        "failed": [f for r in runs for f in r.get("failed", [])],
        "workday": [w for r in runs for w in r.get("workday", [])],
    }


def render(results: dict[str, Any]) -> str:
    parts = [
        f"## Benchmark run {results['started']}",
        "",
        f"alerts: {results['alerts']}; machine: {results['machine']}",
        "",
    ]
    if results.get("workday"):
        parts += [workday_table(results["workday"]), ""]
    cycles = results["cycles"]
    if cycles:
        parts += [report.cycle_tables(cycles), ""]
        by_name = {r["scenario"]["name"]: r for r in cycles}
        if "s100" in by_name and "b" in by_name:
            parts += [report.growth_table(by_name["s100"], by_name["b"]), ""]
        for r in cycles:
            where = f"{r['scenario']['name']} ({r['db']})"
            if r.get("profile_file"):
                parts += [
                    f"### Profile of one steady cycle, {where}",
                    "",
                    report.profile_summary(r["profile_file"]),
                    "",
                ]
            elif r.get("profiled"):
                parts += [f"The profiled cycle of {where} failed: `{r['profiled'].get('error', '')}`", ""]
    if results.get("reconcile"):
        parts += [report.reconcile_table(results["reconcile"]), ""]
    for failure in results.get("failed", []):
        parts += [f"**Scenario failed**: {failure}", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
