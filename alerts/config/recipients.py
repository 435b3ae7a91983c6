"""An email channel URL with several recipients as one URL per recipient.

Apprise sends `mailto://...?to=a@x.org,b@y.org` as one service: when the
server refuses one recipient (or one Cc), the whole send fails and is
retried, and every recipient that took the message gets it again. One URL
per recipient is one target each in the outbox (its own sent/failed state),
so a refused address is retried alone. Cc and Bcc become recipients of their
own for the same reason (a partial refusal fails the message).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

EMAIL_SCHEMES = ("mailto", "mailtos")
_RECIPIENT_KEYS = ("to", "cc", "bcc")
_SEPARATORS = re.compile(r"[\s,;]+")


def _addresses(raw: str) -> list[str]:
    return [part for part in _SEPARATORS.split(unquote(raw)) if part]


def recipient_urls(url: str) -> list[str]:
    """One URL per recipient of an email URL with several (its To, Cc, Bcc
    and path addresses); any other URL, or one recipient, as written."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in EMAIL_SCHEMES:
        return [url]
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    if any("@" not in segment for segment in segments):
        return [url]  # not a list of addresses: left to Apprise as written
    kept: list[str] = []
    recipients: list[str] = list(segments)
    has_to = bool(segments)
    for pair in filter(None, parts.query.split("&")):
        key, _, value = pair.partition("=")
        if key.lower() in _RECIPIENT_KEYS:
            has_to = has_to or key.lower() == "to"
            recipients.extend(_addresses(value))
        else:
            kept.append(pair)
    unique = list({address.lower(): address for address in reversed(recipients)}.values())[::-1]
    if len(unique) <= 1 or not has_to:
        # One recipient; or none named in To, where Apprise writes to the
        # sender's own address, which this cannot tell.
        return [url]
    return [
        urlunsplit((parts.scheme, parts.netloc, "/", "&".join([f"to={quote(address, safe='@')}", *kept]), ""))
        for address in unique
    ]
