"""Is this a valid Atom feed (RFC 4287)? The RFC's own RELAX NG grammar
(data/atom.rng) through lxml, plus what the grammar cannot say: RFC 3339
dates with an offset, the Schematron rules (an author on the feed or on
every entry; an alternate link or content on every entry), unique entry
ids, and the self link RFC 4287 section 4.2.7 recommends."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

NS = "http://www.w3.org/2005/Atom"
A = f"{{{NS}}}"
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)\Z")


@cache
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(Path(__file__).with_name("data") / "atom.rng")))


def atom_errors(data: bytes) -> list[str]:
    """Every problem found; [] for a valid feed."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    grammar = schema()
    errors = [] if grammar.validate(root) else [f"line {e.line}: {e.message}" for e in grammar.error_log]
    for element in root.iter(f"{A}updated", f"{A}published"):
        if not _RFC3339.match((element.text or "").strip()):
            errors.append(f"line {element.sourceline}: {element.text!r} is not an RFC 3339 date-time")
    entries = root.findall(f"{A}entry")
    if root.find(f"{A}author") is None and any(e.find(f"{A}author") is None for e in entries):
        errors.append("no atom:author on the feed, and an entry has none either (RFC 4287 4.1.1)")
    for entry in entries:
        alternate = entry.xpath("a:link[@rel='alternate' or not(@rel)]", namespaces={"a": NS})
        if not alternate and entry.find(f"{A}content") is None:
            errors.append(f"line {entry.sourceline}: an entry with neither an alternate link nor content")
    ids = [e.findtext(f"{A}id") for e in entries]
    if len(ids) != len(set(ids)):
        errors.append("two entries share an atom:id")
    if not root.xpath("a:link[@rel='self']", namespaces={"a": NS}):
        errors.append("no atom:link rel='self'")
    return errors
