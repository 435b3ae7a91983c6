"""What a source may keep between polls of one board, to save requests: a
posting's detail, a sitemap page. An entry is used only while its signature
(the list entry it came from, a page's lastmod) is unchanged, so a stale or
lost cache costs requests, never correctness.

The cycle hands each fetch a cache backed by the database; tests use
`MemoryCache`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

# (signature, data) per key; data is anything JSON can hold.
Entry = tuple[str, Any]


class SourceCache(Protocol):
    async def get(self, keys: Iterable[str]) -> dict[str, Entry]:
        """The stored entries among these keys (whatever their signature)."""
        ...

    async def put(self, entries: Mapping[str, Entry]) -> None: ...

    async def retain(self, keys: Iterable[str]) -> None:
        """Forget every entry but these (call after a complete snapshot)."""
        ...


class MemoryCache:
    def __init__(self, entries: Mapping[str, Entry] | None = None) -> None:
        self.entries: dict[str, Entry] = dict(entries or {})

    async def get(self, keys: Iterable[str]) -> dict[str, Entry]:
        return {key: self.entries[key] for key in keys if key in self.entries}

    async def put(self, entries: Mapping[str, Entry]) -> None:
        self.entries.update(entries)

    async def retain(self, keys: Iterable[str]) -> None:
        keep = set(keys)
        self.entries = {key: entry for key, entry in self.entries.items() if key in keep}


def fresh(entry: Entry | None, signature: str) -> Any | None:
    """The cached data when the entry still matches `signature`, else None."""
    return entry[1] if entry is not None and entry[0] == signature else None
