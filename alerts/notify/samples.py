"""Sample events for `alerts preview`, `alerts test-notify` and tests.

All four show the seed document's posting (an Ashby job at OpenAI), so
previews show real data rather than invented companies and links; each is
its own posting (an id of its own), so a message shows all four kinds
rather than one merged story (stories.py).

`showcase_items()` is a fuller day for the rendered samples in docs/
(docs/render_samples.py): several companies, salaries, a repost and an
update, around the same seed job (closed), with invented companies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alerts.model import Delivery, Event, Posting, Repost
from alerts.notify.envelope import Envelope

SEED_JOB_ID = "1d03b4ee-8cec-47a1-b9e2-8ce9c5650943"
SEED_JOB_URL = f"https://jobs.ashbyhq.com/openai/{SEED_JOB_ID}"


def seed_posting() -> Posting:
    return Posting(
        source="ashby",
        board_token="openai",
        external_id=SEED_JOB_ID,
        title="Order Management & Billing Lead, Cloud Marketplaces & Partnerships - AWS",
        company="OpenAI",
        department="Finance",
        team="Finance",
        location="San Francisco",
        city="San Francisco",
        region="CA",
        country="US",
        work_model="hybrid",
        employment_type="full_time",
        url=SEED_JOB_URL,
        apply_url=f"{SEED_JOB_URL}/application",
    )


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 6, day, hour, 0, tzinfo=UTC)


def sample_items() -> list[Delivery]:
    """One event of each kind, in kind order (which is also their time
    order), as the outbox would hand them over."""
    seed = seed_posting()
    before_update = replace(seed, work_model="onsite", team="Order to Cash")

    def posting(number: int) -> Posting:
        return seed if number == 1 else replace(seed, external_id=f"{SEED_JOB_ID}-{number}")

    def event(number: int, kind: str, day: int, hour: int, **changes: list) -> Event:
        job = posting(number)
        return Event(kind, job.board_key, job.external_id, job, changes, occurred_at=_at(day, hour))  # type: ignore[arg-type]

    first_seen = _at(4, 13)  # the seed's first_seen_at
    events = [
        event(1, "opened", 4, 13),
        event(2, "reopened", 6, 19),
        event(
            3,
            "updated",
            9,
            7,
            team=[before_update.team, seed.team],
            work_model=[before_update.work_model, seed.work_model],
        ),
        event(4, "closed", 12, 9),
    ]
    subscriptions = ("finance-hybrid", "openai-everything")
    return [
        Delivery(
            id=number,
            channel="preview",
            event=event,
            # The second subscription only matches some, as in real use.
            subscriptions=subscriptions if event.kind != "closed" else subscriptions[:1],
        )
        for number, event in enumerate((replace(e, first_seen_at=first_seen) for e in events), start=1)
    ]


# The showcase digest goes out on Tuesday 25 November 2026 at 08:00 in Berlin
# and covers the day before.
SHOWCASE_NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
SHOWCASE_SINCE = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def showcase_envelope(channel: str = "email") -> Envelope:
    return Envelope(channel, "Europe/Berlin", True, SHOWCASE_SINCE, SHOWCASE_NOW, "alerts.toml")


def _hours_before(hours: float) -> datetime:
    return SHOWCASE_NOW - timedelta(hours=hours)


def _job(source: str, board: str, number: str, title: str, company: str, **fields: object) -> Posting:
    url = f"https://jobs.example.com/{board}/{number}"
    extra = {"apply_url": f"{url}/apply", "employment_type": "full_time", **fields}
    return Posting(source, board, number, title, company=company, url=url, **extra)  # type: ignore[arg-type]


def showcase_items() -> list[Delivery]:
    """A digest's worth: new jobs with salaries (yearly and hourly), a repost
    of a job first seen months ago, a salary and work-model update, and the
    seed job closing."""
    backend = _job(
        "greenhouse", "northwind", "4417", "Senior Backend Engineer, Payments", "Northwind Payments",
        department="Engineering", location="Berlin, Germany", country="DE", work_model="hybrid",
        salary_min=85000, salary_max=105000, salary_currency="EUR", salary_period="year",
        posted_at=_hours_before(50),
    )  # fmt: skip
    analyst = _job(
        "lever", "acme", "fa-2291", "Financial Analyst, FP&A", "Acme Corp",
        department="Finance", location="London, United Kingdom", country="GB", work_model="hybrid",
        salary_min=55000, salary_max=65000, salary_currency="GBP", salary_period="year",
        posted_at=_hours_before(20),
    )  # fmt: skip
    sre = _job(
        "ashby", "globex", "sre-7", "Site Reliability Engineer", "Globex",
        department="Infrastructure", location="United States", country="US", work_model="remote",
        salary_min=135000, salary_max=165000, salary_currency="USD", salary_period="year",
        posted_at=_hours_before(24 * 12),
    )  # fmt: skip
    contract = _job(
        "workable", "initech", "de-31", "Data Engineer (6-month contract)", "Initech",
        department="Data", location="Remote, Canada", country="CA", work_model="remote",
        employment_type="contract", salary_min=70, salary_currency="CAD", salary_period="hour",
        posted_at=_hours_before(6),
    )  # fmt: skip
    earlier = Repost("lever:acme", "fa-1870", "https://jobs.example.com/acme/fa-1870",
                     first_seen_at=_hours_before(24 * 128), closed_at=_hours_before(24 * 5))  # fmt: skip
    seed = seed_posting()

    def event(posting: Posting, kind: str, hours: float, seen_days: float, **extra: object) -> Event:
        return Event(
            kind,  # type: ignore[arg-type]
            posting.board_key,
            posting.external_id,
            posting,
            occurred_at=_hours_before(hours),
            first_seen_at=_hours_before(24 * seen_days),
            **extra,  # type: ignore[arg-type]
        )

    updated = {
        "salary": ["USD 120,000-150,000 per year", sre.salary],
        "work_model": ["onsite", "remote"],
    }
    rows = [
        (event(backend, "opened", 22, 22 / 24), ("backend-eu",)),
        (event(analyst, "opened", 18, 18 / 24, reposts=earlier), ("finance-hybrid",)),
        (event(sre, "updated", 9, 12, changes=updated), ("backend-eu", "remote-us")),
        (event(contract, "opened", 5, 5 / 24), ("remote-us",)),
        (event(seed, "closed", 2, 21), ("finance-hybrid",)),
    ]
    return [
        Delivery(id=number, channel="email", event=item, subscriptions=subs)
        for number, (item, subs) in enumerate(rows, start=1)
    ]
