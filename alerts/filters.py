"""Pure: does a subscription care about an event?

Values in one key are OR, keys together are AND, all case-insensitive.
Company, department, team, work model and employment type compare whole
values; location matches a word sequence in the location text, city, region
or country, or names the posting's country ("UK", "United Kingdom", "GB")
or a region it is in ("Europe"); country matches the posting's ISO code the
same way (or, when the source named no country, the words in its place
text); title keywords match whole words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from alerts.config import Subscription
from alerts.countries import filter_codes
from alerts.model import Event, Posting


@lru_cache(maxsize=4096)
def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(words.casefold())}(?!\w)")


def _contains_words(text: str | None, words: list[str]) -> bool:
    folded = (text or "").casefold()
    return any(_word_pattern(w).search(folded) for w in words)


def _equals_any(value: str | None, wanted: list[str]) -> bool:
    folded = (value or "").casefold().strip()
    return any(folded == w.casefold().strip() for w in wanted)


def matches_posting(sub: Subscription, posting: Posting) -> bool:
    checks = (
        (sub.company, lambda: _equals_any(posting.company, sub.company)),
        (sub.department, lambda: _equals_any(posting.department, sub.department)),
        (sub.team, lambda: _equals_any(posting.team, sub.team)),
        (sub.work_model, lambda: posting.work_model in sub.work_model),
        (sub.employment_type, lambda: posting.employment_type in sub.employment_type),
        (sub.location, lambda: _location_matches(posting, sub.location)),
        (sub.country, lambda: _country_matches(posting, sub.country)),
        (sub.title.include, lambda: _contains_words(posting.title, sub.title.include)),
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


def matches_event(sub: Subscription, event: Event, board_key: str) -> bool:
    """`event.posting` is the posting after the event (as last seen, for closed)."""
    return event.kind in sub.events and board_key in sub.boards and matches_posting(sub, event.posting)


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
