"""Plain data shared by every stage. Imports nothing of ours but text hygiene (text.py)."""

from __future__ import annotations

import hashlib
import json
import operator
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from functools import cached_property
from typing import Any, Literal, NamedTuple

from alerts.text import clean_line

WorkModel = Literal["remote", "hybrid", "onsite", "unknown"]
EmploymentType = Literal["full_time", "part_time", "contract", "intern", "temporary", "unknown"]
EventKind = Literal["opened", "updated", "closed", "reopened"]

WORK_MODELS: tuple[str, ...] = ("remote", "hybrid", "onsite", "unknown")
EMPLOYMENT_TYPES: tuple[str, ...] = (
    "full_time",
    "part_time",
    "contract",
    "intern",
    "temporary",
    "unknown",
)
EVENT_KINDS: tuple[str, ...] = ("opened", "updated", "closed", "reopened")
# Source kinds that are another host of the same provider: a Lever EU board's
# postings are Lever postings (bluedoor names the provider "lever").
PROVIDER_OF: dict[str, str] = {"lever-eu": "lever"}

# Fields whose change is an `updated` event. Salary is compared as one
# display value so that "USD 150,000-180,000 per year" changes read well.
TRACKED_FIELDS: tuple[str, ...] = (
    "title",
    "department",
    "team",
    "location",
    "work_model",
    "employment_type",
    "salary",
)


@dataclass(frozen=True, slots=True)
class BoardRef:
    """One fetch target: `greenhouse:stripe` is BoardRef("greenhouse", "stripe")."""

    source: str
    token: str

    @property
    def key(self) -> str:
        return f"{self.source}:{self.token}"

    def __str__(self) -> str:
        return self.key


# A description is kept as plain text of at most this many characters.
DESCRIPTION_MAX_CHARS = 20_000


