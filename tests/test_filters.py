from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.config import Subscription, load_config
from alerts.errors import ConfigError
from alerts.filters import matches_event, matches_posting, route
from alerts.model import Event, Posting, Repost, SourceText

from support import alerts

ROOT = Path(__file__).resolve().parent.parent

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


# --- Filters people ask for (issue 14): salary, keywords, age, reposts ------

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def paid(low, high, currency="USD", period="year", **fields) -> Posting:
    return replace(
        POSTING, salary_min=low, salary_max=high, salary_currency=currency, salary_period=period, **fields
    )


@pytest.mark.parametrize(
    ("filters", "posting", "expected"),
    [
        # A range counts by its top; every period is made yearly.
        ({"salary_min": 120000}, paid(100000, 130000), True),
        ({"salary_min": 120000}, paid(100000, 110000), False),
        ({"salary_min": 120000}, paid(125000, None), True),  # no max: the min
        ({"salary_min": 120000}, paid(None, 119999), False),
        ({"salary_min": 120000}, paid(10000, 11000, period="month"), True),  # 132,000 a year
        ({"salary_min": 120000}, paid(9000, 9500, period="month"), False),  # 114,000
        ({"salary_min": 120000}, paid(55, 60, period="hour"), True),  # x 2080 = 124,800
        ({"salary_min": 120000}, paid(50, 55, period="hour"), False),  # 114,400
        ({"salary_min": 120000}, paid(400, 500, period="day"), True),  # x 260 = 130,000
        ({"salary_min": 120000}, paid(2000, 2300, period="week"), False),  # x 52 = 119,600
        ({"salary_min": 120000}, paid(2000, 2400, period="week"), True),  # 124,800
        ({"salary_min": 120000}, paid(100000, 130000, period=None), True),  # no period: yearly
        ({"salary_min": 0}, paid(1, 1), True),
        # No salary passes unless salary_required.
        ({"salary_min": 120000}, POSTING, True),
        ({"salary_min": 120000, "salary_required": True}, POSTING, False),
        ({"salary_required": True}, POSTING, False),
        ({"salary_required": True}, paid(1, 2), True),
        # Currency: another never matches (no exchange rates); unsaid cannot be compared.
        ({"salary_currency": "USD"}, paid(100000, 130000, currency="usd"), True),
        ({"salary_currency": "usd"}, paid(100000, 130000, currency="EUR"), False),
        (
            {"salary_currency": "EUR", "salary_min": 50000},
            paid(3750, 5250, currency="EUR", period="month"),
            True,
        ),
        ({"salary_currency": "GBP", "salary_min": 1}, paid(200000, 300000, currency="USD"), False),
        ({"salary_currency": "USD"}, paid(100000, 130000, currency=None), True),
        ({"salary_currency": "USD", "salary_required": True}, paid(100000, 130000, currency=None), False),
        ({"salary_currency": "USD"}, POSTING, True),
        # Keywords: whole words or phrases, title and description, any case.
        ({"keywords": ["billing"]}, POSTING, True),  # a bare list is include
        ({"keywords": "BILLING LEAD"}, POSTING, True),
        ({"keywords": ["bill"]}, POSTING, False),  # whole words
        (
            {"keywords": ["visa sponsorship"]},
            replace(POSTING, description_source=SourceText("We offer Visa\n  sponsorship.")),
            True,
        ),
        (
            {"keywords": ["visa sponsorship"]},
            replace(POSTING, description_source=SourceText("visa and sponsorship")),
            False,
        ),
        ({"keywords": ["rust"]}, replace(POSTING, description_source=SourceText("Trust us")), False),
        (
            {"keywords": ["rust", "go"]},
            replace(POSTING, description_source=SourceText("Go and Python")),
            True,
        ),
        (
            {"keywords": ["C++"]},
            replace(POSTING, description_source=SourceText("Modern C++ experience")),
            True,
        ),
        (
            {"keywords": {"exclude": ["unpaid"]}},
            replace(POSTING, description_source=SourceText("An unpaid role")),
            False,
        ),
        ({"keywords": {"exclude": ["unpaid"]}}, POSTING, True),
        (
            {"keywords": {"include": ["billing"], "exclude": ["cloud marketplaces"]}},
            POSTING,
            False,
        ),  # title too
        ({"keywords": ['"order management"']}, POSTING, True),  # quotes around a phrase are dropped
        ({"keywords": ["visa"]}, POSTING, False),  # no description: the title alone
        # Reposts and age are decided on the event (below).
        ({"reposts": "hide"}, POSTING, True),
        # posted_within: the source's date.
        ({"posted_within": "14d"}, replace(POSTING, posted_at=NOW - timedelta(days=13)), True),
        ({"posted_within": "14d"}, replace(POSTING, posted_at=NOW - timedelta(days=15)), False),
        ({"posted_within": "14d"}, POSTING, True),  # no date, no first sighting: passes
    ],
)
def test_new_filters(filters, posting, expected):
    assert matches_posting(sub(**filters), posting, now=NOW) is expected


