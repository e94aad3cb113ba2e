"""How many articles match a query, in all and per KST day, week or month, split by ministry or source.

The counts come from the same match expression as search() (filters included, as facet tokens), so
a timeline agrees with the results it summarises. The index gives the matching ids and the database
groups them by the publication date's KST bucket: no article text is read, and no hit is built.
Undated articles are counted in the total but in no bucket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeVar

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.db import get_engine
from storage.search.facets import FACET_MARK
from storage.search.filters import Filters, build_filters
from storage.search.query import Query, SearchError, parse, to_fts5, to_tsquery
from storage.search.schema import FTS_TABLE, PG_TABLE

Bucket = Literal["day", "week", "month"]
Split = Literal["ministry", "source"]
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")
SPLITS: tuple[Split, ...] = ("ministry", "source")


@dataclass(frozen=True)
class Count:
    start: date  # the bucket's first KST day (a Monday for weeks, the 1st for months)
    key: str  # the ministry or source; "" when not split
    articles: int


# The KST bucket start of `a.published_at`: SQLite stores naive UTC text, PostgreSQL a timestamptz.
_SQLITE_BUCKET = {
    "day": "date(a.published_at, '+9 hours')",
    "week": "date(a.published_at, '+9 hours', '-6 days', 'weekday 1')",  # the Monday on or before
    "month": "strftime('%Y-%m-01', a.published_at, '+9 hours')",
}
_PG_LOCAL = "((a.published_at AT TIME ZONE 'UTC') + interval '9 hours')"
_PG_BUCKET = {kind: f"CAST(date_trunc('{kind}', {_PG_LOCAL}) AS date)" for kind in BUCKETS}


def count_timeline(db_url: str, query: str, *, bucket: Bucket = "day", split: Split | None = None,
                   source: str | None = None, ministry: str | None = None, since: date | None = None,
                   until: date | None = None, section: str | None = None) -> list[Count]:
    """Matching articles per bucket (and per ministry or source with `split`), oldest bucket first.
    An article naming two ministries counts once under each. Same query language, filters and
    SearchError as search()."""
    if bucket not in BUCKETS:
        raise SearchError(f"unknown interval {bucket!r}: day, week or month")
    if split is not None and split not in SPLITS:
        raise SearchError(f"unknown split {split!r}: ministry or source")
    parsed = parse(query)
    where = build_filters(source, ministry, since, until, section)

    def run(conn: Connection, ids_sql: str, params: dict[str, str]) -> list[Count]:
        postgres = conn.dialect.name == "postgresql"
        start = (_PG_BUCKET if postgres else _SQLITE_BUCKET)[bucket]
        join, key = "", "''"
        # SQLite would look each id up in the table (the INTEGER PRIMARY KEY) and read the row to its
        # date; the index of (id, published_at) holds both (migration 0009).
        by_id = "" if postgres else " INDEXED BY ix_articles_id_published_at"
        if split == "ministry":
            join, key = " JOIN article_ministries m ON m.article_id = a.id", "m.ministry"
        elif split == "source":
            by_id, key = "", "a.source"
        rows = conn.execute(text(f"SELECT {start} AS b, {key} AS k, count(*) FROM articles a{by_id}{join}"
                                 f" WHERE a.id IN ({ids_sql}) AND a.published_at IS NOT NULL"
                                 " GROUP BY b, k ORDER BY b, k"), params)
        return [Count(_day(b), k, int(n)) for b, k, n in rows]

    return _with_matches(db_url, parsed, where, run)


def count_matches(db_url: str, query: str, *, source: str | None = None, ministry: str | None = None,
                  since: date | None = None, until: date | None = None, section: str | None = None,
                  at_most: int | None = None) -> int:
    """How many articles match (all of them, where search() ranks only the newest candidates), or
    `at_most` when there are at least that many: counting a word in half the archive costs time."""
    parsed = parse(query)
    where = build_filters(source, ministry, since, until, section)

    def run(conn: Connection, ids_sql: str, params: dict[str, str]) -> int:
        limited = f"{ids_sql} LIMIT {int(at_most)}" if at_most is not None else ids_sql
        return int(conn.execute(text(f"SELECT count(*) FROM ({limited}) AS matches"), params).scalar() or 0)

    return _with_matches(db_url, parsed, where, run)


T = TypeVar("T")


def _with_matches(db_url: str, parsed: Query, where: Filters,
                     run: Callable[[Connection, str, dict[str, str]], T]) -> T:
    """Calls `run` with a SELECT of the matching article ids and its bound parameters."""
    engine = get_engine(db_url)
    try:
        with engine.connect() as conn:
            facets = where.facets(conn)
            if facets is None:
                facets = [[f"{FACET_MARK}none"]]  # no article can pass: a facet token nothing carries
            if conn.dialect.name == "postgresql":
                ids_sql = f"SELECT article_id FROM {PG_TABLE} WHERE doc @@ CAST(:match AS tsquery)"
                return run(conn, ids_sql, {"match": to_tsquery(parsed, facets)})
            ids_sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
            return run(conn, ids_sql, {"match": to_fts5(parsed, facets)})
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SearchError(f"count failed: {reason}") from exc


def _day(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)
