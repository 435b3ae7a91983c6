"""Recruitee careers-site API: `{"offers": [...]}` at `https://{token}.recruitee.com/api/offers/`.

The board is in the host name, so the default base URL is a template; a
custom base_url may use `{token}` too. Salaries are strings, dates are
"2026-09-18 12:55:59 UTC".
"""

from __future__ import annotations

from typing import Any

from alerts.model import BoardRef, Posting, WorkModel

from .base import FetchContext, Snapshot, Source, base_of, board_url
from .description import from_html
from .fetch import fetch_single
from .http import Client
from .normalize import as_dict, as_list, clean_text, place_text, title_text, to_datetime, to_str
from .payload import job_id, jobs_in
from .vocab import employment_type, salary, work_model

KIND = "recruitee"
DEFAULT_BASE_URL = "https://{token}.recruitee.com/api"
PATH = "/offers/"

# An offer may tick several arrangements ("remote or on site, your choice").
# The most flexible one it offers is the one a remote-minded subscriber needs
# to hear about, so it wins.
_FLAGS: tuple[tuple[str, WorkModel], ...] = (
    ("remote", "remote"),
    ("hybrid", "hybrid"),
    ("on_site", "onsite"),
)


def _work_model(offer: dict[str, Any], location: str | None) -> WorkModel:
    for flag, model in _FLAGS:
        if offer.get(flag) is True:
            return model
    return work_model(location)


def _place(offer: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(city, region, country) from the offer, else from its first location;
    never mixed, so a city is never put in another's country."""
    city, region, country = (clean_text(offer.get(key)) for key in ("city", "state_name", "country"))
    if city or region or country:
        return city, region, country
    first = as_dict(next(iter(as_list(offer.get("locations"))), None))
    return clean_text(first.get("city")), clean_text(first.get("state")), clean_text(first.get("country"))


def _posting(offer: dict[str, Any], board: BoardRef, index: int) -> Posting:
    city, region, country = _place(offer)
    location = clean_text(offer.get("location")) or place_text(city, region, country)
    pay = as_dict(offer.get("salary"))
    salary_min, salary_max, currency, period = salary(
        pay.get("min"), pay.get("max"), pay.get("currency"), pay.get("period")
    )
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=job_id(offer, board, index),
        title=title_text(offer.get("title")),
        company=clean_text(offer.get("company_name")) or board.token,
        department=clean_text(offer.get("department")),
        team=None,
        location=location,
        city=city,
        region=region,
        country=country,
        work_model=_work_model(offer, location),
        # Codes such as "fulltime_permanent" or "parttime_fixed_term".
        employment_type=employment_type(offer.get("employment_type_code")),
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
        salary_period=period,
        url=to_str(offer.get("careers_url")),
        apply_url=to_str(offer.get("careers_apply_url")),
        posted_at=to_datetime(offer.get("published_at")) or to_datetime(offer.get("created_at")),
        updated_at=to_datetime(offer.get("updated_at")),
        description_source=from_html(offer.get("description"), offer.get("requirements")),
        raw=offer,
    )


def parse(payload: Any, board: BoardRef) -> list[Posting]:
    offers = jobs_in(payload, board, "offers")
    return [_posting(offer, board, index) for index, offer in enumerate(offers)]


async def fetch(client: Client, board: BoardRef, ctx: FetchContext) -> Snapshot:
    url = board_url(base_of(ctx, DEFAULT_BASE_URL), PATH, board.token)
    return await fetch_single(client, url, board, parse, ctx)


SOURCE = Source(kind=KIND, default_base_url=DEFAULT_BASE_URL, fetch=fetch)
