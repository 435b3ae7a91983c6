"""Scenarios (a), (b) and the 100-board scale point: the real `alerts run --once`
against the bench server, beside the floor and urlwatch, in one run.

Rounds (the server's churn rounds; each poller sees every round in turn):
  0        baseline for alerts and urlwatch (first runs, reported apart)
  1        warm-up: first misses recorded
  2..      measured steady rounds (`repeat` of them; medians): alerts, floor,
           urlwatch, each on the same bytes, server counts reset before each
  next     alerts under bench.hook: SQL statements and time per phase
  (next)   alerts under bench.hook with cProfile, when profiling
  same     304 steady state: nothing changed since the last poll (alerts polls
           once more first, to settle misses); alerts, the floor with
           If-None-Match, urlwatch
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import measure, urlwatcher
from bench.boards import Universe
from bench.configgen import board_urls, write_config
from bench.databases import database

# A first cycle that takes longer than this is recorded as failed.
BASELINE_TIMEOUT_SECONDS = 900.0


@dataclass(frozen=True)
class Scenario:
    name: str
    boards: int
    postings: int
    subscriptions: int
    channels: int
    churn: float = 0.03
    repeat: int = 3
    text_bytes: int = 600
    urlwatch: bool = True
    profile: bool = False
    profile_clock: str = "cpu"  # or "wall": see bench.hook


@dataclass
class Measured:
    wall: float
    cpu: float
    rss_mb: float
    server: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    code: int = 0
    error: str = ""


def _median(runs: list[Measured]) -> Measured:
    return Measured(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.rss_mb for r in runs),
        runs[-1].server,
        runs[-1].note,
    )


class Bench:
    def __init__(self, scenario: Scenario, *, alerts_src: Path, workdir: Path, db: str, seed: int):
        self.s = scenario
        self.alerts_src = alerts_src
        self.work = workdir / f"{scenario.name}-{db}"
        self.db = db
        self.seed = seed
        self.env = measure.child_env(alerts_src)
        self.universe = Universe(
            seed, scenario.boards, scenario.postings, scenario.churn, scenario.text_bytes
        )

    # -- one measured step each -------------------------------------------
    def _measured(
        self,
        argv: list[str],
        env: dict[str, str] | None = None,
        out: Path | None = None,
        check: bool = True,
        timeout: float = 3600.0,
    ) -> Measured:
        self.server.reset()
        run = measure.run(argv, env=env or self.env, cwd=self.work, stdout_path=out, timeout=timeout)
        if run.code != 0 and check:
            raise RuntimeError(f"{argv[:4]} exited {run.code}:\n{run.stderr[-3000:]}")
        error = _last_error(run.stderr) if run.code else ""
        return Measured(
            run.wall, run.cpu, run.rss_mb, self.server.stats(), run.stdout.strip()[-300:], run.code, error
        )

    def alerts(
        self,
        *,
        hook_out: Path | None = None,
        profile: Path | None = None,
        config: Path | None = None,
        check: bool = True,
    ) -> Measured:
        base = [measure.python(), "-m"]
        args = ["run", "--once", "--config", str(config or self.config)]
        if hook_out is None and profile is None:
            return self._measured(base + ["alerts"] + args, check=check, timeout=BASELINE_TIMEOUT_SECONDS)
        extra = {"BENCH_HOOK_OUT": str(hook_out)} if hook_out else {}
        if profile:
            extra["BENCH_PROFILE"] = str(profile)
            extra["BENCH_PROFILE_CLOCK"] = self.s.profile_clock
        env = measure.child_env(self.alerts_src, **extra)
        return self._measured(base + ["bench.hook"] + args, env, check=check)

    def floor(self, etags_in: Path | None = None, etags_out: Path | None = None) -> Measured:
        argv = [measure.python(), "-m", "bench.floor", str(self.urls_file)]
        if etags_in:
            argv += ["--etags-in", str(etags_in)]
        if etags_out:
            argv += ["--etags-out", str(etags_out)]
        return self._measured(argv)

    def urlwatch(self) -> Measured | None:
        if not self.s.urlwatch:
            return None
        env = {**self.env, "HOME": str(self.work), "XDG_CONFIG_HOME": str(self.work / "xdg")}
        return self._measured(self.urlwatch_argv, env, out=self.work / "urlwatch-report.txt")

    # -- the whole scenario --------------------------------------------------
    def run(self) -> dict[str, Any]:
        s = self.s
        self.work.mkdir(parents=True, exist_ok=True)
        with (
            database(self.db, self.work) as db_url,
            measure.BoardServer(
                boards=s.boards,
                postings=s.postings,
                seed=self.seed,
                churn=s.churn,
                text_bytes=s.text_bytes,
                alerts_src=self.alerts_src,
                cwd=self.work,
            ) as self.server,
        ):
            self.config = self.work / "alerts.toml"
            write_config(
                self.config,
                self.universe,
                subscriptions=s.subscriptions,
                channels=s.channels,
                database_url=db_url,
                server_base=self.server.base,
                seed=self.seed,
            )
            self.light_config = self.work / "baseline.toml"
            write_config(
                self.light_config,
                self.universe,
                subscriptions=1,
                channels=s.channels,
                database_url=db_url,
                server_base=self.server.base,
                seed=self.seed,
                one_subscription=True,
            )
            urls = board_urls(self.universe, self.server.base)
            self.urls_file = self.work / "urls.txt"
            self.urls_file.write_text("\n".join(urls))
            if s.urlwatch:
                exe = urlwatcher.ensure_venv()
                files = urlwatcher.write_files(self.work / "urlwatch", urls)
                files[2].unlink(missing_ok=True)
                self.urlwatch_argv = urlwatcher.argv(exe, *files)
            return self._rounds()

    def _rounds(self) -> dict[str, Any]:
        s, out = self.s, {"scenario": asdict(self.s), "db": self.db}
        round_info = self.server.round(0)
        out["bytes_per_round"] = round_info["bytes"]
        baseline = self.alerts(check=False)
        out["baseline"] = asdict(baseline)
        if baseline.code != 0:
            # The real config could not baseline every board; state is state,
            # whoever asked for it, so finish the baseline with one subscription.
            out["baseline_fallback"] = asdict(self.alerts(config=self.light_config))
        uw = self.urlwatch()
        out["urlwatch_baseline"] = asdict(uw) if uw else None
        self.server.round(1)
        self.alerts()
        self.urlwatch()
        cycles, floors, watches = [], [], []
        round_no = 1
        for _ in range(s.repeat):
            round_no += 1
            self.server.round(round_no)
            cycles.append(self.alerts())
            floors.append(self.floor())
            uw = self.urlwatch()
            if uw:
                watches.append(uw)
        out["cycle"] = asdict(_median(cycles))
        out["floor"] = asdict(_median(floors))
        out["floor_seconds"] = statistics.median(json.loads(f.note)["seconds"] for f in floors)
        out["urlwatch"] = asdict(_median(watches)) if watches else None
        out["events"] = _events(cycles[-1].note)
        round_no += 1
        self.server.round(round_no)
        hook_file = self.work / "hook.json"
        out["hooked"] = asdict(self.alerts(hook_out=hook_file))
        out["sql"] = json.loads(hook_file.read_text())
        self.urlwatch()  # keeps urlwatch's cache (and ETags) on this round too
        if s.profile:
            round_no += 1
            self.server.round(round_no)
            profile = self.work / "cycle.pstats"
            # Profiling slows the cycle several times over: a cycle that then
            # fails (SQLite's lock timeout) is recorded, not fatal.
            profiled = self.alerts(profile=profile, check=False)
            out["profiled"] = asdict(profiled)
            if profiled.code == 0:
                out["profile_file"] = str(profile)
            self.urlwatch()
        # Settle: misses from the last churn round close now, so the measured
        # poll below sees a board with nothing left to do.
        self.alerts()
        etags = self.work / "etags.json"
        self.floor(etags_out=etags)
        out["unchanged"] = {
            "cycle": asdict(self.alerts()),
            "floor": asdict(self.floor(etags_in=etags)),
            "urlwatch": asdict(uw) if (uw := self.urlwatch()) else None,
        }
        return out


_ERROR_LINE = re.compile(r"^[\w.]*(Error|Exception)\b.*")


def _last_error(stderr: str) -> str:
    """The exception line of a traceback (or the last line), shortened."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    found = [line for line in lines if _ERROR_LINE.match(line) or line.startswith("error:")]
    return (found or lines or [""])[-1][-300:]


_EVENT = re.compile(r"(\d+) (opened|updated|closed|reopened)")


def _events(summary: str) -> dict[str, int]:
    """Event counts from `alerts run --once`'s summary line."""
    counts = {kind: int(n) for n, kind in _EVENT.findall(summary)}
    sent = re.search(r"(\d+) deliveries sent", summary)
    counts["deliveries"] = int(sent.group(1)) if sent else 0
    return counts
