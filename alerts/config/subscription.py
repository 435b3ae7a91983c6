"""A subscription: the boards it watches, the filters a posting must pass,
and the channels it speaks through."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from alerts.boards import BLUEDOOR, bluedoor_token, board_key
from alerts.config.types import Currency, Duration, Interval, Phrases, Strict, StrList, as_list
from alerts.countries import filter_codes
from alerts.model import EMPLOYMENT_TYPES, EVENT_KINDS, WORK_MODELS, BoardRef

MAX_POSTED_WITHIN = timedelta(days=3650)


class TitleFilter(Strict):
    include: StrList = Field(default_factory=list)
    exclude: StrList = Field(default_factory=list)


def _title_filter(value: Any) -> Any:
    # `title = ["engineer"]` is shorthand for `title = {include = ["engineer"]}`.
    if isinstance(value, (str, list)):
        return {"include": as_list(value)}
    return value


class KeywordFilter(Strict):
    """Words or phrases looked for in the title and the description."""

    include: Phrases = Field(default_factory=list)
    exclude: Phrases = Field(default_factory=list)


class Subscription(Strict):
    name: str
    boards: StrList
    company: StrList = Field(default_factory=list)
    department: StrList = Field(default_factory=list)
    team: StrList = Field(default_factory=list)
    work_model: list[Literal[WORK_MODELS]] = Field(default_factory=list)  # type: ignore[valid-type]
    location: StrList = Field(default_factory=list)
    # ISO codes, names ("United Kingdom", "UK") or regions ("Europe", "EMEA").
    country: StrList = Field(default_factory=list)
    employment_type: list[Literal[EMPLOYMENT_TYPES]] = Field(default_factory=list)  # type: ignore[valid-type]
    title: Annotated[TitleFilter, BeforeValidator(_title_filter)] = Field(default_factory=TitleFilter)
    events: list[Literal[EVENT_KINDS]] = Field(default_factory=lambda: list(EVENT_KINDS))  # type: ignore[valid-type]
    channels: StrList = Field(default_factory=list)
    interval: Interval | None = None
    include_existing: bool = False
    # Salaries compare on a yearly basis; a posting without one passes
    # unless salary_required (see filters.py).
    salary_min: float | None = None
    salary_currency: Currency | None = None
    salary_required: bool = False
    keywords: Annotated[KeywordFilter, BeforeValidator(_title_filter)] = Field(default_factory=KeywordFilter)
    posted_within: Duration | None = None
    reposts: Literal["announce", "hide"] = "announce"

    @field_validator("work_model", "employment_type", "events", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [v.lower() if isinstance(v, str) else v for v in as_list(value)]

    @field_validator("reposts", mode="before")
    @classmethod
    def _lower_word(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("salary_min", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e12:
            raise ValueError("a yearly amount of zero or more, such as 120000")
        return value

    @field_validator("posted_within")
    @classmethod
    def _age(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and not timedelta(0) < value <= MAX_POSTED_WITHIN:
            raise ValueError(f'an age such as "14d", more than 0s and at most {MAX_POSTED_WITHIN.days}d')
        return value

    @field_validator("country")
    @classmethod
    def _known_countries(cls, value: list[str]) -> list[str]:
        for word in value:
            if not filter_codes(word):
                raise ValueError(
                    "a country as a code or a name (GB, United Kingdom, UK) or a region "
                    f"(Europe, EU, EMEA, APAC, LATAM, DACH, Nordics...), not {word!r}"
                )
        return value

    @field_validator("boards")
    @classmethod
    def _valid_boards(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError('at least one board, such as "greenhouse:stripe"')
        return [board_key(spec) for spec in value]

    @model_validator(mode="after")
    def _bluedoor_query(self) -> Subscription:
        # "bluedoor" means: this subscription's filters, asked of the bluedoor
        # API. The board key carries the query, so equal queries are one board.
        if BLUEDOOR in self.boards:
            key = f"{BLUEDOOR}:{bluedoor_token(self.company, self.department, list(self.work_model))}"
            self.__dict__["boards"] = [key if b == BLUEDOOR else b for b in self.boards]
        return self

    @property
    def board_refs(self) -> list[BoardRef]:
        return [BoardRef(*key.split(":", 1)) for key in self.boards]
