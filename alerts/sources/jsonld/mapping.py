"""A schema.org JobPosting as a Posting (Google's job-posting fields)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from alerts.model import BoardRef, EmploymentType, Posting, SourceText

from ..country import country_code
from ..description import from_markup, from_plain, markup_text
from ..normalize import as_dict, as_list, clean_text, split_place, title_text, to_datetime, to_str
from ..payload import bounded_id
from ..vocab import SalaryFields, employment_type, salary, work_model

KIND = "jsonld"
# Kept per posting (in the source cache too), with the description; the
# rest is dropped.
FIELDS = (
    "title",
    "identifier",
    "hiringOrganization",
    "jobLocation",
    "jobLocationType",
    "applicantLocationRequirements",
    "employmentType",
    "baseSalary",
    "datePosted",
    "validThrough",
    "url",
)
_PLACEHOLDERS = {"unavailable", "n/a", "na", "none", "null", "-"}
# A cached posting's description, made plain text when its page was read:
# the cache holds no HTML, and a steady poll parses none.
PLAIN = "descriptionText"


def trim(job: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The fields we map, with a hiring organization given by reference
    (`{"@id": ...}` into the page's @graph) replaced by the object it names."""
    kept = {key: job[key] for key in FIELDS if key in job}
    if isinstance(job.get("description"), str):  # HTML, escaped HTML or text: read when needed
        kept["description"] = job["description"]
    org = kept.get("hiringOrganization")
    if isinstance(org, dict) and not org.get("name") and isinstance(org.get("@id"), str):
        kept["hiringOrganization"] = {"name": as_dict(nodes.get(org["@id"])).get("name")}
    return kept


def for_cache(job: dict[str, Any]) -> dict[str, Any]:
    """A trimmed posting as a sitemap page's cache entry keeps it: the
    description as plain text (`PLAIN`)."""
    kept = {key: value for key, value in job.items() if key != "description"}
    text = markup_text(job["description"]) if isinstance(job.get("description"), str) else None
    if text:
        kept[PLAIN] = text
    return kept


def _description(job: dict[str, Any]) -> SourceText | None:
    if PLAIN in job:
        return from_plain(job[PLAIN])
    return from_markup(job.get("description"))


def _identifier(job: dict[str, Any]) -> str | None:
    ident = job.get("identifier")
    if isinstance(ident, dict):
        return to_str(ident.get("value")) or to_str(ident.get("@id"))
    return to_str(ident)


def external_id(job: dict[str, Any], page_url: str, ordinal: int, alone: bool) -> str:
    """The posting's identifier, else its URL, else its page (the page's
    only posting) or its place on the page."""
    found = _identifier(job) or to_str(job.get("url")) or (page_url if alone else f"{page_url}#{ordinal + 1}")
    return bounded_id(found)


def _part(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    text = clean_text(value)
    text = text.strip(" ,;") if text else None
    return text if text and text.lower() not in _PLACEHOLDERS else None


def _places(job: dict[str, Any]) -> list[tuple[str | None, str | None, str | None, str]]:
    """(city, region, country as written, display) per place."""
    places = []
    spots = job.get("jobLocation")
    for spot in as_list(spots) if isinstance(spots, list) else [spots]:
        address = as_dict(spot).get("address") if isinstance(spot, dict) else spot
        if isinstance(address, str):
            text = _part(address)
            if text:  # "Dayton, OH, United States"
                places.append((*split_place(text), text))
            continue
        address = as_dict(address)
        city, region = _part(address.get("addressLocality")), _part(address.get("addressRegion"))
        country = _part(address.get("addressCountry"))
        shown = ", ".join(dict.fromkeys(p for p in (city, region, country) if p))
        if shown:
            places.append((city, region, country, shown))
    return places


def _required_country(job: dict[str, Any]) -> str | None:
    wanted = job.get("applicantLocationRequirements")
    countries = as_list(wanted) if isinstance(wanted, list) else [wanted]
    codes = {country_code(_part(item)) for item in countries} - {None}
    return codes.pop() if len(codes) == 1 else None


def _employment(value: Any) -> EmploymentType:
    """The first kind, in the order written, that says something."""
    parts = [
        p for item in (value if isinstance(value, list) else [value]) for p in str(item or "").split(",")
    ]
    for part in parts:
        kind = employment_type(part)
        if kind != "unknown":
            return kind
    return "unknown"


def _salary(job: dict[str, Any]) -> SalaryFields:
    amount = job.get("baseSalary")
    if not isinstance(amount, dict):
        return None, None, None, None
    value = amount.get("value")
    if isinstance(value, dict):
        low = value.get("minValue") if value.get("minValue") not in (None, "") else value.get("value")
        high = value.get("maxValue")
        unit = value.get("unitText") or amount.get("unitText")
    else:
        low, high, unit = value, None, amount.get("unitText")
    low, high = (None if v == "" else v for v in (low, high))
    return salary(low, high, to_str(amount.get("currency")), unit)


def closes_at(job: dict[str, Any]) -> datetime | None:
    """`validThrough`; a date alone means open through that whole day."""
    until = to_datetime(job.get("validThrough"))
    if until is not None and len(str(job.get("validThrough")).strip()) == 10:
        until += timedelta(days=1)
    return until


def _url(value: Any, page_url: str) -> str:
    url = urljoin(page_url, to_str(value) or "")
    return url if urlsplit(url).scheme in ("http", "https") else page_url


def _company(job: dict[str, Any]) -> str | None:
    org = job.get("hiringOrganization")
    return clean_text(org.get("name")) if isinstance(org, dict) else clean_text(org)


def _telecommute(job: dict[str, Any]) -> bool:
    kinds = job.get("jobLocationType")
    words = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(word, str) and word.strip().upper() == "TELECOMMUTE" for word in words)


def to_posting(
    job: dict[str, Any],
    key: str,
    page_url: str,
    board: BoardRef,
    fallback_company: str | None,
    now: datetime,
) -> Posting:
    places = _places(job)
    city, region, written, _ = places[0] if places else (None, None, None, "")
    location = "; ".join(dict.fromkeys(p[3] for p in places)) or None
    low, high, currency, period = _salary(job)
    until = closes_at(job)
    return Posting(
        source=KIND,
        board_token=board.token,
        external_id=key,
        title=title_text(job.get("title")),
        company=_company(job) or fallback_company,
        location=location,
        city=city,
        region=region,
        country=country_code(written) or _required_country(job),
        work_model="remote" if _telecommute(job) else work_model(location),
        employment_type=_employment(job.get("employmentType")),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_period=period,
        url=_url(job.get("url"), page_url),
        posted_at=to_datetime(job.get("datePosted")),
        # A posting past its closing date is closed, whatever the page still shows.
        active=until is None or until >= now,
        description_source=_description(job),
        raw=job,
    )
