"""schema.org `JobPosting` objects in a web page's JSON-LD blocks.

A real HTML tokenizer (the standard library's, so no dependency and no
start-up cost), never a regular expression over the HTML, finds every
`<script type="application/ld+json">`, whatever the case of the type or a
`; charset=` after it; each block is decoded on its own, so one broken block
(a stray comma, an HTML comment around it, entity-encoded quotes) never
hides a valid posting beside it (tests/sources/test_sources_jsonld.py holds
the pages it is held to).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from .. import weight

MAX_BLOCKS = 100
MAX_DEPTH = 8
MAX_POSTINGS = 5000  # on one page
_COMMENT_EDGES = re.compile(r"^\s*(?:<!--|//[^\n]*\n)|-->\s*$")
_WALK_INTO = ("@graph", "itemListElement", "item", "mainEntity")


@dataclass
class Page:
    jobs: list[dict[str, Any]] = field(default_factory=list)
    bad_blocks: int = 0
    title: str | None = None  # the page's <title>
    site_name: str | None = None  # <meta property="og:site_name">
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)  # by @id
    truncated: bool = False  # more than MAX_POSTINGS: the rest were not read
    # A block says in so many words that there are none: an empty list, an
    # empty @graph, an ItemList of no items.
    says_none: bool = False


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self.title: list[str] = []
        self.site_name: str | None = None
        self._block: list[str] | None = None
        self._in_title = False
        self._attributes = 0  # at most, in the tags read so far

    def parse_starttag(self, i: int) -> int:
        # Bounded before html.parser makes the tag's attributes into a list.
        end = self.check_for_whole_start_tag(i)
        if end >= 0:
            found = weight.tag_attributes(self.rawdata, i, end)
            weight.check_attributes(found, self._attributes)
            self._attributes += found
        return super().parse_starttag(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            kind = values.get("type", "").split(";")[0].strip().lower()
            self._block = [] if kind == "application/ld+json" and len(self.blocks) < MAX_BLOCKS else None
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and values.get("property", "").lower() == "og:site_name":
            self.site_name = self.site_name or values.get("content")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._block is not None:
            self.blocks.append("".join(self._block))
            self._block = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)
        elif self._in_title and len(self.title) < 20:
            self.title.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def _attempts(text: str, stripped: str) -> Iterator[str]:
    yield text
    yield stripped
    # `&#91;0&#44;0...` holds no `[` or `,` until unescaped: weighed for what
    # it may become before it is (TooHeavy: the page is refused).
    weight.check_escaped_json(stripped)
    yield html.unescape(stripped)


def _decode(block: str) -> Any:
    text = block.strip()
    stripped = _COMMENT_EDGES.sub("", text).strip()
    for attempt in _attempts(text, stripped):
        try:
            # strict=False: some sites leave raw newlines inside strings.
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    raise ValueError("not JSON")


def read_page(text: str) -> Page:
    page = Page()
    if "ld+json" not in text.lower():  # most pages of a site carry none
        return page
    weight.check_html(text)  # TooHeavy: the page is refused, not read in part
    parser = _Scripts()
    parser.feed(text)
    parser.close()
    page.title = " ".join("".join(parser.title).split()) or None
    page.site_name = parser.site_name
    for block in parser.blocks:
        weight.check_json(block)
        try:
            value = _decode(block)
        except weight.TooHeavy:
            raise
        except ValueError:
            page.bad_blocks += 1
            continue
        _index(value, page.nodes, 0)
        page.says_none |= _empty_list(value)
        for job in job_postings(value):
            if len(page.jobs) < MAX_POSTINGS:
                page.jobs.append(job)
            else:
                page.truncated = True
    return page


def _empty_list(value: Any) -> bool:
    if isinstance(value, list):
        return not value
    if not isinstance(value, dict):
        return False
    if value.get("@graph") == []:
        return True
    kinds = value.get("@type")
    if "ItemList" not in (kinds if isinstance(kinds, list) else [kinds]):
        return False
    return value.get("itemListElement") in ([], None) or value.get("numberOfItems") == 0


def _is_job(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if isinstance(kind, str) and kind.rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() == "jobposting":
            return True
    return False


def job_postings(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JobPosting in a decoded block: the object itself, a list, an
    `@graph`, an ItemList's items."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from job_postings(item, depth + 1)
    elif isinstance(node, dict):
        if _is_job(node):
            yield node
            return
        for key in _WALK_INTO:
            if key in node:
                yield from job_postings(node[key], depth + 1)


def _index(node: Any, nodes: dict[str, dict[str, Any]], depth: int) -> None:
    """Objects with an `@id`, so that `{"@id": ...}` references resolve."""
    if depth > MAX_DEPTH or len(nodes) > 1000:
        return
    if isinstance(node, list):
        for item in node:
            _index(item, nodes, depth + 1)
    elif isinstance(node, dict):
        if isinstance(node.get("@id"), str) and len(node) > 1:
            nodes.setdefault(node["@id"], node)
        for key in _WALK_INTO:
            if key in node:
                _index(node[key], nodes, depth + 1)
