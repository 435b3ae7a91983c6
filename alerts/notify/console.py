"""The built-in `console://` channel: prints each message to stdout.

Registered as an Apprise custom plugin, so it goes through the same send()
path, tags and results as every real channel (handy for `alerts preview`
and for trying a config before wiring up Slack or email).
"""

from __future__ import annotations

import sys
from typing import Any

from apprise import NotificationManager
from apprise.decorators import notify

from alerts.text import clean_block, clean_line

SCHEME = "console"


def print_message(body: str, title: str, *args: Any, **kwargs: Any) -> bool:
    # sys.stdout is looked up per call, so redirection (and pytest's capsys)
    # sees the output.
    out = sys.stdout
    # Text stored before it was cleaned at normalisation may still carry
    # terminal escape sequences or bidi overrides: none reach the terminal.
    title, body = clean_line(title or ""), clean_block(body or "")
    if title:
        out.write(f"{title}\n{'-' * min(len(title), 72)}\n")
    out.write(body if body.endswith("\n") else body + "\n")
    out.write("\n")
    out.flush()
    return True


def register() -> None:
    # Apprise keeps plugins in a process-wide registry and warns when a scheme
    # is declared twice, so only declare it once.
    if SCHEME not in NotificationManager():
        notify(on=SCHEME, name="Console")(print_message)


register()
