"""Review finding (trust-a 1), bodies that pass the byte limit but not the
work limit: millions of tiny JSON values, nesting, millions of XML elements
or HTML tags, entity tricks, a board of more than 50,000 postings. Each
fails its board in one line, within 300 MB of peak RSS, with its stored
postings untouched, and the other board of the same `run --once` is
delivered."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from alerts.model import BoardRef
from alerts.sources import FetchContext, fetch_board, make_client
from alerts.sources.fetch import OFF_LOOP_BYTES

from hardening_support import (
    RawServer,
    alerts_measured,
    board_line,
    greenhouse_body,
    greenhouse_job,
    http_head,
    respond,
    write_config,
)
from support import alerts

PEAK_RSS_LIMIT_KB = 300 * 1024
# Peak RSS of each case, printed at the end of the session (pytest -s) for the report.
MEASURED: dict[str, int] = {}


def ld_page(*jobs: tuple[int, str]) -> bytes:
    blocks = "".join(
        '<script type="application/ld+json">'
        + json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "JobPosting",
                "title": title,
                "identifier": {"@type": "PropertyValue", "value": str(number)},
                "hiringOrganization": {"@type": "Organization", "name": "Acme"},
            }
        )
        + "</script>"
        for number, title in jobs
    )
    return f"<html><head><title>Acme careers</title>{blocks}</head><body></body></html>".encode()


def personio_feed(*jobs: tuple[int, str]) -> bytes:
    positions = "".join(f"<position><id>{n}</id><name>{t}</name></position>" for n, t in jobs)
    return f'<?xml version="1.0" encoding="UTF-8"?><workzag-jobs>{positions}</workzag-jobs>'.encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<workzag-jobs><position><id>1</id><name>&lol9;</name></position></workzag-jobs>"""


def many_postings(count: int) -> Body:
    jobs = ",".join(
        json.dumps({"id": n, "title": "Engineer", "absolute_url": f"https://example.com/{n}"})
        for n in range(count)
    )
    return once(f'{{"jobs": [{jobs}]}}'.encode())


# A body as pieces, each sent `times` times: built while it is sent, so the
# test process stays small (a child forked from it inherits its peak RSS).
Body = tuple[tuple[bytes, int], ...]


def once(data: bytes) -> Body:
    return ((data, 1),)


