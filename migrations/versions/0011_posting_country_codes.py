"""posting country codes: stored postings and events carry the posting's
country as an ISO 3166-1 alpha-2 code ("United Kingdom", "gb" -> "GB";
"European Union" -> null), as the sources now write it

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 12:00:00

A data migration on the JSON columns `postings.data` and `events.posting`,
in SQL on both databases: the distinct stored values are read once and
mapped in Python (alerts.countries, the normaliser the sources use, so a
database upgraded later ends as a new one would), then rewritten in id
ranges, one statement per range, touching only rows whose value changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alerts.countries import country_code

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Rows per UPDATE: a range is one statement, short enough not to hold the
# database for long on a large table.
ID_RANGE = 50_000
# Values per CASE: two bound parameters each, well under either database's limit.
VALUES_PER_STATEMENT = 500


def upgrade() -> None:
    conn = op.get_bind()
    for table, column in (("postings", "data"), ("events", "posting")):
        _recode(conn, table, column)


def _expr(dialect: str, column: str) -> str:
    return f"json_extract({column}, '$.country')" if dialect == "sqlite" else f"{column} ->> 'country'"


def _recode(conn: sa.Connection, table: str, column: str) -> None:
    dialect = conn.dialect.name
    country = _expr(dialect, column)
    found = conn.execute(sa.text(f"SELECT DISTINCT {country} FROM {table} WHERE {country} IS NOT NULL"))
    mapping = {old: new for (old,) in found if isinstance(old, str) and (new := country_code(old)) != old}
    if not mapping:
        return
    low, high = conn.execute(sa.text(f"SELECT min(id), max(id) FROM {table}")).one()
    olds = sorted(mapping)
    for start in range(0, len(olds), VALUES_PER_STATEMENT):
        part = olds[start : start + VALUES_PER_STATEMENT]
        params: dict[str, object] = {}
        whens = []
        for i, old in enumerate(part):
            params[f"o{i}"], params[f"n{i}"] = old, mapping[old]
            whens.append(f"WHEN :o{i} THEN CAST(:n{i} AS TEXT)")
        case = f"CASE {country} {' '.join(whens)} END"
        if dialect == "sqlite":
            value = f"json_set({column}, '$.country', {case})"
        else:
            value = f"jsonb_set({column}, '{{country}}', COALESCE(to_jsonb({case}), 'null'::jsonb))"
        within = ", ".join(f":o{i}" for i in range(len(part)))
        stmt = sa.text(
            f"UPDATE {table} SET {column} = {value} WHERE id >= :lo AND id < :hi AND {country} IN ({within})"
        )
        for lo in range(low, high + 1, ID_RANGE):
            conn.execute(stmt, {**params, "lo": lo, "hi": lo + ID_RANGE})


def downgrade() -> None:
    pass  # the codes are valid country values for the older code too