def test_posted_within_falls_back_on_the_first_sighting():
    recent = sub(posted_within="14d")
    assert matches_posting(recent, POSTING, now=NOW, first_seen=NOW - timedelta(days=3))
    assert not matches_posting(recent, POSTING, now=NOW, first_seen=NOW - timedelta(days=30))
    # An event knows when it happened and when its posting was first seen.
    old = Event(
        "opened", "ashby:openai", "x", POSTING, occurred_at=NOW, first_seen_at=NOW - timedelta(days=30)
    )
    new = Event("opened", "ashby:openai", "x", POSTING, occurred_at=NOW)
    assert not matches_event(recent, old, "ashby:openai")
    assert matches_event(recent, new, "ashby:openai")
    # posted_within filters openings only: an old posting's update still reaches it.
    assert matches_event(recent, replace(old, kind="updated"), "ashby:openai")


def test_reposts_hide_drops_only_reposts_of_a_job_it_believes_open():
    earlier = Repost("ashby:openai", "old-id", "https://jobs.example.com/old", NOW - timedelta(days=90))
    repost = Event("opened", "ashby:openai", "x", POSTING, occurred_at=NOW, reposts=earlier)
    plain = Event("opened", "ashby:openai", "x", POSTING, occurred_at=NOW)
    hide, announce = sub(name="h", reposts="hide"), sub(name="a")
    assert route([hide, announce], repost, "ashby:openai") == {"c": ["a"]}
    assert route([hide, announce], plain, "ashby:openai") == {"c": ["h", "a"]}
    # The earlier posting had closed: a subscription told so hears the job is back...
    closed = replace(repost, reposts=replace(earlier, closed_at=NOW - timedelta(days=2)))
    assert route([hide, announce], closed, "ashby:openai") == {"c": ["h", "a"]}
    # ...one that takes no closes was never told: for it the job goes on.
    opens_only = sub(name="o", reposts="hide", events=["opened"])
    assert route([opens_only], closed, "ashby:openai") == {}
    # The earlier posting was on a board it does not follow: the job is news to it.
    moved = replace(repost, reposts=replace(earlier, board_key="lever:openai"))
    assert route([hide, opens_only], moved, "ashby:openai") == {"c": ["h", "o"]}
    # A close while the job is open under another id on a board it follows is no close for it.
    gone = Event("closed", "ashby:openai", "old-id", POSTING, occurred_at=NOW, open_as="ashby:openai:x")
    assert route([hide, announce], gone, "ashby:openai") == {"c": ["a"]}
    elsewhere = replace(gone, open_as="lever:openai:x")
    assert route([hide, announce], elsewhere, "ashby:openai") == {"c": ["h", "a"]}


CONFIG = """
[channels.out]
url = "console://"

[[subscriptions]]
name = "s"
boards = ["greenhouse:stripe"]
channels = ["out"]
"""


