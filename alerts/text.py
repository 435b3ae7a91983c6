"""Text hygiene for strings from outside: what may never reach a terminal, a
chat service or the database. Pure; imports nothing of ours.

Removed: terminal escape sequences whole (so an OSC window title or an OSC 8
link target goes with its introducer), C0 and C1 control characters (NUL
included), bidi embeddings, overrides, isolates and marks, other invisible
format characters and lone surrogates (they cannot be encoded as UTF-8).
Kept: ZWJ/ZWNJ (emoji, Indic scripts), tag characters (flag sequences) and
right-to-left letters themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_TERMINAL_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?             # CSI
    | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|$)  # OSC DCS SOS PM APC
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                                     # any other ESC sequence
    """,
    re.VERBOSE | re.DOTALL,
)
_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
_INVISIBLE = (
    "\x00-\x08\x0e-\x1f\x7f\x80-\x9f"  # C0 (but tab and line breaks) and C1 controls
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u206a-\u206f\ufeff\ufff9-\ufffb"  # deprecated format characters, BOM, annotations
    "\ud800-\udfff"  # lone surrogates
)
_STRIP = re.compile(f"[{_INVISIBLE}]")
# Everything `clean_line` or `clean_block` would change: most text has none of it.
_SUSPECT = re.compile(f"[{_INVISIBLE}\x1b\t\n\v\f\r\x85\u2028\u2029]")
_SPACES = re.compile(r" {2,}")


def has_controls(text: str) -> bool:
    """True when `text` holds anything the cleaners remove (line breaks included)."""
    return _SUSPECT.search(text) is not None


def clean_line(text: str) -> str:
    """One line of display text: sequences and invisible characters removed,
    line breaks and tabs made one space, runs of spaces collapsed, trimmed."""
    if not has_controls(text):
        return text.strip()
    text = _TERMINAL_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub(" ", text)
    text = _STRIP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """Text of several lines (a rendered message): the same, but line breaks and
    tabs are kept, so the layout survives."""
    if not has_controls(text):
        return text
    text = _TERMINAL_SEQUENCE.sub("", text)
    return _STRIP.sub("", text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _char_forms(char: str) -> str:
    # As written, percent-encoded (either hex case), as JSON escapes it
    # (a JSON log line), and a space as a query string writes it.
    forms = {char, "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))}
    forms.add(json.dumps(char)[1:-1])
    if char == " ":
        forms.add("+")
    return "(?:" + "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)) + ")"


def any_form(values: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding each of `values` (secrets) however a URL, a server
    or a log line may have written it: percent-encoded in part or whole, in
    any letter case, JSON-escaped. None when there is none."""
    ordered = sorted({value for value in values if value}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile("|".join("".join(map(_char_forms, value)) for value in ordered), re.IGNORECASE)
