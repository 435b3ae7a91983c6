"""Sample events for `alerts preview`, `alerts test-notify` and tests.

All four show the seed document's posting (an Ashby job at OpenAI), so
previews show real data rather than invented companies and links; each is
its own posting (an id of its own), so a message shows all four kinds
rather than one merged story (stories.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alerts.model import Delivery, Event, Posting

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
