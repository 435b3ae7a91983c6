"""What a body may cost beyond its bytes: the work of parsing it.

The size limit (bodies.py) bounds the bytes, not what they turn into: 40 MB
of `[0,0,0,...]` is twenty million Python objects, 30 MB of `<p/>` eight
million elements (most of a gigabyte), a page of a million tags minutes of
the HTML tokenizer. Each format is counted before it is parsed, with
`count()` over the bytes (C speed, no objects), and a body over its bound is
refused in words: no job board comes near them.

The counts are upper bounds (a comma inside a string counts as a value), so
a real body reads as heavier than it is, never lighter.
"""

from __future__ import annotations

import html.parser
import re

# JSON values, weighted by what json.loads makes of them (measured on
# CPython 3.11): a value about 80 bytes, an object 2.5 values, a list 1.25.
# Two million is about 160 MB; a 10 MB board is a few hundred thousand.
MAX_JSON_VALUES = 2_000_000
# XML elements: about 100 bytes each once parsed. A full sitemap (50,000
# URLs) is a quarter of a million. An attribute costs about three elements
# (300 bytes) and needs its `=`: each `=` is counted as three.
MAX_XML_ELEMENTS = 1_000_000
XML_ATTRIBUTE_WEIGHT = 3
# HTML tags (the tokenizer reads about 100,000 a second); a large careers
# page has a few tens of thousands.
MAX_HTML_TAGS = 300_000
HTML_REFERENCES_PER_TAG = 4
# HTML attributes (about 500 bytes each while their tag is parsed, half a
# million a second), counted per tag as the parser reaches it, by the
# separators in the tag (an upper bound: a space inside a value counts):
# all of a page's tags, and one tag alone (a tag's attributes are one list).
MAX_HTML_ATTRIBUTES = 1_000_000
MAX_TAG_ATTRIBUTES = 100_000
_SEPARATORS = (" ", "\t", "\n", "\r", "\f", "/")
# Smaller bodies are under every bound whatever they hold: not counted.
UNCOUNTED_BYTES = 64 * 1024


class TooHeavy(ValueError):
    """A body over one of the bounds; the message says which, in words."""


def json_values(data: bytes | str) -> int:
    if isinstance(data, bytes):
        plain = data.count(b",") + data.count(b":")
        return plain + (5 * data.count(b"{") + 2 * data.count(b"[") + 1) // 2
    plain = data.count(",") + data.count(":")
    return plain + (5 * data.count("{") + 2 * data.count("[") + 1) // 2


def check_json(data: bytes | str) -> None:
    if len(data) > UNCOUNTED_BYTES and (found := json_values(data)) > MAX_JSON_VALUES:
        raise TooHeavy(f"JSON of more than {MAX_JSON_VALUES:,} values (about {found:,}); not read")


def check_escaped_json(text: str) -> None:
    """JSON written with HTML character references, before it is unescaped:
    any `&` may become a `{` (and each costs a string while unescaping)."""
    if len(text) <= UNCOUNTED_BYTES:
        return
    if (found := json_values(text) + (5 * text.count("&") + 1) // 2) > MAX_JSON_VALUES:
        raise TooHeavy(
            f"JSON of more than {MAX_JSON_VALUES:,} values (about {found:,}, "
            "counting what its HTML escapes may become); not read"
        )


def _tags(data: bytes | str) -> int:
    return data.count(b"<") if isinstance(data, bytes) else data.count("<")


def check_xml(data: bytes) -> None:
    if len(data) <= UNCOUNTED_BYTES:
        return
    if (found := _tags(data) + XML_ATTRIBUTE_WEIGHT * data.count(b"=")) > MAX_XML_ELEMENTS:
        raise TooHeavy(
            f"XML of more than {MAX_XML_ELEMENTS:,} elements (about {found:,}, "
            f"an attribute weighing {XML_ATTRIBUTE_WEIGHT}); not read"
        )


def check_html(text: str) -> None:
    if len(text) <= UNCOUNTED_BYTES:
        return
    # A `&` (a character reference, or what may start one) costs the
    # tokenizer about a quarter of a tag: 50 MB of them, a minute and a half.
    if (found := _tags(text) + text.count("&") // HTML_REFERENCES_PER_TAG) > MAX_HTML_TAGS:
        raise TooHeavy(
            f"HTML of more than {MAX_HTML_TAGS:,} tags (about {found:,}, "
            f"{HTML_REFERENCES_PER_TAG} character references counted as one); not read"
        )


def tag_attributes(text: str, start: int, end: int) -> int:
    """At most how many attributes the tag at text[start:end] has."""
    return sum(text.count(separator, start, end) for separator in _SEPARATORS)


def check_attributes(in_tag: int, so_far: int) -> None:
    """A tag of `in_tag` attributes after `so_far` in the page's earlier tags."""
    if in_tag > MAX_TAG_ATTRIBUTES:
        raise TooHeavy(f"HTML with a tag of more than {MAX_TAG_ATTRIBUTES:,} attributes; not read")
    if so_far + in_tag > MAX_HTML_ATTRIBUTES:
        raise TooHeavy(f"HTML of more than {MAX_HTML_ATTRIBUTES:,} attributes; not read")


def _possessive_start_tags() -> None:
    """html.parser finds where a start tag ends with a regex that keeps a
    backtracking point per attribute: 500 bytes each, 500 MB for a tag of
    a million attributes, before any count can look. The same regex with
    its repeats possessive matches the same text without them (what
    follows, `\\s*`, never needs one back). Left alone where the stdlib's
    regex is not the one this knows."""
    found: re.Pattern[str] = getattr(html.parser, "locatestarttagend_tolerant")  # noqa: B009
    repeats = "       )?(?:\\s|/(?!>))*\n     )*\n"
    if repeats in found.pattern:
        possessive = found.pattern.replace(repeats, "       )?(?:\\s|/(?!>))*+\n     )*+\n")
        setattr(html.parser, "locatestarttagend_tolerant", re.compile(possessive, found.flags))  # noqa: B010


_possessive_start_tags()
