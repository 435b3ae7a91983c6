"""Helpers for the delivery tests: an injected clock, a store with events in
its outbox, a config written as a user would, local webhook and SMTP sinks."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from alerts.config import Config, parse_config
from alerts.delivery.deliverer import Deliverer, DeliveryResult
from alerts.model import BoardRef, Posting
from alerts.store import Store

from store_support import delivery_counts

# A Monday morning, 08:00 UTC.
START = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
HOSTILE = "<script>alert(1)</script> <!channel> @everyone <@&456> [x](http://evil) *bold*"
SMTP_FROM = "alerts@example.com"
SMTP_TO = "me@example.com"


class OneChannel(Deliverer):
    """A Deliverer that tests drive one channel at a time."""

    def deliver_channel(self, name: str, ignore_backoff: bool = False) -> DeliveryResult | None:
        """One channel's pass, whether or not it has work."""
        results = self._pass([name], ignore_backoff)
        return results[0] if results else None


class Clock:
    """The Deliverer's `clock`: time moves only when a test says so."""

    def __init__(self, now: datetime = START):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def job(external_id: str, title: str = "Engineer", company: str = "Acme", **fields: Any) -> Posting:
    board = fields.pop("board", "acme")
    url = fields.pop("url", f"https://jobs.example.com/{board}/{external_id}")
    return Posting("greenhouse", board, external_id, title, company=company, url=url, **fields)


def _nowhere(event: Any, baseline: bool) -> dict[str, list[str]]:
    return {}


class World:
    """A config, its store and a clock; `queue` and `close` fill the outbox."""

    def __init__(self, tmp_path: Path, database_url: str, channels: str):
        self.path = tmp_path / "alerts.toml"
        names = [
            line.split(".", 1)[1].rstrip("]").strip()
            for line in channels.splitlines()
            if line.startswith("[channels.")
        ]
        self.path.write_text(
            f'[database]\nurl = "{database_url}"\n\n{channels}\n\n'
            "[[subscriptions]]\n"
            'name = "everything"\n'
            'boards = ["greenhouse:acme"]\n'
            f"channels = {json.dumps(names)}\n"
        )
        self.config: Config = parse_config(self.path.read_text(), self.path)
        self.clock = Clock()
        self.store = Store(database_url)
        self.store.upgrade()
        self.boards: dict[str, list[Posting]] = {}

    def _route(self, channels: list[str] | None, subs: tuple[str, ...]) -> Callable[..., Any]:
        targets = list(self.config.channels) if channels is None else channels
        return lambda event, baseline: {channel: list(subs) for channel in targets}

    def queue(
        self, *postings: Posting, channels: list[str] | None = None, subs: tuple[str, ...] = ("everything",)
    ) -> None:
        """Open these postings on their boards: one outbox row per channel each."""
        for posting in postings:
            ref = BoardRef("greenhouse", posting.board_token)
            if posting.board_token not in self.boards:
                self.store.boards.sync_boards([ref], self.clock())
                self._apply(ref, [], _nowhere)  # the silent baseline
                self.boards[posting.board_token] = []
            self.boards[posting.board_token].append(posting)
            self._apply(ref, self.boards[posting.board_token], self._route(channels, subs))

    def close(self, *postings: Posting, channels: list[str] | None = None) -> None:
        """Take postings off their boards: a `closed` event each."""
        for posting in postings:
            ref = BoardRef("greenhouse", posting.board_token)
            kept = [p for p in self.boards[posting.board_token] if p.external_id != posting.external_id]
            self.boards[posting.board_token] = kept
            self._apply(ref, kept, self._route(channels, ("everything",)))

    def _apply(self, ref: BoardRef, snapshot: list[Posting], route: Callable[..., Any]) -> None:
        self.store.snapshots.apply(ref, snapshot, close_after_misses=1, now=self.clock(), route=route)

    def deliverer(self, **kwargs: Any) -> OneChannel:
        return OneChannel(self.config, self.store, self.clock, **kwargs)

    def counts(self) -> dict[tuple[str, str], int]:
        return delivery_counts(self.store)