@pytest.mark.parametrize(
    ("line", "key", "words"),
    [
        ("salary_min = -1", "subscriptions[0].salary_min", "a yearly amount of zero or more"),
        ('salary_min = "lots"', "subscriptions[0].salary_min", "a yearly amount of zero or more"),
        ("salary_min = true", "subscriptions[0].salary_min", "a yearly amount of zero or more"),
        ("salary_min = nan", "subscriptions[0].salary_min", "a yearly amount of zero or more"),
        ('salary_currency = "XYZ"', "subscriptions[0].salary_currency", "ISO 4217 currency code"),
        ('salary_currency = "dollars"', "subscriptions[0].salary_currency", "ISO 4217 currency code"),
        ("salary_currency = 840", "subscriptions[0].salary_currency", "ISO 4217 currency code"),
        ('salary_required = "yes please"', "subscriptions[0].salary_required", "valid boolean"),
        ('keywords = [""]', "subscriptions[0].keywords.include", "words or phrases with a letter or digit"),
        ('keywords = { include = ["  "] }', "subscriptions[0].keywords.include", "words or phrases"),
        ('keywords = { exclude = ["!!!"] }', "subscriptions[0].keywords.exclude", "words or phrases"),
        (f'keywords = ["{"x" * 201}"]', "subscriptions[0].keywords.include", "at most 200 characters"),
        (
            'keywords = { inclde = ["rust"] }',
            "subscriptions[0].keywords.inclde",
            "allowed here: exclude, include",
        ),
        ("keywords = [3]", "subscriptions[0].keywords.include[0]", "valid string"),
        ('posted_within = "two weeks"', "subscriptions[0].posted_within", 'a duration like "90s"'),
        ('posted_within = "0s"', "subscriptions[0].posted_within", "more than 0s"),
        ('posted_within = "-3d"', "subscriptions[0].posted_within", "a duration"),
        ('posted_within = "9999d"', "subscriptions[0].posted_within", "at most 3650d"),
        ('reposts = "mute"', "subscriptions[0].reposts", "'announce' or 'hide'"),
        ('[alerts]\nrepost_window = "2y"', "alerts.repost_window", 'a duration like "90s"'),
        ('[alerts]\nrepost_window = "400d"', "alerts.repost_window", "at most 365d"),
    ],
)
def test_bad_filter_values_name_file_and_key(tmp_path, line, key, words):
    if line.startswith("[alerts]"):
        text = line + "\n" + CONFIG
    else:
        text = CONFIG.replace('channels = ["out"]', f'channels = ["out"]\n{line}')
    path = tmp_path / "alerts.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {key}"), message
    assert words in message, message


@pytest.mark.parametrize(
    ("lines", "check"),
    [
        ('salary_currency = " eur "', lambda s: s.salary_currency == "EUR"),
        ("salary_min = 120000", lambda s: s.salary_min == 120000),
        ("salary_min = 45.5", lambda s: s.salary_min == 45.5),
        ('keywords = "Rust"', lambda s: s.keywords.include == ["Rust"] and s.keywords.exclude == []),
        ('keywords = ["  visa   sponsorship "]', lambda s: s.keywords.include == ["visa sponsorship"]),
        ('posted_within = "36h"', lambda s: s.posted_within == timedelta(hours=36)),
        ('reposts = "HIDE"', lambda s: s.reposts == "hide"),
        ("", lambda s: s.reposts == "announce" and not s.salary_required and s.posted_within is None),
    ],
)
def test_good_filter_values(tmp_path, lines, check):
    path = tmp_path / "alerts.toml"
    path.write_text(CONFIG.replace('channels = ["out"]', f'channels = ["out"]\n{lines}'))
    assert check(load_config(path).subscriptions[0])


def test_repost_window_default_and_off(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text(CONFIG)
    assert load_config(path).alerts.repost_window == timedelta(days=30)
    path.write_text('[alerts]\nrepost_window = "0s"\n' + CONFIG)
    assert load_config(path).alerts.repost_window == timedelta(0)


def test_every_documented_filter_in_the_example_loads(tmp_path):
    """The commented filter lines of config.example.toml, uncommented, are a valid config."""
    text = (ROOT / "config.example.toml").read_text()
    documented = ("salary_min", "salary_required", "salary_currency", "keywords", "posted_within", "reposts")
    lines = []
    for line in text.splitlines():
        bare = line.removeprefix("# ")
        lines.append(bare if bare.split(" ")[0] in documented and line.startswith("# ") else line)
    path = tmp_path / "alerts.toml"
    path.write_text("\n".join(lines))
    sub = load_config(path).subscriptions[0]
    assert (sub.salary_min, sub.salary_required, sub.salary_currency) == (120000, True, "USD")
    assert sub.keywords.include == ["visa sponsorship", "Rust"] and sub.keywords.exclude == ["unpaid"]
    assert (sub.posted_within, sub.reposts) == (timedelta(days=14), "hide")


def test_validate_lists_what_each_subscription_filters_on(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text(
        CONFIG.replace(
            'channels = ["out"]',
            'channels = ["out"]\nsalary_min = 120000\nsalary_currency = "usd"\nsalary_required = true\n'
            'keywords = { include = ["visa sponsorship"], exclude = ["unpaid"] }\nposted_within = "14d"\n'
            'reposts = "hide"\n\n[[subscriptions]]\nname = "all"\nboards = ["lever:plaid"]\nchannels = ["out"]',
        )
    )
    result = alerts("validate", "--config", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        '  s: 1 board; title or description has "visa sponsorship"; title and description lack "unpaid"; '
        "salary at least 120,000 USD a year (required); posted within 14d; reposts hidden -> out"
    )
    assert lines[1] == "  all: 1 board; every posting -> out"
    assert lines[2].endswith("ok: 2 boards, 2 subscriptions, 1 channels")
