"""An alerts.toml for a scenario: every board of a Universe, overlapping
subscriptions with mixed filters, channels that deliver to the bench server."""

from __future__ import annotations

import json
import random
from pathlib import Path

from bench.boards import DEPARTMENTS, HOSTS, KINDS, PLACES, PREFIXES, ROLES, Universe

WORK_MODELS = ("remote", "hybrid", "onsite")
LOCATIONS = tuple(p[1] for p in PLACES if p[1])


def _toml(value: object) -> str:
    # JSON strings and lists of them are valid TOML basic strings and arrays.
    return json.dumps(value)


def _filters(rng: random.Random) -> dict[str, object]:
    """One subscription's filters: a mix from none at all to three keys."""
    shape = rng.randrange(8)
    out: dict[str, object] = {}
    if shape in (1, 4, 6):
        out["department"] = rng.sample(DEPARTMENTS, rng.randint(1, 2))
    if shape in (2, 4, 7):
        out["work_model"] = rng.sample(WORK_MODELS, rng.randint(1, 2))
    if shape in (3, 6):
        out["title"] = [rng.choice(ROLES).split()[-1].lower()]
    if shape == 5:
        out["location"] = [rng.choice(LOCATIONS)]
    if shape == 7:
        out["events"] = ["opened", "reopened"]
    return out


def channel_url(kind: str, server_base: str, name: str) -> str:
    if kind == "console":
        return "console://"
    # Apprise's JSON plugin POSTs each message to http://HOST:PORT/PATH.
    host = server_base.removeprefix("http://")
    return f"json://{host}/_hook/{name}"


def write_config(
    path: Path,
    universe: Universe,
    *,
    subscriptions: int,
    channels: int,
    database_url: str,
    server_base: str,
    seed: int,
    channel_kind: str = "json",
    boards_per_sub: int = 3,
    one_subscription: bool = False,
) -> None:
    """`one_subscription`: a single subscription naming every board (a cheap
    way to baseline the boards when the real config cannot)."""
    rng = random.Random(f"config:{seed}")
    lines = [
        "[database]",
        f"url = {_toml(database_url)}",
        "",
        "[polling]",
        'interval = "15m"',
        'jitter = "0s"',
        "close_after_misses = 2",
        'timeout = "120s"',
        "",
    ]
    for kind in KINDS:
        base = server_base.replace("127.0.0.1", HOSTS[kind]) + PREFIXES[kind]
        lines += [f"[sources.{kind}]", f"base_url = {_toml(base)}", ""]
    names = [f"ch{n:04d}" for n in range(channels)]
    for name in names:
        lines += [f"[channels.{name}]", f"url = {_toml(channel_url(channel_kind, server_base, name))}", ""]
    if one_subscription:
        every = [universe.key(b) for b in range(universe.boards)]
        lines += [
            "[[subscriptions]]",
            'name = "everything"',
            f"boards = {_toml(every)}",
            f"channels = {_toml(names[:1])}",
            "",
        ]
        subscriptions = 0
    for n in range(subscriptions):
        # The first board cycles through all of them, so every board is watched;
        # the others overlap at random.
        picks = {n % universe.boards}
        picks |= {rng.randrange(universe.boards) for _ in range(rng.randint(0, boards_per_sub * 2 - 2))}
        chosen = [names[n % channels]] + ([rng.choice(names)] if rng.random() < 0.2 else [])
        lines += [
            "[[subscriptions]]",
            f"name = {_toml(f'sub{n:05d}')}",
            f"boards = {_toml([universe.key(b) for b in sorted(picks)])}",
        ]
        lines += [f"{key} = {_toml(value)}" for key, value in _filters(rng).items()]
        lines += [f"channels = {_toml(sorted(set(chosen)))}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


def board_urls(universe: Universe, server_base: str) -> list[str]:
    port = int(server_base.rsplit(":", 1)[1])
    return [universe.url(b, port) for b in range(universe.boards)]
