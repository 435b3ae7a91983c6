"""Plain-text tables and times for the reports the CLI prints."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timezone


def when(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[str]:
    """Columns padded to their widest cell; no trailing spaces."""
    lines = [header, *rows]
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    for row in lines:
        yield "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
