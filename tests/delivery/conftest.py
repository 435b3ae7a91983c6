"""Delivery fixtures; the helpers they use live in delivery_support.py."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from delivery_support import SMTP_FROM, SMTP_TO, World
from support import Hook


def _worlds(tmp_path: Path, url: str) -> Iterator[Callable[[str], World]]:
    made: list[World] = []

    def make(channels: str) -> World:
        world = World(tmp_path, url, channels)
        made.append(world)
        return world

    yield make
    for world in made:
        world.store.close()


@pytest.fixture
def make_world(tmp_path: Path, database_url: str) -> Iterator[Callable[[str], World]]:
    """Worlds on SQLite and on PostgreSQL."""
    yield from _worlds(tmp_path, database_url)


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[Callable[[str], World]]:
    """For tests about rendering and timing, where the database does not matter."""
    yield from _worlds(tmp_path, f"sqlite:///{tmp_path / 'alerts.db'}")


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)  # Apprise URLs name 127.0.0.1; "localhost" may be ::1


@pytest.fixture
def hook(httpserver: HTTPServer) -> Hook:
    return Hook(httpserver)


@pytest.fixture
def mailbox(smtp_server: tuple[Any, int]) -> tuple[Any, str]:
    """The real SMTP server on 127.0.0.1 (tests/conftest.py) and the Apprise URL that reaches it."""
    sink, port = smtp_server
    return sink, f"mailto://127.0.0.1:{port}/?from={SMTP_FROM}&to={SMTP_TO}"


@pytest.fixture
def mqtt_address() -> tuple[str, int]:
    value = os.environ.get("ALERTS_TEST_MQTT")
    if not value:
        # As tests/conftest.py's _needs: skip on a laptop, fail in CI.
        if os.environ.get("ALERTS_TEST_REQUIRE_SERVICES"):
            pytest.fail("Mosquitto is required here: set ALERTS_TEST_MQTT=host:port")
        pytest.skip("Mosquitto not available: set ALERTS_TEST_MQTT=host:port")
    host, _, port = value.rpartition(":")
    return host, int(port)
