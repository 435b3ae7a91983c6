"""Issue 11, bad data never freezes a board: a NUL in a title, a 300-character
id, a duplicate id in a shifting order; and a board whose snapshot cannot be
stored is shown as failing. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from hardening_support import Board, RawServer, board_line, greenhouse_body, greenhouse_job, write_config
from support import alerts, run_once

LONG_ID = "9" * 300


def config_for(tmp_path, database_url, board_url):
    return write_config(
        tmp_path,
        f"""
[sources.greenhouse]
base_url = "{board_url}"

[channels.term]
url = "console://"

[[subscriptions]]
name = "all"
boards = ["greenhouse:acme"]
channels = ["term"]
include_existing = true
""",
        database_url=database_url,
    )


BAD = {
    "nul-title": greenhouse_job(7002, "Data\u0000 Engineer"),
    "long-id": greenhouse_job(LONG_ID, "Data Engineer"),
}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_posting_does_not_block_the_board(tmp_path, database_url, bad):
    board = Board(greenhouse_body(greenhouse_job(7001, "Platform Engineer"), BAD[bad]))
    with RawServer(board) as server:
        config = config_for(tmp_path, database_url, server.url)
        first = run_once(config)
        status = alerts("status", "--config", str(config))
        second = run_once(config)
    assert "could not be stored" not in first.stderr, first.stderr[-3000:]
    assert "2 opened" in first.stdout, first.stdout
    assert "Platform Engineer" in first.stdout and "Data" in first.stdout, first.stdout
    assert "\x00" not in first.stdout, "a NUL reached the console"
    line = board_line(status.stdout, "greenhouse:acme")
    # The OPEN count (the column reads MATCH/OPEN since `alerts status` shows matches too).
    assert line.split()[1].split("/")[-1] == "2" and line.endswith("ok"), status.stdout
    # The same postings again: nothing new (a hashed id is stable).
    assert "no events" in second.stdout, second.stdout


def test_a_snapshot_that_cannot_be_stored_shows_as_failing(tmp_path, database_url):
    board = Board(greenhouse_body(greenhouse_job(7001, "Platform Engineer")))
    with RawServer(board) as server:
        config = config_for(tmp_path, database_url, server.url)
        run_once(config)  # a good poll first: the board is "ok"
        refuse_postings(database_url)
        board.body = greenhouse_body(greenhouse_job(7001, "Platform Engineer"), greenhouse_job(7002, "SRE"))
        result = alerts("run", "--once", "--config", str(config))
        status = alerts("status", "--config", str(config))
    assert "1 boards polled (1 failed)" in result.stdout, result.stdout + result.stderr[-3000:]
    line = board_line(status.stdout, "greenhouse:acme")
    assert "failing" in line, status.stdout


def refuse_postings(database_url: str) -> None:
    """A real store failure: the database refuses every new posting row."""
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON postings "
                    "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END"
                )
            )
        else:
            conn.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$"
                )
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON postings FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()


def test_duplicate_id_in_shifting_order_is_not_an_update(tmp_path, database_url):
    alpha = greenhouse_job(7001, "Alpha Engineer")
    beta = greenhouse_job(7001, "Beta Engineer")
    other = greenhouse_job(7002, "Gamma Engineer")
    board = Board(greenhouse_body(alpha, beta, other))
    with RawServer(board) as server:
        config = config_for(tmp_path, database_url, server.url)
        run_once(config)
        board.body = greenhouse_body(other, beta, alpha)
        second = run_once(config)
        board.body = greenhouse_body(alpha, other, beta)
        third = run_once(config)
    assert "updated" not in second.stdout and "no events" in second.stdout, second.stdout
    assert "updated" not in third.stdout and "no events" in third.stdout, third.stdout
