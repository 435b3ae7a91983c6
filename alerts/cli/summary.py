"""What each subscription filters on, one line each, for `alerts validate`."""

from __future__ import annotations

from datetime import timedelta

from alerts.config import Config, Subscription
from alerts.model import EVENT_KINDS


def duration_text(value: timedelta) -> str:
    """timedelta -> "14d", "36h", "90m", "45s" (the largest unit it is a whole number of)."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _quoted(words: list[str]) -> str:
    return " or ".join(f'"{w}"' for w in words)


def _salary(sub: Subscription) -> str | None:
    if sub.salary_min is None and not sub.salary_currency and not sub.salary_required:
        return None
    if sub.salary_min is not None:
        text = f"salary at least {sub.salary_min:,.0f} {sub.salary_currency or ''} a year".replace("  ", " ")
    elif sub.salary_currency:
        text = f"salary in {sub.salary_currency}"
    else:
        text = "salary shown"
    if sub.salary_required:
        return text + (" (required)" if text != "salary shown" else "")
    return text + " (or none shown)"


def filters_of(sub: Subscription) -> list[str]:
    """Each filter of the subscription in words, in the order of the config's keys."""
    parts = [
        f"{name.replace('_', ' ')} {', '.join(values)}"
        for name, values in (
            ("company", sub.company),
            ("department", sub.department),
            ("team", sub.team),
            ("work_model", sub.work_model),
            ("location", sub.location),
            ("employment_type", sub.employment_type),
        )
        if values
    ]
    if sub.title.include:
        parts.append(f"title has {_quoted(sub.title.include)}")
    if sub.title.exclude:
        parts.append(f"title lacks {_quoted(sub.title.exclude)}")
    if sub.keywords.include:
        parts.append(f"title or description has {_quoted(sub.keywords.include)}")
    if sub.keywords.exclude:
        parts.append(f"title and description lack {_quoted(sub.keywords.exclude)}")
    salary = _salary(sub)
    if salary:
        parts.append(salary)
    if sub.posted_within is not None:
        parts.append(f"posted within {duration_text(sub.posted_within)}")
    if sub.reposts == "hide":
        parts.append("reposts hidden")
    if set(sub.events) != set(EVENT_KINDS):
        parts.append(f"events {', '.join(sub.events)}")
    return parts


def subscription_lines(config: Config) -> list[str]:
    lines = []
    for sub in config.subscriptions:
        boards = f"{len(sub.boards)} board{'' if len(sub.boards) == 1 else 's'}"
        filters = "; ".join(filters_of(sub)) or "every posting"
        existing = ", existing postings too" if sub.include_existing else ""
        lines.append(f"  {sub.name}: {boards}{existing}; {filters} -> {', '.join(sub.channels)}")
    return lines
