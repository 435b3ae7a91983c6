"""Delivery deliveries -> the template context documented in render.py.

Every posting string is escaped here for the destination, so a template
(ours or a user's) can print values as they are and stay safe.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from alerts.model import EMPLOYMENT_TYPES, TRACKED_FIELDS, WORK_MODELS, Delivery, Posting, Repost
from alerts.notify.envelope import Envelope, period_context
from alerts.notify.escape import (
    Escaper,
    break_mentions,
    escape_markdown,
    one_line,
    renders_markdown,
    safe_link,
    text_escaper,
)
from alerts.notify.salary import compact_display, compact_salary
from alerts.notify.stories import Story, stories

KIND_ORDER: tuple[str, ...] = ("opened", "reopened", "updated", "closed")
# How each kind reads in the subject line: "2 new, 1 reopened, ...".
KIND_WORDS = {"opened": "new", "reopened": "reopened", "updated": "updated", "closed": "closed"}
SUBJECT_MAX_COMPANIES = 3
NO_VALUE = "none"

_URL_FIELDS = ("url", "apply_url")
# Every Posting field a template sees but the links (made safe apart), `raw`
# and the description's source form (templates get an excerpt of its text).
_POSTING_FIELDS = tuple(
    f.name for f in fields(Posting) if f.name not in ("raw", "description_source", *_URL_FIELDS)
)
# Messages show the start of a description, never all of it.
DESCRIPTION_EXCERPT_CHARS = 300
# Postings kept escaped, per destination format and service: a pass's worth.
POSTING_CACHE_SIZE = 4096
# Closed vocabularies: kept as the raw word so templates can compare them
# ({% if posting.work_model == "remote" %}), shown with spaces for "_".
_ENUMS = {"work_model": frozenset(WORK_MODELS), "employment_type": frozenset(EMPLOYMENT_TYPES)}


def count_kinds(found: Sequence[Story]) -> dict[str, int]:
    """Stories by the kind they end as; `total` counts stories (postings)."""
    seen = Counter(story.kind for story in found)
    counts = {kind: seen.get(kind, 0) for kind in KIND_ORDER}
    counts["total"] = len(found)
    # Reposts are `opened` stories too: counted there and on their own.
    counts["reposted"] = sum(1 for story in found if story.reposts is not None)
    return counts


def tally(counts: dict[str, int]) -> list[dict[str, Any]]:
    """[{kind, word, count}] for each kind present, reposts apart from new ones:
    what "2 new, 1 reposted, 1 closed" says, for a template to lay out."""
    shown = {**counts, "opened": counts["opened"] - counts["reposted"]}
    rows = [(kind, KIND_WORDS[kind], shown[kind]) for kind in KIND_ORDER]
    rows.insert(1, ("reposted", "reposted", counts["reposted"]))
    return [{"kind": kind, "word": word, "count": count} for kind, word, count in rows if count]


def summary(counts: dict[str, int]) -> str:
    """ "2 new, 1 reposted, 1 closed"."""
    return ", ".join(f"{row['count']} {row['word']}" for row in tally(counts))


def subject(items: Sequence[Delivery]) -> str:
    """Plain summary line, e.g. "2 new, 1 reposted, 1 closed: OpenAI, Stripe"."""
    if not items:
        return "No job changes"
    found = stories(items)
    companies = sorted({story.company for story in found}, key=str.casefold)
    names = ", ".join(companies[:SUBJECT_MAX_COMPANIES])
    if len(companies) > SUBJECT_MAX_COMPANIES:
        names += f" +{len(companies) - SUBJECT_MAX_COMPANIES} more"
    return f"{summary(count_kinds(found))}: {names}"


def escape_title(title: str, service: str | None) -> str:
    """The message title as the service will show it.

    Titles are plain text everywhere except Discord, which prints the title
    on the first line of its (Markdown) content. Slack and email escape or
    encode titles themselves.
    """
    title = break_mentions(one_line(title), service)
    return escape_markdown(title) if renders_markdown("text", service) else title


def _value(value: Any, escape: Escaper, name: str = "") -> Any:
    if name in _ENUMS and value in _ENUMS[name]:
        return value
    return escape(value) if isinstance(value, str) else value


def posting_context(posting: Posting, body_format: str, service: str | None) -> dict[str, Any]:
    """The posting as templates see it, escaped for this destination.

    A copy of a cached one: a pass sends the same posting to many channels,
    and escaping every field again for each costs more than rendering.
    """
    # The description is a key of its own: postings compare equal without it.
    return dict(_posting_context(posting, posting.description, body_format, service))


@lru_cache(maxsize=POSTING_CACHE_SIZE)
def _posting_context(
    posting: Posting, description: str | None, body_format: str, service: str | None
) -> dict[str, Any]:
    escape = text_escaper(body_format, service)
    data = {name: _value(getattr(posting, name), escape, name) for name in _POSTING_FIELDS}
    for name in _URL_FIELDS:
        data[name] = safe_link(getattr(posting, name), service)
    data["salary"] = _value(posting.salary, escape)
    short = compact_salary(
        posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period
    )
    data["salary_short"] = _value(short, escape)
    data["description"] = _value(_excerpt(description), escape)
    # The one link a message shows: the posting page, else the apply form.
    data["link"] = data["url"] or data["apply_url"]
    # The field's name before it became board_token: users' templates keep working.
    data["board"] = data["board_token"]
    return data


def _excerpt(text: str | None) -> str | None:
    if text is None or len(text) <= DESCRIPTION_EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, DESCRIPTION_EXCERPT_CHARS)
    return text[: cut if cut > 0 else DESCRIPTION_EXCERPT_CHARS].rstrip(" ,.;:") + "…"


def span(seconds: float) -> str:
    """ "5 minutes", "3 hours", "12 days", "4 months", "2 years"."""
    minutes, days = int(seconds // 60), int(seconds // 86400)
    for count, unit, limit in (
        (minutes, "minute", 60),
        (minutes // 60, "hour", 24 * 60),
        (days, "day", 60 * 24 * 60),
        (days // 30, "month", 730 * 24 * 60),
    ):
        if minutes < limit:
            return f"{count} {unit}{'' if count == 1 else 's'}"
    years = days // 365
    return f"{years} year{'' if years == 1 else 's'}"


def ago(moment: datetime, now: datetime) -> str:
    seconds = (now - moment).total_seconds()
    return "just now" if seconds < 60 else f"{span(seconds)} ago"


def age(story: Story, now: datetime) -> str | None:
    """ "posted 3 days ago" from the source's date, else "first seen 2 hours ago".

    None for a new posting without a date (first seen by this very story:
    its label says as much) and where neither is known. A repost's age
    counts from its chain's first posting.
    """
    posted, first_seen = story.started
    if posted is not None:
        return f"posted {ago(posted, now)}"
    if (story.kind == "opened" and story.reposts is None) or first_seen is None:
        return None
    return f"first seen {ago(first_seen, now)}"


def repost_context(earlier: Repost | None, now: datetime, service: str | None) -> dict[str, Any] | None:
    if earlier is None:
        return None
    return {
        "link": safe_link(earlier.url, service),
        "first_seen_at": earlier.first_seen_at,
        "closed_at": earlier.closed_at,
        "closed": f"closed {ago(earlier.closed_at, now)}" if earlier.closed_at else "still open",
        "open_for": span(max(0.0, (now - earlier.first_seen_at).total_seconds())),
    }


def changes_context(changes: dict[str, list[Any]], escape: Escaper) -> list[dict[str, str]]:
    def shown(name: str, value: Any) -> str:
        if value is None or value == "":
            return NO_VALUE
        if name in _ENUMS and value in _ENUMS[name]:
            return str(value).replace("_", " ")
        return escape(str(value))

    def rank(name: str) -> int:
        return TRACKED_FIELDS.index(name) if name in TRACKED_FIELDS else len(TRACKED_FIELDS)

    def brief(name: str, value: Any) -> str:
        if name == "salary" and isinstance(value, str) and value:
            return escape(compact_display(value))
        return shown(name, value)

    return [
        {
            "field": name,
            "label": name.replace("_", " "),
            "old": shown(name, old_new[0]),
            "new": shown(name, old_new[1]),
            "old_short": brief(name, old_new[0]),
            "new_short": brief(name, old_new[1]),
        }
        for name, old_new in sorted(changes.items(), key=lambda kv: (rank(kv[0]), kv[0]))
    ]


def build_context(
    items: Sequence[Delivery],
    body_format: str,
    service: str | None,
    now: datetime | None = None,
    envelope: Envelope | None = None,
    counted: Sequence[Delivery] | None = None,
) -> dict[str, Any]:
    """`now` is when the message is written, for each posting's age (default:
    the clock); `envelope` what it is sent for (channel, period, config file);
    `counted`: the rows the title, counts and subscriptions are of, when the
    message shows only some of them (an email capped at its cards)."""
    now = now or datetime.now(UTC)
    envelope = envelope or Envelope()
    escape = text_escaper(body_format, service)
    found = stories(items)
    groups: list[dict[str, Any]] = []
    for story in found:
        company = escape(story.company)
        if not groups or groups[-1]["company"] != company:
            groups.append({"company": company, "events": []})
        groups[-1]["events"].append(
            {
                "kind": story.kind,
                "label": story.label,
                "kinds": [event.kind for event in story.events],
                "posting": posting_context(story.posting, body_format, service),
                "changes": changes_context(story.changes, escape),
                "subscriptions": [escape(name) for name in story.subscriptions],
                "occurred_at": story.occurred_at,
                "first_occurred_at": story.events[0].occurred_at,
                "first_seen_at": story.first_seen_at,
                "age": age(story, now),
                "repost": repost_context(story.reposts, now, service),
            }
        )
    whole = stories(counted) if counted is not None else found
    counts = count_kinds(whole)
    period = period_context(envelope, now)
    period.update(timezone=escape(period["timezone"]), text=escape(period["text"]))
    every = dict.fromkeys(name for story in whole for name in story.subscriptions)
    return {
        "groups": groups,
        "counts": counts,
        "title": escape(subject(counted if counted is not None else items)),
        "format": body_format,
        "summary": summary(counts),
        "tally": tally(counts),
        "period": period,
        "subscriptions": [escape(name) for name in every],
        "channel": escape(envelope.channel) if envelope.channel else None,
        "config_file": escape(envelope.config_file) if envelope.config_file else None,
    }
