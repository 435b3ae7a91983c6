"""Prometheus metrics for `alerts run --http`. Counters live in one registry
per process; nothing here does I/O."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from alerts.cycle import BoardResult
from alerts.delivery.deliverer import DeliveryResult


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.polls = Counter(
            "alerts_polls", "Board polls by source and outcome", ["source", "outcome"], registry=self.registry
        )
        self.events = Counter("alerts_events", "Events found, by kind", ["kind"], registry=self.registry)
        self.deliveries = Counter(
            "alerts_deliveries", "Delivery attempts by outcome", ["outcome"], registry=self.registry
        )
        self.pending = Gauge("alerts_outbox_pending", "Deliveries waiting to be sent", registry=self.registry)
        self.poll_seconds = Histogram(
            "alerts_poll_duration_seconds",
            "Time to fetch and reconcile one board",
            ["source"],
            buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
            registry=self.registry,
        )
        self.delivery_seconds = Histogram(
            "alerts_delivery_pass_seconds",
            "Time of one delivery pass over every due channel",
            buckets=(0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )

    def board(self, result: BoardResult, seconds: float) -> None:
        source = result.board.source
        if result.error:
            outcome = "failed"
        elif result.not_modified:
            outcome = "not_modified"
        elif result.held:
            outcome = "held"
        else:
            outcome = "ok"
        self.polls.labels(source, outcome).inc()
        self.poll_seconds.labels(source).observe(seconds)
        for event in result.events:
            self.events.labels(event.kind).inc()

    def delivered(self, results: list[DeliveryResult], seconds: float) -> None:
        for result in results:
            if result.sent:
                self.deliveries.labels("sent").inc(result.sent)
            if result.errors:
                self.deliveries.labels("failed").inc(len(result.errors))
            if result.dead:
                self.deliveries.labels("dead").inc(result.dead)
            if result.unconfirmed:
                self.deliveries.labels("unconfirmed").inc(result.unconfirmed)
        self.delivery_seconds.observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
