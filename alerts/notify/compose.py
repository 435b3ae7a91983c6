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

from alerts.model import Delivery, Event, Message, Notice
from alerts.notify.context import escape_title, subject
from alerts.notify.email import EMAIL_SERVICES
from alerts.notify.envelope import Envelope
from alerts.notify.escape import safe_link
from alerts.notify.notices import notice_message
from alerts.notify.render import render_body
from alerts.notify.send import capacity, native_format, service_of
from alerts.notify.stories import Story, stories

# Below this many characters a message is too small to split usefully.
SPLIT_MIN_CHARS = 1000
# Room kept for the " (12/34)" a split part's title gets.
PART_SUFFIX_CHARS = len(" (99/99)")
# Apprise joins title and body with "\r\n" where the title is part of the body.
TITLE_JOIN_CHARS = 2
ELLIPSIS = "…"
# A title shortened below this says too little to be worth showing.
MIN_TITLE_CHARS = 12
# Gmail clips an HTML email past about 102 KB, hiding its last cards and the
# footer. An email shows at most this many postings (cards), then "...and N
# more" pointing to `alerts jobs`, `alerts history` and the web page: 40
# cards of long titles, places, departments and reposts come to about 90 KB
# (tests/notify/test_notify_email_size.py); one still over EMAIL_MAX_BYTES
# (longer postings still, a user's heavier template) shows fewer.
EMAIL_MAX_CARDS = 40
EMAIL_MAX_BYTES = 100_000


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


@dataclass(frozen=True)
class _Writing:
    """How this call's bodies are written, besides their rows."""

    template: Path | None
    now: datetime
    envelope: Envelope | None


def compose(
    items: Sequence[Delivery],
    target: Target,
    *,
    template: Path | None = None,
    now: datetime | None = None,
    envelope: Envelope | None = None,
) -> list[Part]:
    """The messages for these rows: each notice (ops) on its own, then the job
    changes. `now`: when the message is written, for each posting's age
    (default: the clock); `envelope`: the channel, digest period and config
    file that headers and footers name."""
    notices = [_notice(item, target) for item in items if isinstance(item.event, Notice)]
    jobs = [item for item in items if not isinstance(item.event, Notice)]
    return notices + _compose_jobs(jobs, target, _Writing(template, now or datetime.now(UTC), envelope))


def _notice(item: Delivery, target: Target) -> Part:
    assert isinstance(item.event, Notice)
    part = Part(
        notice_message(item.event, target.service, target.body_format, target.send_format), (item.id,)
    )
    return part if _fits(part, target) else _truncated(part, target)


def _compose_jobs(items: Sequence[Delivery], target: Target, writing: _Writing) -> list[Part]:
    """Job changes, a story (one posting's events) never split between parts."""
    if not items:
        return []
    found = stories(items)
    if target.email and len(found) > EMAIL_MAX_CARDS:
        return [_capped_email(found, target, writing)]
    whole = _part(_rows(found), target, writing)
    if _fits(whole, target):
        return [whole]
    if target.short:
        return [_summary(found, target, writing)]
    return _split(found, target, writing)


def _rows(found: Sequence[Story]) -> list[Delivery]:
    return [item for story in found for item in story.items]


def _part(
    items: Sequence[Delivery],
    target: Target,
    writing: _Writing,
    *,
    more: dict[str, Any] | None = None,
    about: Sequence[Delivery] | None = None,
    suffix: str = "",
) -> Part:
    """`about`: the rows the title summarises (all of them, when some are left out)."""
    counted = about if more is not None and more.get("capped") else None
    body = render_body(
        items,
        target.body_format,
        template=writing.template,
        service=target.service,
        short=target.short,
        more=more,
        now=writing.now,
        envelope=writing.envelope,
        counted=counted,
    )
    title = escape_title(subject(about or items), target.service) + suffix
    # Email's text part lists every posting with its links written out.
    text = None
    if target.email:
        text = render_body(
            items,
            "text",
            service=target.service,
            more=more,
            now=writing.now,
            envelope=writing.envelope,
            counted=counted,
        )
    ids = tuple(item.id for item in (about or items))
    return Part(Message(title, body, target.send_format), ids, text)


