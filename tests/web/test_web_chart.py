"""The open-postings chart, from first sightings and stored closes and
reopens: counts per company over time, the companies drawn, the axis."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from alerts.service.web.chart import MAX_LINES, SAMPLES, _nice, open_chart
from alerts.store import OpenSpan

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def span(company: str, days_ago: float, state: str = "open", changes=(), closed_days_ago=None) -> OpenSpan:
    closed = NOW - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    moves = tuple((NOW - timedelta(days=d), kind) for d, kind in changes)
    return OpenSpan("b:" + company, company, NOW - timedelta(days=days_ago), state, closed, moves)


def counts(chart, company: str) -> list[int]:
    """The y values of a company's line, turned back into counts."""
    (line,) = [line for line in chart.lines if line.company == company]
    height = chart.plot_bottom - chart.plot_top
    ys = [float(point.split(",")[1]) for point in line.points.split()]
    return [round(chart.top * (chart.plot_bottom - y) / height) for y in ys]


def test_counts_follow_opens_closes_and_reopens():
    chart = open_chart(
        [
            span("Acme", 10),
            span("Acme", 5),
            span("Globex", 10, changes=[(6, "closed"), (2, "reopened")]),
            span("Globex", 10, state="closed", changes=[(4, "closed")], closed_days_ago=4),
        ],
        NOW,
    )
    assert chart is not None and chart.start == NOW - timedelta(days=10) and chart.end == NOW
    acme, globex = counts(chart, "Acme"), counts(chart, "Globex")
    assert len(acme) == SAMPLES
    assert acme[0] == 1 and acme[-1] == 2 and sorted(acme) == acme
    assert globex[0] == 2 and min(globex) == 0 and globex[-1] == 1
    assert [line.now for line in chart.lines] == [2, 1]
    assert chart.top == 2 and chart.left_out == 0


def test_a_closed_posting_without_a_stored_event_still_closes():
    chart = open_chart([span("Acme", 10, state="closed", closed_days_ago=3)], NOW)
    assert chart is not None and counts(chart, "Acme")[0] == 1 and counts(chart, "Acme")[-1] == 0


def test_the_window_and_the_companies_drawn():
    spans = [span(f"Company {n:02}", 200) for n in range(12) for _ in range(n + 1)]
    chart = open_chart(spans, NOW)
    assert chart is not None
    assert chart.start == NOW - timedelta(days=90)  # the window, not the oldest posting
    assert len(chart.lines) == MAX_LINES and chart.left_out == 12 - MAX_LINES
    assert chart.lines[0].company == "Company 11" and chart.lines[0].now == 12
    assert chart.top == 20 and [value for value, _ in chart.y_ticks] == [0, 10, 20]


def test_nothing_stored_is_no_chart():
    assert open_chart([], NOW) is None


def test_round_axis_tops():
    assert [_nice(n) for n in (0, 1, 2, 3, 6, 11, 49, 51, 101)] == [1, 1, 2, 5, 10, 20, 50, 100, 200]
