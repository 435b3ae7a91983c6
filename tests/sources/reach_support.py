"""Local stand-ins for the detail-based hosts (Workday, BambooHR, Rippling,
JSON-LD sites), served by pytest-httpserver over real sockets. Each counts
what it was asked, so tests can tell a list request from a detail request.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response

TENANT, DC, SITE = "acme", "wd5", "Careers"
# Tests that count requests at the server wait long: on a busy machine a
# read timeout would be retried, and counted twice.
PATIENT_SECONDS = 60.0
WORKDAY_BOARD = f"workday:{TENANT}.{DC}/{SITE}"
CXS = f"/wday/cxs/{TENANT}/{SITE}"


class Under(URIPattern):
    """Every path under a prefix (pytest-httpserver matches whole paths)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def match(self, uri: str) -> bool:
        return uri.startswith(self.prefix)


def workday_base(server: HTTPServer) -> str:
    """The local tenant as a base_url, with the placeholders a real one has."""
    return f"http://127.0.0.1:{server.port}/wday/cxs/{{tenant}}/{{site}}"


def workday_row(number: int, **fields: Any) -> dict[str, Any]:
    """One list row in the real shape; every tenth a repost (`-1`)."""
    req = f"JR{1000 + number:07d}"
    suffix = "-1" if number % 10 == 9 else ""
    row = {
        "title": f"Engineer {number}",
        "externalPath": f"/job/US-CA-Santa-Clara/Engineer-{number}_{req}{suffix}",
        "locationsText": "US, CA, Santa Clara" if number % 7 else "3 Locations",
        "postedOn": "Posted Today",
        "remoteType": ("Flex", "Remote", "On-Site", "Hybrid (Remote & On-site)")[number % 4],
        "timeType": "Full time" if number % 3 else "Part time",
        "bulletFields": [req],
    }
    row.update(fields)
    return row


def workday_detail(row: dict[str, Any], **fields: Any) -> dict[str, Any]:
    info = {
        "title": row.get("title"),
        "location": "US, CA, Santa Clara",
        "additionalLocations": ["US, WA, Seattle"],
        "startDate": "2026-09-29",
        "timeType": row.get("timeType"),
        "remoteType": row.get("remoteType"),
        "canApply": True,
        "posted": True,
        "jobRequisitionLocation": {
            "descriptor": "US, CA, Santa Clara",
            "country": {"descriptor": "United States of America", "alpha2Code": "US"},
        },
    }
    info.update(fields)
    return {"jobPostingInfo": info, "hiringOrganization": {"name": "Acme Corporation", "url": ""}}


class WorkdayTenant:
    """A Workday tenant as the CXS API behaves: `limit` above 20 is a 400,
    `total` only on page 0, at most 2,000 postings listed (offsets past
    that wrap to page 0), facets counted on page 0 and honoured when applied."""

    def __init__(self, server: HTTPServer, rows: list[dict[str, Any]], *, facets: bool = False):
        self.server = server
        self.rows = rows
        self.details: dict[str, dict[str, Any]] = {}
        self.facets = facets  # page 0 carries a timeType facet over the rows' "_time" key
        self.failures: dict[tuple[str, int], Response] = {}  # (kind, offset or 0) -> canned answer, once
        self.asked: Counter[str] = Counter()
        self.refuse_details: Response | None = None  # every detail answered so
        self.bodies: list[dict[str, Any]] = []
        server.expect_request(f"{CXS}/jobs", method="POST").respond_with_handler(self._list)
        server.expect_request(Under(f"{CXS}/job/"), method="GET").respond_with_handler(self._detail)

    def detail_of(self, row: dict[str, Any]) -> dict[str, Any]:
        return self.details.get(row["externalPath"]) or workday_detail(row)

    def _list(self, request: Request) -> Response:
        self.asked["list"] += 1
        body = json.loads(request.data)
        self.bodies.append(body)
        offset, limit = body.get("offset", 0), body.get("limit", 0)
        if ("list", offset) in self.failures:
            return self.failures.pop(("list", offset))
        if limit > 20:
            error = {"errorCode": "HTTP_400", "errorCaseId": "X", "httpStatus": 400, "message": ""}
            return Response(json.dumps(error), status=400, content_type="application/json")
        chosen = body.get("appliedFacets") or {}
        rows = [r for r in self.rows if all(r.get("_time") in ids for ids in chosen.values())]
        listed = rows[:2000]
        if offset >= 2000:
            offset = 0  # the wrap seen on clamped tenants
        page = [
            {k: v for k, v in r.items() if not k.startswith("_")} for r in listed[offset : offset + limit]
        ]
        answer: dict[str, Any] = {"total": len(listed) if offset == 0 else 0, "jobPostings": page}
        if offset == 0 and self.facets and not chosen:
            counts = Counter(r.get("_time") for r in self.rows)
            values = [{"descriptor": k, "id": k, "count": n} for k, n in sorted(counts.items())]
            answer["facets"] = [{"facetParameter": "timeType", "descriptor": "Time Type", "values": values}]
        return Response(json.dumps(answer), content_type="application/json")

    def _detail(self, request: Request) -> Response:
        self.asked["detail"] += 1
        path = request.path[len(CXS) :]
        if ("detail", 0) in self.failures:
            return self.failures.pop(("detail", 0))
        if self.refuse_details is not None:
            return self.refuse_details
        row = next((r for r in self.rows if r["externalPath"] == path), None)
        if row is None:
            return Response('{"errorCode":"HTTP_404"}', status=404, content_type="application/json")
        return Response(json.dumps(self.detail_of(row)), content_type="application/json")


def copy_of(value: Any) -> Any:
    return copy.deepcopy(value)
