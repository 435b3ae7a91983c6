"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on now (aiosmtpd and friends refuse port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
