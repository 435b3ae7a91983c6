"""`alerts jobs`: what is open now and matches, as a table, JSON or CSV."""

from __future__ import annotations

import csv as csvlib
import sys
from datetime import datetime, timezone, tzinfo
from typing import Any

import click

from alerts.cli.common import common, load
from alerts.errors import ConfigError

TITLE_WIDTH = 60
LOCATION_WIDTH = 32
# A spreadsheet runs a cell that starts with one of these as a formula; a
# posting's text is the source's, so such a cell gets a leading quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIELDS = (
    "company",
    "title",
    "location",
    "work_model",
    "salary",
    "age",
    "age_from",
    "url",
    "posted_at",
    "first_seen_at",
    "department",
    "employment_type",
    "country",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "apply_url",
    "board",
    "external_id",
    "subscriptions",
    "reposts",
)


@click.command()
@click.option("--subscription", metavar="S", help="Only what this subscription matches (default: any).")
@click.option("--company", metavar="C", help="Only companies whose name has these words, any case.")
@click.option(
    "--since", metavar="AGE", help="Only postings posted (or first seen) within this long: 12h, 7d..."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people; json or csv for scripts and spreadsheets.",
)
@common
def jobs(
    config_path: str | None, subscription: str | None, company: str | None, since: str | None, fmt: str
) -> None:
    """List the open postings your subscriptions match, newest first.

    Age counts from the date the source gives, else from when alerts first
    saw the posting (marked * in the table). Reads the database only.
    """
    from alerts.config import parse_duration
    from alerts.service.matches import open_matches, subscription_named
    from alerts.store import Store

    window = None
    if since is not None:
        try:
            window = parse_duration(since)
        except ValueError as exc:
            raise ConfigError(f"--since: expected {exc}") from None
    config = load(config_path)
    if subscription is not None:
        try:
            subscription_named(config, subscription)
        except ConfigError as exc:
            raise ConfigError(f"--subscription: {exc}") from None
    store = Store(config.database.url)
    now = datetime.now(timezone.utc)
    try:
        store.upgrade()
        found = open_matches(config, store, subscription=subscription, company=company, since=window, now=now)
    finally:
        store.close()
    records = [_record(match, now, config.display.zone) for match in found]
    if fmt == "json":
        from alerts.cli.tables import emit_json

        emit_json(records)
    elif fmt == "csv":
        _csv(records)
    else:
        _table(records)


def _record(match: Any, now: datetime, zone: tzinfo) -> dict[str, Any]:
    from alerts.service.display import age, iso

    posting = match.open.posting
    posted, first_seen = match.open.started  # along a chain of reposts, the job's first posting
    chain = match.open.chain
    return {
        "company": posting.company,
        "title": posting.title,
        "location": posting.location,
        "work_model": posting.work_model,
        "salary": posting.salary,
        "age": age(now - match.since),
        "age_from": "posted" if match.dated_by_source else "first_seen",
        "url": posting.url,
        "posted_at": iso(posted, zone),
        "first_seen_at": iso(first_seen, zone),
        "department": posting.department,
        "employment_type": posting.employment_type,
        "country": posting.country,
        "salary_min": posting.salary_min,
        "salary_max": posting.salary_max,
        "salary_currency": posting.salary_currency,
        "salary_period": posting.salary_period,
        "apply_url": posting.apply_url,
        "board": match.open.board_key,
        "external_id": match.open.external_id,
        "subscriptions": list(match.subscriptions),
        "reposts": f"{chain.board_key}:{chain.external_id}" if chain is not None else None,
    }


def _table(records: list[dict[str, Any]]) -> None:
    from alerts.cli.tables import shorten, table

    if not records:
        click.echo("no open postings match")
        return
    rows = [
        (
            r["age"] + ("" if r["age_from"] == "posted" else "*"),
            shorten(r["company"] or r["board"], 30),
            shorten(r["title"], TITLE_WIDTH),
            shorten(r["location"] or "-", LOCATION_WIDTH),
            r["work_model"],
            r["salary"] or "-",
            r["url"] or r["apply_url"] or "-",
        )
        for r in records
    ]
    for line in table(("AGE", "COMPANY", "TITLE", "LOCATION", "WORK MODEL", "SALARY", "LINK"), rows):
        click.echo(line)
    if any(r["age_from"] != "posted" for r in records):
        click.echo("* first seen by alerts then; the source gives no date")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ";".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(records: list[dict[str, Any]]) -> None:
    writer = csvlib.writer(sys.stdout)
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow([_cell(record[name]) for name in FIELDS])
