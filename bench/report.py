"""Results -> Markdown tables, ratios first, with the issue's targets beside them."""

from __future__ import annotations

import pstats
from typing import Any

CYCLE_OVER_FLOOR_MAX = 1.5
URLWATCH_OVER_CYCLE_MIN = 2.5
LINEAR_10X_MAX = 11.0
RSS_1M_MAX_MB = 500.0


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _ok(good: bool | None) -> str:
    return "" if good is None else (" ✓" if good else " ✗")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _uw(result: dict[str, Any], key: str = "urlwatch") -> dict[str, Any] | None:
    return result.get(key) if result.get(key) else None


def cycle_tables(results: list[dict[str, Any]]) -> str:
    rows, res_rows, quiet_rows, first_rows = [], [], [], []
    for r in results:
        s, cyc, flo, uw = r["scenario"], r["cycle"], r["floor"], _uw(r)
        name = f"{s['name']} ({r['db']})"
        over_floor = _ratio(cyc["wall"], flo["wall"])
        uw_over = _ratio(uw["wall"], cyc["wall"]) if uw else None
        ev = r["events"]
        events = sum(v for k, v in ev.items() if k != "deliveries")
        rows.append(
            [
                name,
                f"{s['boards']}×{s['postings']}",
                f"{s['subscriptions']:,}",
                f"{events:,}",
                f"{_f(cyc['wall'])} / {_f(cyc['cpu'])}",
                f"{_f(flo['wall'])} / {_f(flo['cpu'])}",
                f"{_f(uw['wall'])} / {_f(uw['cpu'])}" if uw else "–",
                _f(over_floor) + _ok(over_floor <= CYCLE_OVER_FLOOR_MAX if over_floor else None),
                _f(_ratio(cyc["cpu"], flo["cpu"])),
                _f(uw_over) + _ok(uw_over >= URLWATCH_OVER_CYCLE_MIN if uw_over else None),
            ]
        )
        sql = r["sql"]["statements"]
        secs = r["sql"]["seconds"]
        server = cyc["server"]
        per_board = server["board_requests"] / s["boards"]
        startup = secs["total"] - sum(secs.get(k, 0.0) for k in ("prepare", "poll", "deliver"))
        res_rows.append(
            [
                name,
                f"{_f(cyc['rss_mb'], 0)} / {_f(flo['rss_mb'], 0)} / {_f(uw['rss_mb'], 0) if uw else '–'}",
                f"{per_board:.2f} (max {server['max_per_board']})"
                + _ok(server["max_per_board"] == 1 and per_board == 1),
                f"{uw['server']['board_requests'] / s['boards']:.2f}" if uw else "–",
                f"{sql.get('poll', 0):,} / {sql.get('deliver', 0):,}",
                _f(sql.get("poll", 0) / s["boards"], 1),
                f"{ev.get('deliveries', 0):,} rows, {server['hook_posts']:,} sends",
                f"{_f(startup)} / {_f(secs.get('prepare'))} / {_f(secs.get('poll'))} / {_f(secs.get('deliver'))}",
                _f(_ratio(secs.get("poll"), r.get("floor_seconds"))),
                _f(r["sql"].get("gc", {}).get("seconds")),
            ]
        )
        base, ub = r["baseline"], _uw(r, "urlwatch_baseline")
        outcome = (
            "ok"
            if not base.get("code")
            else f"**failed** (exit {base['code']}): `{base.get('error', '')[-160:]}`"
        )
        if r.get("baseline_fallback"):
            outcome += "; finished with a one-subscription config"
        first_rows.append(
            [
                name,
                f"{_f(base['wall'])} / {_f(base['cpu'])}",
                _f(base["rss_mb"], 0),
                outcome,
                f"{_f(ub['wall'])} / {_f(ub['cpu'])}" if ub else "–",
            ]
        )
        q = r["unchanged"]
        qc, qf, qu = q["cycle"], q["floor"], q.get("urlwatch")
        n304 = int(qc["server"]["status"].get("304", 0))
        quiet_rows.append(
            [
                name,
                f"{n304}/{qc['server']['board_requests']}" + _ok(n304 == qc["server"]["board_requests"]),
                f"{_f(qc['wall'])} / {_f(qc['cpu'])}",
                f"{_f(qf['wall'])} / {_f(qf['cpu'])}",
                f"{_f(qu['wall'])} / {_f(qu['cpu'])}" if qu else "–",
                _f(_ratio(qc["wall"], qf["wall"])),
                _f(_ratio(qu["wall"], qc["wall"])) if qu else "–",
            ]
        )
    out = [
        "### Steady cycle (one churn round; wall / CPU seconds, whole process)",
        "",
        _table(
            [
                "scenario",
                "boards×postings",
                "subs",
                "events",
                "alerts run --once",
                "floor",
                "urlwatch",
                "cycle/floor wall (≤1.5)",
                "cycle/floor CPU",
                "urlwatch/cycle wall (≥2.5)",
            ],
            rows,
        ),
        "",
        "### Resources and round trips per steady cycle",
        "",
        _table(
            [
                "scenario",
                "peak RSS MB alerts / floor / urlwatch",
                "alerts requests per board",
                "urlwatch requests per board",
                "SQL statements poll / deliver",
                "SQL per board (poll)",
                "outbox",
                "seconds startup / prepare / poll / deliver",
                "poll / floor in-process",
                "cyclic GC s",
            ],
            res_rows,
        ),
        "",
        "### Nothing changed since the last poll (304 steady state)",
        "",
        _table(
            [
                "scenario",
                "alerts 304s",
                "alerts wall / CPU",
                "floor (If-None-Match)",
                "urlwatch",
                "cycle/floor wall",
                "urlwatch/cycle wall",
            ],
            quiet_rows,
        ),
        "",
        "### First cycle (baseline: every posting stored, nothing announced)",
        "",
        _table(["scenario", "alerts wall / CPU", "peak RSS MB", "result", "urlwatch first run"], first_rows),
    ]
    return "\n".join(out)