class Board:
    """A board whose answer (`body`, of `content_type`) the test changes between polls."""

    def __init__(self, body: Body, content_type: str):
        self.body, self.content_type = body, content_type

    def __call__(self, conn, head, stop) -> None:
        length = sum(len(piece) * times for piece, times in self.body)
        conn.sendall(http_head(Content_Type=self.content_type, Content_Length=length, Connection="close"))
        for piece, times in self.body:
            step = max(1, (1 << 20) // len(piece))
            for start in range(0, times, step):
                conn.sendall(piece * min(step, times - start))


@dataclass
class Case:
    kind: str  # the hostile board's source kind
    healthy: Body  # its first answer: one posting, "Kept Open"
    hostile: Body  # its second answer
    content_type: str
    says: str  # in the one error line


def cases() -> dict[str, Case]:
    kept = once(greenhouse_body(greenhouse_job(1, "Kept Open")))
    feed = once(personio_feed((1, "Kept Open")))
    page = once(ld_page((1, "Kept Open")))
    json_type, xml_type, html_type = "application/json", "application/xml", "text/html"
    return {
        "json-tiny-values": Case("greenhouse", kept, ((b'{"jobs": [', 1), (b"0,", 20_000_000), (b"0]}", 1)), json_type, "more than 2,000,000 values"),
        "json-small-objects": Case("greenhouse", kept, ((b'{"jobs": [', 1), (b'{"a":1},', 4_000_000), (b"{}]}", 1)), json_type, "more than 2,000,000 values"),
        "json-deep-nesting": Case("greenhouse", kept, ((b'{"jobs": ', 1), (b"[", 1_500_000), (b"]", 1_500_000), (b"}", 1)), json_type, "nested too deeply"),
        "over-50000-postings": Case("greenhouse", kept, many_postings(50_001), json_type, "the board lists more than 50,000 postings"),
        "xml-elements": Case("personio", feed, ((b'<?xml version="1.0"?><workzag-jobs>', 1), (b"<p/>", 8_000_000), (b"</workzag-jobs>", 1)), xml_type, "more than 1,000,000 elements"),
        "xml-entities": Case("personio", feed, once(BILLION_LAUGHS), xml_type, "DOCTYPE"),
        "html-tags": Case("jsonld", page, ((ld_page((1, "Kept Open"))[:-14], 1), (b"<i></i>", 2_000_000), (b"</body></html>", 1)), html_type, "more than 300,000 tags"),
        # Review b: Python's limit on an integer's digits (a ValueError that is no JSONDecodeError),
        # XML attributes (uncounted: a billion bytes of them), one HTML tag of two million attributes
        # (html.parser's regex keeps 500 bytes each), and many tags of fifty.
        "json-long-number": Case("greenhouse", kept, once(b'{"jobs": [{"id": ' + b"7" * 5000 + b', "title": "Long"}]}'), json_type, "a number of too many digits"),
        "xml-attributes": Case("personio", feed, ((b'<?xml version="1.0"?><workzag-jobs>', 1), (b"<p " + b" ".join(b'%c=""' % c for c in range(97, 123)) + b"/>", 150_000), (b"</workzag-jobs>", 1)), xml_type, "an attribute weighing 3"),
        "html-tag-attributes": Case("jsonld", page, ((ld_page((1, "Kept Open"))[:-14], 1), (b"<meta", 1), (b" a", 2_000_000), (b"></body></html>", 1)), html_type, "a tag of more than 100,000 attributes"),
        "html-attributes": Case("jsonld", page, ((ld_page((1, "Kept Open"))[:-14], 1), (b"<p" + b" a" * 50 + b">", 40_000), (b"</body></html>", 1)), html_type, "more than 1,000,000 attributes"),
        # Review b: a block of HTML-escaped JSON, weighed only once unescaped (light enough as HTML).
        "jsonld-escaped-block": Case("jsonld", page, ((b'<html><head><script type="application/ld+json">&#91;', 1), (b"&#123;&#125;,", 350_000), (b"&#91;&#93;&#93;</script></head></html>", 1)), html_type, "more than 2,000,000 values"),
        # Review b: character references, uncounted, cost the tokenizer half a minute for 10 MB of `&`.
        "html-references": Case("jsonld", page, ((ld_page((1, "Kept Open"))[:-14], 1), (b"<p>", 1), (b"&", 10_000_000), (b"</p></body></html>", 1)), html_type, "more than 300,000 tags"),
        "jsonld-huge-block": Case("jsonld", page, ((b'<html><head><script type="application/ld+json">[', 1), (b"0,", 20_000_000), (b"0]</script></head></html>", 1)), html_type, "more than 2,000,000 values"),
    }  # fmt: skip


def config(tmp_path: Path, case: Case, hostile_url: str, healthy_url: str) -> tuple[Path, str]:
    if case.kind == "jsonld":
        key, settings = f"jsonld:{hostile_url}/careers", ""
    else:
        key, settings = f"{case.kind}:acme", f'[sources.{case.kind}]\nbase_url = "{hostile_url}"\n'
    path = write_config(
        tmp_path,
        f"""
[polling]
timeout = "20s"
board_deadline = "60s"

{settings}
[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["{key}", "jsonld:{healthy_url}/careers"]
channels = ["term"]
""",
    )
    return path, key


NAMES = list(cases())


@pytest.mark.parametrize("name", NAMES)
def test_heavy_bodies_fail_their_board_alone(tmp_path, name):
    case = cases()[name]
    hostile = Board(case.healthy, case.content_type)
    healthy = Board(once(ld_page((10, "First Job"))), "text/html")
    with RawServer(hostile) as bad, RawServer(healthy) as good:
        path, key = config(tmp_path, case, bad.url, good.url)
        first = alerts("run", "--once", "--config", str(path))
        assert "2 boards polled (0 failed)" in first.stdout, (first.stdout + first.stderr)[-3000:]
        hostile.body = case.hostile
        healthy.body = once(ld_page((10, "First Job"), (11, "Delivered Anyway")))
        result, peak_kb = alerts_measured(
            "run", "--once", "--config", str(path), tmp_path=tmp_path, timeout=60
        )
    MEASURED[name] = peak_kb
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "MemoryError" not in output, output[-3000:]
    assert result.returncode == 0, output[-3000:]
    assert "2 boards polled (1 failed)" in result.stdout, output[-3000:]
    assert "Delivered Anyway" in result.stdout, output[-3000:]
    errors = [line for line in result.stderr.splitlines() if key in line and case.says in line]
    assert len(errors) == 1, f"no one line saying {case.says!r}:\n{output[-3000:]}"
    assert peak_kb < PEAK_RSS_LIMIT_KB, f"peak RSS {peak_kb // 1024} MB\n{output[-3000:]}"
    status = alerts("status", "--config", str(path))
    assert "failing" in board_line(status.stdout, key), status.stdout
    jobs = alerts("jobs", "--format", "json", "--config", str(path))
    titles = sorted(record["title"] for record in json.loads(jobs.stdout))
    assert titles == ["Delivered Anyway", "First Job", "Kept Open"], jobs.stdout


def test_a_large_body_is_parsed_off_the_event_loop():
    """While one board's large body is decoded and normalised, the event loop
    (every other board's requests and deadlines) goes on: the parse runs in
    a worker thread. A small one is parsed at once, on the loop."""
    large = greenhouse_body(*(greenhouse_job(n, f"Engineer {n}") for n in range(1500)))
    small = greenhouse_body(greenhouse_job(1, "Engineer"))
    assert len(small) < OFF_LOOP_BYTES <= len(large)
    on_loop: list[bool] = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "parse":
            if frame.f_globals.get("__name__") == "alerts.sources.greenhouse":
                on_loop.append(threading.current_thread() is threading.main_thread())

    async def fetch(url: str) -> int:
        async with make_client() as client:
            snapshot = await fetch_board(client, BoardRef("greenhouse", "acme"), FetchContext(base_url=url))
        return len(snapshot.postings)

    for body, postings in ((large, 1500), (small, 1)):
        with RawServer(respond(body)) as server:
            threading.setprofile(profile)
            sys.setprofile(profile)
            try:
                assert asyncio.run(fetch(server.url)) == postings
            finally:
                sys.setprofile(None)
                threading.setprofile(None)  # type: ignore[arg-type]
    assert on_loop == [False, True]


def teardown_module() -> None:
    for name, peak in MEASURED.items():
        print(f"peak RSS {name}: {peak / 1024:.0f} MB")
