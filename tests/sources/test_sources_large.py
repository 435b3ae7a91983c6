"""A board of 10,000 postings per source: every posting comes through, in
order, distinct. Generated from each kind's recorded job so the records are
realistic in size and shape. No timing assertion: the suite's run time is
the guard (this file takes well under two seconds)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from alerts.model import BoardRef, Posting
from alerts.sources import ashby, bluedoor, greenhouse, lever, recruitee, smartrecruiters, workable

SIZE = 10_000


def _lever_id(job: dict[str, Any], n: int) -> None:
    job["id"] = f"00000000-0000-4000-8000-{n:012d}"


def _int_id(job: dict[str, Any], n: int) -> None:
    job["id"] = 1_000_000 + n


# kind, recorded file, where the jobs are, how to give a copy its own id, the parser
CASES: list[
    tuple[
        str, str, str | None, Callable[[dict[str, Any], int], None], Callable[[Any, BoardRef], list[Posting]]
    ]
] = [
    ("greenhouse", "greenhouse_vercel.json", "jobs", _int_id, greenhouse.parse),
    ("lever", "lever_matchgroup.json", None, _lever_id, lever.parse),
    ("lever-eu", "lever_spotify.json", None, _lever_id, lever.parse_eu),
    ("ashby", "ashby_linear.json", "jobs", _lever_id, ashby.parse),
    (
        "smartrecruiters",
        "smartrecruiters_ubisoft2.json",
        "content",
        lambda j, n: j.update(id=str(n)),
        smartrecruiters.parse,
    ),
    (
        "workable",
        "workable_huckberry.json",
        "jobs",
        lambda j, n: j.update(shortcode=f"S{n:09d}"),
        workable.parse,
    ),
    ("recruitee", "recruitee_channable.json", "offers", _int_id, recruitee.parse),
    (
        "bluedoor",
        "bluedoor_seed_record.json",
        "data",
        lambda j, n: j.update(job_id=f"{n:040x}"),
        bluedoor.parse,
    ),
]


@pytest.mark.parametrize(("kind", "fixture", "key", "set_id", "parse"), CASES, ids=[c[0] for c in CASES])
def test_ten_thousand_postings(
    payload: Callable[[str], Any],
    kind: str,
    fixture: str,
    key: str | None,
    set_id: Callable[[dict[str, Any], int], None],
    parse: Callable[[Any, BoardRef], list[Posting]],
) -> None:
    data = payload(fixture)
    template = data if kind == "bluedoor" else (data[key][0] if key else data[0])
    jobs = []
    for n in range(SIZE):
        job = copy.copy(template)  # shallow: only the id differs
        set_id(job, n)
        job[
            "title"
            if kind not in ("lever", "lever-eu", "smartrecruiters")
            else ("text" if kind != "smartrecruiters" else "name")
        ] = f"Role {n}"
        jobs.append(job)
    body: Any = jobs if key is None else {key: jobs, "totalFound": SIZE, "next_cursor": None}
    postings = parse(body, BoardRef(kind, "big"))
    assert len(postings) == SIZE
    assert len({p.external_id for p in postings}) == SIZE
    assert [p.title for p in postings[:3]] == ["Role 0", "Role 1", "Role 2"] and postings[
        -1
    ].title == f"Role {SIZE - 1}"
    assert all(p.source == kind for p in postings)
