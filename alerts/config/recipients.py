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
RECIPIENT_KEYS = ("to", "cc", "bcc")
# One address: "a@x.org", or with a display name, "Chris Caron <c@x.org>";
# between them commas, semicolons or spaces.
_ADDRESS = re.compile(r"[^,;<>]*<[^<>]*>|[^\s,;<>]+")


def _addresses(raw: str) -> list[str]:
    return [found.strip() for found in _ADDRESS.findall(unquote(raw)) if found.strip()]


def address_of(recipient: str) -> str:
    """The address of a recipient as written ("Chris <C@x.org>" is C@x.org)."""
    return recipient.rpartition("<")[2].rstrip(">").strip()


def _mailbox(address: str) -> str:
    """The address itself, for telling two recipients apart ("Chris <C@x.org>" is c@x.org)."""
    return address_of(address).lower()


def recipient_urls(url: str) -> list[str]:
    """One URL per recipient of an email URL with several (its To, Cc, Bcc
    and path addresses); any other URL, or one recipient, as written.

    Each is the URL as written with only that recipient (in the To it was
    written in, or its path): taking the others out of the config later
    leaves its URL, so its deliveries keep their state."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in EMAIL_SCHEMES:
        return [url]
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    if any("@" not in segment for segment in segments):
        return [url]  # not a list of addresses: left to Apprise as written
    query: list[str] = []
    recipients: list[str] = list(segments)
    to_keys: list[str] = []  # the To as written ("to", "To"), and where it goes
    at: int | None = None
    for pair in filter(None, parts.query.split("&")):
        key, _, value = pair.partition("=")
        if key.lower() in RECIPIENT_KEYS:
            if key.lower() == "to" and not to_keys:
                to_keys.append(key)
                at = len(query)
            recipients.extend(_addresses(value))
        else:
            query.append(pair)
    has_to = bool(segments or to_keys)
    unique = list({_mailbox(address): address for address in reversed(recipients)}.values())[::-1]
    if len(unique) <= 1 or not has_to:
        # One recipient; or none named in To, where Apprise writes to the
        # sender's own address, which this cannot tell.
        return [url]

    def alone(address: str) -> str:
        written = quote(address, safe="@+")  # as Apprise reads them: "+" is "+"
        if segments or at is None:  # addresses in the path: this one there, none in the query
            path, pairs = f"/{written}", query
        else:
            path, pairs = parts.path, [*query[:at], f"{to_keys[0]}={written}", *query[at:]]
        return urlunsplit((parts.scheme, parts.netloc, path, "&".join(pairs), parts.fragment))

    return [alone(address) for address in unique]
