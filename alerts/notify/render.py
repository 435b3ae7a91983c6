"""Delivery deliveries -> one Message, rendered with Jinja2.

Template context (the contract for users' own `template = "x.j2"` files):

    format    "text" | "markdown" | "html": what the body is written in
    title     the summary subject, e.g. "2 new, 1 reposted, 1 closed: OpenAI, Stripe"
    counts    {"opened": n, "reopened": n, "updated": n, "closed": n, "total": n,
              "reposted": n}: postings by the kind their story ends as;
              total = postings; reposts are `opened` stories, counted in both
    groups    one per company, in the order its first story began:
      company   display name (the board key when the source gives none)
      events    one entry per posting: its events in this message merged
                into one story, in time order. Each has:
        kind           "opened" | "reopened" | "updated" | "closed": how the
                       story ends (closed-then-reopened is "reopened";
                       opened-then-closed is "closed")
        label          "New" | "Reposted" | "Reopened" | "Updated" | "Closed",
                       or for a story whose end hides its start "Opened and
                       closed" | "Reopened and closed"
        kinds          the kinds merged, oldest first (["opened", "closed"])
        posting        every Posting field but `raw` (title, company,
                       department, team, location, city, region, country
                       (an ISO 3166-1 alpha-2 code such as "GB", or none),
                       work_model, employment_type, salary_min, salary_max,
                       salary_currency, salary_period, url, apply_url,
                       posted_at, updated_at, source, board_token (also as
                       `board`), external_id), as after the story's last
                       event, plus `salary` (display text such as "USD
                       135,000-165,000 per year", or none), `salary_short`
                       (the same in few characters, "$135K–$165K/yr",
                       "$45/hr", "up to €80K/yr", or none), `link`
                       (url, else apply_url, else none) and `description`
                       (the start of its plain text, at most 300 characters
                       and "…", or none; SmartRecruiters sends none)
        changes        [{field, label, old, new}] in tracked field order:
                       each field's first old and last new value across the
                       story (fields that came back are left out; none for a
                       new posting); old/new are display text ("none" if empty);
                       old_short/new_short the same, but a salary in the
                       compact form ("$120K–$150K/yr")
        subscriptions  names of the subscriptions that matched any of them
        occurred_at    when the last event happened: datetime or none
        first_occurred_at  when the first one did
        first_seen_at  when the posting was first seen (datetime or none); for
                       a repost (and every later event of one), when its job
                       was: through the chain's first posting
        age            "posted 3 days ago" (from the source's posted_at), else
                       "first seen 2 hours ago"; none when neither is known and
                       for a new posting without a date (first seen by the
                       story itself); counted to when the message is written;
                       a repost's (and its later events') from the earliest
                       date along its chain of reposts
        repost         none, or for a posting that reposts an earlier one
                       (same company, department, title and location; kind "opened",
                       label "Reposted"): {link (the earlier posting's, or
                       none), first_seen_at (when the job was first seen,
                       through its earlier postings), closed_at (datetime, or
                       none while the earlier one is open), closed ("closed 5
                       days ago" or "still open"), open_for ("4 months": from
                       the first sighting to now)}
    summary   the counts in words, e.g. "2 new, 1 reposted, 1 closed"
    tally     the same as a list, one entry per kind present, in that order:
              [{"kind": "opened" | "reposted" | "reopened" | "updated" |
              "closed", "word": "new" | "reposted" | ..., "count": n}]
              ("opened" counts new postings that are not reposts)
    period    when the message is about, in the channel's `timezone`:
              {"text": "Mon 24 Nov 08:00 – Tue 25 Nov 08:00" for a digest
              (from the last digest to this one), or "Tue 25 Nov 08:00" (when
              it is written) for an instant message; "digest": true | false;
              "start" (datetime, or none), "end" (datetime); "timezone"
              ("Europe/Berlin")}
    subscriptions  names of every subscription that matched something here
    channel   the channel's name, or none (a message rendered outside delivery)
    config_file  the config file's name ("alerts.toml"), or none
    more      none, or {"count": n, "link": url or none, "capped": false}
              when a short message (SMS and the like) could not list every
              event: the last n were left out; `link` is the first of those
              left out; or, for an email past its cards (`capped`: true),
              how many postings it leaves out and the web page's address
              (`link`, the config's web.public_url, or none); the counts,
              summary and title still count every posting

Values are already made safe for the destination: HTML is autoescaped; in
Markdown, posting text has its control characters backslash-escaped; for
chat services (`service` hint) mentions are broken with a zero-width space.
Links are http(s) only and percent-encoded so they cannot end a link early.
Print values as they are; never mark them `|safe`.

Users' templates run in a sandbox with StrictUndefined: a misspelt name is an
error, not an empty string, reported with the template's file and line.

Built-in bodies: body.html.j2 (email: a digest of cards, table layout and
inline styles only, as mail clients need), body.email.txt.j2 (email's
plain-text part, or the whole mail with `format = "text"`), body.md.j2
(Markdown), body.slack.md.j2 (Markdown that Apprise turns into Slack's
mrkdwn), body.discord.md.j2 (Discord's Markdown), body.txt.j2 (plain
text: webhooks, MQTT, the console) and body.short.txt.j2 (one line per
event, for SMS-sized services).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from alerts.errors import ConfigError
from alerts.model import Delivery, Message
from alerts.notify.context import build_context, escape_title, subject
from alerts.notify.envelope import Envelope
from alerts.notify.samples import sample_items
from alerts.notify.sandbox import BoundedSandbox, render_bounded

__all__ = ["FORMATS", "TEMPLATE_NAMES", "render_body", "render_message", "sample_items"]

FORMATS: tuple[str, ...] = ("text", "markdown", "html")
TEMPLATE_NAMES = {"text": "body.txt.j2", "markdown": "body.md.j2", "html": "body.html.j2"}
# Built-in bodies written for one service's dialect, keyed by (format, service).
SERVICE_TEMPLATES = {
    ("markdown", "discord"): "body.discord.md.j2",
    ("markdown", "slack"): "body.slack.md.j2",
    ("text", "mailto"): "body.email.txt.j2",
    ("text", "mailtos"): "body.email.txt.j2",
}
SHORT_TEMPLATE = "body.short.txt.j2"


def _settings(body_format: str) -> dict[str, Any]:
    return {
        # PackageLoader reads through importlib, so templates load from a wheel.
        "loader": PackageLoader("alerts.notify", "templates"),
        "autoescape": body_format == "html",
        "undefined": StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": False,
    }


@cache
def _environment(body_format: str) -> Environment:
    """For the built-in templates: ours, so no sandbox (it costs a check on
    every attribute and call)."""
    return Environment(**_settings(body_format))


def built_in_template(body_format: str, service: str | None = None, *, short: bool = False) -> str:
    if short and body_format == "text":
        return SHORT_TEMPLATE
    return SERVICE_TEMPLATES.get((body_format, service or ""), TEMPLATE_NAMES[body_format])


def render_body(
    items: Sequence[Delivery],
    body_format: str,
    *,
    template: Path | None = None,
    service: str | None = None,
    short: bool = False,
    more: dict[str, Any] | None = None,
    now: datetime | None = None,
    envelope: Envelope | None = None,
    counted: Sequence[Delivery] | None = None,
) -> str:
    """The body for these items; `more` tells the template how many were left out,
    `now` when it is written (each posting's age; default: the clock),
    `envelope` what it is sent for (channel, digest period, config file),
    `counted` the rows the counts are of (all of them, when some are left out)."""
    if body_format not in FORMATS:
        raise ValueError(f"unknown body format {body_format!r}; expected one of {FORMATS}")
    service = service.lower() if service else None
    context = build_context(items, body_format, service, now, envelope, counted)
    context["more"] = more
    if template is None:
        name = built_in_template(body_format, service, short=short)
        body = _environment(body_format).get_template(name).render(context)
    else:
        body = _render_user_template(Path(template), body_format, context)
    return body.strip()


def render_message(
    items: Sequence[Delivery],
    body_format: str,
    *,
    template: Path | None = None,
    service: str | None = None,
    short: bool = False,
    more: dict[str, Any] | None = None,
    now: datetime | None = None,
    envelope: Envelope | None = None,
) -> Message:
    """One message carrying every item for one channel target."""
    body = render_body(
        items,
        body_format,
        template=template,
        service=service,
        short=short,
        more=more,
        now=now,
        envelope=envelope,
    )
    service = service.lower() if service else None
    return Message(title=escape_title(subject(items), service), body=body, body_format=body_format)


@lru_cache(maxsize=64)
def _user_environment(folder: Path, body_format: str) -> BoundedSandbox:
    """One per folder and format, so a user's template is compiled once, not
    at every render (Jinja still reloads it when the file changes). Users'
    templates run in the sandbox."""
    settings = _settings(body_format)
    # The user's own folder first, so their template can include its own
    # partials as well as ours.
    settings["loader"] = ChoiceLoader([FileSystemLoader(folder), settings["loader"]])
    return BoundedSandbox(**settings)


def _render_user_template(path: Path, body_format: str, context: dict[str, object]) -> str:
    # Loading it by name gives Jinja its file name, which errors then report
    # with the line.
    env = _user_environment(path.parent, body_format)
    if not path.is_file():
        raise ConfigError("cannot read template: no such file", file=str(path))
    try:
        return render_bounded(env.get_template(path.name), context)
    except TemplateNotFound as exc:  # before OSError: Jinja makes it one
        raise ConfigError(f"template includes a missing file: {exc.name}", file=str(path)) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read template: {exc.strerror}", file=str(path)) from exc
    except TemplateSyntaxError as exc:
        message = f"template syntax error on line {exc.lineno}: {exc.message}"
        raise ConfigError(message, file=exc.filename or str(path)) from exc
    except TemplateError as exc:
        # UndefinedError and SecurityError: a wrong name or a forbidden call.
        file, line = _user_frame(exc.__traceback__, path)
        where = f" on line {line}" if line else ""
        raise ConfigError(f"template error{where}: {exc.message}", file=file) from exc
    except (Exception, RecursionError) as exc:
        # Anything the template's own code raised: IndexError, LookupError (an
        # unknown encoding), ZeroDivisionError, OverflowError, RecursionError,
        # MemoryError... one line naming the template, never a traceback.
        file, line = _user_frame(exc.__traceback__, path)
        where = f" on line {line}" if line else ""
        said = " ".join(str(exc).split())[:200]
        raise ConfigError(f"template error{where}: {type(exc).__name__}: {said}", file=file) from exc


def _user_frame(tb: TracebackType | None, path: Path) -> tuple[str, int | None]:
    """The innermost line of the user's own templates in a render traceback.

    Jinja rewrites tracebacks so template frames carry the template's file
    name and line; frames of our built-in partials are skipped.
    """
    folder = str(path.parent.resolve())
    found: tuple[str, int | None] = (str(path), None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") and str(Path(filename).resolve()).startswith(folder):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
