"""bluedoor: the query token, the seed's record mapped field by field, and
the list endpoint over a real socket (cursors, auth, incremental, errors)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from alerts.boards import bluedoor_token
from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import FetchContext, Validators, bluedoor

from kinds.bluedoor import BOARD, FIRST_PAGE, FIXTURE, KEY, SEED_POSTING, TOKEN
from sources_support import FAST, base_url, drop_fields, fetch_error, run_fetch, set_fields


@pytest.fixture
def record(payload: Callable[[str], Any]) -> dict[str, Any]:
    return payload(FIXTURE)


# --- the board token ---------------------------------------------------------

TOKENS = [
    (["OpenAI"], ["Finance"], ["hybrid"], TOKEN),
    ([], [], [], "all"),
    ([], [], ["remote"], "workplace_type=remote"),
    # Sorted values, the key repeated for each.
    (
        ["Stripe", "OpenAI"],
        [],
        ["remote", "hybrid"],
        "company=OpenAI&company=Stripe&workplace_type=hybrid&workplace_type=remote",
    ),
    # Blank and repeated values add nothing.
    (["OpenAI", " OpenAI ", ""], [" "], [], "company=OpenAI"),
    # Spaces and & cannot break the query apart.
    ([], ["R&D", "Customer Success"], [], "department=Customer%20Success&department=R%26D"),
    (["Zürich Versicherung"], [], [], "company=Z%C3%BCrich%20Versicherung"),
    # "unknown" cannot be asked of the API; asking for the others only would
    # hide the very postings the subscription wants: no workplace filter.
    (["OpenAI"], [], ["hybrid", "unknown"], "company=OpenAI"),
    ([], [], ["Remote", "ONSITE"], "workplace_type=onsite&workplace_type=remote"),
]


@pytest.mark.parametrize(("company", "department", "work_model", "expected"), TOKENS)
def test_bluedoor_token(
    company: list[str], department: list[str], work_model: list[str], expected: str
) -> None:
    assert bluedoor_token(company, department, work_model) == expected
    # Deterministic whatever the order the filters were written in.
    assert bluedoor_token(company[::-1], department[::-1], work_model[::-1]) == expected


# --- the record --------------------------------------------------------------


def test_the_seed_record_maps_exactly(record: dict[str, Any]) -> None:
    [posting] = bluedoor.parse({"data": [record], "next_cursor": None}, BOARD)
    assert posting == SEED_POSTING
    assert posting.raw is record
    # The same job seen on its own Ashby board is one job.
    on_ashby = Posting(
        source="ashby", board_token="openai", external_id="1d03b4ee-8cec-47a1-b9e2-8ce9c5650943", title="x"
    )
    assert posting.identity == on_ashby.identity == "ashby:1d03b4ee-8cec-47a1-b9e2-8ce9c5650943"


OPTIONAL = (
    "company",
    "department",
    "team",
    "location_text",
    "city",
    "region",
    "country",
    "workplace_type",
    "remote_policy",
    "employment_type",
    "source_url",
    "apply_url",
    "first_seen_at",
    "last_changed_at",
    "provider",
    "provider_job_key",
    "status",
    "active",
)
BARE = dict(
    company=None,
    department=None,
    team=None,
    location=None,
    city=None,
    region=None,
    country=None,
    work_model="unknown",
    employment_type="unknown",
    url=None,
    apply_url=None,
    posted_at=None,
    updated_at=None,
    same_as=None,
)
SALARY = dict(salary_min=150000, salary_max=180000.5, salary_currency="USD", salary_period="year")

VARIANTS: list[tuple[str, Callable[[dict[str, Any]], None], dict[str, Any]]] = [
    ("unknown extra fields", set_fields(ranking={"score": 1}, description=None, next_gen=[1]), {}),
    ("optional fields missing", drop_fields(*OPTIONAL), BARE),
    ("optional fields null", set_fields(**dict.fromkeys(OPTIONAL)), BARE),
    (
        "status inactive",
        set_fields(status="inactive", active=False, inactive_at="2026-06-07T00:00:00Z"),
        dict(active=False),
    ),
    ("status INACTIVE", set_fields(status="INACTIVE"), dict(active=False)),
    ("active false alone", set_fields(active=False), dict(active=False)),
    ("active 'no'", set_fields(active="no"), dict(active=False)),
    ("active null is not closed", set_fields(active=None), {}),
    (
        "workplace_type remote",
        set_fields(workplace_type="remote", remote_policy="remote"),
        dict(work_model="remote"),
    ),
    (
        "workplace_type onsite",
        set_fields(workplace_type="onsite", remote_policy="onsite"),
        dict(work_model="onsite"),
    ),
    (
        "workplace_type on_site",
        set_fields(workplace_type="on_site", remote_policy=None),
        dict(work_model="onsite"),
    ),
    (
        "workplace_type wins over remote_policy",
        set_fields(workplace_type="hybrid", remote_policy="remote"),
        {},
    ),
    (
        "remote_policy when workplace_type is null",
        set_fields(workplace_type=None, remote_policy="remote"),
        dict(work_model="remote"),
    ),
    (
        "location text last",
        set_fields(workplace_type=None, remote_policy=None, location_text="Remote - US"),
        dict(work_model="remote", location="Remote - US"),
    ),
    (
        "salary",
        set_fields(**SALARY),
        dict(salary_min=150000.0, salary_max=180000.5, salary_currency="USD", salary_period="year"),
    ),
    (
        "salary as text",
        set_fields(salary_min="120000", salary_max="n/a", salary_currency="EUR", salary_period="yearly"),
        dict(salary_min=120000.0, salary_currency="EUR", salary_period="year"),
    ),
    (
        "source dates win",
        set_fields(source_posted_at="2026-06-01T09:00:00-07:00", source_updated_at="2026-06-05T10:00:00Z"),
        dict(posted_at=datetime(2026, 6, 1, 16, tzinfo=UTC), updated_at=datetime(2026, 6, 5, 10, tzinfo=UTC)),
    ),
    ("provider spelt in capitals", set_fields(provider="Ashby"), {}),
    ("provider without key", set_fields(provider_job_key=None), dict(same_as=None)),
    ("lever provider", set_fields(provider="lever", provider_job_key="abc"), dict(same_as="lever:abc")),
    ("part-time", set_fields(employment_type="part_time"), dict(employment_type="part_time")),
    (
        "non-ASCII",
        set_fields(company="Zürich Versicherung", city="Zürich", title="Aktuar:in – Zürich"),
        dict(company="Zürich Versicherung", city="Zürich", title="Aktuar:in – Zürich"),
    ),
    (
        "HTML entities in title",
        set_fields(title="Billing &amp; Order Lead &#8211; AWS"),
        dict(title="Billing & Order Lead \u2013 AWS"),
    ),
    ("title missing", drop_fields("title"), dict(title="")),
]


@pytest.mark.parametrize(("edit", "changes"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_variants(
    record: dict[str, Any], edit: Callable[[dict[str, Any]], None], changes: dict[str, Any]
) -> None:
    edit(record)
    [posting] = bluedoor.parse({"data": [record], "next_cursor": None}, BOARD)
    assert posting == replace(SEED_POSTING, **changes)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ({"error": {"code": "x"}}, "no 'data' list"),
        ({"data": [{"title": "no id"}]}, "job #1 has no usable 'job_id'"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        bluedoor.parse(body, BOARD)
    assert says in str(caught.value) and caught.value.transient is False


# --- the list endpoint over a real socket ------------------------------------


def _record(template: dict[str, Any], number: int) -> dict[str, Any]:
    record = copy.deepcopy(template)
    record["job_id"] = f"job-{number:04d}"
    record["provider_job_key"] = f"key-{number:04d}"
    return record


def _page(template: dict[str, Any], numbers: range, cursor: str | None) -> dict[str, Any]:
    return {"data": [_record(template, n) for n in numbers], "next_cursor": cursor}


def test_cursors_are_followed_to_the_end(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    pages = [
        ("", range(0, 100), "c2"),
        ("&cursor=c2", range(100, 200), "c3=="),
        ("&cursor=c3%3D%3D", range(200, 230), None),
    ]
    for query, numbers, cursor in pages:
        httpserver.expect_ordered_request(
            "/jobs", query_string=FIRST_PAGE + query, headers={"Authorization": f"Bearer {KEY}"}
        ).respond_with_json(_page(record, numbers, cursor))
    snapshot = run_fetch(BOARD, base_url(httpserver), FetchContext(api_key=KEY))
    assert [p.external_id for p in snapshot.postings] == [f"job-{n:04d}" for n in range(230)]
    assert snapshot.complete and snapshot.requests == 3 and snapshot.validators == Validators()
    httpserver.check_assertions()


def test_no_key_no_authorization_header(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    httpserver.expect_request("/jobs", query_string="status=all&limit=100").respond_with_json(
        {"data": [record], "next_cursor": ""}
    )
    snapshot = run_fetch(BoardRef("bluedoor", "all"), base_url(httpserver))
    assert len(snapshot.postings) == 1
    request, _ = httpserver.log[0]
    assert "Authorization" not in request.headers


def test_incremental_fetch(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    since = datetime(2026, 6, 6, 21, 9, 33, 912000, tzinfo=timezone(timedelta(hours=2)))
    closed = set_fields(status="inactive", active=False)
    closed(record)
    httpserver.expect_request(
        "/jobs", query_string=FIRST_PAGE + "&changed_since=2026-06-06T19%3A09%3A33Z"
    ).respond_with_json({"data": [record], "next_cursor": None})
    # Validators are for single-request sources; they are not sent here.
    ctx = FetchContext(since=since, validators=Validators(etag='"x"'))
    snapshot = run_fetch(BOARD, base_url(httpserver), ctx)
    assert snapshot.complete is False and not snapshot.not_modified
    assert [p.active for p in snapshot.postings] == [False]
    request, _ = httpserver.log[0]
    assert "If-None-Match" not in request.headers


def test_a_failed_second_page_fails_the_whole_board(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    httpserver.expect_ordered_request("/jobs", query_string=FIRST_PAGE).respond_with_json(
        _page(record, range(0, 100), "c2")
    )
    httpserver.expect_ordered_request("/jobs", query_string=FIRST_PAGE + "&cursor=c2").respond_with_json(
        {"error": {"code": "internal", "message": "database unavailable"}}, status=500
    )
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(api_key=KEY), retry=FAST)
    assert err.status == 500 and err.transient is True
    assert "internal: database unavailable" in str(err)


def test_rate_limited_beyond_the_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jobs").respond_with_json(
        {"error": {"code": "rate_limited", "message": "quota exceeded"}},
        status=429,
        headers={"Retry-After": "3600"},
    )
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(api_key=KEY), retry=FAST)
    assert err.status == 429 and err.transient is True and err.retry_after == 3600.0
    assert "rate_limited: quota exceeded" in str(err)
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("status", "key", "says"),
    [
        (401, KEY, "the bluedoor API refused the API key; set [sources.bluedoor] api_key"),
        (401, None, "the bluedoor API needs an API key; set [sources.bluedoor] api_key"),
        (403, KEY, "may not read job postings"),
        (404, KEY, "no bluedoor job postings API at http://127.0.0.1"),
    ],
)
def test_permanent_errors(httpserver: HTTPServer, status: int, key: str | None, says: str) -> None:
    httpserver.expect_request("/jobs").respond_with_json(
        # A careless server that echoes the key back must not leak it through us.
        {"error": {"code": "denied", "message": f"no access for {key or 'anonymous'}"}},
        status=status,
    )
    err = fetch_error(BOARD, base_url(httpserver), FetchContext(api_key=key), retry=FAST)
    assert err.status == status and err.transient is False
    assert says in str(err) and f"denied: no access for {'***' if key else 'anonymous'}" in str(err)
    for shown in (err, err.__cause__, err.__context__):
        assert KEY not in str(shown)
    assert len(httpserver.log) == 1


def test_a_repeated_cursor_stops_paging(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    httpserver.expect_request("/jobs", query_string=FIRST_PAGE).respond_with_json(
        _page(record, range(0, 2), "again")
    )
    httpserver.expect_request("/jobs", query_string=FIRST_PAGE + "&cursor=again").respond_with_json(
        _page(record, range(2, 4), "again")
    )
    err = fetch_error(BOARD, base_url(httpserver))
    assert "cursor it had returned before" in str(err) and err.transient is False


def test_next_cursor_of_the_wrong_type(httpserver: HTTPServer, record: dict[str, Any]) -> None:
    httpserver.expect_request("/jobs").respond_with_json({"data": [record], "next_cursor": 2})
    err = fetch_error(BOARD, base_url(httpserver))
    assert "'next_cursor'" in str(err) and err.transient is False


@pytest.mark.parametrize("token", ["salary=high", "company", "", "company=a&&x"])
def test_a_token_that_is_not_a_query(httpserver: HTTPServer, token: str) -> None:
    err = fetch_error(BoardRef("bluedoor", token), base_url(httpserver))
    assert "not a bluedoor query" in str(err) and err.transient is False
    assert httpserver.log == []
