"""Reading schema.org `JobPosting` fields (Teamtailor's `_jobposting`, and
any page that publishes one): places, employment type, salary, remote.

Each field comes in several shapes (an object or a list, a string or a
list of strings); each reader takes them all and answers in the model's
words, or None / "unknown" when it cannot tell.
"""

from __future__ import annotations

from typing import Any

from alerts.model import EmploymentType

from .normalize import as_dict, clean_text
from .vocab import SalaryFields, employment_type, salary


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value is not None else []


def addresses(job_location: Any) -> list[dict[str, Any]]:
    """The PostalAddress of each Place in `jobLocation` (an object or a list;
    an address written as a plain string becomes its locality)."""
    found: list[dict[str, Any]] = []
    for place in _listed(job_location):
        address = as_dict(place).get("address")
        if isinstance(address, str) and clean_text(address):
            found.append({"addressLocality": address})
        elif isinstance(address, dict):
            found.append(address)
    return found


def country_of(address: dict[str, Any]) -> Any:
    """addressCountry as written: a code or name, or a Country object's name."""
    country = address.get("addressCountry")
    return as_dict(country).get("name") if isinstance(country, dict) else country


def telecommute(job_location_type: Any) -> bool:
    """jobLocationType says TELECOMMUTE (a string or one of a list)."""
    return any(isinstance(v, str) and v.strip().upper() == "TELECOMMUTE" for v in _listed(job_location_type))


def employment(value: Any) -> EmploymentType:
    """employmentType: "FULL_TIME", "FULL_TIME, PART_TIME" or a list; the
    first word in the text's own order that says something."""
    for item in _listed(value):
        for part in str(item).split(",") if isinstance(item, str) else []:
            kind = employment_type(part)
            if kind != "unknown":
                return kind
    return "unknown"


def base_salary(value: Any) -> SalaryFields:
    """baseSalary: a MonetaryAmount whose `value` is a QuantitativeValue
    (minValue, maxValue, value, unitText) or a bare number."""
    amount = as_dict(value)
    quantity = amount.get("value")
    if isinstance(quantity, dict):
        low = quantity.get("minValue")
        high = quantity.get("maxValue")
        if low in (None, "") and high in (None, ""):
            low = high = quantity.get("value")
        unit = quantity.get("unitText") or amount.get("unitText")
    else:
        low = high = quantity
        unit = amount.get("unitText")
    return salary(low, high, amount.get("currency"), unit)


def organization_name(value: Any) -> str | None:
    """hiringOrganization: an Organization's name, or the name itself."""
    return clean_text(value) if isinstance(value, str) else clean_text(as_dict(value).get("name"))
