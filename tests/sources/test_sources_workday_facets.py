"""Workday boards over the 2,000 cap, read one facet value at a time: a facet
read whole shows whether it is a partition (its postings add up to its
count), and a facet that counts a posting under several values (places,
overlapping job families) is no measure of the board's size."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cycle_worlds import Run, Workday, config
from pytest_httpserver import HTTPServer
from test_sources_workday_fetch import BOARD, known
from werkzeug import Request, Response

from alerts.config import load_config
from alerts.service.board_health import board_health
from alerts.sources import FetchContext
from alerts.store import Store

from reach_support import PATIENT_SECONDS, WorkdayTenant, workday_base, workday_row
from sources_support import run_fetch


def test_workday_a_facet_that_counts_a_posting_twice_is_no_true_total(httpserver: HTTPServer) -> None:
    """2,500 postings: timeType is a partition (1,500 + 1,000); `locations`
    counts a posting once per place (a tenth have two): 2,750 in all."""
    rows = [
        workday_row(
            n,
            _time="ft" if n < 1500 else "pt",
            _locs=["a" if n % 2 else "b"] + (["c"] if n % 10 == 0 else []),
        )
        for n in range(2500)
    ]
    tenant = FacetTenant(httpserver, rows)
    snapshot = run_fetch(
        BOARD, workday_base(httpserver), FetchContext(cache=known(rows)), timeout=PATIENT_SECONDS
    )
    # Every posting was read (by timeType, or by locations): the snapshot is
    # whole. On main the largest facet sum (2,750) is taken for the board's
    # size, timeType no longer "covers" it, and every poll is incomplete:
    # no posting of this board is ever reported closed.
    assert len(snapshot.postings) == 2500
    assert snapshot.complete, snapshot.notes
    assert tenant.asked["list"] <= 1 + 75 + 50


class FacetTenant(WorkdayTenant):
    """A tenant with two facets: timeType (`_time`) and a multi-valued
    `locations` (`_locs`)."""

    def __init__(
        self, server: HTTPServer, rows: list[dict[str, Any]], by_facet: dict[str, str] | None = None
    ):
        self.by_facet = by_facet or {"timeType": "_time", "locations": "_locs"}
        super().__init__(server, rows)

    def _list(self, request: Request) -> Response:
        self.asked["list"] += 1
        body = json.loads(request.data)
        self.bodies.append(body)
        offset, limit = body["offset"], body["limit"]
        chosen = body.get("appliedFacets") or {}

        def has(row: dict[str, Any], parameter: str, ids: list[str]) -> bool:
            value = row.get(self.by_facet[parameter])
            return bool(set(value if isinstance(value, list) else [value]) & set(ids))

        rows = [r for r in self.rows if all(has(r, p, ids) for p, ids in chosen.items())]
        listed = rows[:2000]
        offset = 0 if offset >= 2000 else offset
        page = [
            {k: v for k, v in r.items() if not k.startswith("_")} for r in listed[offset : offset + limit]
        ]
        answer: dict[str, Any] = {"total": len(listed) if offset == 0 else 0, "jobPostings": page}
        if offset == 0 and not chosen:
            facets = []
            for parameter, field in self.by_facet.items():
                counts: Counter[str] = Counter()
                for row in self.rows:
                    value = row[field]
                    counts.update(value if isinstance(value, list) else [value])
                values = [{"descriptor": k, "id": k, "count": n} for k, n in sorted(counts.items())]
                facets.append({"facetParameter": parameter, "values": values})
            answer["facets"] = facets
        return Response(json.dumps(answer), content_type="application/json")


def fetch(server: HTTPServer, rows: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    return run_fetch(BOARD, workday_base(server), FetchContext(cache=known(rows)), timeout=PATIENT_SECONDS)


def test_an_overlapping_facet_read_first_is_followed_by_a_partition(httpserver: HTTPServer) -> None:
    # "team": two values, a tenth of the postings in both (cheaper to read);
    # "family": thirty values, each posting in one.
    rows = [
        workday_row(
            n, _team=["x" if n % 2 else "y"] + (["x", "y"] if n % 10 == 0 else []), _family=f"f{n % 30}"
        )
        for n in range(2500)
    ]
    for row in rows:
        row["_team"] = sorted(set(row["_team"]))
    tenant = FacetTenant(httpserver, rows, {"team": "_team", "family": "_family"})
    snapshot = fetch(httpserver, rows)
    assert len(snapshot.postings) == 2500 and snapshot.complete, snapshot.notes
    chosen = {next(iter(b["appliedFacets"]), None) for b in tenant.bodies}
    assert chosen == {None, "team", "family"}  # the cheaper one first, then the partition


def test_only_overlapping_facets_leave_the_board_incomplete(httpserver: HTTPServer) -> None:
    # Three teams, and every fifth posting in team t0 besides its own.
    rows = [
        workday_row(n, _team=sorted({f"t{n % 3}"} | ({"t0"} if n % 5 == 0 else set()))) for n in range(2500)
    ]
    FacetTenant(httpserver, rows, {"team": "_team"})
    snapshot = fetch(httpserver, rows)
    assert not snapshot.complete and len(snapshot.postings) == 2500
    assert any("no facet of the board splits it" in note for note in snapshot.notes), snapshot.notes


class CountingTenant(FacetTenant):
    """A tenant whose page 0 gives the real total (2,600) past the cap."""

    def _list(self, request: Request) -> Response:
        answer = super()._list(request)
        body = json.loads(request.data)
        if body["offset"] == 0 and not body.get("appliedFacets"):
            data = json.loads(answer.get_data())
            answer.set_data(json.dumps({**data, "total": len(self.rows)}))
        return answer


def test_a_partition_that_leaves_postings_out_is_not_read_when_the_total_says_so(
    httpserver: HTTPServer,
) -> None:
    # 100 postings have no time type: the time types add up to 2,500 of 2,600.
    rows = [workday_row(n, _time="ft" if n % 2 else "pt") for n in range(2500)]
    rows += [workday_row(n, _time=None) for n in range(2500, 2600)]
    tenant = CountingTenant(httpserver, rows, {"timeType": "_time"})
    for row in tenant.rows:
        if row["_time"] is None:
            row["_time"] = []  # counted under no value
    snapshot = fetch(httpserver, rows)
    # No facet adds up to the total: nothing beyond what was read counts as gone.
    assert not snapshot.complete
    assert any("has about 2,600" in note for note in snapshot.notes), snapshot.notes
    assert {json.dumps(b["appliedFacets"]) for b in tenant.bodies} == {"{}"}


def test_a_board_read_incomplete_says_so_in_its_stored_health(httpserver: HTTPServer, tmp_path: Path) -> None:
    world = Workday(httpserver)
    for number in range(2100):  # over the cap, and no facet to split it by
        world.open(number)
    path = config(tmp_path, world, f"sqlite:///{tmp_path / 'a.db'}")
    run = Run(path, world)
    run()
    store = Store(load_config(path).database.url)
    try:
        [health] = board_health(load_config(path), store, datetime.now(UTC))
    finally:
        store.close()
    assert health.health == "incomplete" and health.incomplete_since is not None
    assert "Workday lists at most 2,000 postings" in (health.incomplete_why or "")
