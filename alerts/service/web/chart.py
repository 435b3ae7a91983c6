"""Open postings over time, per company: counted from when each posting was
first seen and its stored closed/reopened events, laid out as an SVG line
chart (the template draws it; here are only numbers and coordinates)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.store import OpenSpan

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 28
SAMPLES = 60
MAX_LINES = 8
# Colour-blind-safe (Okabe-Ito), one per company line.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


@dataclass(frozen=True)
class Line:
    company: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline points=...>
    now: int  # open at the end of the chart


@dataclass(frozen=True)
class Chart:
    lines: list[Line]
    start: datetime
    end: datetime
    top: int  # the y axis runs from 0 to this
    y_ticks: list[tuple[int, float]]  # (value, y)
    left_out: int  # companies not drawn (fewer open postings)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM


def _moves(span: OpenSpan) -> list[tuple[datetime, int]]:
    """(when, +1 opened / -1 closed) of one posting, in time order."""
    moves = [(span.first_seen_at, 1)]
    is_open = True
    for when, kind in span.changes:
        if kind == "closed" and is_open:
            moves.append((when, -1))
            is_open = False
        elif kind == "reopened" and not is_open:
            moves.append((when, 1))
            is_open = True
    if span.state == "closed" and is_open:  # closed without a stored event
        moves.append((span.closed_at or span.first_seen_at, -1))
    return moves


def open_chart(
    spans: Sequence[OpenSpan], now: datetime, window: timedelta = timedelta(days=90)
) -> Chart | None:
    """The chart of the last `window` (or since the first posting seen), or
    None with nothing stored."""
    if not spans:
        return None
    moves: dict[str, list[tuple[datetime, int]]] = {}
    for span in spans:
        moves.setdefault(span.company, []).extend(_moves(span))
    start = max(min(span.first_seen_at for span in spans), now - window)
    step = max((now - start) / (SAMPLES - 1), timedelta(seconds=1))
    times = [start + step * i for i in range(SAMPLES)]
    series: dict[str, list[int]] = {}
    for company, changes in moves.items():
        changes.sort()
        at = [when for when, _ in changes]
        totals = []
        running = 0
        for delta in (d for _, d in changes):
            running += delta
            totals.append(running)
        series[company] = [totals[i - 1] if (i := bisect.bisect_right(at, t)) else 0 for t in times]
    ranked = sorted(series, key=lambda c: (-series[c][-1], -max(series[c]), c.casefold()))
    drawn = [c for c in ranked if max(series[c]) > 0][:MAX_LINES]
    top = max([max(series[c]) for c in drawn] + [1])
    top = _nice(top)

    def x(i: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * i / (SAMPLES - 1)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)

    lines = [
        Line(
            company,
            COLOURS[n % len(COLOURS)],
            " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series[company])),
            series[company][-1],
        )
        for n, company in enumerate(drawn)
    ]
    ticks = [(value, y(value)) for value in ((0, top // 2, top) if top % 2 == 0 else (0, top))]
    return Chart(lines, start, now, top, ticks, len(ranked) - len(drawn))


def _nice(value: int) -> int:
    """A round top for the y axis: 1, 2, 5, 10, 20, 50... at or above value."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10