def plain_text(text: str) -> str | None:
    """Whitespace collapsed (one line), cut to DESCRIPTION_MAX_CHARS at a word; None if empty.
    Control characters, bidi overrides and terminal escape sequences go first
    (text.py): a NUL would make PostgreSQL refuse the whole board."""
    text = " ".join(clean_line(text).split())
    if len(text) > DESCRIPTION_MAX_CHARS:
        cut = text.rfind(" ", DESCRIPTION_MAX_CHARS // 2, DESCRIPTION_MAX_CHARS)
        text = text[: cut if cut > 0 else DESCRIPTION_MAX_CHARS - 1] + "…"
    return text or None


class SourceText(NamedTuple):
    """A text as the source sent it (HTML, say), made plain by `to_plain` only when read.

    Most postings of a poll are unchanged; they are recognised by a
    fingerprint over `raw`, and their HTML is never parsed. (A named tuple:
    one is made per posting per poll, and it is the cheapest to make.)
    """

    raw: str
    to_plain: Callable[[str], str | None] = plain_text

    def plain(self) -> str | None:
        return self.to_plain(self.raw)


@dataclass(frozen=True)
class Posting:
    source: str
    board_token: str
    external_id: str
    title: str
    company: str | None = None
    department: str | None = None
    team: str | None = None
    location: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    work_model: WorkModel = "unknown"
    employment_type: EmploymentType = "unknown"
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    url: str | None = None
    apply_url: str | None = None
    posted_at: datetime | None = None
    updated_at: datetime | None = None
    # False when the source itself marks the posting closed (bluedoor's
    # `status: inactive`): it is closed at once, no misses needed.
    active: bool = True
    # The job's identity on its own ATS board ("ashby:<id>") when this source
    # is an aggregator that knows it (bluedoor's provider + provider_job_key).
    same_as: str | None = None
    # The description as the source sent it; `description` is its plain text,
    # the form stored. Left out of `==` (reconcile compares descriptions
    # itself) and never tracked for `updated` events.
    description_source: SourceText | None = field(default=None, compare=False, repr=False)
    # The source's record as received; never compared, never stored.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def description(self) -> str | None:
        """Plain text: no markup, whitespace collapsed, at most DESCRIPTION_MAX_CHARS."""
        return self.description_source.plain() if self.description_source is not None else None

    @property
    def board_key(self) -> str:
        return f"{self.source}:{self.board_token}"

    @property
    def identity(self) -> str:
        """One job, whichever source it was seen through."""
        return self.same_as or f"{PROVIDER_OF.get(self.source, self.source)}:{self.external_id}"

    @property
    def salary(self) -> str | None:
        return format_salary(self.salary_min, self.salary_max, self.salary_currency, self.salary_period)

    def tracked(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TRACKED_FIELDS}

    @cached_property  # the posting is frozen; each event reads it several times
    def content_hash(self) -> str:
        blob = json.dumps(self.tracked(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    @property
    def fingerprint(self) -> str:
        """A digest of everything stored: equal fingerprints, nothing to write.

        It runs for every posting of every poll, so it hashes the repr of the
        stored values (stable for str, float, int, bool, None and UTC
        datetimes) rather than a sorted JSON dump, at a fraction of the cost.
        """
        values = repr(_stored_values(self))
        digest = hashlib.blake2b(values.encode(), digest_size=16)
        if self.description_source is not None:
            # The description as received, not its plain text (no HTML is
            # parsed here), through a checksum several times cheaper than the
            # digest: descriptions are most of a board's bytes.
            raw = self.description_source.raw.encode("utf-8", "surrogatepass")
            digest.update(b"\x00%d:%d" % (len(raw), zlib.crc32(raw)))
        return digest.hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for storage: everything but `raw`; the description as plain text."""
        data = {name: getattr(self, name) for name in _STORED}
        for name in ("posted_at", "updated_at"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        data["description"] = self.description
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Posting:
        kwargs = {k: v for k, v in data.items() if k in _STORED_SET}
        if "board" in data:  # the field's name in databases written before 0.2
            kwargs.setdefault("board_token", data["board"])
        for name in ("posted_at", "updated_at"):
            if kwargs.get(name):
                kwargs[name] = datetime.fromisoformat(kwargs[name])
        description = data.get("description")
        if isinstance(description, str) and description:
            kwargs["description_source"] = SourceText(description)
        return cls(**kwargs)


# Every Posting field stored as it is (all but `raw` and the description's
# source form), in declaration order; `to_dict` adds the plain description.
_STORED: tuple[str, ...] = tuple(
    f.name for f in fields(Posting) if f.name not in ("raw", "description_source")
)
_STORED_SET = frozenset(_STORED)
_stored_values = operator.attrgetter(*_STORED)  # a tuple of them, in that order


def format_salary(
    low: float | None, high: float | None, currency: str | None, period: str | None
) -> str | None:
    if low is None and high is None:
        return None

    def amount(value: float) -> str:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

    if low is not None and high is not None and low != high:
        span = f"{amount(low)}-{amount(high)}"
    else:
        span = amount(low if low is not None else high)  # type: ignore[arg-type]
    text = f"{currency} {span}" if currency else span
    return f"{text} per {period}" if period else text


def diff_tracked(old: Posting, new: Posting) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for every tracked field that differs."""
    before, after = old.tracked(), new.tracked()
    return {name: [before[name], after[name]] for name in TRACKED_FIELDS if before[name] != after[name]}


@dataclass(frozen=True)
class Repost:
    """The earlier posting of the same job (same company, department, title
    and location) that a posting with a new id reposts, and where the job
    began: a chain of reposts (A, then B, then C) counts from A."""

    board_key: str
    external_id: str
    url: str | None
    # When the job was first seen: through the first posting of a chain of reposts.
    first_seen_at: datetime
    closed_at: datetime | None = None  # None: the earlier posting is still open
    # The earliest date a source gave any earlier posting of the chain.
    posted_at: datetime | None = None

    def start(self, posted_at: datetime | None) -> tuple[datetime | None, datetime]:
        """(posted, first seen) of the job a posting dated `posted_at` reposts:
        the earliest source date along the chain, and its first sighting."""
        dates = [d for d in (self.posted_at, posted_at) if d is not None]
        return (min(dates) if dates else None), self.first_seen_at

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("first_seen_at", "closed_at", "posted_at"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Repost:
        closed, posted = data.get("closed_at"), data.get("posted_at")
        return cls(
            board_key=data["board_key"],
            external_id=data["external_id"],
            url=data.get("url"),
            first_seen_at=datetime.fromisoformat(data["first_seen_at"]),
            closed_at=datetime.fromisoformat(closed) if closed else None,
            posted_at=datetime.fromisoformat(posted) if posted else None,
        )


@dataclass(frozen=True)
class Event:
    kind: EventKind
    board_key: str
    external_id: str
    posting: Posting  # as it is after the event; for `closed`, as last seen
    changes: dict[str, list[Any]] = field(default_factory=dict)
    occurred_at: datetime | None = None
    id: int | None = None
    # When this posting was first seen (None where the store did not say).
    first_seen_at: datetime | None = None
    # For an `opened` posting that reposts an earlier one: which, and since when.
    reposts: Repost | None = None
    # For every event of a posting that opened as a repost: what it reposted,
    # so that its age counts from the chain's first posting (display only;
    # filters keep the posting's own dates).
    chain: Repost | None = None
    # For a `closed` (or `reopened`) event: "board:id" of another posting of
    # the same job still open (the job did not close; a repost carries it on).
    open_as: str | None = None
    # The other posting of a repost's or open_as's job, for `reposts = "hide"` (not stored).
    elsewhere: Posting | None = field(default=None, compare=False, repr=False)
    # For an `updated` event as reconcile makes it: the posting before (not
    # stored; filters read its country, which no change says, from it).
    before: Posting | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(replace(self, elsewhere=None, before=None))
        del data["elsewhere"], data["before"]
        data["posting"] = self.posting.to_dict()
        for name in ("occurred_at", "first_seen_at"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value.isoformat()
        for name in ("reposts", "chain"):
            value = getattr(self, name)
            data[name] = value.to_dict() if value is not None else None
        return data


NoticeKind = Literal["failing", "recovered"]


@dataclass(frozen=True)
class Notice:
    """What the service says about itself to the ops channel: a board that
    keeps failing, or that answers again."""

    kind: NoticeKind
    board_key: str
    failures: int  # failed polls in a row: so far, or before the recovery
    error: str | None = None  # the last one's reason
    occurred_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Delivery:
    """One outbox row: an event owed to one channel, and who asked for it
    (or a notice owed to the ops channel, asked for by nobody)."""

    id: int
    channel: str
    event: Event | Notice
    subscriptions: tuple[str, ...]
    attempts: int = 0
    status: str = "pending"
    # Fingerprints of the channel's URLs that already took it.
    sent_targets: frozenset[str] = frozenset()
    next_attempt_at: datetime | None = None


@dataclass(frozen=True)
class Message:
    """A rendered notification: `body_format` is "text", "markdown" or "html"."""

    title: str
    body: str
    body_format: str
