"""One back-off for everything that waits after a failure: a wait that
doubles from `base` up to `cap`, with jitter. Pure.

Three policies use it: a GET retried within one poll (sources/retry.py), a
delivery retried by the outbox (DELIVERY_RETRY), and a board that keeps
failing (`failing_board`, from its own interval).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

# Doubling past this many times changes nothing but the risk of overflow:
# every cap is reached long before.
MAX_DOUBLINGS = 60


@dataclass(frozen=True)
class Backoff:
    base: timedelta
    cap: timedelta
    # "full": a uniform draw up to the wait, so clients that failed together
    # spread out; a fraction f: the wait times a uniform factor in [1-f, 1+f];
    # 0: the wait exactly.
    jitter: float | Literal["full"] = 0.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> timedelta:
        """The wait before try `attempt + 1`, after `attempt` failures (1, 2, ...)."""
        doublings = min(max(attempt - 1, 0), MAX_DOUBLINGS)
        wait = min(self.base.total_seconds() * 2.0**doublings, self.cap.total_seconds())
        draw = (rng or random).uniform
        if self.jitter == "full":
            wait = draw(0, wait)
        elif self.jitter:
            wait *= draw(1 - self.jitter, 1 + self.jitter)
        return timedelta(seconds=wait)


# A failed delivery: 30 s, 1 m, 2 m, ... up to 6 h between tries, +-20% so
# channels that failed together do not retry in step.
DELIVERY_RETRY = Backoff(timedelta(seconds=30), timedelta(hours=6), jitter=0.2)

# A board that keeps failing waits twice as long each time, up to this (or
# its own interval when that is longer); a success brings it back at once.
FAILING_BOARD_CAP = timedelta(hours=6)


def failing_board(interval: timedelta) -> Backoff:
    return Backoff(interval, max(FAILING_BOARD_CAP, interval))
