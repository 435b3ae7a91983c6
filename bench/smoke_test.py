"""The benchmark suite's smoke run, for CI: tiny sizes, no thresholds, well under 30 s.

It checks that the harness and the product still fit together (the server,
the config it writes, `alerts run --once`, the SQL hook, the floor and the
reconcile worker), not how fast anything is. Marked slow: `pytest -m slow`
runs it (CI does), a plain `pytest` leaves it out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_smoke_run_prints_the_tables(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--smoke",
            "--scenario",
            "s100,c,w",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = result.stdout
    for heading in (
        "### Steady cycle",
        "### Resources and round trips",
        "### Nothing changed",
        "### Reconcile alone",
    ):
        assert heading in out, out
    # One request per board per cycle is a property of the harness's counting
    # as much as of the product: a smoke run must see it counted.
    assert "| smoke (sqlite) |" in out
    # The Workday tenant (scenario w): its rows, and a steady poll that asks no detail.
    assert (
        "### Workday tenant (scenario w)" in out and "| 60 postings | steady (a day later) | 3 | 0 |" in out
    )
    assert "### Workday tenant with latency" in out and "(0 failed)" in out and "(1 failed)" not in out
