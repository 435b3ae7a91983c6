"""Pure: does a subscription care about an event?

Values in one key are OR, keys together are AND, all case-insensitive.
Company, department, team, work model and employment type compare whole
values; location matches a word sequence in the location text, city, region
or country, or names the posting's country ("UK", "United Kingdom", "GB")
or a region it is in ("Europe"); country matches the posting's ISO code the
same way (or, when the source named no country, the words in its place
text); title keywords match whole words.

- `keywords` look for whole words or phrases in the title and the
  description (any whitespace between a phrase's words). Sources without a
  description (SmartRecruiters' list) are matched on the title alone.
- `salary_min` compares on a yearly basis (hour x 2080, day x 260, week x
  52, month x 12; a salary without a period counts as yearly): a range
  matches when its max (or its min, when it has no max) reaches it.
  `salary_currency` refuses salaries in another currency (no exchange
  rates). A posting without a salary, or whose currency is not said while
  one is asked for, cannot be compared: it passes unless `salary_required`.
- `posted_within` is measured from the source's posted_at, else from when
  the posting was first seen; a posting with neither passes. It filters
  `opened` and `reopened` only: a posting's updates and close reach a
  subscription whatever its age (whoever was told about it hears the rest).
- An `updated` event reaches a subscription when the posting matched its
  filters before the change or after it: a salary that drops below
  `salary_min`, or a move out of the `location`, is said to those who were
  told the old values.
- `reposts = "hide"`: a repost is the same job going on, so the subscription
  hears of the job as if it had one id. It drops a repost of a posting
  that is still open, or whose close it was not told (it takes no `closed`
  events); a repost of a posting it was told closed is announced (as
  "Reposted": the job it heard close is open again), and so is a repost of
  a posting on a board it does not follow, or that its filters do not
  match (news to it). It drops a `closed` while the same job is still open
  under another id on a board it follows, in a form its filters match: the
  job did not close, and it hears "closed" once the last of its postings
  goes; and a `reopened` while the job is so open (it never closed).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from alerts.config import Subscription
from alerts.countries import filter_codes, place_country
from alerts.model import TRACKED_FIELDS, Event, Posting

# Salary periods -> how many of them make a year.
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


@lru_cache(maxsize=4096)
def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(words.casefold())}(?!\w)")


def _contains_words(text: str | None, words: list[str]) -> bool:
    folded = (text or "").casefold()
    return any(_word_pattern(w).search(folded) for w in words)


@lru_cache(maxsize=4096)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for any of the phrases, each as whole words, any spaces between them."""
    each = (r"\s+".join(map(re.escape, phrase.casefold().split())) for phrase in phrases)
    return re.compile(rf"(?<!\w)(?:{'|'.join(each)})(?!\w)")


def _contains_phrases(text: str, phrases: list[str]) -> bool:
    return _phrases_pattern(tuple(phrases)).search(text) is not None


def _equals_any(value: str | None, wanted: list[str]) -> bool:
    folded = (value or "").casefold().strip()
    return any(folded == w.casefold().strip() for w in wanted)


def matches_posting(
    sub: Subscription,
    posting: Posting,
    *,
    now: datetime | None = None,
    first_seen: datetime | None = None,
    by_age: bool = True,
) -> bool:
    """`now` and `first_seen` are for `posted_within` (default: the clock,
    and unknown); `by_age` False leaves `posted_within` out."""
    checks = (
        (sub.company, lambda: _equals_any(posting.company, sub.company)),
        (sub.department, lambda: _equals_any(posting.department, sub.department)),
        (sub.team, lambda: _equals_any(posting.team, sub.team)),
        (sub.work_model, lambda: posting.work_model in sub.work_model),
        (sub.employment_type, lambda: posting.employment_type in sub.employment_type),
        (sub.location, lambda: _location_matches(posting, sub.location)),
        (sub.country, lambda: _country_matches(posting, sub.country)),
        (sub.title.include, lambda: _contains_words(posting.title, sub.title.include)),
        (
            sub.salary_min is not None or sub.salary_currency or sub.salary_required,
            lambda: _salary_matches(sub, posting),
        ),
        (sub.posted_within and by_age, lambda: _recent(sub, posting, now, first_seen)),
        (sub.keywords.include or sub.keywords.exclude, lambda: _keywords_match(sub, posting)),
    )
    if not all(check() for wanted, check in checks if wanted):
        return False
    return not (sub.title.exclude and _contains_words(posting.title, sub.title.exclude))


def _location_matches(posting: Posting, wanted: list[str]) -> bool:
    places = (posting.location, posting.city, posting.region, posting.country)
    if any(_contains_words(place, wanted) for place in places):
        return True
    return posting.country is not None and posting.country in _countries(tuple(wanted))


def _country_matches(posting: Posting, wanted: list[str]) -> bool:
    if posting.country is not None:
        return posting.country in _countries(tuple(wanted))
    # The source named no country: the words may still be in its place text.
    return any(_contains_words(place, wanted) for place in (posting.location, posting.city, posting.region))


@lru_cache(maxsize=4096)
def _countries(words: tuple[str, ...]) -> frozenset[str]:
    """Every country these filter words name, regions included."""
    return frozenset().union(*(filter_codes(word) for word in words))


