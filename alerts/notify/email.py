"""Our own plain-text part for HTML email.

Apprise 2.2 builds an HTML email as multipart/alternative whose text part is
`convert_between(HTML, TEXT, body)` (in NotifyEmail.prepare_emails of
Apprise's email plugin). That converter keeps the words of a link but
drops its address, so a reader of the text part could not open any posting.
There is no parameter for a text body of our own, so the module's
`convert_between` is wrapped once: for an HTML body registered here, the
text we rendered (with every link written out) is used; anything else goes
to Apprise's converter unchanged.

Bodies are matched by their exact text, not by thread: Apprise runs each
service in a worker thread of its own pool, where a thread-local or a
context variable set by the caller would not be seen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from apprise import NotifyFormat
from apprise.plugins.email import base as _email

from alerts.config.recipients import EMAIL_SCHEMES

EMAIL_SERVICES = frozenset(EMAIL_SCHEMES)

_lock = threading.Lock()
# HTML body -> (text part, how many sends are using it right now)
_texts: dict[str, tuple[str, int]] = {}
_original = _email.convert_between


def _convert_between(from_format: Any, to_format: Any, content: str) -> str:
    if from_format == NotifyFormat.HTML and to_format == NotifyFormat.TEXT:
        with _lock:
            entry = _texts.get(content)
        if entry is not None:
            return entry[0]
    return _original(from_format, to_format, content)


@contextmanager
def text_alternative(html: str, text: str) -> Iterator[None]:
    """While inside, an email of exactly this HTML body gets `text` as its text part."""
    with _lock:
        # Two channels sending the very same HTML render the same text.
        _texts[html] = (text, _texts.get(html, (text, 0))[1] + 1)
    try:
        yield
    finally:
        with _lock:
            kept, users = _texts[html]
            if users > 1:
                _texts[html] = (kept, users - 1)
            else:
                del _texts[html]


def install() -> None:
    if getattr(_email.convert_between, "__module__", None) != __name__:
        _email.convert_between = _convert_between


install()
