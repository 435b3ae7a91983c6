"""Apprise at the edge: one delivery, one fresh Apprise object, one outcome.

Everywhere else a failure raises; here Apprise reports per service in an
AppriseResult, and that is turned into a SendResult the outbox can record.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import parse_qs, urlsplit

import apprise
from apprise import AppriseAsset, AppriseResultStatus, NotificationManager, NotifyBase

from alerts import HOMEPAGE
from alerts.model import Message
from alerts.notify.email import EMAIL_SERVICES, text_alternative
from alerts.notify.mask import mask_channel_url, redact, url_secrets
from alerts.notify.probe import Probe, StartGuard

# A channel's `timeout` and `connect_timeout` when it sets neither (nor
# Apprise's rto/cto in its URL): the config's defaults.
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_CONNECT_TIMEOUT_SECONDS = 10.0
# Apprise gives up waiting on a service this long after both timeouts and
# reports TIMEOUT; a send that had started may still land ("unknown").
BACKSTOP_MARGIN_SECONDS = 5.0
UNCONFIRMED = "no answer in time after the message went out; it may have arrived"
# paho's words when a QoS 1/2 publish was written but not acknowledged in time.
MQTT_NO_ACK = "The MQTT message could not be delivered"
DETAIL_MAX_CHARS = 200

Status = Literal["sent", "failed", "unknown"]


@dataclass(frozen=True)
class SendResult:
    status: Status
    detail: str  # short, secret-free reason for the user; "" when sent


def _asset() -> AppriseAsset:
    return AppriseAsset(
        app_id="alerts",
        app_desc="Job change alerts",
        app_url=HOMEPAGE,
        # Our outbox retries, with backoff and Retry-After; Apprise's own
        # retry knows neither and would send duplicates after a timeout.
        default_service_retry=0,
    )


def _service(url: str, tag: str | None = None) -> NotifyBase | None:
    # One URL, one service: Apprise.add() would split a string holding
    # several URLs into several services.
    return apprise.Apprise.instantiate(url, asset=_asset(), tag=tag)


@lru_cache(maxsize=4096)  # a channel URL each; more than most setups have
def _inspect(url: str) -> NotifyBase | None:
    """A parsed service for read-only questions (format, limits, masked URL).

    Parsing a URL is not free and every delivery pass asks several questions
    of each channel URL; sends still get a fresh object of their own.
    """
    return _service(url)


def mask_url(url: str) -> str:
    """The URL as it may be shown: every path segment, query value and
    password masked (mask.py; Apprise's privacy form shows some in full)."""
    if _inspect(url) is None:
        scheme, sep, _ = url.partition("://")
        # Unparseable: anything after the scheme may be a secret.
        return f"{scheme}://…" if sep else "…"
    return mask_channel_url(url)


def check_url(url: str) -> str | None:
    """None when Apprise can use the URL; otherwise why not, without secrets."""
    if _inspect(url) is not None:
        return None
    scheme, sep, _ = url.partition("://")
    masked = mask_url(url)
    if not sep:
        return f"{masked}: not a URL (expected scheme://...)"
    if scheme.lower() in ("http", "https"):
        # Apprise recognises some web hooks (Slack, Discord...) by their host.
        return f"{masked}: no Apprise service recognises this web address"
    if scheme.lower() not in NotificationManager():
        return f"{masked}: unknown service {scheme!r} (see the Apprise URL list)"
    return f"{masked}: not a valid {scheme} URL (a required part is missing or wrong)"


def native_format(url: str) -> str:
    """The body format the service shows best: "text", "markdown" or "html"."""
    service = _inspect(url)
    if service is None:
        return "text"
    # resolve_format honours an explicit ?format= (Discord's markdown mode)
    # and otherwise takes the first of the plugin's declared formats.
    return service.resolve_format(None).value


def service_of(url: str) -> str | None:
    """The Apprise protocol name ("slack", "discord", "mailto", ...): render's `service` hint."""
    service = _inspect(url)
    if service is None:
        return None
    for name in (service.protocol, service.secure_protocol):
        if isinstance(name, (tuple, list)):
            name = name[0] if name else None
        if name:
            return str(name)
    return None


def body_limit(url: str) -> int | None:
    """Most characters the service takes in one message body (Discord: 2000)."""
    service = _inspect(url)
    return service.body_maxlen if service is not None else None


@dataclass(frozen=True)
class Capacity:
    """How much one message to a service can hold."""

    chars: int | None  # None: the service declares no limit of its own (email, webhooks)
    title_in_body: bool  # the title is sent inside the body and counts against `chars`


def capacity(url: str) -> Capacity:
    service = _inspect(url)
    if service is None:
        return Capacity(None, False)
    # NotifyBase's 32768 is a generic default, not a limit of the service:
    # only a plugin's own body_maxlen means anything (email declares none).
    declared = any("body_maxlen" in vars(cls) for cls in type(service).__mro__ if cls is not NotifyBase)
    merged = bool(service.overflow_amalgamate_title) or service.title_maxlen <= 0
    return Capacity(service.body_maxlen if declared else None, merged)


def send(
    url: str,
    message: Message,
    *,
    tag: str,
    timeout: float | None = None,
    connect_timeout: float | None = None,
    text: str | None = None,
) -> SendResult:
    """Deliver one message to one URL; never raises for a delivery failure.

    `timeout` is how long to wait for the service's answer once connected
    (for email: each reply), `connect_timeout` how long to wait for the
    connection; in seconds. None keeps what the URL says (Apprise's `rto`,
    `cto`), else the defaults. A message that went out in full and got no
    answer in time (or whose connection dropped before the answer) is
    "unknown": sent, unconfirmed. `text` is the plain-text alternative of an
    HTML email (see email.py).
    """
    if ":" in tag:
        # Apprise reads "a:b" as priority/retry syntax, not as a tag name.
        raise ValueError(f"tag {tag!r} must not contain ':'")
    service = _service(url, tag)
    if service is None:
        return SendResult("failed", check_url(url) or "invalid URL")
    probe = Probe(smtp_answer_timeout=_set_timeouts(service, url, timeout, connect_timeout))
    guard = StartGuard(service)
    # A fresh object per call: plugin objects throttle between their own
    # sends, and sharing one would make unrelated deliveries wait.
    notifier = apprise.Apprise(asset=service.asset)
    notifier.add(service)
    alternative = (
        text_alternative(message.body, text)
        if text is not None and message.body_format == "html" and service_of(url) in EMAIL_SERVICES
        else nullcontext()
    )
    # Apprise stops waiting after this (TIMEOUT): only for peers that trickle
    # their answer or plugins that ignore the timeouts above.
    backstop = service.socket_connect_timeout + max(
        service.socket_read_timeout, probe.smtp_answer_timeout or 0
    )
    with (
        alternative,
        probe,
        notifier.notify(
            body=message.body,
            title=message.title,
            body_format=message.body_format,
            # "tag:0" selects the tag with zero retries, overriding a ?retry= in
            # the user's URL.
            tag=f"{tag}:0",
            timeout=backstop + BACKSTOP_MARGIN_SECONDS,
        ) as result,
    ):
        started = guard.give_up()
        return _outcome(result, url_secrets(url), probe, started)


def _set_timeouts(
    service: NotifyBase, url: str, timeout: float | None, connect: float | None
) -> float | None:
    """Set the timeouts on the service (the user's URL is left as written);
    returns email's answer timeout, None where Apprise's own applies."""
    asked = {key.lower() for key in parse_qs(urlsplit(url).query)}
    email = service_of(url) in EMAIL_SERVICES
    if connect is None and "cto" not in asked:
        connect = DEFAULT_CONNECT_TIMEOUT_SECONDS
    if timeout is None and not ({"rto", "cto"} & asked if email else "rto" in asked):
        timeout = DEFAULT_TIMEOUT_SECONDS
    if connect is not None:
        service.socket_connect_timeout = connect
    if timeout is not None:
        # Email ignores it (smtplib has one timeout): the probe re-times its socket.
        service.socket_read_timeout = timeout
    return timeout if email else None


def _outcome(result: apprise.AppriseResult, secrets: list[str], probe: Probe, started: bool) -> SendResult:
    statuses = [entry.status for entry in result]
    if statuses and all(s == AppriseResultStatus.SUCCESS for s in statuses):
        return SendResult("sent", "")
    detail = _detail(result, secrets)
    if probe.unconfirmed:
        return SendResult("unknown", f"{UNCONFIRMED}: {detail}" if detail else UNCONFIRMED)
    if any(MQTT_NO_ACK in entry.message for entry in result.logs()):
        return SendResult("unknown", f"{UNCONFIRMED}: {MQTT_NO_ACK}")
    if AppriseResultStatus.TIMEOUT in statuses and AppriseResultStatus.FAILURE not in statuses:
        if started:
            return SendResult("unknown", detail or "timed out; it may still arrive")
        return SendResult("failed", detail or "timed out before it was sent")
    if not statuses:
        # NOMATCH or the message itself was refused before any service ran.
        return SendResult("failed", detail or f"nothing was sent ({result.status.name})")
    return SendResult("failed", detail or "the service refused the message")


def _detail(result: apprise.AppriseResult, secrets: list[str]) -> str:
    # The last warning or error is the most specific reason Apprise logged.
    reasons = [e.message for e in result.logs() if e.level in ("ERROR", "WARNING", "CRITICAL")]
    if not reasons:
        return ""
    return redact(" ".join(reasons[-1].split()), secrets)[:DETAIL_MAX_CHARS]
