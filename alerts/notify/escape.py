"""Making posting text inert for the format and the service it is sent to.

Posting text (titles, companies, locations...) comes from job boards we do
not control, so it is treated as hostile: a title must never ping a channel,
inject a link or restyle the message. HTML is handled by Jinja's
autoescape; everything else happens here, before the template sees a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

ZERO_WIDTH_SPACE = "\u200b"

# Services whose messages parse @-mentions out of plain text (keyed by the
# Apprise protocol name, see send.service_of).
MENTION_SERVICES = frozenset({"slack", "discord", "mmost", "rocket"})

# Discord renders Markdown even in messages Apprise sends as plain text.
MARKDOWN_RENDERING_SERVICES = frozenset({"discord"})

# Characters that start inline formatting, links, images, code or raw HTML.
# `&` is left alone: entities are harmless in Discord and Apprise's Slack
# converter escapes a bare `&` itself (escaping it here would double it).
_MARKDOWN_INLINE = re.compile(r"([\\`*_~\[\]()<>#!])")
# Block syntax only bites at the start of a line; values are single-line, but
# a user's template may put one at a line start.
_MARKDOWN_LINE_START = re.compile(r"^(?:(\d+)\.|([-+]))")

# Slack's mrkdwn has no escape for its formatting characters: a backslash
# before one shows as a backslash. Posting text gets look-alikes for them
# instead (∗ ˍ ∼ ˋ), which also work inside a link's text, where Slack's
# other workaround (a date token's fallback text) does not.
_SLACK_LOOKALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
# What Apprise's Markdown-to-mrkdwn converter turns back into plain text
# (`\(` -> `(`) or into Slack's entities (`\<` -> `&lt;`).
_SLACK_CONVERTED = re.compile(r"([\[\]()<>#!])")

# `<!channel>`, `<!here>`, `<!subteam^ID>`: Slack's special mentions.
_SLACK_SPECIAL = re.compile(r"<(?=!)")

_LINK_SCHEMES = frozenset({"http", "https"})
# Everything a URL needs except what would end a Markdown link destination
# or a Slack anchor early: ( ) [ ] < > | space and quotes get percent-encoded.
_LINK_SAFE = "/:?#@!$&*+,;=%~-._"

Escaper = Callable[[str], str]


def one_line(text: str) -> str:
    # Newlines in a title would let it start its own Markdown block.
    return " ".join(text.split())


def escape_markdown(text: str) -> str:
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    # "1." would start an ordered list, "-" or "+" a bullet list.
    return _MARKDOWN_LINE_START.sub(lambda m: f"{m[1]}\\." if m[1] else f"\\{m[2]}", text, count=1)


def escape_slack(text: str) -> str:
    """Posting text for a Slack body written in Markdown (Apprise converts it).

    The converter keeps a backslash pair it does not know (`\\*`, `\\\\`) as
    it is, and Slack would show the backslash; a zero-width space after a
    posting's own backslash keeps it from pairing with what follows.
    """
    text = text.translate(_SLACK_LOOKALIKES).replace("\\", "\\" + ZERO_WIDTH_SPACE)
    return _SLACK_CONVERTED.sub(r"\\\1", text)


def break_mentions(text: str, service: str | None) -> str:
    """Insert a zero-width space so @everyone, <@123> and <!here> stay text."""
    if service not in MENTION_SERVICES:
        return text
    text = text.replace("@", "@" + ZERO_WIDTH_SPACE)
    if service == "slack":
        text = _SLACK_SPECIAL.sub("<" + ZERO_WIDTH_SPACE, text)
    return text


def renders_markdown(body_format: str, service: str | None) -> bool:
    return body_format == "markdown" or (body_format == "text" and service in MARKDOWN_RENDERING_SERVICES)


def text_escaper(body_format: str, service: str | None) -> Escaper:
    """The function every posting string goes through for this destination."""
    markdown = renders_markdown(body_format, service)
    mark = escape_slack if service == "slack" else escape_markdown

    def escape(text: str) -> str:
        text = break_mentions(one_line(text), service)
        return mark(text) if markdown else text

    return escape


def safe_link(url: str | None, service: str | None = None) -> str | None:
    """An http(s) URL that cannot break out of a link, or None.

    Other schemes (javascript:, data:, ...) are dropped rather than repaired.
    """
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in _LINK_SCHEMES:
        return None
    safe = _LINK_SAFE
    if service in MENTION_SERVICES:
        # Discord's ping detection also scans link text for "@name".
        safe = safe.replace("@", "")
    return quote(url, safe=safe)
