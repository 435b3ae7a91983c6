"""Fixtures for the trust tests; the helpers they use live in trust_support.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from support import StandaloneHook


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)  # configs name 127.0.0.1; "localhost" may be ::1


@pytest.fixture
def make_hook() -> Iterator[Callable[..., StandaloneHook]]:
    """Webhook receivers, each on its own port, stopped at the end of the test.
    `make_hook(started=False)` names a port with nothing listening yet."""
    made: list[StandaloneHook] = []

    def make(*, started: bool = True, **kwargs: Any) -> StandaloneHook:
        hook = StandaloneHook(**kwargs)
        made.append(hook)
        return hook.start() if started else hook

    yield make
    for hook in made:
        hook.stop()
