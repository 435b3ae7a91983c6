"""XML job feeds (Personio), read safely: XML from outside is hostile.

The standard library's parser (expat) never fetches external entities; on
top of that a document type declaration is refused outright, so neither
entity expansion ("billion laughs") nor an external DTD can get in. No job
feed needs one. The body is already bounded by the client's size limit.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import httpx

from alerts.errors import SourceError
from alerts.model import BoardRef

from . import weight
from .failures import display_url

# expat's codes for a document that stops early: no element found, an
# unclosed token, a partial character, an unclosed CDATA section.
_ENDS_EARLY = frozenset({3, 5, 6, 20})


class Refused(Exception):
    pass


class _NoDoctype(ET.TreeBuilder):
    def doctype(self, name: str, pubid: str, system: str) -> None:
        raise Refused("a document type declaration (DOCTYPE)")


def without_doctype(data: bytes) -> ET.Element:
    """The root of an XML document; Refused for one with a document type
    declaration (found wherever it is, in any encoding, before any of its
    entities is expanded), ET.ParseError for one that is not XML."""
    parser = ET.XMLParser(target=_NoDoctype())
    parser.feed(data)
    return parser.close()


def _looks_like_html(response: httpx.Response, body: bytes) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    start = body.lstrip()[:15].lower()
    return "html" in content_type or start.startswith((b"<!doctype html", b"<html"))


def decode_xml(response: httpx.Response, body: bytes, board: BoardRef) -> ET.Element:
    """The document's root element, or SourceError saying what is wrong."""
    shown = display_url(str(response.url))

    def fail(message: str, transient: bool) -> SourceError:
        return SourceError(board.key, message, status=response.status_code, transient=transient)

    if _looks_like_html(response, body):
        raise fail(f"{shown} returned an HTML page, not XML; check base_url", False)
    if not body.strip():
        raise fail(f"{shown} returned an empty body, not XML", True)
    try:
        weight.check_xml(body)
    except weight.TooHeavy as exc:
        raise fail(f"{shown} returned {exc}", False) from None
    try:
        # Bytes, not text: the declaration names the encoding.
        return without_doctype(body)
    except Refused as exc:
        raise fail(f"{shown} sent XML with {exc}, which a job feed never needs; refused", False) from exc
    except ET.ParseError as exc:
        if exc.code in _ENDS_EARLY:
            # A body cut short is a dropped connection more often than a bug.
            raise fail(f"the XML from {shown} ends early (truncated response)", True) from exc
        raise fail(f"{shown} returned invalid XML ({exc})", False) from exc


def text_of(element: ET.Element | None, path: str) -> str | None:
    """The text of the first `path` under `element`, stripped; None when absent or blank."""
    found = element.find(path) if element is not None else None
    text = found.text if found is not None else None
    return text.strip() or None if text else None


def texts_of(element: ET.Element, path: str) -> list[str]:
    return [text for child in element.findall(path) if (text := (child.text or "").strip())]


def as_record(element: ET.Element, depth: int = 3) -> dict[str, Any]:
    """An element's children as a plain dict (kept as the posting's `raw`):
    text for leaves, dicts for nesting, lists for repeats. Below `depth`
    levels everything is text, so a hostile nesting costs no recursion."""
    record: dict[str, Any] = {}
    for child in element:
        if len(child) == 0:
            value: Any = (child.text or "").strip()
        elif depth > 1:
            value = as_record(child, depth - 1)
        else:
            value = "".join(child.itertext()).strip()
        if child.tag not in record:
            record[child.tag] = value
        elif isinstance(record[child.tag], list):
            record[child.tag].append(value)
        else:
            record[child.tag] = [record[child.tag], value]
    return record
