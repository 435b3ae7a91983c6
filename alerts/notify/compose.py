"""Delivery rows for one channel URL -> the messages to send it.

Each URL gets the body its service shows best (see render.py for the
built-in templates), one message when it fits and otherwise:

- split at event boundaries into parts that each fit, titled "(1/3)"...,
  where the service takes a real message (Discord's 2,000 characters);
- cut short with "...and N more" and a link where it takes only a few
  hundred characters (SMS and the like), since ten SMS in a row help nobody.

Every part names the rows it carries, so the outbox records each part's
outcome on its own rows and a retry never repeats a part that went out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alerts.model import Delivery, Message
from alerts.notify.context import escape_title, ordered, subject
from alerts.notify.email import EMAIL_SERVICES
from alerts.notify.escape import safe_link
from alerts.notify.render import render_body
from alerts.notify.send import capacity, native_format, service_of

# Below this many characters a message is too small to split usefully.
SPLIT_MIN_CHARS = 1000
# Room kept for the " (12/34)" a split part's title gets.
PART_SUFFIX_CHARS = len(" (99/99)")
# Apprise joins title and body with "\r\n" where the title is part of the body.
TITLE_JOIN_CHARS = 2
ELLIPSIS = "…"
# A title shortened below this says too little to be worth showing.
MIN_TITLE_CHARS = 12


@dataclass(frozen=True)
class Target:
    """One channel URL and how its messages are written."""

    url: str
    service: str | None
    body_format: str  # what the template writes: "text", "markdown" or "html"
    send_format: str  # what Apprise is told the body is
    chars: int | None  # the service's limit per message, None if it has none
    title_in_body: bool

    @property
    def short(self) -> bool:
        return self.chars is not None and self.chars < SPLIT_MIN_CHARS

    @property
    def email(self) -> bool:
        return self.service in EMAIL_SERVICES and self.body_format == "html"


def target_for(url: str, body_format: str | None = None) -> Target:
    """`body_format` is the channel's `format` override, if any."""
    service = service_of(url)
    native = native_format(url)
    limit = capacity(url)
    written = sent = body_format or native
    if service == "discord" and body_format is None:
        # Discord renders Markdown in plain messages too; telling Apprise the
        # URL's own format keeps it a plain message rather than an embed.
        written, sent = "markdown", native
    return Target(url, service, written, sent, limit.chars, limit.title_in_body)


@dataclass(frozen=True)
class Part:
    message: Message
    ids: tuple[int, ...]
    text: str | None = None  # the plain-text alternative of an HTML email


def compose(
    items: Sequence[Delivery], target: Target, *, template: Path | None = None, now: datetime | None = None
) -> list[Part]:
    """`now`: when the message is written, for each posting's age (default: the clock)."""
    if not items:
        return []
    items = ordered(items)
    now = now or datetime.now(UTC)
    whole = _part(items, target, template, now)
    if _fits(whole, target):
        return [whole]
    if target.short:
        return [_summary(items, target, template, now)]
    return _split(items, target, template, now)


def _part(
    items: Sequence[Delivery],
    target: Target,
    template: Path | None,
    now: datetime,
    *,
    more: dict[str, Any] | None = None,
    about: Sequence[Delivery] | None = None,
    suffix: str = "",
) -> Part:
    """`about`: the rows the title summarises (all of them, when some are left out)."""
    body = render_body(
        items,
        target.body_format,
        template=template,
        service=target.service,
        short=target.short,
        more=more,
        now=now,
    )
    title = escape_title(subject(about or items), target.service) + suffix
    # Email's text part lists every posting with its link written out.
    text = render_body(items, "text", more=more, now=now) if target.email else None
    ids = tuple(item.id for item in (about or items))
    return Part(Message(title, body, target.send_format), ids, text)


def _used(part: Part, target: Target, reserve: int = 0) -> int:
    title = len(part.message.title) + TITLE_JOIN_CHARS + reserve if target.title_in_body else 0
    return len(part.message.body) + title


def _fits(part: Part, target: Target, reserve: int = 0) -> bool:
    return target.chars is None or _used(part, target, reserve) <= target.chars


def _split(items: list[Delivery], target: Target, template: Path | None, now: datetime) -> list[Part]:
    groups: list[list[Delivery]] = []
    current: list[Delivery] = []
    for item in items:
        candidate = [*current, item]
        if _fits(_part(candidate, target, template, now), target, PART_SUFFIX_CHARS) or not current:
            current = candidate
        else:
            groups.append(current)
            current = [item]
    groups.append(current)
    parts = [
        _part(group, target, template, now, suffix=f" ({number}/{len(groups)})")
        for number, group in enumerate(groups, start=1)
    ]
    # An event too long for a message on its own is cut rather than refused.
    return [part if _fits(part, target) else _truncated(part, target) for part in parts]


def _summary(items: list[Delivery], target: Target, template: Path | None, now: datetime) -> Part:
    """As many events as fit, then "...and N more" (every row counts as sent)."""

    def attempt(shown: int, first: Delivery | None = None) -> Part:
        head = [first or items[0], *items[1:shown]] if shown else []
        more = None
        if shown < len(items):
            posting = items[shown].event.posting
            link = safe_link(posting.url or posting.apply_url, target.service)
            more = {"count": len(items) - shown, "link": link}
        return _part(head, target, template, now, more=more, about=items)

    low, high = 0, len(items) - 1  # the whole list is known not to fit
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(attempt(middle), target):
            low = middle
        else:
            high = middle - 1
    if low == 0:
        # Not even one event fits: show the first with its title shortened,
        # so the message still says what the job is and links to it.
        first = items[0]
        for _ in range(3):  # escaping may change lengths: converge in a few steps
            part = attempt(1, first)
            excess = _used(part, target) - (target.chars or 0)
            if excess <= 0:
                return part
            title = first.event.posting.title
            keep = len(title) - excess - len(ELLIPSIS)
            if keep < MIN_TITLE_CHARS:
                break
            posting = replace(first.event.posting, title=title[:keep].rstrip() + ELLIPSIS)
            first = replace(first, event=replace(first.event, posting=posting))
    best = attempt(low)
    return best if _fits(best, target) else _truncated(best, target)


def _truncated(part: Part, target: Target) -> Part:
    assert target.chars is not None
    room = max(target.chars - _used(part, target) + len(part.message.body), 1)
    body = part.message.body[: room - len(ELLIPSIS)] + ELLIPSIS
    message = Message(part.message.title, body, part.message.body_format)
    return Part(message, part.ids, part.text)
