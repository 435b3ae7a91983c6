"""`alerts status`, `alerts history`, `alerts boards resolve`, `alerts boards find`."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from alerts.cli.common import common, hide_secrets, load
from alerts.errors import ConfigError

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for scripts (times in [display] timezone either way).",
)


def _verbose() -> bool:
    """-v (read from the shared options): the long forms of the cells."""
    return bool(click.get_current_context().params.get("verbose"))


@click.command()
@FORMAT
@common
def status(config_path: str | None, fmt: str) -> None:
    """Show every board's health and each channel's deliveries.

    MATCH/OPEN is how many open postings of the board a subscription on it
    matches, of all it has open (`alerts jobs` lists them). -v shows each
    failing board's whole error, and why an incomplete one is incomplete.
    """
    from alerts.cli.report import status_data, status_lines
    from alerts.cli.tables import emit_json
    from alerts.store import Store

    config = load(config_path)
    store = Store(config.database.url)
    now = datetime.now(timezone.utc)
    try:
        store.upgrade()
        if fmt == "json":
            emit_json(status_data(config, store, now))
            return
        for line in status_lines(config, store, now, verbose=_verbose()):
            click.echo(line)
    finally:
        store.close()


@click.command()
@click.option("--board", help="Only this board, e.g. greenhouse:stripe.")
@click.option("--since", default="7d", show_default=True, help="How far back: 90m, 12h, 7d...")
@click.option("--limit", default=200, show_default=True, help="At most this many events.")
@FORMAT
@common
def history(config_path: str | None, board: str | None, since: str, limit: int, fmt: str) -> None:
    """List the stored events, newest first, with where each was delivered."""
    from alerts.boards import parse_board
    from alerts.cli.report_history import history_data, history_lines
    from alerts.cli.tables import emit_json
    from alerts.config import parse_duration
    from alerts.store import Store

    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise ConfigError(f"--since: expected {exc}") from None
    if board:
        try:
            board = parse_board(board).key
        except ValueError as exc:
            raise ConfigError(f"--board: expected {exc}") from None
    config = load(config_path)
    store = Store(config.database.url)
    try:
        store.upgrade()
        events = store.views.events(
            board_keys=[board] if board else None,
            since=datetime.now(timezone.utc) - window,
            limit=limit,
            with_deliveries=True,
        )
    finally:
        store.close()
    zone = config.display.zone
    if fmt == "json":
        emit_json(history_data(events, zone))
        return
    for line in history_lines(events, zone):
        click.echo(line)


@click.group()
def boards() -> None:
    """Board specs and careers-page URLs."""


@boards.command("resolve")
@click.argument("url")
def boards_resolve(url: str) -> None:
    """Print the kind:token spec for a careers-page URL (or check a spec)."""
    from alerts.boards import parse_board

    try:
        click.echo(parse_board(url).key)
    except ValueError as exc:
        click.echo(f"error: expected {exc}", err=True)
        raise SystemExit(1) from None


# Exit codes of `boards find`: like grep, 1 when nothing is found; 3, as
# for `run --once`, when no check got an answer at all (network down).
FOUND, NOT_FOUND, NO_ANSWER = 0, 1, 3


@boards.command("find")
@click.argument("name")
@common
def boards_find(config_path: str | None, name: str) -> None:
    """Find a company's boards by its name.

    Tries the likely board names of NAME ("Acme Corp, Inc." is tried as acme,
    acmecorp, acme-corp) on every job site whose boards are named that way,
    one request at a time per site, and prints each board that exists with
    its open postings and the company it names, ready to paste into
    `boards`. Each kind's [sources.KIND] base_url from the config is used
    when the file exists.

    Exit status: 0 found, 1 none found, 3 no site answered (refusals, HTML
    or malformed pages and errors are warned about, and are no answer).
    """
    import asyncio

    from alerts.cli.tables import table
    from alerts.sources import RetryPolicy, make_client
    from alerts.sources.find import Search, find_boards, slug_candidates

    if not slug_candidates(name):
        raise ConfigError(f"no board name can be made from {name!r}; give the company's name in letters")
    base_urls = _base_urls(config_path)

    async def go() -> Search:
        async with make_client(timeout_seconds=10, per_host_limit=1, retry=RetryPolicy(attempts=1)) as client:
            return await find_boards(client, name, base_urls)

    search = asyncio.run(go())
    for problem in search.problems:
        click.echo(f"warning: {problem}", err=True)
    tried = ", ".join(slug.text for slug in search.slugs)
    if not search.found:
        unanswered = (
            " No site gave an answer (see the warnings): that is no proof there is none."
            if search.answered == 0
            else ""
        )
        click.echo(
            f"no board found for {name!r} (tried {tried} on {len(search.kinds)} job sites). "
            f"If you know its careers page, `alerts boards resolve URL` reads it.{unanswered}"
        )
        raise SystemExit(NO_ANSWER if search.answered == 0 else NOT_FOUND)
    rows = [
        [
            found.board.key,
            f"{found.postings}+" if found.more else str(found.postings),
            (found.name or "(the site does not say)")
            + ("; only the first word matched" if found.namesake else ""),
        ]
        for found in search.found
    ]
    for line in table(["BOARD", "OPEN", "COMPANY"], rows):
        click.echo(line)
    specs = ", ".join(f'"{found.board.key}"' for found in search.found)
    click.echo(f"\nCheck that each is the company you mean, then add to a subscription:\nboards = [{specs}]")
    raise SystemExit(FOUND)


def _base_urls(config_path: str | None) -> dict[str, str | None]:
    """Each kind's base_url from the config, when there is a config file (a
    user may look for boards before writing one)."""
    from alerts.config import find_config, load_config
    from alerts.errors import ConfigError

    if config_path is None:
        try:
            config_path = str(find_config())
        except ConfigError:
            return {}  # no config named and none found: the public hosts
    config = load_config(config_path)
    hide_secrets(config)
    return {kind: settings.base_url for kind, settings in config.sources.items()}
