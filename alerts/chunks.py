"""One way to work through a long list a slice at a time: database IN lists,
batches of detail requests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunked(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`values` in order, `size` at a time (the last slice may be shorter)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
