"""The schema. Alembic migrations in migrations/ build exactly this."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# For optional JSON columns: Python None is SQL NULL, not the JSON value null,
# so `IS NULL` finds it.
NULLABLE_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in and out; SQLite would hand back naive datetimes."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


boards = sa.Table(
    "boards",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("token", sa.String(255), nullable=False),
    sa.Column("baselined", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_polled_at", UTCDateTime),
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("last_status", sa.Integer),
    sa.Column("consecutive_failures", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_poll_at", UTCDateTime),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("lease_owner", sa.String(100)),
    sa.Column("lease_until", UTCDateTime),
    # Set while a sudden drop (to zero, or most of a large board) waits for
    # the next poll to confirm it; nothing is announced meanwhile.
    sa.Column("suspect_since", UTCDateTime),
    # The last complete (not incremental) snapshot.
    sa.Column("last_full_at", UTCDateTime),
    # When the ops channel was told this board is failing; cleared when its
    # recovery is queued. Decides both notices, once each, in any mode.
    sa.Column("failure_noticed_at", UTCDateTime),
    # Since when the board's snapshots have been incomplete (nothing counted
    # missing), and why; cleared by a complete one. Shown by `alerts status`.
    sa.Column("incomplete_since", UTCDateTime),
    sa.Column("incomplete_why", sa.Text),
)

postings = sa.Table(
    "postings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    sa.Column("external_id", sa.String(255), nullable=False),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("misses", sa.Integer, nullable=False, server_default="0"),
    sa.Column("content_hash", sa.String(64), nullable=False),
    # Posting.fingerprint of `data`: an unchanged posting is recognised
    # without reading `data` back.
    sa.Column("fingerprint", sa.String(32)),
    sa.Column("data", JSON, nullable=False),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("changed_at", UTCDateTime, nullable=False),
    sa.Column("closed_at", UTCDateTime),
    # The job behind the posting (store/reposts.py: company, department,
    # normalised title and location, whatever the source kind): a new id with
    # the key of a posting closed lately, or still open, is a repost of it.
    sa.Column("repost_key", sa.String(32), index=True),
    # For a repost: when the job was first seen, through its earlier postings.
    sa.Column("open_since", UTCDateTime),
    # For a repost: Model.Repost.to_dict() of what it reposted (the chain's
    # start with it), for every later event and every view of the posting.
    sa.Column("chain", NULLABLE_JSON),
    sa.UniqueConstraint("board_id", "external_id", name="uq_postings_board_external"),
    # Every poll reads these five of each posting of the board: from the
    # index alone, without touching the rows (each about 1 KB with `data`).
    sa.Index("ix_postings_board_snapshot", "board_id", "external_id", "state", "misses", "fingerprint"),
)

# Open postings absent from their board's last complete snapshot (misses > 0):
# few at any time. A 304 counts a miss for each of them, found through this
# partial index, so a cycle of unchanged boards costs nothing per posting.
# Queries that want the index repeat this condition as it is (literals, not
# bound values), so that both databases see that it applies.
MISSING = sa.and_(postings.c.state == sa.literal_column("'open'"), postings.c.misses > sa.literal_column("0"))
sa.Index(
    "ix_postings_missing",
    postings.c.board_id,
    postings.c.misses,
    sqlite_where=MISSING,
    postgresql_where=MISSING,
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    sa.Column("external_id", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    # Posting.identity and content_hash: the same change seen through two
    # sources (bluedoor and the ATS board) is announced once.
    sa.Column("identity", sa.String(300), index=True),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("changes", JSON, nullable=False),
    sa.Column("posting", JSON, nullable=False),
    sa.Column("occurred_at", UTCDateTime, nullable=False, index=True),
    # When the posting was first seen, for the age messages show.
    sa.Column("first_seen_at", UTCDateTime),
    # Model.Repost.to_dict() of the earlier posting an `opened` one reposts.
    sa.Column("reposts", NULLABLE_JSON),
    # Model.Repost.to_dict() for any event of a posting that opened as a repost.
    sa.Column("chain", NULLABLE_JSON),
    # For a `closed` or `reopened` event: another posting of the same job open ("board:id").
    sa.Column("open_as", sa.String(600)),
)

# What the service says about itself, to the ops channel: a board that
# reached `failure_threshold` failed polls in a row ("failing"), or answered
# again ("recovered"). Queued in the outbox like events, so it is delivered
# once, later if the channel is down. Subscriptions never see these.
notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    # Failed polls in a row: so far ("failing"), or before the recovery.
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("occurred_at", UTCDateTime, nullable=False),
)

# Delivery statuses a pass may still send (the others: sent, dead).
OPEN = ("pending", "failed")

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # What the row carries: an event (subscriptions) or a notice (ops), never both.
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE")),
    sa.Column("notice_id", sa.Integer, sa.ForeignKey("notices.id", ondelete="CASCADE")),
    sa.Column("channel", sa.String(100), nullable=False),
    sa.Column("subscriptions", JSON, nullable=False),
    # pending -> sent; pending -> failed (retried at next_attempt_at) -> sent,
    # or -> dead after the channel's max_attempts / retry_for. `alerts retry`
    # puts failed and dead rows back to failed, due now.
    sa.Column("status", sa.String(10), nullable=False, index=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    # Fingerprints of the channel's URLs this row already reached, so a
    # channel with several URLs never repeats a message to one that took it.
    sa.Column("sent_targets", JSON, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("sent_at", UTCDateTime),
    # Start of the current run of failures: retry_for counts from here, so a
    # weekly digest's wait does not count as failing.
    sa.Column("first_failed_at", UTCDateTime),
    sa.Column("last_attempt_at", UTCDateTime),
    # Set just before a send and cleared with its outcome. Still set when the
    # channel is next claimed means the sender died mid-send: the outcome is
    # unknown and the row is treated like a timeout (see README, Delivery).
    sa.Column("sending_target", sa.String(16)),
    sa.Column("sending_since", UTCDateTime),
    # Targets that may not have received the row (timeout, or the process
    # died mid-send). NULL when every send was confirmed.
    sa.Column("unconfirmed_targets", NULLABLE_JSON),
    sa.UniqueConstraint("event_id", "channel", name="uq_deliveries_event_channel"),
    sa.UniqueConstraint("notice_id", "channel", name="uq_deliveries_notice_channel"),
    sa.CheckConstraint("(event_id IS NULL) <> (notice_id IS NULL)", name="ck_deliveries_one_subject"),
    sa.Index("ix_deliveries_channel_status", "channel", "status"),
)

channels = sa.Table(
    "channels",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    # When the channel's digest period was last closed (sent, or found empty).
    sa.Column("last_digest_at", UTCDateTime),
    sa.Column("last_sent_at", UTCDateTime),
)

# Named leases held by one process for a while (e.g. "channel:team-slack"),
# so several processes on one database never deliver to a channel at once.
leases = sa.Table(
    "leases",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("owner", sa.String(100)),
    sa.Column("until", UTCDateTime),
)

# What a source keeps between polls of one board to save requests: a
# posting's detail (Workday, BambooHR...) or a page of a sitemap, under a key
# of its own, valid while its `signature` (the list entry, the lastmod) is
# unchanged. A cache: losing it costs requests, never correctness.
source_cache = sa.Table(
    "source_cache",
    metadata,
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(500), primary_key=True),
    sa.Column("signature", sa.String(128), nullable=False),
    sa.Column("data", JSON, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)
