"""Apprise at the edge: one delivery, one fresh Apprise object, one outcome.

Everywhere else a failure raises; here Apprise reports per service in an
AppriseResult, and that is turned into a SendResult the outbox can record.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import apprise
from apprise import AppriseAsset, AppriseResultStatus, NotificationManager, NotifyBase

from alerts import HOMEPAGE
from alerts.model import Message
from alerts.notify.email import EMAIL_SERVICES, text_alternative
from alerts.notify.mask import mask_channel_url, redact, url_secrets

# Apprise gives up waiting on a service after this long and reports TIMEOUT;
# the request may still land, so that outcome is "unknown", not "failed".
SEND_TIMEOUT_SECONDS = 60.0
DETAIL_MAX_CHARS = 200

Status = Literal["sent", "failed", "unknown"]


@dataclass(frozen=True)
class SendResult:
    status: Status
    detail: str  # short, secret-free reason for the user; "" when sent


def _asset(timeout: float = SEND_TIMEOUT_SECONDS) -> AppriseAsset:
    return AppriseAsset(
        app_id="alerts",
        app_desc="Job change alerts",
        app_url=HOMEPAGE,
        service_timeout=timeout,
        # Our outbox retries, with backoff and Retry-After; Apprise's own
        # retry knows neither and would send duplicates after a timeout.
        default_service_retry=0,
    )


def _service(url: str, tag: str | None = None, timeout: float = SEND_TIMEOUT_SECONDS) -> NotifyBase | None:
    # One URL, one service: Apprise.add() would split a string holding
    # several URLs into several services.
    return apprise.Apprise.instantiate(url, asset=_asset(timeout), tag=tag)


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
    timeout: float = SEND_TIMEOUT_SECONDS,
    text: str | None = None,
) -> SendResult:
    """Deliver one message to one URL; never raises for a delivery failure.

    `text` is the plain-text alternative of an HTML email (see email.py).
    """
    if ":" in tag:
        # Apprise reads "a:b" as priority/retry syntax, not as a tag name.
        raise ValueError(f"tag {tag!r} must not contain ':'")
    service = _service(url, tag, timeout)
    if service is None:
        return SendResult("failed", check_url(url) or "invalid URL")
    # A fresh object per call: plugin objects throttle between their own
    # sends, and sharing one would make unrelated deliveries wait.
    notifier = apprise.Apprise(asset=service.asset)
    notifier.add(service)
    alternative = (
        text_alternative(message.body, text)
        if text is not None and message.body_format == "html" and service_of(url) in EMAIL_SERVICES
        else nullcontext()
    )
    with (
        alternative,
        notifier.notify(
            body=message.body,
            title=message.title,
            body_format=message.body_format,
            # "tag:0" selects the tag with zero retries, overriding a ?retry= in
            # the user's URL.
            tag=f"{tag}:0",
        ) as result,
    ):
        return _outcome(result, _secrets(url))


def _outcome(result: apprise.AppriseResult, secrets: list[str]) -> SendResult:
    statuses = [entry.status for entry in result]
    if statuses and all(s == AppriseResultStatus.SUCCESS for s in statuses):
        return SendResult("sent", "")
    detail = _detail(result, secrets)
    if AppriseResultStatus.TIMEOUT in statuses and AppriseResultStatus.FAILURE not in statuses:
        return SendResult("unknown", detail or "timed out; it may still arrive")
    if not statuses:
        # NOMATCH or the message itself was refused before any service ran.
        return SendResult("failed", detail or f"nothing was sent ({result.status.name})")
    return SendResult("failed", detail or "the service refused the message")


def _detail(result: apprise.AppriseResult, secrets: list[str]) -> str:
    # The last warning or error is the most specific reason Apprise logged.
    reasons = [e.message for e in result.logs() if e.level in ("ERROR", "WARNING", "CRITICAL")]
    if not reasons:
        return ""
    return _redact(" ".join(reasons[-1].split()), secrets)[:DETAIL_MAX_CHARS]


def _secrets(url: str) -> list[str]:
    """Parts of the URL that may be credentials: userinfo, path, query values."""
    return url_secrets(url)


def _redact(text: str, secrets: list[str]) -> str:
    return redact(text, secrets)
