"""Review of issues 12 and 13 (branch review-b): reproductions of the
findings of the review (review-12-13.md). Each test states what a user or
maintainer should see; each fails on main at the time of the review.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pytest_httpserver import HTTPServer
from test_sources_workday_fetch import BOARD, known
from werkzeug import Request, Response

from alerts.sources import FetchContext

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

    def __init__(self, server: HTTPServer, rows: list[dict[str, Any]]):
        self.by_facet = {"timeType": "_time", "locations": "_locs"}
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
