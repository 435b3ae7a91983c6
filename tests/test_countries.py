"""Issue 10, item 4: one country code for every way a country is written,
multi-country words as explicit sets, and the filters built on them."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from alerts.config import Subscription, parse_config
from alerts.countries import ALIASES, REGIONS, country_code, filter_codes
from alerts.errors import ConfigError
from alerts.filters import matches_posting
from alerts.model import Posting


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("GB", "GB"),
        ("gb", "GB"),
        ("GBR", "GB"),
        ("United Kingdom", "GB"),
        ("united kingdom", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("Northern Ireland", "GB"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("United States of America", "US"),
        ("ca", "CA"),
        ("Deutschland", "DE"),
        ("The Netherlands", "NL"),
        ("Côte d’Ivoire", "CI"),
        ("Curacao", "CW"),
        ("St. Lucia", "LC"),
        ("Korea, Republic of", "KR"),
        ("Europe", None),
        ("European Union", None),
        ("EU", None),
        ("EMEA", None),
        ("Worldwide", None),
        ("Remote", None),
        ("London", None),
        ("", None),
        (None, None),
    ],
)
def test_country_codes(written: str | None, code: str | None) -> None:
    assert country_code(written) == code


def test_every_alias_and_region_names_real_iso_codes() -> None:
    codes = {country.alpha_2 for country in pycountry.countries}
    assert set(ALIASES.values()) <= codes
    for name, members in REGIONS.items():
        assert members <= codes, (name, members - codes)


def test_regions_are_explicit_sets() -> None:
    assert {"GB", "DE", "FR", "CH", "NO"} <= filter_codes("Europe") and "US" not in filter_codes("Europe")
    assert "GB" not in filter_codes("EU") and {"DE", "IE", "CY"} <= filter_codes("European Union")
    assert {"GB", "AE", "ZA"} <= filter_codes("EMEA") and "JP" not in filter_codes("EMEA")
    assert {"JP", "AU", "SG", "IN"} <= filter_codes("APAC") and {"BR", "MX"} <= filter_codes("LATAM")
    assert filter_codes("DACH") == {"DE", "AT", "CH"}
    assert filter_codes("UK") == {"GB"} and filter_codes("Narnia") == frozenset()


def posting(country: str | None, location: str | None = None) -> Posting:
    return Posting("lever", "acme", "1", "Engineer", location=location, country=country)


def sub(**filters: list[str]) -> Subscription:
    return Subscription(name="s", boards=["lever:acme"], channels=["c"], **filters)


@pytest.mark.parametrize(
    ("filters", "post", "expected"),
    [
        ({"location": ["Europe"]}, posting("GB", "London"), True),
        ({"location": ["EU"]}, posting("GB", "London"), False),
        ({"location": ["EU"]}, posting("DE", "Berlin"), True),
        ({"location": ["Europe"]}, posting("US", "New York"), False),
        ({"location": ["Europe"]}, posting(None, "Europe"), True),  # the source's own text
        ({"country": ["Europe"]}, posting("FR", "Paris"), True),
        ({"country": ["EMEA"]}, posting("AE", "Dubai"), True),
        ({"country": ["UK"]}, posting(None, "London, UK"), True),  # no code: the place text
        ({"country": ["UK"]}, posting("IE", "Dublin, near the UK"), False),  # a code decides
        ({"country": ["US", "CA"]}, posting("CA", "Toronto"), True),
    ],
)
def test_place_filters(filters: dict[str, list[str]], post: Posting, expected: bool) -> None:
    assert matches_posting(sub(**filters), post) is expected


def test_an_unknown_country_word_is_refused_naming_the_key() -> None:
    text = '[channels.c]\nurl = "console://"\n[[subscriptions]]\nname = "s"\nboards = ["lever:acme"]\n'
    text += 'country = ["Narnia"]\nchannels = ["c"]\n'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("alerts.toml"))
    assert "subscriptions[0].country" in str(caught.value) and "Narnia" in str(caught.value)
