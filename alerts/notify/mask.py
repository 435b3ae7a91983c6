"""Channel URLs as they may be shown, and the parts of them that are secret.

Apprise's own privacy form (`url(privacy=True)`) still prints json/xml/form
paths, header values, query values and ntfy/MQTT topics in full. Here every
path segment, query value and the userinfo are masked, whatever the service;
the scheme, the host (when it is a real host name or address, not a token
written where a host goes) and the query's keys stay, so the user can still
tell the channels apart.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote

from alerts.config.recipients import EMAIL_SCHEMES, RECIPIENT_KEYS, address_of

MASK = "***"
# Parts of a URL shorter than this are too common as substrings to redact
# safely (and are ids, not keys: Discord's webhook id, a port, "v1").
SECRET_MIN_CHARS = 4
# Path words of public webhook APIs: no secret (shown as they are), and
# redacting them would garble every log line that mentions a web hook.
NOT_SECRET = frozenset({"hook", "hooks", "webhook", "webhooks", "services", "api", "notify", "json"})

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
_HOST_NAME = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]\.?$"
)


def _shown_host(hostport: str) -> str:
    """The host (and port) if it is a real host name or address, else masked."""
    if not hostport:
        return ""
    if hostport.startswith("["):  # [IPv6]:port
        host, _, rest = hostport[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        ok = _is_address(host) and (not rest or (rest.startswith(":") and port.isdigit()))
        return hostport if ok else MASK
    host, colon, port = hostport.rpartition(":")
    if not colon or not port.isdigit():
        host = hostport
    real = host.lower() == "localhost" or _is_address(host) or bool(_HOST_NAME.match(host))
    return hostport if real and (host == hostport or port.isdigit()) else MASK


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _segment(segment: str) -> str:
    return segment if not segment or segment.lower() in NOT_SECRET else MASK


def _recipient(written: str) -> str:
    """An email recipient as a hint ("b…@y.org"): which of a channel's
    recipients was refused can be told, the address is not shown whole."""
    local, at, domain = address_of(unquote(written)).rpartition("@")
    if not at or not local or "," in written or ";" in written:
        return _segment(written)
    return f"{local[0]}…@{domain}"


def recipient_hint(url: str) -> str | None:
    """The one recipient of an email URL as a hint ("b…@y.org"), else None."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in EMAIL_SCHEMES:
        return None
    rest, _, query = rest.partition("#")[0].partition("?")
    path = [segment for segment in rest.partition("/")[2].split("/") if segment]
    values = [
        value
        for key, _, value in (p.partition("=") for p in query.split("&"))
        if key.lower() in RECIPIENT_KEYS
    ]
    hints = {_recipient(value) for value in path + values}
    return hints.pop() if len(hints) == 1 and MASK not in hints else None


def mask_channel_url(url: str) -> str:
    """`json://user:pw@example.com/hooks/T0KEN?-key=v` -> `json://user:***@example.com/hooks/***?-key=***`."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep or not _SCHEME.match(scheme):
        return MASK
    rest, hashsign, _ = rest.partition("#")
    rest, qmark, query = rest.partition("?")
    netloc, slash, path = rest.partition("/")
    userinfo, at, hostport = netloc.rpartition("@")
    user, colon, _ = userinfo.partition(":")
    # A user name beside a password stays (mailto's login); a lone one may be a token.
    who = (f"{user}:{MASK}@" if colon and user else f"{MASK}@") if at else ""
    shown = f"{scheme}://{who}{_shown_host(hostport)}"
    mail = scheme.lower() in EMAIL_SCHEMES
    if slash:
        shown += "/" + "/".join(_recipient(s) if mail else _segment(s) for s in path.split("/"))
    if qmark:
        pairs = [pair.partition("=") for pair in query.split("&") if pair]
        shown += "?" + "&".join(
            (f"{key}={_recipient(value) if mail and key.lower() in RECIPIENT_KEYS else MASK}" if eq else key)
            for key, eq, value in pairs
        )
    if hashsign:
        shown += f"#{MASK}"
    return shown


def url_secrets(url: str) -> list[str]:
    """Parts of a channel URL that may be credentials: userinfo, path, query
    values (raw and percent-decoded), longest first so that a token is not
    half-replaced by one of its pieces."""
    _, _, rest = url.partition("://")
    rest, _, fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    userinfo, at, hostpath = rest.rpartition("@")
    parts = userinfo.replace(":", "/").split("/") if at else []
    hostport, *path = hostpath.split("/")
    if _shown_host(hostport) == MASK:  # a token where the host goes (slack://T000/...)
        parts += hostport.split(":")
    parts += path
    parts += [pair.partition("=")[2] for pair in query.split("&")]
    parts += [fragment]
    found = {unquote(p) for p in parts} | set(parts)
    keep = {p for p in found if len(p) >= SECRET_MIN_CHARS and p.lower() not in NOT_SECRET}
    return sorted(keep, key=len, reverse=True)


def redact(text: str, secrets: list[str], mask: str = "…") -> str:
    for secret in secrets:
        text = text.replace(secret, mask)
    return text
