"""Synthetic job boards in each source's real response shape, deterministic by seed.

A `Universe` is a set of boards (`greenhouse`, `lever`, `ashby` in turn), each
starting with `postings` jobs. Every round applies churn to each board: jobs
added, removed and retitled, chosen by a PRNG seeded with (seed, board, round),
so any process can rebuild round N of board B on its own. The JSON shapes copy
/work/shared/fixtures (Greenhouse with `content=true`, Lever `mode=json`,
Ashby with `includeCompensation=true`).
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass, field
from typing import Any

KINDS: tuple[str, ...] = ("greenhouse", "lever", "ashby")
# The path the product requests, per kind (DESIGN.md, "Sources and their base_url").
PATHS: dict[str, str] = {
    "greenhouse": "/boards/{token}/jobs?content=true",
    "lever": "/postings/{token}?mode=json",
    "ashby": "/job-board/{token}?includeCompensation=true",
}
# Each kind is served from a loopback address of its own, as the real boards
# live on three hosts: per-host connection limits then apply as they would.
HOSTS: dict[str, str] = {"greenhouse": "127.0.0.1", "lever": "127.0.0.2", "ashby": "127.0.0.3"}
# The prefix the bench server mounts each kind under; a config's base_url is
# http://HOST:PORT + prefix.
PREFIXES: dict[str, str] = {
    "greenhouse": "/greenhouse/v1",
    "lever": "/lever/v0",
    "ashby": "/ashby/posting-api",
}

DEPARTMENTS = (
    "Engineering",
    "Finance",
    "Sales",
    "Marketing",
    "Product",
    "Design",
    "Operations",
    "Legal",
    "People",
    "Support",
    "Data",
    "Security",
)
ROLES = (
    "Engineer",
    "Analyst",
    "Manager",
    "Designer",
    "Account Executive",
    "Recruiter",
    "Scientist",
    "Counsel",
    "Specialist",
    "Architect",
    "Writer",
    "Controller",
)
LEVELS = ("", "Senior ", "Staff ", "Principal ", "Lead ", "Junior ")
# (location text, city, region, country, ISO country, work model word for Lever/Ashby)
PLACES = (
    ("Remote, United States", None, None, "United States", "US", "remote"),
    ("Hybrid - London", "London", "England", "United Kingdom", "GB", "hybrid"),
    ("New York, NY", "New York", "New York", "United States", "US", "onsite"),
    ("Berlin, Germany", "Berlin", "Berlin", "Germany", "DE", "hybrid"),
    ("San Francisco, CA", "San Francisco", "California", "United States", "US", "onsite"),
    ("Remote - Europe", None, None, "European Union", None, "remote"),
    ("Toronto, Canada", "Toronto", "Ontario", "Canada", "CA", "hybrid"),
    ("Paris, France (On-site)", "Paris", "Ile-de-France", "France", "FR", "onsite"),
)
COMMITMENTS = ("Full-time", "Part-time", "Contract", "Intern")
ASHBY_EMPLOYMENT = ("FullTime", "PartTime", "Contract", "Intern")
_WORDS = (
    "build scale team product customers data platform growth design secure reliable "
    "ship lead partner mentor global mission impact quality systems services users "
    "company benefits remote office collaborate learn own measure improve"
).split()
BASE_EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def _paragraphs(count: int, size: int) -> tuple[str, ...]:
    rng = random.Random(0)
    out = []
    for _ in range(count):
        words: list[str] = []
        length = 0
        while length < size:
            word = rng.choice(_WORDS)
            words.append(word)
            length += len(word) + 1
        out.append(" ".join(words).capitalize()[:size] + ".")
    return tuple(out)


@dataclass
class Job:
    seq: int  # stable per board: the posting's identity
    version: int = 0  # bumped by a retitle


@dataclass
class BoardState:
    jobs: list[Job]
    next_seq: int


@dataclass(frozen=True)
class Universe:
    seed: int
    boards: int
    postings: int
    churn: float = 0.03  # fraction of a board's postings changed per round
    text_bytes: int = 600  # length of each description field
    _text: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_text", _paragraphs(64, self.text_bytes))

    # -- identity ---------------------------------------------------------
    def kind(self, board: int) -> str:
        return KINDS[board % len(KINDS)]

    def token(self, board: int) -> str:
        return f"bench{board:05d}"

    def key(self, board: int) -> str:
        return f"{self.kind(board)}:{self.token(board)}"

    def path(self, board: int) -> str:
        kind = self.kind(board)
        return PREFIXES[kind] + PATHS[kind].format(token=self.token(board))

    def url(self, board: int, port: int) -> str:
        return f"http://{HOSTS[self.kind(board)]}:{port}{self.path(board)}"

    # -- state --------------------------------------------------------------
    def initial(self, board: int) -> BoardState:
        return BoardState([Job(seq) for seq in range(self.postings)], self.postings)

    def advance(self, board: int, state: BoardState, round_no: int) -> BoardState:
        """`state` (round round_no - 1) changed into round `round_no`, in place."""
        rng = random.Random(f"{self.seed}:{board}:{round_no}")
        wanted = len(state.jobs) * self.churn
        changes = int(wanted) + (rng.random() < wanted - int(wanted))
        # Rotate add/remove/retitle so every board sees all three over time and
        # the board size stays level.
        for n in range(changes):
            action = (board + round_no + n) % 3
            if action == 0 or not state.jobs:
                state.jobs.insert(rng.randrange(len(state.jobs) + 1), Job(state.next_seq))
                state.next_seq += 1
            elif action == 1:
                state.jobs.pop(rng.randrange(len(state.jobs)))
            else:
                state.jobs[rng.randrange(len(state.jobs))].version += 1
        return state

    def state(self, board: int, round_no: int) -> BoardState:
        state = self.initial(board)
        for r in range(1, round_no + 1):
            self.advance(board, state, r)
        return state

    # -- fields shared by every shape -------------------------------------
    def facts(self, board: int, job: Job) -> dict[str, Any]:
        """The normalized facts of one job, from which each shape is drawn."""
        h = int.from_bytes(hashlib.blake2b(f"{self.seed}:{board}:{job.seq}".encode(), digest_size=8).digest())
        dept = DEPARTMENTS[h % len(DEPARTMENTS)]
        title = f"{LEVELS[(h >> 8) % len(LEVELS)]}{ROLES[(h >> 12) % len(ROLES)]}, {dept}"
        if job.version:
            title += f" ({'I' * min(job.version, 3)}{job.version if job.version > 3 else ''})"
        place = PLACES[(h >> 16) % len(PLACES)]
        salary = 60_000 + (h >> 20) % 200 * 1_000
        return {
            "h": h,
            "uuid": f"{h & 0xFFFFFFFF:08x}-{(h >> 32) & 0xFFFF:04x}-4{board % 0xFFF:03x}-a{job.seq % 0xFFF:03x}-{board:06d}{job.seq:06d}",
            "num_id": 4_000_000_000 + board * 100_000 + job.seq,
            "dept": dept,
            "team": f"{dept} {('Core', 'Platform', 'Growth')[(h >> 24) % 3]}",
            "title": title,
            "place": place,
            "salary": (salary, salary + 40_000),
            "created_ms": BASE_EPOCH_MS + job.seq * 3_600_000,
            "updated_ms": BASE_EPOCH_MS + job.seq * 3_600_000 + job.version * 86_400_000,
            "text": self._text[h % len(self._text)],
        }

    # -- bodies -------------------------------------------------------------
    def payload(self, board: int, state: BoardState) -> Any:
        kind = self.kind(board)
        render = {"greenhouse": _greenhouse, "lever": _lever, "ashby": _ashby}[kind]
        jobs = [render(self.token(board), self.facts(board, job)) for job in state.jobs]
        if kind == "greenhouse":
            return {"jobs": jobs, "meta": {"total": len(jobs)}}
        if kind == "ashby":
            return {"apiVersion": "1", "jobs": jobs}
        return jobs

    def body(self, board: int, state: BoardState) -> bytes:
        return json.dumps(self.payload(board, state), ensure_ascii=False).encode()


def _iso(ms: int, offset: str = "+00:00") -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + offset


def _greenhouse(token: str, f: dict[str, Any]) -> dict[str, Any]:
    text, place = f["text"], f["place"]
    office = f"{place[1]}, {place[2]}, {place[3]}" if place[1] else place[3]
    return {
        "absolute_url": f"https://job-boards.greenhouse.io/{token}/jobs/{f['num_id']}",
        "data_compliance": [
            {
                "type": "gdpr",
                "requires_consent": False,
                "requires_processing_consent": False,
                "requires_retention_consent": False,
                "retention_period": None,
                "demographic_data_consent_applies": True,
            }
        ],
        "internal_job_id": f["num_id"] - 900_000_000,
        "location": {"name": place[0]},
        "metadata": [
            {
                "id": 18783104004,
                "name": "Career Site Categories",
                "value": f["dept"],
                "value_type": "single_select",
            }
        ],
        "id": f["num_id"],
        "updated_at": _iso(f["updated_ms"], "-04:00"),
        "requisition_id": str(f["num_id"] % 10_000),
        "title": f["title"],
        "company_name": token.capitalize(),
        "first_published": _iso(f["created_ms"], "-04:00"),
        "language": "en",
        "application_deadline": None,
        # Greenhouse sends its HTML entity-escaped.
        "content": html.escape(f'<div class="content-intro"><h2>About {token}:</h2><p>{text}</p></div>'),
        "departments": [
            {"id": 4_085_775_004 + f["h"] % 12, "name": f["dept"], "child_ids": [], "parent_id": None}
        ],
        "offices": [
            {
                "id": 4_091_069_004 + f["h"] % 8,
                "name": f"Office - {place[1] or 'Remote'}",
                "location": office,
                "child_ids": [],
                "parent_id": 4_014_161_004,
            }
        ],
        "ai_disclaimer": None,
        "include_ai_disclaimer": None,
        "ai_opt_out_request_url": f"http://app4.greenhouse.io/ai_opt_out_request/job_post/{f['num_id']}/ai_opt_out",
    }


def _lever(token: str, f: dict[str, Any]) -> dict[str, Any]:
    text, place = f["text"], f["place"]
    job: dict[str, Any] = {
        "additionalPlain": text[: len(text) // 3],
        "additional": f"<div>{text[: len(text) // 3]}</div>",
        "categories": {
            "commitment": COMMITMENTS[f["h"] % len(COMMITMENTS)],
            "department": f["dept"],
            "location": place[0],
            "team": f["team"],
            "allLocations": [place[0]],
        },
        "createdAt": f["created_ms"],
        "descriptionPlain": text,
        "description": f"<div><p>{text}</p></div>",
        "id": f["uuid"],
        "lists": [
            {"text": "What You'll Do", "content": f"<li><p>{text[:200]}</p></li>"},
            {"text": "Who You Are", "content": f"<li><p>{text[200:400]}</p></li>"},
        ],
        "text": f["title"],
        "country": place[4],
        "workplaceType": {"onsite": "on-site"}.get(place[5], place[5]),
        "opening": "",
        "openingPlain": "",
        "descriptionBody": f"<div><p>{text}</p></div>",
        "descriptionBodyPlain": text,
        "hostedUrl": f"https://jobs.lever.co/{token}/{f['uuid']}",
        "applyUrl": f"https://jobs.lever.co/{token}/{f['uuid']}/apply",
    }
    if f["h"] % 2:
        low, high = f["salary"]
        job["salaryRange"] = {"interval": "per-year-salary", "currency": "USD", "min": low, "max": high}
        job["salaryDescription"] = "<div><span>Factors such as scope and location apply.</span></div>"
        job["salaryDescriptionPlain"] = "Factors such as scope and location apply."
    return job


def _ashby(token: str, f: dict[str, Any]) -> dict[str, Any]:
    text, place = f["text"], f["place"]
    low, high = f["salary"]
    model = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "OnSite"}[place[5]]
    address = {
        k: v
        for k, v in (("addressLocality", place[1]), ("addressRegion", place[2]), ("addressCountry", place[3]))
        if v
    }
    return {
        "id": f["uuid"],
        "title": f["title"],
        "department": f["dept"],
        "team": f["team"],
        "employmentType": ASHBY_EMPLOYMENT[f["h"] % len(ASHBY_EMPLOYMENT)],
        "location": place[0],
        "shouldDisplayCompensationOnJobPostings": True,
        "secondaryLocations": [],
        "publishedAt": _iso(f["created_ms"]).replace("+00:00", ".158+00:00"),
        "isListed": True,
        "isRemote": place[5] == "remote",
        "workplaceType": model,
        "address": {"postalAddress": address},
        "jobUrl": f"https://jobs.ashbyhq.com/{token}/{f['uuid']}",
        "applyUrl": f"https://jobs.ashbyhq.com/{token}/{f['uuid']}/application",
        "descriptionHtml": f'<p style="min-height:1.5em">{text}</p>',
        "descriptionPlain": text,
        "compensation": {
            "compensationTierSummary": f"${low // 1000}K – ${high // 1000}K",
            "scrapeableCompensationSalarySummary": f"${low // 1000}K - ${high // 1000}K",
            "compensationTiers": [],
            "summaryComponents": [
                {
                    "compensationType": "Salary",
                    "interval": "1 YEAR",
                    "currencyCode": "USD",
                    "minValue": low,
                    "maxValue": high,
                }
            ],
        },
    }