def growth_table(small: dict[str, Any], large: dict[str, Any]) -> str:
    """How each number grows from the small scale point to the large one."""

    def metrics(r: dict[str, Any]) -> dict[str, float | None]:
        uw = _uw(r)
        return {
            "alerts wall s": r["cycle"]["wall"],
            "alerts CPU s": r["cycle"]["cpu"],
            "floor wall s": r["floor"]["wall"],
            "urlwatch wall s": uw["wall"] if uw else None,
            "cycle/floor wall": _ratio(r["cycle"]["wall"], r["floor"]["wall"]),
            "urlwatch/cycle wall": _ratio(uw["wall"], r["cycle"]["wall"]) if uw else None,
            "alerts peak RSS MB": r["cycle"]["rss_mb"],
            "SQL statements (poll)": float(r["sql"]["statements"].get("poll", 0)),
            "poll phase s": r["sql"]["seconds"].get("poll"),
            "deliver phase s": r["sql"]["seconds"].get("deliver"),
        }

    a, b = metrics(small), metrics(large)
    sa, sb = small["scenario"], large["scenario"]
    head = [
        "metric",
        f"{sa['boards']} boards, {sa['subscriptions']:,} subs",
        f"{sb['boards']} boards, {sb['subscriptions']:,} subs",
        "growth",
    ]
    rows = [[k, _f(a[k]), _f(b[k]), _f(_ratio(b[k], a[k])) + "x"] for k in a]
    return f"### Growth from {sa['boards']} to {sb['boards']} boards\n\n" + _table(head, rows)


def reconcile_table(points: list[dict[str, Any]]) -> str:
    rows = []
    by_db: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for p in points:
        by_db.setdefault((p["db"], p["per_board"]), []).append(p)
        c = p["churn"]
        rows.append(
            [
                p["db"],
                f"{p['postings']:,}",
                f"{p['boards']:,}×{p['per_board']}",
                _f(c["apply_seconds"]),
                _f(c["apply_seconds"] / p["postings"] * 1e6, 1),
                _f(c["wall"]),
                _f(c["rss_mb"], 0) + _ok(c["rss_mb"] < RSS_1M_MAX_MB if p["postings"] >= 1_000_000 else None),
                f"{c['statements']:,}",
                f"{c['events']:,}",
                _f(p["seed"]["apply_seconds"]),
            ]
        )
    out = [
        "### Reconcile alone (store.snapshots.apply per board, 1% churn; churn round in its own process)",
        "",
        _table(
            [
                "db",
                "stored postings",
                "boards",
                "apply s",
                "µs per posting",
                "process wall s",
                "peak RSS MB (<500 at 1M)",
                "SQL statements",
                "events",
                "seed (baseline) s",
            ],
            rows,
        ),
    ]
    for (db, per_board), pts in by_db.items():
        pts = sorted(pts, key=lambda p: p["postings"])
        if len(pts) >= 2:
            lo, hi = pts[0], pts[-1]
            ratio = _ratio(hi["churn"]["apply_seconds"], lo["churn"]["apply_seconds"])
            size = hi["postings"] / lo["postings"]
            limit = LINEAR_10X_MAX * size / 10
            out.append(
                f"\n{db}, {per_board:,} postings per board: {size:.0f}x the postings cost {_f(ratio)}x the time"
                f" (target ≤ {limit:.1f}x){_ok(ratio <= limit if ratio else None)}"
            )
    return "\n".join(out)


# Threads waiting for work or I/O: time spent here is idle, not cost.
_IDLE = (
    "'get' of '_queue.SimpleQueue'",
    "'poll' of 'select.epoll'",
    "'acquire' of '_thread.lock'",
    "'select' of 'select.epoll'",
    "method 'control' of 'select.kqueue'",
)


def _where(file: str, line: int, func: str) -> str:
    for marker in ("site-packages/", "/lib/python3.11/", "/lib/python3.12/"):
        file = file.split(marker)[-1]
    if "/alerts/" in file:
        file = "alerts/" + file.split("/alerts/")[-1]
    return f"`{func}`" if file == "~" else f"`{file}:{line} {func}`"


def profile_summary(path: str, limit: int = 20) -> str:
    """Where one cycle's CPU went: busiest functions by own time (idle waits
    left out), then the product's functions by cumulative time."""
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    busy = {k: v for k, v in stats.items() if not any(idle in k[2] for idle in _IDLE)}
    total = sum(v[2] for v in busy.values()) or 1.0
    own = sorted(busy.items(), key=lambda kv: kv[1][2], reverse=True)[:limit]
    rows = [[_where(*key), f"{nc:,}", _f(tt), f"{tt / total:.0%}", _f(ct)] for key, (_, nc, tt, ct, _) in own]
    ours = sorted(
        ((k, v) for k, v in busy.items() if "/alerts/" in k[0]), key=lambda kv: kv[1][3], reverse=True
    )
    mine = [
        [_where(*key), f"{nc:,}", _f(tt), _f(ct), f"{ct / total:.0%}"]
        for key, (_, nc, tt, ct, _) in ours[:limit]
    ]
    return "\n".join(
        [
            f"Busy CPU in the profile: {total:.2f} s (profiling overhead included). Own time:",
            "",
            _table(["function", "calls", "own s", "share", "cumulative s"], rows),
            "",
            "Product functions by cumulative time (a thread's work counts in its own thread only):",
            "",
            _table(["function", "calls", "own s", "cumulative s", "share of busy"], mine),
        ]
    )