def yearly_salary(posting: Posting) -> float | None:
    """The top of the posting's range per year (its min when it has no max), or None."""
    top = posting.salary_max if posting.salary_max is not None else posting.salary_min
    if top is None:
        return None
    return top * PER_YEAR.get(posting.salary_period or "year", 1)


def _salary_matches(sub: Subscription, posting: Posting) -> bool:
    yearly = yearly_salary(posting)
    currency = (posting.salary_currency or "").strip().upper()
    if yearly is None or (sub.salary_currency and not currency):
        return not sub.salary_required  # nothing to compare
    if sub.salary_currency and currency != sub.salary_currency:
        return False
    return sub.salary_min is None or yearly >= sub.salary_min


def _recent(sub: Subscription, posting: Posting, now: datetime | None, first_seen: datetime | None) -> bool:
    since = posting.posted_at or first_seen
    if since is None or sub.posted_within is None:
        return True
    return (now or datetime.now(UTC)) - since <= sub.posted_within


def _keywords_match(sub: Subscription, posting: Posting) -> bool:
    text = f"{posting.title}\n{posting.description or ''}".casefold()
    include, exclude = sub.keywords.include, sub.keywords.exclude
    if include and not _contains_phrases(text, include):
        return False
    return not (exclude and _contains_phrases(text, exclude))


def matches_event(sub: Subscription, event: Event, board_key: str) -> bool:
    """`event.posting` is the posting after the event (as last seen, for
    closed); an update also matches by the posting before it."""
    if event.kind not in sub.events or board_key not in sub.boards:
        return False
    if sub.reposts == "hide" and _hidden_repost(sub, event):
        return False
    if event.kind in ("opened", "reopened"):
        first_seen = event.first_seen_at or (event.occurred_at if event.kind == "opened" else None)
        return matches_posting(sub, event.posting, now=event.occurred_at, first_seen=first_seen)
    if matches_posting(sub, event.posting, by_age=False):
        return True
    return event.kind == "updated" and matches_posting(sub, before_update(event), by_age=False)


_SALARY = re.compile(r"^(?:(\S+) )?(-?[\d,]+(?:\.\d+)?)(?:-(-?[\d,]+(?:\.\d+)?))?(?: per (\w+))?$")


def before_update(event: Event) -> Posting:
    """The posting as it was before an `updated` event, from its changes
    (`{field: [old, new]}`): the salary from its display form, and where the
    location changed, its old place (from `event.before` where reconcile gave
    it, else the country its old text names, city and region unknown)."""
    old = {name: pair[0] for name, pair in event.changes.items() if name in TRACKED_FIELDS and len(pair) == 2}
    salary = old.pop("salary", event.posting.salary)
    fields: dict[str, Any] = dict(old)
    if "salary" in event.changes:
        fields.update(_salary_fields(salary))
    if "location" in old:
        # As reconcile saw it: a country the source gave beside a city
        # ("Berlin", DE); else (or stored before countries came from place
        # text) the one its old text names.
        was = event.before
        country = (was.country if was else None) or place_country(old["location"])
        fields.update(city=was.city if was else None, region=was.region if was else None, country=country)
    return replace(event.posting, **fields) if fields else event.posting


def _salary_fields(text: object) -> dict[str, Any]:
    """`salary_min`... from model.format_salary's own form ("USD 150,000-180,000 per year")."""
    found = _SALARY.match(text) if isinstance(text, str) else None
    if found is None:
        return {"salary_min": None, "salary_max": None, "salary_currency": None, "salary_period": None}
    currency, low, high, period = found.groups()
    return {
        "salary_min": float(low.replace(",", "")),
        "salary_max": float(high.replace(",", "")) if high else None,
        "salary_currency": currency,
        "salary_period": period,
    }


def _hidden_repost(sub: Subscription, event: Event) -> bool:
    """For `reposts = "hide"`: whether the event is the job going on under a new id."""
    if event.kind == "opened" and event.reposts is not None:
        earlier = event.reposts
        if earlier.board_key not in sub.boards or not _follows(sub, event.elsewhere):
            return False  # it never heard of the earlier posting: the job is news to it
        return earlier.closed_at is None or "closed" not in sub.events
    if event.kind in ("closed", "reopened") and event.open_as is not None:
        # A close: the job goes on. A reopen: it never closed (that close was not heard).
        followed = any(event.open_as.startswith(f"{board}:") for board in sub.boards)
        return followed and _follows(sub, event.elsewhere)
    return False


def _follows(sub: Subscription, other: Posting | None) -> bool:
    """Whether the job's other posting passes the subscription's filters (unknown: yes),
    dated as when it appeared: its age since is no reason to tell of the job again."""
    return other is None or matches_posting(sub, other, now=other.posted_at)


def route(
    subs: list[Subscription], event: Event, board_key: str, *, baseline: bool = False
) -> dict[str, list[str]]:
    """{channel: [subscription names]} for one event; empty when nobody cares.

    A board's baseline reaches only subscriptions with `include_existing`.
    """
    routes: dict[str, list[str]] = {}
    for sub in subs:
        if baseline and not sub.include_existing:
            continue
        if matches_event(sub, event, board_key):
            for channel in sub.channels:
                routes.setdefault(channel, []).append(sub.name)
    return routes
