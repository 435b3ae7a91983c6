"""The outbox's states and bookkeeping on a real SQLite file and the real
PostgreSQL: pending, failed, sent, dead, unconfirmed, requeued."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from alerts.store.engine import upgrade
from alerts.store.tables import deliveries

from delivery_support import START, job
from store_support import mark_sending, mark_sent, queued, settle_interrupted

CHANNEL = '[channels.c]\nurl = "console://"\n'


def ids(world) -> list[int]:
    return [q.id for q in queued(world.store, "c", None)]


def row(world, delivery_id: int):
    with world.store.engine.connect() as conn:
        return conn.execute(sa.select(deliveries).where(deliveries.c.id == delivery_id)).one()


def test_failures_count_up_then_the_row_is_dead(make_world):
    world = make_world(CHANNEL)
    world.queue(job("1"))
    (one,) = ids(world)
    later = START + timedelta(minutes=1)
    assert world.store.sends.mark_failed([one], "HTTP 500", later, now=START, max_attempts=2) == 0
    failed = row(world, one)
    assert (failed.status, failed.attempts, failed.first_failed_at, failed.last_error) == (
        "failed",
        1,
        START,
        "HTTP 500",
    )
    assert queued(world.store, "c", START) == []  # waiting for its retry
    assert [q.status for q in queued(world.store, "c", later)] == ["failed"]
    assert queued(world.store, "c", later, new=False) != []  # retries go whatever the schedule

    assert world.store.sends.mark_failed([one], "HTTP 503", later, now=later, max_attempts=2) == 1
    dead = row(world, one)
    assert (dead.status, dead.attempts, dead.first_failed_at) == ("dead", 2, START)
    assert queued(world.store, "c", None) == [] and world.store.outbox.pending_channels() == []
    state = world.store.channels.channel_states()["c"]
    assert state.counts == {"dead": 1} and state.last_error == "HTTP 503"


def test_a_row_failing_for_longer_than_retry_for_is_dead(make_world):
    world = make_world(CHANNEL)
    world.queue(job("1"))
    (one,) = ids(world)
    world.store.sends.mark_failed([one], "down", START, now=START, retry_for=timedelta(hours=1))
    hour = START + timedelta(hours=1)
    assert world.store.sends.mark_failed([one], "down", hour, now=hour, retry_for=timedelta(hours=1)) == 1


def test_new_rows_wait_for_the_digest_but_retries_do_not(make_world):
    world = make_world(CHANNEL)
    world.queue(job("1"), job("2"))
    first, second = ids(world)
    world.store.sends.mark_failed([first], "down", START, now=START)
    assert [q.id for q in queued(world.store, "c", START, new=False)] == [first]
    assert [q.id for q in queued(world.store, "c", START)] == [first, second]


def test_a_row_is_sent_once_every_target_has_it_and_keeps_its_failure_until_then(make_world):
    world = make_world(CHANNEL)
    world.queue(job("1"))
    (one,) = ids(world)
    world.store.sends.mark_failed([one], "mail down", START, now=START)
    mark_sent(world.store, [one], "slack", {"slack", "mail"}, START)
    assert row(world, one).status == "failed"  # still owed to mail, on its back-off
    (row_,) = queued(world.store, "c", START)
    assert row_.sent_targets == {"slack"}
    mark_sent(world.store, [one], "mail", {"slack", "mail"}, START)
    assert (row(world, one).status, row(world, one).sent_at) == ("sent", START)
    assert world.store.channels.channel_states()["c"].last_sent_at == START


def test_a_send_interrupted_by_a_crash_is_settled_as_unconfirmed(make_world):
    world = make_world(CHANNEL)
    world.queue(job("1"), job("2"))
    first, second = ids(world)
    mark_sending(world.store, [first], "slack", START)
    assert settle_interrupted(world.store, "c", {"slack"}, START) == 1
    settled = row(world, first)
    assert (settled.status, settled.unconfirmed_targets, settled.sending_target) == ("sent", ["slack"], None)
    assert "stopped while sending" in settled.last_error
    assert row(world, second).status == "pending" and row(world, second).unconfirmed_targets is None
    assert settle_interrupted(world.store, "c", {"slack"}, START) == 0
    assert world.store.channels.channel_states()["c"].unconfirmed == 1

    # `alerts retry --unconfirmed`: owed to slack again, and only to slack.
    assert world.store.channels.requeue(START, unconfirmed=True) == 1
    requeued = row(world, first)
    assert (requeued.status, requeued.sent_targets, requeued.unconfirmed_targets) == ("failed", [], None)


def test_requeue_by_channel_and_status(make_world):
    world = make_world(CHANNEL + '[channels.d]\nurl = "console://"\n')
    world.queue(job("1"))
    c_row = ids(world)[0]
    d_row = queued(world.store, "d", None)[0].id
    world.store.sends.mark_failed([c_row], "down", START + timedelta(hours=1), now=START, max_attempts=1)
    world.store.sends.mark_failed([d_row], "down", START + timedelta(hours=1), now=START)
    assert world.store.channels.requeue(START, only=["c"]) == 0  # c's row is dead: needs --dead
    assert world.store.channels.requeue(START, only=["c"], dead=True) == 1
    fresh = row(world, c_row)
    assert (fresh.status, fresh.attempts, fresh.first_failed_at, fresh.next_attempt_at) == (
        "failed",
        0,
        None,
        START,
    )
    assert row(world, d_row).next_attempt_at == START + timedelta(hours=1)  # untouched
    assert world.store.channels.requeue(START) == 2


def test_the_migration_turns_old_retried_rows_into_failed_ones(database_url):
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO boards (id, key, source, token, created_at) "
                "VALUES (1, 'greenhouse:acme', 'greenhouse', 'acme', :now)"
            ),
            {"now": START},
        )
        conn.execute(
            sa.text(
                "INSERT INTO events (id, board_id, external_id, kind, changes, posting, occurred_at) "
                "VALUES (1, 1, 'x', 'opened', '{}', '{}', :now)"
            ),
            {"now": START},
        )
        for delivery_id, attempts in [(1, 0), (2, 3)]:
            conn.execute(
                sa.text(
                    "INSERT INTO deliveries (id, event_id, channel, subscriptions, status, attempts, "
                    "sent_targets, created_at) VALUES (:id, 1, :channel, '[]', 'pending', :attempts, '[]', :now)"
                ),
                {"id": delivery_id, "channel": f"c{delivery_id}", "attempts": attempts, "now": START},
            )
    upgrade(engine)
    with engine.connect() as conn:
        statuses = dict(conn.execute(sa.text("SELECT id, status FROM deliveries ORDER BY id")).all())
    engine.dispose()
    assert statuses == {1: "pending", 2: "failed"}
