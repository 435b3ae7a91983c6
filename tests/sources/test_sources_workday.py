"""Workday: list rows and details as postings, and the requisition id that
survives a repost. Fetching over real sockets: test_sources_workday_fetch.py."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from alerts.errors import SourceError
from alerts.model import BoardRef, Posting
from alerts.sources import workday
from alerts.sources.workday.keys import identify, requisition_id
from alerts.sources.workday.postings import (
    detail_path,
    place,
    read_detail,
    signature,
    to_posting,
)

BOARD = BoardRef("workday", "asml.wd3/ASMLCareers")
SITE = ("asml", "wd3", "ASMLCareers")
TODAY = datetime(2026, 10, 1, tzinfo=UTC)


def url(path: str) -> str:
    return f"https://asml.wd3.myworkdayjobs.com/ASMLCareers{path}"


def test_recorded_asml_page(payload: Callable[[str], Any]) -> None:
    data = payload("workday_asml.json")
    postings = {p.external_id: p for p in workday.parse(data, BOARD)}
    # The repost suffix "-2" is not part of the requisition id.
    assert set(postings) == {"J-00351580", "J-00354191", "J-00350151", "J-00354112"}
    assert postings["J-00351580"] == Posting(
        source="workday",
        board_token="asml.wd3/ASMLCareers",
        external_id="J-00351580",
        title="Software test engineer - motion control",
        company="asml",  # the list names no company; the detail does
        location="Veldhoven, Netherlands",
        city="Veldhoven",
        country="NL",
        employment_type="full_time",
        url=url("/job/Veldhoven-Netherlands/Software-test-engineer---motion-control_J-00351580-2"),
    )
    assert postings["J-00354191"].employment_type == "part_time"
    assert postings["J-00350151"].country == "DE"
    assert postings["J-00351580"].raw in data["jobPostings"]


# externalPath's last segment, bulletFields, the requisition id
IDS = [
    ("Senior-Software-Engineer--GoLang_JR2017740-1", ["JR2017740"], "JR2017740"),
    ("Store-Associate_R-2593225", ["R-2593225"], "R-2593225"),
    ("Data-Analyst_JR_00145400-2", ["JR_00145400"], "JR_00145400"),
    ("Account-Executive_JR41124", ["JR41124", "Sales"], "JR41124"),
    ("Lab-Technician_446700", ["446700"], "446700"),
    ("Software-test-engineer---motion-control_J-00351580-2", ["J-00351580"], "J-00351580"),
    # bulletFields is tenant text: without the id in it, a suffix goes only after a long number.
    ("Sr-Designer_R167982-1", ["Sales"], "R167982"),
    ("Store-Associate_R-2593225", [], "R-2593225"),
    ("Analyst_AB-12", [], "AB-12"),
    ("No-Underscore-At-All", [], "/job/X/No-Underscore-At-All"),
]


@pytest.mark.parametrize(("last", "bullets", "expected"), IDS, ids=[i[0] for i in IDS])
def test_requisition_id(last: str, bullets: list[str], expected: str) -> None:
    assert requisition_id({"externalPath": f"/job/X/{last}", "bulletFields": bullets}) == expected


def test_a_repost_keeps_its_identity_and_signature_changes() -> None:
    first = {
        "title": "T",
        "externalPath": "/job/X/T_JR1234",
        "bulletFields": ["JR1234"],
        "postedOn": "Posted Today",
    }
    repost = {**first, "externalPath": "/job/X/T_JR1234-1", "postedOn": "Posted 3 Days Ago"}
    assert requisition_id(first) == requisition_id(repost) == "JR1234"
    # The path changed, so its detail is read again; "postedOn" alone never does that.
    assert signature(first) != signature(repost)
    assert signature(first) == signature({**first, "postedOn": "Posted 30+ Days Ago"})


def test_one_requisition_listed_twice_keeps_its_id_on_the_shortest_path() -> None:
    rows = [
        {"title": "T", "externalPath": "/job/Berlin/T_JR1-2", "bulletFields": ["JR1"]},
        {"title": "T", "externalPath": "/job/X/T_JR1", "bulletFields": ["JR1"]},
    ]
    by_id = identify(rows)
    assert by_id["JR1"]["externalPath"] == "/job/X/T_JR1"
    assert by_id["/job/Berlin/T_JR1-2"] is rows[0]
    assert identify(list(reversed(rows))).keys() == by_id.keys()  # page order does not matter


def test_placeholder_rows_are_skipped(payload: Callable[[str], Any]) -> None:
    postings = workday.parse(payload("workday_list_edge_cases.json"), BOARD)
    assert len(postings) == 5  # the sixth row has only bulletFields
    assert "R14546" not in {p.external_id for p in postings}


def test_an_over_long_id_is_hashed() -> None:
    key = requisition_id({"externalPath": "/job/X/T_" + "9" * 5000, "bulletFields": []})
    assert key.startswith("sha256:") and len(key) < 80


@pytest.mark.parametrize(
    "path",
    [
        "/job/X/../../../admin",
        "//evil.example/job",
        "/job/X?y=1",
        "job/X/T_1",
        "/job/X/T_1#frag",
        "/job/\x00/T",
    ],
)
def test_a_path_that_leaves_the_site_gets_no_detail_and_no_url(path: str) -> None:
    row = {"title": "T", "externalPath": path, "bulletFields": []}
    assert detail_path(row) is None
    [posting] = workday.parse({"total": 1, "jobPostings": [row]}, BOARD)
    assert posting.url is None


def test_the_detail_fills_what_the_list_lacks(payload: Callable[[str], Any]) -> None:
    row = payload("workday_list_edge_cases.json")["jobPostings"][0]
    detail = read_detail(payload("workday_detail_flex_us.json"), BOARD)
    posting = to_posting("JR2017740", row, detail, BOARD, SITE, None, TODAY)
    assert (posting.company, posting.country, posting.city, posting.region) == (
        "Example Corporation",
        "US",
        "Santa Clara",
        "CA",
    )
    assert posting.posted_at == datetime(2026, 9, 29, tzinfo=UTC)
    assert posting.work_model == "hybrid" and posting.employment_type == "full_time" and posting.active


def test_a_count_of_places_becomes_the_details_places(payload: Callable[[str], Any]) -> None:
    row = payload("workday_list_edge_cases.json")["jobPostings"][2]  # "2 Locations", no timeType
    detail = read_detail(payload("workday_detail_hybrid_gb.json"), BOARD)
    posting = to_posting("JR_00145400", row, detail, BOARD, SITE, "Board Name", TODAY)
    assert posting.location == "UK - London - Example Street; Utrecht"
    assert posting.country == "GB" and posting.region == "London"
    assert posting.employment_type == "part_time"  # from the detail's timeType
    assert posting.company == "Board Name"  # this detail names none; another of the board did
    assert posting.active  # endDate 2026-10-31 is still ahead


def test_a_passed_end_date_or_closed_applications_close_the_posting(payload: Callable[[str], Any]) -> None:
    row = payload("workday_list_edge_cases.json")["jobPostings"][2]
    detail = read_detail(payload("workday_detail_hybrid_gb.json"), BOARD)
    after = datetime(2026, 11, 1, tzinfo=UTC)
    assert not to_posting("k", row, detail, BOARD, SITE, None, after).active
    shut = read_detail({"jobPostingInfo": {"canApply": False}}, BOARD)
    assert not to_posting("k", row, shut, BOARD, SITE, None, TODAY).active


def test_a_detail_that_is_not_one_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        read_detail({"errorCode": "HTTP_404"}, BOARD)
    assert "jobPostingInfo" in str(caught.value)


def test_the_country_from_its_name_when_no_code(payload: Callable[[str], Any]) -> None:
    detail = copy.deepcopy(payload("workday_detail_flex_us.json"))
    del detail["jobPostingInfo"]["jobRequisitionLocation"]["country"]["alpha2Code"]
    assert read_detail(detail, BOARD)["country"] == "US"  # "United States of America"


PLACES = [
    ("US, CA, Santa Clara", None, ("Santa Clara", "CA", "US")),
    ("London, England, UK", None, ("London", "England", "GB")),
    ("Veldhoven, Netherlands", None, ("Veldhoven", None, "NL")),
    ("Belgium-Wavre", None, ("Wavre", None, "BE")),
    ("UK \u2013 London \u2013 New Oxford Street", "GB", ("New Oxford Street", "London", "GB")),
    # A US state is not a country: Arkansas, not Argentina.
    ("Bentonville, AR", None, (None, None, None)),
    ("Remote, USA", None, (None, None, "US")),
    ("London HQ", "GB", (None, None, "GB")),
    (None, "DE", (None, None, "DE")),
]


@pytest.mark.parametrize(("text", "country", "expected"), PLACES, ids=[str(p[0]) for p in PLACES])
def test_place(text: str | None, country: str | None, expected: tuple[str | None, ...]) -> None:
    assert place(text, country) == expected


def test_hostile_text_is_cleaned_not_trusted() -> None:
    row = {
        "title": "  Engineer &amp; <b>Lead</b>\n\n\tNow ",
        "externalPath": "/job/X/T_JR1",
        "bulletFields": ["JR1"],
        "locationsText": "A" * 10_000,
        "remoteType": ["not", "a", "string"],
        "timeType": {"x": 1},
    }
    [posting] = workday.parse({"total": 1, "jobPostings": [row]}, BOARD)
    assert posting.title == "Engineer & <b>Lead</b> Now"
    assert posting.work_model == "unknown" and posting.employment_type == "unknown"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "expected a JSON object"),
        ({"total": 1}, "no 'jobPostings'"),
        ({"total": "many", "jobPostings": []}, "'total' to be a count"),
        ({"total": 1, "jobPostings": ["x"]}, "job #1 is a string"),
    ],
)
def test_wrong_shape_fails_the_whole_board(body: Any, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        workday.parse(body, BOARD)
    assert says in str(caught.value) and caught.value.transient is False
