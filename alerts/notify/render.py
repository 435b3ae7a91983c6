"""Pending deliveries -> one Message, rendered with Jinja2.

Template context (the contract for users' own `template = "x.j2"` files):

    format    "text" | "markdown" | "html": what the body is written in
    title     the summary subject, e.g. "2 new, 1 closed: OpenAI, Stripe"
    counts    {"opened": n, "reopened": n, "updated": n, "closed": n, "total": n}
    groups    one per company, alphabetical:
      company   display name (the board key when the source gives none)
      events    opened, reopened, updated, closed; then by title. Each has:
        kind           "opened" | "reopened" | "updated" | "closed"
        label          "New" | "Reopened" | "Updated" | "Closed"
        posting        every Posting field but `raw` (title, company,
                       department, team, location, city, region, country,
                       work_model, employment_type, salary_min, salary_max,
                       salary_currency, salary_period, url, apply_url,
                       posted_at, updated_at, source, board, external_id),
                       plus `salary` (display text or none) and `link`
                       (url, else apply_url, else none)
        changes        for `updated`: [{field, label, old, new}] in tracked
                       field order; old/new are display text ("none" if empty)
        subscriptions  names of the subscriptions that matched
        occurred_at    datetime or none

Values are already made safe for the destination: HTML is autoescaped; in
Markdown, posting text has its control characters backslash-escaped; for
chat services (`service` hint) mentions are broken with a zero-width space.
Links are http(s) only and percent-encoded so they cannot end a link early.
Print values as they are; never mark them `|safe`.

Templates run in a sandbox with StrictUndefined: a misspelt name is an error,
not an empty string.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment

from alerts.errors import ConfigError
from alerts.model import Message, Pending
from alerts.notify.context import build_context, escape_title, subject
from alerts.notify.samples import sample_items

__all__ = ["FORMATS", "TEMPLATE_NAMES", "render_message", "sample_items"]

FORMATS: tuple[str, ...] = ("text", "markdown", "html")
TEMPLATE_NAMES = {"text": "body.txt.j2", "markdown": "body.md.j2", "html": "body.html.j2"}


@cache
def _environment(body_format: str) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        # PackageLoader reads through importlib, so templates load from a wheel.
        loader=PackageLoader("alerts.notify", "templates"),
        autoescape=body_format == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render_message(
    items: Sequence[Pending],
    body_format: str,
    *,
    template: Path | None = None,
    service: str | None = None,
) -> Message:
    """One message carrying every item for one channel target."""
    if body_format not in FORMATS:
        raise ValueError(f"unknown body format {body_format!r}; expected one of {FORMATS}")
    service = service.lower() if service else None
    context = build_context(items, body_format, service)
    if template is None:
        body = _environment(body_format).get_template(TEMPLATE_NAMES[body_format]).render(context)
    else:
        body = _render_user_template(Path(template), body_format, context)
    return Message(
        title=escape_title(subject(items), service),
        body=body.strip(),
        body_format=body_format,
    )


def _render_user_template(path: Path, body_format: str, context: dict[str, object]) -> str:
    base = _environment(body_format)
    # The user's own folder first, so their template can include its own
    # partials as well as ours.
    env = base.overlay(loader=ChoiceLoader([FileSystemLoader(path.parent), base.loader]))
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read template: {exc.strerror}", file=str(path)) from exc
    try:
        return env.from_string(source).render(context)
    except TemplateSyntaxError as exc:
        message = f"template syntax error on line {exc.lineno}: {exc.message}"
        raise ConfigError(message, file=str(path)) from exc
    except TemplateNotFound as exc:
        raise ConfigError(f"template includes a missing file: {exc.name}", file=str(path)) from exc
    except TemplateError as exc:
        # UndefinedError and SecurityError: a wrong name or a forbidden call.
        raise ConfigError(f"template error: {exc.message}", file=str(path)) from exc
