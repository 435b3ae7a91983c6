"""Sample events for `alerts preview`, `alerts test-notify` and tests.

All four are about the seed document's posting (an Ashby job at OpenAI), so
previews show real data rather than invented companies and links.
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
        country="United States",
        work_model="hybrid",
        employment_type="full_time",
        url=SEED_JOB_URL,
        apply_url=f"{SEED_JOB_URL}/application",
    )


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 6, day, hour, 0, tzinfo=UTC)


def sample_items() -> list[Delivery]:
    """One event of each kind, in kind order, as the outbox would hand them over."""
    posting = seed_posting()
    before_update = replace(posting, work_model="onsite", team="Order to Cash")
    first_seen = _at(4, 13)  # the seed's first_seen_at
    events = [
        Event("opened", posting.board_key, posting.external_id, posting, occurred_at=_at(4, 13)),
        Event("reopened", posting.board_key, posting.external_id, posting, occurred_at=_at(12, 9)),
        Event(
            "updated",
            posting.board_key,
            posting.external_id,
            posting,
            changes={
                "team": [before_update.team, posting.team],
                "work_model": [before_update.work_model, posting.work_model],
            },
            occurred_at=_at(6, 19),
        ),
        Event("closed", posting.board_key, posting.external_id, posting, occurred_at=_at(9, 7)),
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
