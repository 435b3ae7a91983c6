"""The real `alerts` CLI, run with counters: `python -m bench.hook run --once --config FILE`.

Enabled by environment variables, for the bench only (product code is untouched):
  BENCH_HOOK_OUT=FILE   write JSON: SQL statements (a SQLAlchemy
                        before_cursor_execute listener on every Engine) and
                        wall time per phase (prepare, poll, deliver)
  BENCH_PROFILE=FILE    cProfile every thread (the store runs in worker
                        threads) and write merged pstats to FILE, plus a text
                        summary to FILE.txt
  BENCH_PROFILE_CLOCK   "cpu" (default: each thread's CPU time, so threads
                        blocked on a lock or a socket cost nothing) or "wall"
                        (shows where threads wait, e.g. for SQLite's lock)
"""

from __future__ import annotations

import atexit
import cProfile
import gc
import io
import json
import os
import pstats
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

START = time.perf_counter()
_phase = "startup"
_statements: Counter[str] = Counter()
_rows: Counter[str] = Counter()  # parameter sets sent, executemany included
_verbs: Counter[str] = Counter()
_seconds: dict[str, float] = {}
_profilers: list[cProfile.Profile] = []
_gc = {"seconds": 0.0, "collections": [0, 0, 0], "_start": 0.0}


def _gc_timer(phase: str, info: dict[str, Any]) -> None:
    """Time spent in the cyclic garbage collector, and passes per generation."""
    if phase == "start":
        _gc["_start"] = time.perf_counter()
    else:
        _gc["seconds"] += time.perf_counter() - _gc["_start"]
        _gc["collections"][info["generation"]] += 1


def _count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
    _statements[_phase] += 1
    _rows[_phase] += len(parameters) if executemany and parameters is not None else 1
    _verbs[statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"] += 1


def _timed(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        global _phase
        before, _phase = _phase, name
        start = time.perf_counter()
        try:
            return await method(*args, **kwargs)
        finally:
            _seconds[name] = _seconds.get(name, 0.0) + time.perf_counter() - start
            _phase = before

    return wrapper


def _install_timers() -> None:
    from alerts import cycle

    for name in ("prepare", "poll", "deliver"):
        if hasattr(cycle.Cycle, name):
            setattr(cycle.Cycle, name, _timed(name, getattr(cycle.Cycle, name)))


def _write_counts(path: str) -> None:
    _seconds["total"] = time.perf_counter() - START
    report = {
        "statements": dict(_statements),
        "parameter_sets": dict(_rows),
        "verbs": dict(_verbs),
        "seconds": _seconds,
        "gc": {"seconds": _gc["seconds"], "collections": _gc["collections"]},
    }
    with open(path, "w") as out:
        json.dump(report, out)


def _start_profiling(path: str, clock: str) -> None:
    timer = time.thread_time if clock == "cpu" else time.perf_counter

    def per_thread(*_: Any) -> None:
        # The first profile event in a new thread: hand the thread to its own
        # cProfile (each profiler sees only the thread it was enabled in).
        profiler = cProfile.Profile(timer)
        _profilers.append(profiler)
        profiler.enable()

    main = cProfile.Profile(timer)
    _profilers.append(main)
    threading.setprofile(per_thread)
    main.enable()

    def dump() -> None:
        main.disable()
        stats = pstats.Stats(_profilers[0])
        for profiler in _profilers[1:]:
            try:
                stats.add(profiler)
            except TypeError:  # a thread that never recorded a call
                continue
        stats.dump_stats(path)
        text = io.StringIO()
        summary = pstats.Stats(path, stream=text)
        summary.sort_stats("tottime").print_stats(40)
        summary.sort_stats("cumulative").print_stats(r"alerts/", 50)
        with open(path + ".txt", "w") as out:
            out.write(text.getvalue())

    atexit.register(dump)


def main() -> None:
    out = os.environ.get("BENCH_HOOK_OUT")
    profile = os.environ.get("BENCH_PROFILE")
    if out:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", _count)
        gc.callbacks.append(_gc_timer)
        atexit.register(_write_counts, out)
    if profile:
        _start_profiling(profile, os.environ.get("BENCH_PROFILE_CLOCK", "cpu"))
    _install_timers()
    from alerts.cli import main as cli

    cli(prog_name="alerts")


if __name__ == "__main__":
    main()
