"""`alerts boards find "Company Name"`: slug candidates, and the command
against a local server standing in for every slug-named job site."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response

from alerts.sources import SOURCES, make_client
from alerts.sources.find import EMPTY_MEANS_UNKNOWN, NOT_BY_NAME, PROBES, Search, find_boards, slug_candidates

from support import alerts

DATA = Path(__file__).parent / "sources" / "data"

# name, the slugs tried (a namesake: only the first word of a longer name)
SLUGS = [
    ("Acme Corp, Inc.", ["acme", "acmecorp", "acme-corp"]),
    ("Stripe", ["stripe"]),
    (
        "Deutsche Bahn AG",
        ["deutschebahn", "deutsche-bahn", "deutschebahnag", "deutsche-bahn-ag", "deutsche (namesake)"],
    ),
    ("O'Reilly Media", ["oreillymedia", "oreilly-media", "oreilly (namesake)"]),
    ("Zürich Versicherung", ["zurichversicherung", "zurich-versicherung", "zurich (namesake)"]),
    (
        "3rd Street Youth Center & Clinic",
        [
            "3rdstreetyouthcenterclinic",
            "3rd-street-youth-center-clinic",
            "3rdstreetyouthcenterandclinic",
            "3rd-street-youth-center-and-clinic",
        ],
    ),
    ("1KOMMA5° GmbH", ["1komma5", "1komma5gmbh", "1komma5-gmbh"]),
    ("AG", ["ag"]),  # a legal form alone is the name
    ("!!!", []),
]


@pytest.mark.parametrize(("name", "expected"), SLUGS)
def test_slug_candidates(name: str, expected: list[str]) -> None:
    slugs = [slug.text + (" (namesake)" if slug.namesake else "") for slug in slug_candidates(name)]
    assert slugs == expected and len(slugs) <= 6


def test_every_slug_named_kind_is_tried() -> None:
    # A new kind must say whether its boards are named by a company slug.
    assert set(SOURCES) - set(PROBES) == NOT_BY_NAME & set(SOURCES) == {"bluedoor", "workday", "jsonld"}
    # ... and whether an empty answer proves a board: BambooHR answers any name
    # so; Rippling answers an unknown one 404 (its v2 API; v1 was not seen
    # answering either way, so an empty list there is an empty board).
    assert "bamboohr" in EMPTY_MEANS_UNKNOWN and "rippling" not in EMPTY_MEANS_UNKNOWN


# --- the command ------------------------------------------------------------------

PREFIX = {
    kind: f"/{kind}" + ("/{token}" if "{token}" in source.default_base_url else "")
    for kind, source in SOURCES.items()
}


@pytest.fixture(scope="module")
def sites() -> Iterator[HTTPServer]:
    """Every site at once, answering requests in parallel (so a test can see
    whether the command ever sends two at a time); 404 for what it does not know."""
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(sites: HTTPServer) -> Iterator[HTTPServer]:
    sites.no_handler_status_code = 404  # clear() sets it back to 500
    yield sites
    sites.clear()


def write_config(tmp_path: Path, server: HTTPServer) -> Path:
    base = f"http://127.0.0.1:{server.port}"
    path = tmp_path / "alerts.toml"
    path.write_text(
        "".join(f'[sources.{kind}]\nbase_url = "{base}{prefix}"\n' for kind, prefix in PREFIX.items())
    )
    return path


def find(*args: str) -> subprocess.CompletedProcess[str]:
    return alerts("boards", "find", *args)


def test_finds_every_board_that_exists(tmp_path: Path, server: HTTPServer) -> None:
    in_flight, most = [0], [0]
    lock = threading.Lock()

    def slowly(body: bytes, status: int = 200, **headers: str):  # type: ignore[no-untyped-def]
        def handler(request: Request) -> Response:
            with lock:
                in_flight[0] += 1
                most[0] = max(most[0], in_flight[0])
            time.sleep(0.02)
            with lock:
                in_flight[0] -= 1
            return Response(body, status=status, headers=headers, content_type="application/json")

        return handler

    answers = {
        "/greenhouse/boards/acme/jobs": slowly((DATA / "greenhouse_vercel.json").read_bytes()),
        "/lever/postings/acme-corp": slowly((DATA / "lever_spotify.json").read_bytes()),
        "/teamtailor/acmecorp/jobs.json": slowly(
            json.dumps(
                {
                    **json.loads((DATA / "teamtailor_career.json").read_bytes()),
                    "next_url": "/jobs.json?page=2",
                }
            ).encode()
        ),
        "/personio/acme/xml": slowly((DATA / "personio_avian.xml").read_bytes()),
        # The list alone: no opening's detail is asked (one request per name and kind, below).
        "/bamboohr/acme/careers/list": slowly((DATA / "bamboohr_list.json").read_bytes()),
        "/rippling/acme-corp/jobs": slowly(b"[]"),  # there, empty: Rippling answers 404 for no board
        "/workable/widget/accounts/acme": slowly(b'{"name": "Acme", "jobs": []}'),  # there, empty
        # Not there, in each host's own way:
        "/ashby/job-board/acme": slowly(b'{"apiVersion": "1", "jobs": []}'),  # as Ashby answers any name
        "/breezy/acme/json": slowly(b"", 302, Location="https://breezy.hr/"),
        "/smartrecruiters/companies/acme/postings": slowly(
            b'{"offset": 0, "limit": 1, "totalFound": 0, "content": []}'
        ),
        "/bamboohr/acmecorp/careers/list": slowly((DATA / "bamboohr_list_empty.json").read_bytes()),
    }
    for path, handler in answers.items():
        server.expect_request(path).respond_with_handler(handler)

    result = find("Acme Corp, Inc.", "--config", str(write_config(tmp_path, server)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["BOARD", "OPEN", "COMPANY"]
    rows = [line.split(None, 2) for line in lines[1:8]]
    assert rows == [
        ["greenhouse:acme", "2", "Vercel"],
        ["lever:acme-corp", "2", "(the site does not say)"],
        # A board with nothing open today is still a board (its name comes with postings).
        ["workable:acme", "0", "(the site does not say)"],
        ["personio:acme", "2", "Innovire AG"],
        ["teamtailor:acmecorp", "2+", "Teamtailor"],  # one page of more: "+"
        ["bamboohr:acme", "2", "(the site does not say)"],
        ["rippling:acme-corp", "0", "(the site does not say)"],
    ]
    specs = (
        '"greenhouse:acme", "lever:acme-corp", "workable:acme", "personio:acme", "teamtailor:acmecorp", '
        '"bamboohr:acme", "rippling:acme-corp"'
    )
    assert lines[-1] == f"boards = [{specs}]"
    assert result.stderr == ""
    # Politely: one request at a time to the one host, and no more than one per name and kind.
    assert most[0] == 1
    tried = len(slug_candidates("Acme Corp, Inc.")) * len(PROBES)
    assert len(server.log) == tried == 3 * 13


def test_says_plainly_when_it_finds_none(tmp_path: Path, server: HTTPServer) -> None:
    result = find("Nobody Here GmbH", "--config", str(write_config(tmp_path, server)))
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == (
        "no board found for 'Nobody Here GmbH' (tried nobodyhere, nobody-here, nobodyheregmbh, "
        "nobody-here-gmbh, nobody on 13 job sites). If you know its careers page, "
        "`alerts boards resolve URL` reads it."
    )


def test_an_empty_answer_proves_a_board_only_where_unknown_names_are_refused(server: HTTPServer) -> None:
    """BambooHR answers a name it does not use with an empty list, so an empty
    answer there is no board; Rippling answers such a name 404, so its empty
    list is an empty board. In-process: the probes alone."""
    empty = json.loads((DATA / "bamboohr_list_empty.json").read_bytes())
    server.expect_request("/bamboohr/acme/careers/list").respond_with_json(empty)
    server.expect_request("/rippling/acme/jobs").respond_with_json([])
    base = f"http://127.0.0.1:{server.port}"
    urls = {kind: base + PREFIX[kind] for kind in ("bamboohr", "rippling")}

    async def go() -> Search:
        async with make_client(per_host_limit=1) as client:
            return await find_boards(client, "Acme", urls, kinds=["bamboohr", "rippling"])

    search = asyncio.run(go())
    assert [(f.board.key, f.postings) for f in search.found] == [("rippling:acme", 0)]
    assert search.answered == 2 and search.problems == []
    assert len(server.log) == 2  # one request each


def test_a_rate_limited_site_is_left_alone(tmp_path: Path, server: HTTPServer) -> None:
    server.expect_request("/recruitee/acme/offers/").respond_with_data("slow down", status=429)
    server.expect_request("/ashby/job-board/acmecorp").respond_with_data(
        (DATA / "ashby_linear.json").read_bytes(), content_type="application/json"
    )
    result = find("Acme Corp", "--config", str(write_config(tmp_path, server)))
    assert result.returncode == 0, result.stderr
    assert "ashby:acmecorp" in result.stdout
    assert (
        "rate limited" in result.stderr
        and "recruitee: rate limited; its other names were not tried" in result.stderr
    )
    assert not any("/recruitee/acmecorp" in request.path for request, _ in server.log)


def test_no_site_answering_is_its_own_exit_status(tmp_path: Path) -> None:
    # Nothing listens there: every check fails, which is not "none found".
    path = tmp_path / "alerts.toml"
    path.write_text(
        "".join(
            f'[sources.{kind}]\nbase_url = "http://127.0.0.1:9{prefix}"\n' for kind, prefix in PREFIX.items()
        )
    )
    result = find("Acme", "--config", str(path))
    assert result.returncode == 3
    assert "could not connect" in result.stderr and "no board found for 'Acme'" in result.stdout


def test_without_a_config_file_the_public_hosts_are_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No alerts.toml here is no error. In-process, the network replaced by
    httpx.MockTransport: this test must never reach the real hosts."""
    import httpx
    from click.testing import CliRunner

    import alerts.sources
    from alerts.cli import main

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(404)

    real = alerts.sources.make_client
    monkeypatch.setattr(
        alerts.sources, "make_client", lambda **kw: real(**kw, transport=httpx.MockTransport(answer))
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALERTS_CONFIG", raising=False)
    result = CliRunner().invoke(main, ["boards", "find", "Acme"])
    assert result.exit_code == 1, result.output
    assert "no board found for 'Acme'" in result.output
    assert sorted(asked) == sorted(
        [
            "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
            "https://api.lever.co/v0/postings/acme?mode=json",
            "https://api.eu.lever.co/v0/postings/acme?mode=json",
            "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true",
            "https://api.smartrecruiters.com/v1/companies/acme/postings?limit=1&offset=0",
            "https://apply.workable.com/api/v1/widget/accounts/acme",
            "https://acme.recruitee.com/api/offers/",
            "https://acme.jobs.personio.de/xml",
            "https://acme.teamtailor.com/jobs.json",
            "https://acme.breezy.hr/json",
            "https://acme.pinpointhq.com/postings.json",
            "https://acme.bamboohr.com/careers/list",
            "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs",
        ]
    )


def test_a_missing_config_given_by_name_is_an_error(tmp_path: Path) -> None:
    result = find("Acme", "--config", str(tmp_path / "nope.toml"))
    assert result.returncode == 1 and "no such file" in result.stderr


def test_a_name_without_letters(tmp_path: Path) -> None:
    result = find("!!!", "--config", str(tmp_path / "nope.toml"))
    assert result.returncode == 1 and "no board name can be made from '!!!'" in result.stderr


def test_sites_that_refuse_every_request_are_not_reported_as_no_board(
    tmp_path: Path, server: HTTPServer
) -> None:
    # A bot wall in front of every site: 403 for every request (as Workday's
    # and other hosts' WAFs answer datacenter IPs), or a 200 challenge page.
    server.no_handler_status_code = 403
    result = find("Acme", "--config", str(write_config(tmp_path, server)))
    # No site said whether an "acme" board exists. On main: exit 1 and
    # "no board found for 'Acme'", with no warning at all: the user is told
    # the company has no board when every site refused to answer.
    assert result.returncode == 3 or "403" in result.stderr, (result.returncode, result.stdout, result.stderr)
    assert result.returncode == 3 and "refuses our requests; its other names were not tried" in result.stderr
    assert "no proof there is none" in result.stdout
    assert len(server.log) == len(PROBES)  # one name each: a site that refuses is not asked again


class Under(URIPattern):
    def __init__(self, prefix: str):
        self.prefix = prefix

    def match(self, uri: str) -> bool:
        return uri.startswith(self.prefix)


def test_a_challenge_page_is_no_answer_but_a_no_is(tmp_path: Path, server: HTTPServer) -> None:
    challenge = "<html><title>Just a moment...</title></html>"
    server.expect_request(Under("/")).respond_with_data(challenge, content_type="text/html")
    result = find("Acme", "--config", str(write_config(tmp_path, server)))
    assert result.returncode == 3, result.stdout
    assert "returned an HTML page" in result.stderr
    # One site answering "no such board" is an answer: none found, with the warnings.
    server.clear()
    server.no_handler_status_code = 404
    server.expect_request(Under("/greenhouse/")).respond_with_data(challenge, content_type="text/html")
    result = find("Acme", "--config", str(write_config(tmp_path, server)))
    assert result.returncode == 1 and "returned an HTML page" in result.stderr
    assert "no proof" not in result.stdout
