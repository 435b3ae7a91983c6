"""Plain-text tables, times and JSON for the reports the CLI prints."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import click

from alerts.service.display import when

__all__ = ["emit_json", "shorten", "table", "when"]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[str]:
    """Columns padded to their widest cell; no trailing spaces."""
    lines = [header, *rows]
    widths = [max(len(str(row[i])) for row in lines) for i in range(len(header))]
    for row in lines:
        yield "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()


def shorten(text: str | None, width: int) -> str:
    """One line of at most `width` characters, cut with "..."."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
