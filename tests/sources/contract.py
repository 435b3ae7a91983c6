"""The source contract: one table every source kind runs through
(test_sources_contract.py, _errors.py, _pages.py): fetch over a
real local server (details included), paging, every way a fetch fails, the
recorded payload normalised, work models.

A new kind adds one module under kinds/ (its `CASE` and `RECORDED`) and one
entry in CASES; its own test file keeps only what is special about it.
"""

from __future__ import annotations

from kinds import (
    ashby,
    bamboohr,
    bluedoor,
    breezy,
    greenhouse,
    jsonld,
    lever,
    personio,
    pinpoint,
    recruitee,
    rippling,
    smartrecruiters,
    teamtailor,
    workable,
    workday,
)
from sources_support import DATA_DIR, Case

CASES: tuple[Case, ...] = (
    greenhouse.CASE,
    lever.CASE,
    lever.EU_CASE,
    ashby.CASE,
    smartrecruiters.CASE,
    workable.CASE,
    recruitee.CASE,
    personio.CASE,
    teamtailor.CASE,
    breezy.CASE,
    pinpoint.CASE,
    bluedoor.CASE,
    workday.CASE,
    bamboohr.CASE,
    rippling.CASE,
    rippling.V2_CASE,
    jsonld.CASE,
)
PAGED = tuple(case for case in CASES if case.pages)
TEMPLATED = tuple(case for case in CASES if case.templated)
DETAILED = tuple(case for case in CASES if case.details)
# A body cut short that says it is whole is caught by the JSON or XML parser;
# an HTML page has no end to miss (a connection cut mid-body is caught for all).
PARSED = tuple(case for case in CASES if case.format in ("json", "xml"))
# Work-model rows of every kind: (kind, case, the job's fields, expected).
WORK_MODELS = tuple((case, *row) for case in CASES for row in case.work_models)

HTML_PAGE = b"<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>"

# status, body, content type, transient, words the message must hold (unless
# the kind has its own words for the status: Case.says)
STATUS_CASES = [
    (404, b'{"status":404,"error":"Job not found"}', "application/json", False, "board not found"),
    (404, b"Not Found", "text/plain", False, "check the board token"),
    (410, b"", "text/plain", False, "board not found"),
    (403, b"denied", "text/plain", False, "access denied"),
    (400, b"{}", "application/json", False, "unexpected answer"),
    (429, b"slow down", "text/plain", True, "rate limited"),
    (500, b"oops", "text/plain", True, "server error"),
    (503, HTML_PAGE, "text/html", True, "server error"),
]

_NO_POSTING = "found no job postings (schema.org JobPosting)"
# Organization and WebSite only, and a JobPosting in application/json: not ld+json.
_OTHER_TYPES = (DATA_DIR / "jsonld_no_jobposting_page.html").read_bytes()
_NESTED = b'<script type="application/ld+json">' + b"[" * 100_000 + b"</script>"

# Bodies a 200 may bring that are no board, per format:
# name, body, content type, transient, words the message must hold
_LAUGHS = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
BODY_CASES = {
    "json": [
        ("html page", HTML_PAGE, "text/html; charset=utf-8", False, "returned an HTML page"),
        ("html page sent as json", b"\n  <html>login</html>", "application/json", False, "HTML page"),
        ("empty body", b"", "application/json", True, "empty body"),
        ("not json", b"jobs: none", "text/plain", False, "invalid JSON"),
        ("python repr", b"{'jobs': []}", "application/json", False, "invalid JSON"),
        ("not utf-8", b'{"jobs": ["\xff\xfe"]}', "application/json", False, "not readable JSON"),
        ("hostile nesting", b"[" * 100_000, "application/json", False, "not readable JSON"),
    ],
    "xml": [
        ("html page", HTML_PAGE, "text/html; charset=utf-8", False, "returned an HTML page"),
        ("html page sent as xml", b"\n  <html>login</html>", "application/xml", False, "HTML page"),
        ("empty body", b"", "application/xml", True, "empty body"),
        ("not xml", b"jobs: none", "text/plain", False, "invalid XML"),
        ("json", b'{"jobs": []}', "application/json", False, "invalid XML"),
        (
            "not utf-8",
            b'<?xml version="1.0" encoding="utf-8"?><a>\xff\xfe</a>',
            "text/xml",
            False,
            "invalid XML",
        ),
        ("undefined entity", b"<workzag-jobs>&evil;</workzag-jobs>", "text/xml", False, "invalid XML"),
        (
            "billion laughs",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">'
            + _LAUGHS
            + b"]><workzag-jobs>&l9;</workzag-jobs>",
            "text/xml",
            False,
            "DOCTYPE",
        ),
        (
            "external entity",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workzag-jobs>&e;</workzag-jobs>',
            "text/xml",
            False,
            "refused",
        ),
        (
            "hostile nesting",
            b"<a>" * 100_000 + b"</a>" * 100_000,
            "text/xml",
            False,
            "expected <workzag-jobs>",
        ),
    ],
    # A careers page (jsonld): any 200 without a JobPosting is no board.
    "html": [
        ("html page", HTML_PAGE, "text/html; charset=utf-8", False, _NO_POSTING),
        ("other schema.org types", _OTHER_TYPES, "text/html; charset=utf-8", False, _NO_POSTING),
        ("empty body", b"", "text/html", True, "returned an empty page"),  # a hiccup, as for every format
        ("plain text", b"jobs: none", "text/plain", False, _NO_POSTING),
        ("json", b'{"jobs": []}', "application/json", False, _NO_POSTING),
        ("not utf-8", b"<html>\xff\xfe</html>", "text/html", False, _NO_POSTING),
        ("hostile nesting", _NESTED, "text/html", False, "1 JSON-LD blocks could not be read"),
        (
            "a sitemap cut short",
            b'<?xml version="1.0"?><urlset><url><loc>x',
            "application/xml",
            False,
            "invalid XML",
        ),
    ],
}
