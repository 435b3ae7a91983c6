"""Which Host headers the page and feeds answer (against DNS rebinding).

A web site can make its own name point at 127.0.0.1; a browser then sends
it this server's page under that name, and the site's scripts may read it.
So the page answers only names that cannot be a stranger's: localhost, the
bound address, the names the config allows ([web] allowed_hosts and
public_url's host) and, unless bound to a loopback address, IP addresses
(a browser names an IP only when the user typed it: rebinding needs a name).
The port is not looked at: a proxy or Docker may publish another.

A request without a Host header is answered: every browser sends one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from alerts.config.models import WebConfig
from alerts.config.urls import check_host_name
from alerts.sources.redirects import ip_literal

# What a Host header may hold at all: a name or [IPv6], and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?\Z")
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def is_loopback(bound: str) -> bool:
    address = ip_literal(bound)
    return bound.lower() == "localhost" if address is None else address.is_loopback


class Hosts:
    def __init__(self, bound: str):
        self.loopback = is_loopback(bound)
        try:
            self.bound = check_host_name(f"[{bound}]" if ":" in bound else bound)
        except ValueError:
            self.bound = bound.lower()

    def checked(self, host: str | None, web: WebConfig) -> str | None:
        """The Host header as it came, when it may be answered (None: it may
        not, a 421); "" when there was none."""
        if host is None:
            return ""
        if not _HOST.match(host):
            return None
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.endswith(".") and not name.endswith(".."):
            name = name[:-1]  # a fully qualified name ("localhost."): the same host
        try:
            name = check_host_name(name)
        except ValueError:
            return None
        if self._allowed(name, web):
            return host
        return None

    def _allowed(self, name: str, web: WebConfig) -> bool:
        if name in LOCAL_NAMES or name == self.bound or name in web.allowed_hosts:
            return True
        if web.public_url and (urlsplit(web.public_url).hostname or "") == name.strip("[]"):
            return True
        address = ip_literal(name)
        if address is None:
            return False
        return address.is_loopback or not self.loopback
