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

# Services that never notify anyone from message text (keyed by the Apprise
# protocol name, see send.service_of): mail, our own webhook formats, the
# console, MQTT, syslog, desktop notifications. Every other service, any
# Apprise adds later included, gets its mentions broken.
NO_MENTIONS = frozenset(
    {
        *("mailto", "mailtos", "json", "jsons", "xml", "xmls", "form", "forms", "console"),
        *("mqtt", "mqtts", "syslog", "rsyslog"),
        *("windows", "macosx", "dbus", "kde", "qt", "glib", "gnome"),
    }
)

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
# A "<" that may open a tag: <users/all>, <at>, <@all>, <!here>.
_TAG_OPEN = re.compile(r"<(?=[^\s<])")
_KMARKDOWN = re.compile(r"\((met|rol|chn)\)")
_REDDIT_USER = re.compile(r"(\bu/)(?=\w)")

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


def mentions_matter(service: str | None) -> bool:
    return service is not None and service not in NO_MENTIONS


def _at(text: str) -> str:
    # After the trigger, so two values side by side ("...@" + "everyone") cannot join into one.
    return text.replace("@", "@" + ZERO_WIDTH_SPACE)


def _slack(text: str) -> str:
    return _SLACK_SPECIAL.sub("<" + ZERO_WIDTH_SPACE, _at(text))


def _every_form(text: str) -> str:
    """@room (Matrix), @**all** (Zulip), <users/all> (Google Chat), <at>all</at>
    (Teams), <at user_id="all"> (Lark), <@all> (Webex), (met)all(met) (KOOK),
    u/name (Reddit): a zero-width space after each trigger."""
    text = _TAG_OPEN.sub("<" + ZERO_WIDTH_SPACE, _at(text))
    text = _KMARKDOWN.sub(lambda m: f"({ZERO_WIDTH_SPACE}{m[1]})", text)
    return _REDDIT_USER.sub(lambda m: f"{m[1]}{ZERO_WIDTH_SPACE}", text)


# Services whose mentions all start with "@" ("<@id>" included) get only
# that broken; Slack's specials start with "<!". Any other chat service
# gets every form (_every_form).
_MENTION_RULES: dict[str, Callable[[str], str]] = {
    "slack": _slack,
    **dict.fromkeys(("discord", "guilded", "fluxer", "fluxers", "notifiarr", "rocket", "rockets"), _at),
}


def break_mentions(text: str, service: str | None) -> str:
    """Insert a zero-width space so @everyone, <@123>, <!here>, @room ... stay text."""
    if not mentions_matter(service):
        return text
    return _MENTION_RULES.get(service or "", _every_form)(text)


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
    if mentions_matter(service):
        # Discord's ping detection also scans link text for "@name".
        safe = safe.replace("@", "")
    return quote(url, safe=safe)
