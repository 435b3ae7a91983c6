"""Pay stated in a description's prose (Workday has no pay field): read only
when the text states one amount or range for sure. Snippets as real
descriptions write them, and the ones that must give no salary: several
ranges (per location, per level), bonuses and stipends, a 401(k), years of
experience, funding rounds, numbers without a currency."""

from __future__ import annotations

import pytest

from alerts.sources.salary_text import salary_in_prose

NVIDIA = (
    "Your base salary will be determined based on your location, experience, and the pay of "
    "employees in similar positions. "
)
WORKDAY = (
    "Each candidate's compensation offer will be based on multiple factors including, but not "
    "limited to, geography, experience, skills, job duties, and business need, among other things. "
    "Primary Location: USA.TN.Home Office Primary Location Base Pay Range: $163,400 USD - $245,100 USD"
)
NONE = (None, None, None, None)

# (case, text, the posting's country, expected)
STATED = [
    (
        "code after each end",
        NVIDIA + "The base salary range is 184,000 USD - 287,500 USD.",
        "US",
        (184000.0, 287500.0, "USD", None),
    ),
    ("sign and code", "Pay range: $152,000 - $287,500 USD", None, (152000.0, 287500.0, "USD", None)),
    ("Workday, one location", WORKDAY, "US", (163400.0, 245100.0, "USD", None)),
    ("code before", "Pay: USD $157,000~$212,400", "US", (157000.0, 212400.0, "USD", None)),
    ("hourly, from the words before", "Hourly pay range: $22.50 - $28.00", "US", (22.5, 28.0, "USD", "hour")),
    (
        "years of experience beside it",
        "3+ years of experience required. Pay range: $90,000 - $110,000 USD annually.",
        "US",
        (90000.0, 110000.0, "USD", "year"),
    ),
    (
        "euros, European thousands",
        "Salary: €60.000 – €75.000 per year",
        "DE",
        (60000.0, 75000.0, "EUR", "year"),
    ),
    (
        "pounds",
        "The salary for this role is £45,000 - £55,000 depending on experience.",
        "GB",
        (45000.0, 55000.0, "GBP", None),
    ),
    ("thousands as k", "Salary: $120k–$150k", "US", (120000.0, 150000.0, "USD", None)),
    (
        "between ... and",
        "The pay range is between $120,000 and $150,000 per year.",
        "US",
        (120000.0, 150000.0, "USD", "year"),
    ),
    (
        "one amount",
        "The starting salary for this position is $85,000 per year.",
        "US",
        (85000.0, None, "USD", "year"),
    ),
    (
        "annual after it",
        "Compensation: $140,000 annual base plus benefits",
        "US",
        (140000.0, None, "USD", "year"),
    ),
    ("a code says which dollar", "Salary: $120,000 - $140,000 CAD", "US", (120000.0, 140000.0, "CAD", None)),
    (
        "a sign-on bonus after it",
        "Base salary: $150,000 - $180,000 USD per year. Sign-on bonus: $10,000.",
        "US",
        (150000.0, 180000.0, "USD", "year"),
    ),
    (
        "a stipend and a 401(k) before it",
        "Benefits include a 401(k) with 6% match and $500 home office stipend. Base salary range: $100,000 - $120,000.",
        "US",
        (100000.0, 120000.0, "USD", None),
    ),
    (
        "a bonus in the same line",
        "Base salary $95,000 + $10,000 signing bonus + equity",
        "US",
        (95000.0, None, "USD", None),
    ),
    (
        "a funding round first",
        "We've raised $50M from top investors. Salary: $150,000 - $180,000",
        "US",
        (150000.0, 180000.0, "USD", None),
    ),
    (
        "a learning budget first",
        "We offer €1,200 a year for books, training courses and conferences. Salary: £85,000 - £110,000",
        "GB",
        (85000.0, 110000.0, "GBP", None),
    ),
    (
        "the same range for two places",
        "California pay range $150,000 - $200,000 USD. Colorado pay range $150,000 - $200,000 USD.",
        "US",
        (150000.0, 200000.0, "USD", None),
    ),
]
NOT_STATED = [
    (
        "two levels",
        NVIDIA
        + "The base salary range is 148,000 USD - 235,750 USD for Level 3, and 184,000 USD - 287,500 USD for Level 4.",
        "US",
    ),
    (
        "two locations",
        WORKDAY + " Additional US Location(s) Base Pay Range: $163,400 USD - $294,000 USD",
        "US",
    ),
    (
        "three states",
        "Pay range by location. California: $150,000 - $200,000; New York: $140,000 - $190,000; "
        "Washington: $130,000 - $180,000.",
        "US",
    ),
    ("base and OTE", "Base salary: $100,000. OTE: $200,000.", "US"),
    ("a sign-on bonus alone", "This role is eligible for a $10,000 sign-on bonus.", "US"),
    ("an annual bonus near pay words", "Pay for performance: an annual bonus of up to $20,000.", "US"),
    ("a 401(k) match", "Pay: competitive, plus 401(k) match up to $6,000 per year.", "US"),
    ("401k and years", "Salary: 401k plan, 5 - 10 years experience", "US"),
    ("years of experience", "Requires 5-7 years of experience. Compensation is competitive.", "US"),
    ("relocation", "Relocation assistance up to $15,000 is available; pay is competitive.", "US"),
    ("funding and revenue", "Salary is competitive; we have raised $50M and reached $10M+ ARR.", "US"),
    ("equity in percent", "Equity: 0.1% - 0.2%. Salary: competitive.", "US"),
    ("no currency", "The pay is 100,000 - 120,000 per year", "US"),
    ("whose dollar? no country", "Base pay range: $150,000 - $180,000", None),
    ("whose dollar? not the country's", "Base pay range: $150,000 - $180,000", "GB"),
    ("no words about pay", "We help customers save $500 per month.", "US"),
    ("a perk paid for", "We pay for your internet, up to $50 a month.", "US"),
    (
        "a perk near pay words",
        "Pay is competitive, and we cover up to $100 a month of your phone bill.",
        "US",
    ),
    ("a perk alone", "We offer €1,200 a year for books, training courses and conferences.", "DE"),
    ("a typo", "Pay: $130,000- $145,00 per year", "US"),
    ("upside down", "Base salary: $180,000 - $150,000", "US"),
    ("two currencies", "Salary: £50,000 USD", "US"),
    ("empty", "", "US"),
    ("nothing", None, "US"),
]


@pytest.mark.parametrize(
    ("text", "country", "expected"), [row[1:] for row in STATED], ids=[row[0] for row in STATED]
)
def test_a_stated_pay_is_read(text: str, country: str | None, expected: tuple[object, ...]) -> None:
    assert salary_in_prose(text, country) == expected


@pytest.mark.parametrize(
    ("text", "country"), [row[1:] for row in NOT_STATED], ids=[row[0] for row in NOT_STATED]
)
def test_no_salary_unless_it_is_sure(text: str | None, country: str | None) -> None:
    assert salary_in_prose(text, country) == NONE


def test_hostile_text_costs_little() -> None:
    """A description at its longest, full of amounts: read in one pass."""
    assert salary_in_prose("pay $1-$2 " * 2000 + "pay $1-$3", "US") == NONE
    assert salary_in_prose("Salary " + "1," * 10_000 + " $" + "9" * 20_000, "US") == NONE
