"""Atom feeds (RFC 4287) of the recent events a subscription matched, or
any subscription: `/feeds/<subscription>.atom`, `/feeds/all.atom`.

Ids are `urn:uuid:` names derived from what they identify, so they stay the
same from one request to the next; times are UTC with an offset (RFC 3339).
Posting text goes in as text constructs, or as escaped HTML in `content`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from alerts import __version__
from alerts.config import Config
from alerts.notify.escape import safe_link
from alerts.service.display import when
from alerts.service.matches import matched_events, subscription_named
from alerts.service.web.pages import KIND_LABELS, environment, event_row, posting_href
from alerts.store import Store, StoredEvent

FEED_ENTRIES = 50
# Characters XML 1.0 does not allow at all: a title carrying one would make
# the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NAMESPACE = uuid.UUID("5b0e7d2e-7a4f-4d67-9c1e-6a1c3f0c9b21")  # this program's, fixed forever


def xml_text(value: Any) -> Any:
    """Drop what XML cannot carry from plain strings (escaping is autoescape's)."""
    return _NOT_XML.sub("", value) if type(value) is str else value


def rfc3339(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_path(subscription: str | None) -> str:
    return f"/feeds/{quote(subscription, safe='')}.atom" if subscription else "/feeds/all.atom"


def _entry(event: StoredEvent, names: tuple[str, ...], base: str, config: Config) -> dict[str, Any]:
    posting = event.posting
    row = event_row(event, config.display.zone)
    company = posting.company or event.board_key
    label = "Reposted" if event.reposts is not None else KIND_LABELS.get(event.kind, event.kind)
    key = (
        f"event:{event.board_key}:{event.external_id}:{event.kind}:{event.occurred_at.isoformat()}:{event.id}"
    )
    html = (
        environment()
        .get_template("entry.html.j2")
        .render(
            row=row,
            posting=posting,
            salary=posting.salary,
            subscriptions=names,
            when=when(event.occurred_at, config.display.zone),
        )
    )
    return {
        "id": uuid.uuid5(_NAMESPACE, key).urn,
        "title": f"{label}: {posting.title} at {company}",
        "updated": rfc3339(event.occurred_at),
        "kind": event.kind,
        "link": safe_link(posting.url or posting.apply_url),
        "page": base + posting_href(event.board_key, event.external_id),
        "content": str(xml_text(html)),  # a plain string: escaped once more as XML text
        "company": company,
    }


def atom_feed(config: Config, store: Store, subscription: str | None, base: str, now: datetime) -> bytes:
    """The feed's XML; raises ConfigError for a subscription not in the config."""
    subscription_named(config, subscription)
    found = matched_events(config, store, subscription=subscription, limit=FEED_ENTRIES)
    entries = [_entry(event, names, base, config) for event, names in found]
    name = subscription or "all"
    page = base + ("/?" + "subscription=" + quote(subscription, safe="") if subscription else "/")
    env = environment().overlay(finalize=xml_text)
    return (
        env.get_template("feed.atom.j2")
        .render(
            id=uuid.uuid5(_NAMESPACE, f"feed:{name}").urn,
            title=f"alerts: {name}",
            subtitle=(
                f"Jobs opened, updated, closed and reopened that the subscription {subscription!r} matches"
                if subscription
                else "Jobs opened, updated, closed and reopened that any subscription matches"
            ),
            updated=entries[0]["updated"] if entries else rfc3339(now),
            self_href=base + feed_path(subscription),
            page=page,
            version=__version__,
            entries=entries,
        )
        .encode("utf-8")
    )
