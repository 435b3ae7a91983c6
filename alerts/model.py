"""Plain data shared by every stage. Imports nothing of ours."""

from __future__ import annotations

import hashlib
import json
import operator
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

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
    # The source's record as received; never compared, never stored.
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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
        return hashlib.blake2b(values.encode(), digest_size=16).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for storage: everything but `raw`."""
        data = {name: getattr(self, name) for name in _STORED}
        for name in ("posted_at", "updated_at"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Posting:
        kwargs = {k: v for k, v in data.items() if k in _STORED_SET}
        if "board" in data:  # the field's name in databases written before 0.2
            kwargs.setdefault("board_token", data["board"])
        for name in ("posted_at", "updated_at"):
            if kwargs.get(name):
                kwargs[name] = datetime.fromisoformat(kwargs[name])
        return cls(**kwargs)


# Every Posting field that is stored (all but `raw`), in declaration order.
_STORED: tuple[str, ...] = tuple(f.name for f in fields(Posting) if f.name != "raw")
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
class Event:
    kind: EventKind
    board_key: str
    external_id: str
    posting: Posting  # as it is after the event; for `closed`, as last seen
    changes: dict[str, list[Any]] = field(default_factory=dict)
    occurred_at: datetime | None = None
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["posting"] = self.posting.to_dict()
        if self.occurred_at is not None:
            data["occurred_at"] = self.occurred_at.isoformat()
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
