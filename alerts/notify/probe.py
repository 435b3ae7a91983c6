"""Did a send that failed still reach the service? Apprise cannot say: a read
timeout after the request went out, a refused connection and a DNS failure
are all the same FAILURE with the same log line. A Probe watches the
libraries underneath instead (urllib3/requests for HTTP services, smtplib
for email): whether the request, or the mail's DATA, was written in full
before the error.

`install()` wraps four library methods, once per process; the wrappers do
nothing unless a Probe is active in the current contextvars context. Apprise
runs each service through `contextvars.copy_context().run`, so a Probe
entered around `notify()` is seen in its worker thread, and concurrent sends
each see their own.

The same context carries email's answer timeout: smtplib has one timeout for
the connect and every reply, so after connecting (and reading the greeting)
the socket is re-timed to the channel's `timeout`.
"""

from __future__ import annotations

import contextvars
import smtplib
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import requests
import urllib3.connection
import urllib3.exceptions

_current: contextvars.ContextVar[Probe | None] = contextvars.ContextVar("alerts_send_probe", default=None)
# The errors that, once the payload was written in full, mean "it may well
# have arrived": no answer in time, or the connection dropped before one.
_AFTER_WRITE = frozenset({"ReadTimeout", "ConnectionError", "SMTPServerDisconnected", "TimeoutError"})
_DATA_END = b"\r\n.\r\n"


@dataclass
class Probe:
    # Email's wait for each reply once connected (None: Apprise's own timeout).
    smtp_answer_timeout: float | None = None
    # One entry per failed HTTP request or SMTP reply: (error name, payload written in full?)
    errors: list[tuple[str, bool]] = field(default_factory=list)
    _http_written: bool = False
    _mail_written: bool = False
    _token: contextvars.Token[Probe | None] | None = None

    def __enter__(self) -> Probe:
        install()
        self._token = _current.set(self)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._token is not None:
            _current.reset(self._token)

    @property
    def unconfirmed(self) -> bool:
        """A payload went out in full, then no answer came (or the connection dropped)."""
        return any(written and name in _AFTER_WRITE for name, written in self.errors)


class StartGuard:
    """Wraps a service's notify: a send Apprise gave up on before it began
    (still queued in its pool) never begins later, so such a TIMEOUT is a
    plain failure, and one that began is "may have arrived"."""

    def __init__(self, service: Any):
        self._lock = threading.Lock()
        self._given_up = False
        self.started = False
        notify = service.notify

        def guarded(*args: Any, **kwargs: Any) -> bool:
            with self._lock:
                if self._given_up:
                    return False
                self.started = True
            return notify(*args, **kwargs)

        service.notify = guarded

    def give_up(self) -> bool:
        """No more starts from now on; returns whether it had started."""
        with self._lock:
            self._given_up = True
            return self.started


_installed = False
_install_lock = threading.Lock()


def install() -> None:
    global _installed
    with _install_lock:
        if not _installed:
            _wrap_http()
            _wrap_smtp()
            _installed = True


def _wrap_http() -> None:
    request = urllib3.connection.HTTPConnection.request  # HTTPSConnection inherits it

    def written_request(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = request(self, *args, **kwargs)
        if (probe := _current.get()) is not None:
            probe._http_written = True
        return result

    # At Session level, not the adapter's: a body that stalls is read here,
    # and surfaces as ConnectionError(ReadTimeoutError).
    session_send = requests.Session.send

    def watched_send(self: Any, prepared: Any, **kwargs: Any) -> Any:
        probe = _current.get()
        if probe is not None:
            probe._http_written = False
        try:
            return session_send(self, prepared, **kwargs)
        except Exception as exc:
            if probe is not None:
                name = type(exc).__name__
                if isinstance(exc, requests.ConnectionError) and exc.args:
                    if isinstance(exc.args[0], urllib3.exceptions.ReadTimeoutError):
                        name = "ReadTimeout"
                probe.errors.append((name, probe._http_written))
            raise

    urllib3.connection.HTTPConnection.request = written_request  # type: ignore[method-assign]
    requests.Session.send = watched_send  # type: ignore[method-assign, assignment]


def _wrap_smtp() -> None:
    connect, send, getreply = smtplib.SMTP.connect, smtplib.SMTP.send, smtplib.SMTP.getreply

    def timed_connect(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = connect(self, *args, **kwargs)  # the connect and the greeting: the connect timeout
        probe = _current.get()
        if probe is not None and probe.smtp_answer_timeout is not None and self.sock is not None:
            self.sock.settimeout(probe.smtp_answer_timeout)
        return result

    def watched_send(self: Any, data: Any) -> Any:
        result = send(self, data)
        if (probe := _current.get()) is not None:
            # Only the end of a mail's DATA ends so; every other command resets it.
            end = _DATA_END if isinstance(data, bytes) else _DATA_END.decode()
            probe._mail_written = data.endswith(end)
        return result

    def watched_getreply(self: Any) -> Any:
        try:
            return getreply(self)
        except Exception as exc:
            if (probe := _current.get()) is not None:
                probe.errors.append((type(exc).__name__, probe._mail_written))
            raise

    smtplib.SMTP.connect = timed_connect  # type: ignore[method-assign]
    smtplib.SMTP.send = watched_send  # type: ignore[method-assign, assignment]
    smtplib.SMTP.getreply = watched_getreply  # type: ignore[method-assign]
