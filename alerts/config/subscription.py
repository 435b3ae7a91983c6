"""A subscription: the boards it watches, the filters a posting must pass,
and the channels it speaks through."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator

from alerts.boards import BLUEDOOR, TOKEN_KINDS, bluedoor_token, board_key
from alerts.config.types import (
    Currency,
    Duration,
    Form,
    Interval,
    OneOrMany,
    Phrases,
    Strict,
    StrList,
    WordsOrTable,
    as_list,
)
from alerts.countries import filter_codes
from alerts.model import EMPLOYMENT_TYPES, EVENT_KINDS, WORK_MODELS, BoardRef

MAX_POSTED_WITHIN = timedelta(days=3650)


class TitleFilter(Strict):
    """Whole words in the title."""

    include: StrList = Field(default_factory=list, description="Any of these words is in the title.")
    exclude: StrList = Field(default_factory=list, description="None of these words is in the title.")


def _title_filter(value: Any) -> Any:
    # `title = ["engineer"]` is shorthand for `title = {include = ["engineer"]}`.
    if isinstance(value, (str, list)):
        return {"include": as_list(value)}
    return value


class KeywordFilter(Strict):
    """Whole words or phrases in the title or the description."""

    include: Phrases = Field(
        default_factory=list, description="Any of these is in the title or the description."
    )
    exclude: Phrases = Field(
        default_factory=list, description="None of these is in the title or the description."
    )


def _channels_required(schema: dict[str, Any]) -> None:
    # At least one channel (load.py checks that each is defined).
    schema["required"] = [*schema.get("required", []), "channels"]
    schema["properties"]["channels"]["anyOf"][1]["minItems"] = 1


def _words(kind: str) -> Any:
    return Field(default_factory=list, description=kind)


class Subscription(Strict):
    """A subscription, `[[subscriptions]]`: which boards to watch, which
    postings matter, where to send them. Filters are case-insensitive; several
    values in one key mean any of them, several keys must all hold. Every
    filter is optional."""

    model_config = ConfigDict(json_schema_extra=_channels_required)

    name: str = Field(
        description="Its name, unique: messages, `alerts jobs --subscription` and its feed "
        "(/feeds/NAME.atom) show it.",
        examples=["remote-engineering"],
    )
    boards: Annotated[list[Annotated[str, Form("board")]], BeforeValidator(as_list), OneOrMany()] = Field(
        description=f"The boards to watch: kind:token ({', '.join(TOKEN_KINDS)}), a careers-page URL "
        'such as "https://jobs.ashbyhq.com/openai" '
        '(`alerts boards resolve URL` shows its kind:token; `alerts boards find "Company Name"` '
        'looks for a company\'s boards), or "bluedoor": the bluedoor API asked for this '
        "subscription's company, department and work_model.",
        examples=[["greenhouse:stripe", "https://jobs.lever.co/plaid", "ashby:openai"]],
    )
    company: StrList = _words("Whole company names, as the postings show them.")
    department: StrList = _words("Whole department names.")
    team: StrList = _words("Whole team names.")
    work_model: Annotated[list[Literal[WORK_MODELS]], OneOrMany()] = Field(  # type: ignore[valid-type]
        default_factory=list, description=f"The work model: {', '.join(WORK_MODELS)}."
    )
    location: StrList = _words(
        'Words in the location, city, region or country; a country word ("UK", "United Kingdom", '
        '"GB") or a region ("Europe", "EMEA") also finds postings whose country is that one, or in it.'
    )
    country: StrList = _words(
        "The posting's country: an ISO code, a name, or a region (Europe, EU, EMEA, APAC, LATAM, "
        "North America, DACH, Nordics, Benelux...); a posting whose source names no country is "
        "matched on its location text."
    )
    employment_type: Annotated[list[Literal[EMPLOYMENT_TYPES]], OneOrMany()] = Field(  # type: ignore[valid-type]
        default_factory=list, description=f"The employment type: {', '.join(EMPLOYMENT_TYPES)}."
    )
    title: Annotated[TitleFilter, BeforeValidator(_title_filter), WordsOrTable()] = Field(
        default_factory=TitleFilter,
        description="Whole words in the title: { include = [...], exclude = [...] }; a bare list "
        "means include.",
        examples=[{"include": ["engineer", "developer"], "exclude": ["intern"]}],
    )
    events: Annotated[list[Literal[EVENT_KINDS]], OneOrMany()] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(EVENT_KINDS),
        description=f"The events to announce: {', '.join(EVENT_KINDS)} (the default: all of them).",
    )
    channels: StrList = Field(
        default_factory=list,
        description="The channels (names under [channels]) to send to: at least one.",
        examples=[["terminal"]],
    )
    interval: Interval | None = Field(
        None,
        description="Poll these boards this often instead of [polling] interval (the shortest any "
        "subscription of a board asks for wins).",
        examples=["5m"],
    )
    include_existing: bool = Field(
        False,
        description="Also announce what is open at a board's first poll (default: only what changes "
        "from then on).",
    )
    # Salaries compare on a yearly basis (see filters.py).
    salary_min: float | None = Field(
        None,
        description="At least this much a year: an hourly rate x 2080, daily x 260, weekly x 52, "
        "monthly x 12 (no period said: yearly); a range counts by its top. A posting without a "
        "salary passes unless salary_required.",
        examples=[120000],
    )
    salary_currency: Currency | None = Field(
        None,
        description="With salary_min: other currencies never match (no exchange rates); a salary "
        "whose currency is not said passes as if there were none.",
        examples=["USD"],
    )
    salary_required: bool = Field(False, description="A posting without a salary fails salary_min.")
    keywords: Annotated[KeywordFilter, BeforeValidator(_title_filter), WordsOrTable()] = Field(
        default_factory=KeywordFilter,
        description="Whole words or phrases in the title or the description (SmartRecruiters sends no "
        "description: title only): { include = [...], exclude = [...] }; a bare list means include.",
        examples=[{"include": ["visa sponsorship", "Rust"], "exclude": ["unpaid"]}],
    )
    posted_within: Duration | None = Field(
        None,
        description=(
            "Posted this recently (the source's date, else when first seen), at most 3650d; "
            "filters openings only: updates and closes of an older posting still reach the subscription."
        ),
        examples=["14d"],
    )
    reposts: Literal["announce", "hide"] = Field(
        "announce",
        description='"announce": a repost is shown once as "Reposted"; "hide": not at all.',
    )

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
