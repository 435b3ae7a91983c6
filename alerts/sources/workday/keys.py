"""Which key (external id) each Workday posting keeps from poll to poll.

The list has no id field. A posting is keyed by its requisition id (in
`bulletFields` and at the end of `externalPath`), so that a repost of the
same requisition (`..._JR123-1` replacing `..._JR123`) keeps its identity.
One requisition may also be listed under several paths at once (another
location or site): the first keeps the requisition id, each other one is
keyed by its own path.

Keys are sticky. Each posting's cache entry remembers the path it was last
listed at, so a key never moves from one listed path to another: a path
seen for the first time takes the requisition id only when no listed path
holds it (a repost, or the requisition's first posting), else its own path.
A key whose path is gone while its requisition is still listed under
another key is *carried*: the posting is shown as it was last read, so that
taking down one of two postings of a requisition is never announced as a
close while the job is still open there. When no path of the requisition is
listed any more, all its keys count as missing together.

Without memory (a first poll, a lost cache, `parse`), the shortest path
takes the requisition id, whatever the page order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..normalize import as_list
from ..payload import bounded_id

Row = dict[str, Any]

_REPOST = re.compile(r"(.+)-(\d{1,2})")
_LONG_NUMBER_END = re.compile(r"\d{4,}$")


def path_of(row: Row) -> str:
    return str(row.get("externalPath", "")).strip()


def requisition_id(row: Row) -> str:
    """The requisition behind a row, the same when it is reposted.

    The id is after the first `_` of the path's last segment (the title slug
    uses `-`); a repost appends `-1`, `-2`. Ids themselves may hold `-` or
    `_` (`R-2593225`, `JR_00145400`), so a suffix is only stripped when
    `bulletFields` shows the id without it, or when a long number precedes it.
    """
    path = path_of(row)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    token = last.split("_", 1)[1] if "_" in last else ""
    bullets = {b.strip() for b in as_list(row.get("bulletFields")) if isinstance(b, str)}
    repost = _REPOST.fullmatch(token)
    if token and token in bullets:
        found = token
    elif repost and (repost[1] in bullets or _LONG_NUMBER_END.search(repost[1])):
        found = repost[1]
    else:
        found = token or path
    return bounded_id(found)


def path_key(row: Row) -> str:
    """The key of a second posting of a requisition: its own path."""
    return bounded_id(path_of(row))


@dataclass
class Keys:
    rows: dict[str, Row] = field(default_factory=dict)  # key -> its listed row
    # Keys not listed this poll whose requisition is (key -> requisition id).
    carried: dict[str, str] = field(default_factory=dict)
    # Requisition id -> every key it has, for the requisitions with several.
    shared: dict[str, list[str]] = field(default_factory=dict)


def candidates(rows: Iterable[Row], shared: Mapping[str, list[str]]) -> set[str]:
    """Every key the listed rows may have: what to look up in the cache."""
    found: set[str] = set()
    for row in rows:
        requisition = requisition_id(row)
        found |= {requisition, path_key(row), *shared.get(requisition, ())}
    return found


def assign(rows: Iterable[Row], known: Mapping[str, str], shared: Mapping[str, list[str]]) -> Keys:
    """Each listed row's key. `known`: key -> the path it was last listed at
    (from the cache); `shared`: the last poll's `Keys.shared`."""
    listed = {path_of(row): row for row in rows}
    owner = {path: requisition_id(row) for path, row in listed.items()}
    out = Keys()
    taken: dict[str, str] = {}  # path -> key
    for key, path in sorted(known.items()):
        row = listed.get(path)
        if row is None or path in taken or key in out.rows:
            continue
        if key in (owner[path], path_key(row)) or key in shared.get(owner[path], ()):
            taken[path] = key
            out.rows[key] = row
    for path in sorted(set(listed) - set(taken), key=lambda p: (len(p), p)):
        key = owner[path] if owner[path] not in out.rows else path_key(listed[path])
        if key in out.rows:  # a path that reads as another's requisition id: keep both
            key = bounded_id("path:" + path)
        taken[path] = key
        out.rows[key] = listed[path]
    # Shortest path first, whatever the page order (as without memory).
    out.rows = dict(sorted(out.rows.items(), key=lambda item: (len(path_of(item[1])), path_of(item[1]))))
    alive = set(owner.values())
    for requisition in sorted(alive):
        former = {*shared.get(requisition, ()), *([requisition] if requisition in known else [])}
        for key in sorted(former - set(out.rows)):
            out.carried[key] = requisition
    by_requisition: dict[str, list[str]] = {}
    for key in out.rows:
        by_requisition.setdefault(owner[path_of(out.rows[key])], []).append(key)
    for key, requisition in out.carried.items():
        by_requisition.setdefault(requisition, []).append(key)
    out.shared = {req: sorted(keys) for req, keys in sorted(by_requisition.items()) if len(keys) > 1}
    return out


def identify(rows: list[Row]) -> dict[str, Row]:
    """Rows by key, without memory of earlier polls: the shortest path of a
    requisition takes its id, whatever the page order."""
    return assign(rows, {}, {}).rows
