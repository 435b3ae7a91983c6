from __future__ import annotations

import pytest

from alerts.config import Subscription
from alerts.filters import matches_posting, route
from alerts.model import Event, Posting

POSTING = Posting(
    "ashby",
    "openai",
    "1d03b4ee",
    "Order Management & Billing Lead, Cloud Marketplaces",
    company="OpenAI",
    department="Finance",
    team="Finance",
    location="San Francisco, CA",
    city="San Francisco",
    region="CA",
    country="United States",
    work_model="hybrid",
    employment_type="full_time",
)


def sub(**filters) -> Subscription:
    return Subscription(name=filters.pop("name", "s"), boards=["ashby:openai"], channels=["c"], **filters)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, True),
        ({"company": ["openai"]}, True),
        ({"company": ["Stripe"]}, False),
        ({"department": ["FINANCE", "Sales"]}, True),
        ({"department": ["Fin"]}, False),  # whole values, not prefixes
        ({"team": ["finance"]}, True),
        ({"work_model": ["remote"]}, False),
        ({"work_model": ["remote", "hybrid"]}, True),
        ({"employment_type": ["full_time"]}, True),
        ({"employment_type": ["contract"]}, False),
        ({"location": ["san francisco"]}, True),
        ({"location": ["United States"]}, True),
        ({"location": ["CA"]}, True),
        ({"location": ["Francis"]}, False),  # whole words
        ({"title": {"include": ["billing"]}}, True),
        ({"title": {"include": ["bill"]}}, False),
        ({"title": {"include": ["billing lead"]}}, True),
        ({"title": {"include": ["engineer", "billing"]}}, True),
        ({"title": {"exclude": ["lead"]}}, False),
        ({"title": {"include": ["billing"], "exclude": ["intern"]}}, True),
        ({"department": ["Finance"], "work_model": ["remote"]}, False),  # keys are AND
        ({"department": ["Finance"], "work_model": ["hybrid"], "company": ["OpenAI"]}, True),
    ],
)
def test_filters(filters, expected):
    assert matches_posting(sub(**filters), POSTING) is expected


def test_missing_fields_never_match_a_filter_on_them():
    bare = Posting("greenhouse", "x", "1", "Engineer")
    assert not matches_posting(sub(department=["Finance"]), bare)
    assert matches_posting(sub(title=["engineer"]), bare)


def test_route_merges_subscriptions_per_channel_and_checks_events_and_boards():
    subs = [
        Subscription(name="a", boards=["ashby:openai"], channels=["slack", "mail"]),
        Subscription(name="b", boards=["ashby:openai"], channels=["slack"], department=["Finance"]),
        Subscription(name="c", boards=["lever:plaid"], channels=["slack"]),
        Subscription(name="d", boards=["ashby:openai"], channels=["mail"], events=["closed"]),
    ]
    event = Event("opened", "ashby:openai", POSTING.external_id, POSTING)
    assert route(subs, event, "ashby:openai") == {"slack": ["a", "b"], "mail": ["a"]}


def test_baseline_reaches_only_subscriptions_that_asked():
    subs = [
        Subscription(name="quiet", boards=["ashby:openai"], channels=["c"]),
        Subscription(name="loud", boards=["ashby:openai"], channels=["c"], include_existing=True),
    ]
    event = Event("opened", "ashby:openai", POSTING.external_id, POSTING)
    assert route(subs, event, "ashby:openai", baseline=True) == {"c": ["loud"]}
