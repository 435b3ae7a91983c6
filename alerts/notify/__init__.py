"""Rendering (Jinja2) and sending (Apprise) of job-change messages.

Importing this package registers the built-in `console://` Apprise service.
"""

from __future__ import annotations

from alerts.notify import console as _console  # noqa: F401  (registers console://)
from alerts.notify.compose import Part, Target, compose, target_for
from alerts.notify.render import FORMATS, render_message, sample_items
from alerts.notify.send import (
    SendResult,
    body_limit,
    check_url,
    mask_url,
    native_format,
    send,
    service_of,
)

__all__ = [
    "FORMATS",
    "Part",
    "SendResult",
    "Target",
    "body_limit",
    "check_url",
    "compose",
    "mask_url",
    "native_format",
    "render_message",
    "sample_items",
    "send",
    "service_of",
    "target_for",
]