def _used(part: Part, target: Target, reserve: int = 0) -> int:
    title = len(part.message.title) + TITLE_JOIN_CHARS + reserve if target.title_in_body else 0
    return len(part.message.body) + title


def _fits(part: Part, target: Target, reserve: int = 0) -> bool:
    return target.chars is None or _used(part, target, reserve) <= target.chars


def _split(found: list[Story], target: Target, writing: _Writing) -> list[Part]:
    groups: list[list[Story]] = []
    current: list[Story] = []
    for story in found:
        candidate = [*current, story]
        if _fits(_part(_rows(candidate), target, writing), target, PART_SUFFIX_CHARS) or not current:
            current = candidate
        else:
            groups.append(current)
            current = [story]
    groups.append(current)
    parts = [
        _part(_rows(group), target, writing, suffix=f" ({number}/{len(groups)})")
        for number, group in enumerate(groups, start=1)
    ]
    # A story too long for a message on its own is cut rather than refused.
    return [part if _fits(part, target) else _truncated(part, target) for part in parts]


def _summary(found: list[Story], target: Target, writing: _Writing) -> Part:
    """As many stories as fit, then "...and N more" (every row counts as sent)."""
    every = _rows(found)

    def attempt(shown: int, first: Story | None = None) -> Part:
        head = _rows([first or found[0], *found[1:shown]]) if shown else []
        more = None
        if shown < len(found):
            posting = found[shown].posting
            link = safe_link(posting.url or posting.apply_url, target.service)
            more = {"count": len(found) - shown, "link": link, "capped": False}
        return _part(head, target, writing, more=more, about=every)

    low, high = 0, len(found) - 1  # the whole list is known not to fit
    while low < high:
        middle = (low + high + 1) // 2
        if _fits(attempt(middle), target):
            low = middle
        else:
            high = middle - 1
    if low == 0:
        # Not even one story fits: show the first with its title shortened,
        # so the message still says what the job is and links to it.
        first = found[0]
        for _ in range(3):  # escaping may change lengths: converge in a few steps
            part = attempt(1, first)
            excess = _used(part, target) - (target.chars or 0)
            if excess <= 0:
                return part
            title = first.posting.title
            keep = len(title) - excess - len(ELLIPSIS)
            if keep < MIN_TITLE_CHARS:
                break
            first = _retitled(first, title[:keep].rstrip() + ELLIPSIS)
    best = attempt(low)
    return best if _fits(best, target) else _truncated(best, target)


def _capped_email(found: list[Story], target: Target, writing: _Writing) -> Part:
    """An email of many postings: the first EMAIL_MAX_CARDS, then how many
    more and where to see them; its title and counts are of them all, and
    every row counts as sent."""
    every = _rows(found)
    page = writing.envelope.web_url if writing.envelope else None
    shown = EMAIL_MAX_CARDS
    while True:
        more = {"count": len(found) - shown, "link": page, "capped": True}
        part = _part(_rows(found[:shown]), target, writing, more=more, about=every)
        size = len(part.message.body.encode())
        if size <= EMAIL_MAX_BYTES or shown == 1:
            return part
        shown = max(1, min(shown - 1, shown * EMAIL_MAX_BYTES // size))


def _retitled(story: Story, title: str) -> Story:
    """The story with its posting (as after its last event) titled `title`."""
    *rest, last = story.items
    event = last.event
    assert isinstance(event, Event)
    shortened = replace(event, posting=replace(event.posting, title=title))
    return Story((*rest, replace(last, event=shortened)))


def _truncated(part: Part, target: Target) -> Part:
    assert target.chars is not None
    room = max(target.chars - _used(part, target) + len(part.message.body), 1)
    body = part.message.body[: room - len(ELLIPSIS)] + ELLIPSIS
    message = Message(part.message.title, body, part.message.body_format)
    return Part(message, part.ids, part.text)
