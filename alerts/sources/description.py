"""A posting's description as plain text, for keyword filters.

Sources hand the description over as they received it (`SourceText`); it is
made plain only when something reads it (a new or changed posting being
stored, a keyword filter), never for the unchanged postings of a poll.
HTML is stripped with the standard library's parser: entities unescaped,
script and style dropped, a space where a block ends so words of two
paragraphs never run together, whitespace collapsed, the length bounded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from typing import Any

from alerts.model import SourceText, plain_text

# Parsing costs time in proportion to the markup: a hostile or broken board
# sending megabytes of it is cut here (ten times the plain text kept).
HTML_MAX_CHARS = 200_000

# Elements whose end (or start) separates words: paragraphs, list items,
# cells, line breaks. Inline ones (<b>, <a>, <span>) join their text as is.
_BREAKS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# Elements whose content is not text anyone reads.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title"})
# What the parser holds back at the end when the markup stops inside a tag
# or a comment (cut at HTML_MAX_CHARS, or sent cut off): no text.
_UNFINISHED = re.compile(r"<[a-zA-Z/!?]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(markup: str) -> str | None:
    """HTML -> normalised plain text (None when there is no text)."""
    parser = _Text()
    parser.feed(markup[:HTML_MAX_CHARS])
    if _UNFINISHED.match(parser.rawdata):
        parser.rawdata = ""  # else close() would keep "<p style='..." as text
    parser.close()
    return plain_text("".join(parser.parts))


def escaped_html_text(markup: str) -> str | None:
    """HTML sent entity-escaped inside JSON (Greenhouse's `content`: `&lt;p&gt;`)."""
    return html_text(html.unescape(markup[:HTML_MAX_CHARS]))


def markup_text(text: str) -> str | None:
    """HTML, HTML escaped once more, or plain text, as JSON-LD descriptions
    come: escaped when it holds an escaped tag and no tag of its own."""
    if "<" not in text and "&lt;" in text:
        return escaped_html_text(text)
    return html_text(text)


def from_html(*parts: Any) -> SourceText | None:
    """The description from one or more HTML fields (non-strings skipped)."""
    return _joined(parts, html_text)


def from_escaped_html(value: Any) -> SourceText | None:
    return _joined((value,), escaped_html_text)


def from_markup(value: Any) -> SourceText | None:
    return _joined((value,), markup_text)


def from_plain(*parts: Any) -> SourceText | None:
    """The description from plain-text fields."""
    return _joined(parts, plain_text)


def from_sections(body: Any, sections: Iterable[tuple[Any, Any]] = (), *tail: Any) -> SourceText | None:
    """HTML in parts: a body, then each section's HTML under its plain-text
    heading ("What you'll do"), then the rest (closing words). One string,
    copied once per poll: cheaper to recognise than many."""
    parts = [body]
    for heading, content in sections:
        if isinstance(content, str):
            # A heading is plain text, which reads the same as HTML.
            parts += ("<h3>", heading, "</h3>", content)
    parts.extend(tail)
    markup = "".join([part for part in parts if isinstance(part, str)])
    return SourceText(markup, html_text) if markup and not markup.isspace() else None


def plain_of_html(*parts: Any) -> str | None:
    """The plain text of HTML parts, parsed now: what a source keeps of a
    detail in its cache (fetched only when new or changed), so a steady
    poll rebuilds the description with `from_plain` and parses nothing."""
    source = from_html(*parts)
    return source.plain() if source is not None else None


def _joined(parts: Iterable[Any], to_plain: Callable[[str], str | None]) -> SourceText | None:
    texts = [part for part in parts if isinstance(part, str)]
    # Joined with a newline: a space in plain text, a break between HTML parts.
    text = texts[0] if len(texts) == 1 else "\n".join(texts)
    return SourceText(text, to_plain) if text and not text.isspace() else None
