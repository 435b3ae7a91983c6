from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from alerts.model import Posting
from alerts.sources import personio
from alerts.sources.xmlfeed import as_record

from sources_support import Case

RECORDED = (
    Posting(
        source="personio",
        board_token="avian",
        external_id="2642824",
        title="Business Development Summer Intern",
        company="Innovire AG",  # the subcompany: the legal entity behind the AVIAN brand
        department="Operations",
        location="Zürich",
        city="Zürich",
        work_model="unknown",  # an office name never says on site
        employment_type="intern",
        url="https://avian.jobs.personio.de/job/2642824",
        posted_at=datetime(2026, 5, 20, 13, 25, 34, tzinfo=UTC),
    ),
    Posting(
        source="personio",
        board_token="avian",
        external_id="2642764",
        title="Marketing Lead",
        company="Innovire AG",
        department="Marketing",
        location="Zürich",
        city="Zürich",
        work_model="unknown",
        employment_type="full_time",  # permanent, full-time
        url="https://avian.jobs.personio.de/job/2642764",
        posted_at=datetime(2026, 5, 20, 12, 41, 19, tzinfo=UTC),
    ),
)


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for child, inner in value.items():
            for item in inner if isinstance(inner, list) else [inner]:
                element.append(_element(child, item))
    else:
        element.text = str(value)
    return element


def page(positions: list[dict[str, Any]]) -> ET.Element:
    return _element("workzag-jobs", {"position": positions})


def jobs_of(root: ET.Element) -> list[dict[str, Any]]:
    return [as_record(position) for position in root.findall("position")]


def renumber(position: dict[str, Any], n: int) -> dict[str, Any]:
    # Without its descriptions: ten thousand of them would be 60 MB.
    copy = {key: value for key, value in position.items() if key != "jobDescriptions"}
    return {**copy, "id": str(3_000_000 + n), "name": f"Role {n}"}


CASE = Case(
    kind="personio",
    token="avian",
    fixture="personio_avian.xml",
    path="/xml",
    query="",
    default_base_url="https://{token}.jobs.personio.de",
    default_url="https://avian.jobs.personio.de/xml",
    recorded=RECORDED,
    parse=personio.parse,
    jobs_of=jobs_of,
    page=page,
    job=lambda fields: {"id": "1", "name": "t", **fields},
    renumber=renumber,
    no_id=(
        b"<workzag-jobs><position><name>A</name></position></workzag-jobs>",
        "position #1 has no usable 'id'",
    ),
    wrong_shape=b'<?xml version="1.0"?><jobs><job><id>1</id></job></jobs>',
    format="xml",
    accept="application/xml, text/xml;q=0.9",
    follows_redirects=False,
    says=dict.fromkeys((404, 410), "no Personio job page named 'avian'"),
    work_models=(
        ("an office named Remote", {"office": "Remote"}, "remote"),
        ("a remote office", {"office": "Berlin (Remote)"}, "remote"),
        ("hybrid in the title", {"office": "Berlin", "name": "Engineer (Hybrid)"}, "hybrid"),
        (
            "remote as one more office",
            {"office": "Berlin", "additionalOffices": {"office": "Remote"}},
            "remote",
        ),
        ("an office, never on site", {"office": "Berlin"}, "unknown"),
        ("nothing", {}, "unknown"),
    ),
)
