from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alerts.model import Posting
from alerts.sources import lever

from sources_support import Case, json_jobs, json_page, renumbered

SPOTIFY = (
    Posting(
        source="lever",
        board_token="spotify",
        external_id="2193db3f-77c5-43b8-b030-8f92c9882bf1",
        title="Android Engineer - Experience",
        company="spotify",
        department="Engineering",
        team="Experience",
        location="London",
        country="GB",
        work_model="hybrid",
        employment_type="full_time",  # "Permanent"
        url="https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1",
        apply_url="https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1/apply",
        posted_at=datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC),
    ),
    Posting(
        source="lever",
        board_token="spotify",
        external_id="d87833d0-fb78-4794-b45d-3fe5c8274bc8",
        title="Artist & Label Partnerships Contractor, Vietnam",
        company="spotify",
        department="Content",
        team="Music Business",
        location="Ho Chi Minh",
        country="VN",
        work_model="hybrid",
        employment_type="temporary",  # "Short Term"
        url="https://jobs.lever.co/spotify/d87833d0-fb78-4794-b45d-3fe5c8274bc8",
        apply_url="https://jobs.lever.co/spotify/d87833d0-fb78-4794-b45d-3fe5c8274bc8/apply",
        posted_at=datetime(2026, 8, 27, 3, 43, 7, 805000, tzinfo=UTC),
    ),
)
MATCHGROUP = (
    Posting(
        source="lever",
        board_token="matchgroup",
        external_id="3414ba28-35f7-45d3-8e13-35c883959635",
        title="Android Engineer III",
        company="matchgroup",
        department="Hinge",
        team="Engineering",
        location="New York, New York",
        country="US",
        work_model="hybrid",
        employment_type="full_time",
        salary_min=150000.0,
        salary_max=180000.0,
        salary_currency="USD",
        salary_period="year",
        url="https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635",
        apply_url="https://jobs.lever.co/matchgroup/3414ba28-35f7-45d3-8e13-35c883959635/apply",
        posted_at=datetime(2026, 5, 19, 20, 38, 11, 267000, tzinfo=UTC),
    ),
    Posting(
        source="lever",
        board_token="matchgroup",
        external_id="4004a95b-ed89-4193-ad1a-a2ed5d4703d5",
        title="Android Software Engineer (Azar)",
        company="matchgroup",
        department="Hyperconnect",
        team="Engineering",
        location="Seoul, South Korea",
        country="KR",
        work_model="hybrid",
        employment_type="full_time",
        url="https://jobs.lever.co/matchgroup/4004a95b-ed89-4193-ad1a-a2ed5d4703d5",
        apply_url="https://jobs.lever.co/matchgroup/4004a95b-ed89-4193-ad1a-a2ed5d4703d5/apply",
        posted_at=datetime(2026, 1, 5, 6, 59, 28, 549000, tzinfo=UTC),
    ),
)


def _case(kind: str, parse, recorded, default_base_url: str, work_models) -> Case:  # type: ignore[no-untyped-def]
    return Case(
        kind=kind,
        token="spotify",
        fixture="lever_spotify.json",
        path="/postings/spotify",
        query="mode=json",
        default_base_url=default_base_url,
        default_url=f"{default_base_url}/postings/spotify?mode=json",
        recorded=recorded,
        parse=parse,
        jobs_of=json_jobs(None),
        page=json_page(None),
        job=lambda fields: {"id": "a", "text": "t", **fields},
        renumber=renumbered("id", "text", lambda n: f"00000000-0000-4000-8000-{n:012d}"),
        no_id=(b'[{"text": "A"}]', "job #1 has no usable 'id'"),
        wrong_shape=b'{"postings": []}',
        work_models=work_models,
    )


CASE = _case(
    "lever",
    lever.parse,
    SPOTIFY,
    "https://api.lever.co/v0",
    (
        ("workplaceType remote", {"workplaceType": "remote"}, "remote"),
        ("workplaceType hybrid", {"workplaceType": "hybrid"}, "hybrid"),
        ("workplaceType on-site", {"workplaceType": "on-site"}, "onsite"),
        ("workplaceType onsite", {"workplaceType": "onsite"}, "onsite"),
        (
            "field wins over text",
            {"workplaceType": "onsite", "categories": {"location": "Remote"}},
            "onsite",
        ),
        (
            "unspecified, remote location",
            {"workplaceType": "unspecified", "categories": {"location": "Remote - US"}},
            "remote",
        ),
        (
            "unspecified, a remote one of allLocations",
            {
                "workplaceType": "unspecified",
                "categories": {"location": "NYC", "allLocations": ["NYC", "Remote"]},
            },
            "remote",
        ),
        (
            "unspecified, a plain city",
            {"workplaceType": "unspecified", "categories": {"location": "NYC"}},
            "unknown",
        ),
        ("nothing", {}, "unknown"),
    ),
)
# The EU host: the same postings, of the kind lever-eu.
EU_CASE = _case(
    "lever-eu",
    lever.parse_eu,
    tuple(replace(p, source="lever-eu") for p in SPOTIFY),
    "https://api.eu.lever.co/v0",
    (
        ("workplaceType hybrid", {"workplaceType": "hybrid"}, "hybrid"),
        (
            "unspecified, remote location",
            {"workplaceType": "unspecified", "categories": {"location": "Remote, EU"}},
            "remote",
        ),
    ),
)
