"""PostgreSQL's form of the batch writes of storage/bulk.py: one statement per table, every array one text
literal (storage/pg_arrays.py). Through SQLAlchemy's multi-row VALUES, the articles' INSERT alone was a
fifth of the store path's client CPU inside the writer lock (a new 1,100-parameter statement per batch
for psycopg to split and bind)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from storage.pg_arrays import int_array, text_array
from storage.search import schema_deferred

_TEXT = ("canonical_url", "url", "source", "title", "subtitle", "body", "section", "language", "content_hash")
_TIMES = ("published_at", "modified_at", "fetched_at")
_JSON = ("authors", "images", "ministries", "attachments")

_COLUMNS = ", ".join(_TEXT + _TIMES + _JSON)
_ARRAYS = ", ".join([f"CAST(:{c} AS text[])" for c in _TEXT] + [f"CAST(:{c} AS timestamptz[])" for c in _TIMES]
                    + [f"CAST(:{c} AS json[])" for c in _JSON])
_ARTICLES = text(f"INSERT INTO articles ({_COLUMNS}, run_id) SELECT * FROM unnest({_ARRAYS}, "
                 "CAST(:run_id AS integer[])) RETURNING id, canonical_url")
_ARTICLES_AT = text(f"INSERT INTO articles (id, {_COLUMNS}, run_id) SELECT * FROM unnest(CAST(:id AS integer[]), "
                    f"{_ARRAYS}, CAST(:run_id AS integer[])) RETURNING id, canonical_url")
_DRAW_IDS = text("SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :n)")
# the rows of the ids no article took, in every table written before the lock (bulk.reserve)
_UNUSED = text(" ".join([
    "WITH gone AS (SELECT u.id FROM unnest(CAST(:ids AS integer[])) AS u(id)"
    " WHERE NOT EXISTS (SELECT FROM articles AS a WHERE a.id = u.id))",
    *(f", d{n} AS (DELETE FROM {table} WHERE article_id IN (SELECT id FROM gone))"
      for n, table in enumerate(schema_deferred.TABLES)),
    "SELECT count(*) FROM gone"]))

_ORIGINALS = text("SELECT content_hash, id, canonical_url FROM articles "
                  "WHERE content_hash = ANY(CAST(:hashes AS text[]))")
_MINISTRIES = text("INSERT INTO article_ministries (article_id, ministry) "
                   "SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:names AS text[]))")
_VALIDATORS = text("INSERT INTO article_validators (article_id, etag, last_modified, checked_at) "
                   "SELECT * FROM unnest(CAST(:ids AS integer[]), CAST(:etags AS text[]), "
                   "CAST(:modified AS text[]), CAST(:checked AS timestamptz[]))")


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # as storage.types.UTCDateTime refuses it
        raise ValueError("naive datetime given to a UTCDateTime column")
    return value.isoformat()


def insert_articles(connection: Connection, values: Sequence[dict[str, Any]],
                    at: Sequence[int] | None = None) -> list[int]:
    """`articles` rows (storage.repository.article_values and run_id, canonical URLs distinct); their ids,
    in order: `at` (ids drawn by `draw_ids`) or the sequence's next. JSON columns get the text SQLAlchemy's
    JSON type would have written (json.dumps)."""
    params: dict[str, str] = {column: text_array(row[column] for row in values) for column in _TEXT}
    params.update({column: text_array(_time(row[column]) for row in values) for column in _TIMES})
    params.update({column: text_array(json.dumps(row[column]) for row in values) for column in _JSON})
    params["run_id"] = int_array(row["run_id"] for row in values)
    if at is not None:
        params["id"] = int_array(at)
    ids = {row.canonical_url: row.id for row in connection.execute(_ARTICLES if at is None else _ARTICLES_AT, params)}
    return [ids[row["canonical_url"]] for row in values]


def draw_ids(connection: Connection, n: int) -> list[int]:
    """`n` article ids from the sequence, ascending, for an article's own rows written before the article
    (bulk.reserve); their foreign keys (DEFERRABLE, migration 0015) are checked at COMMIT from now on."""
    connection.execute(text(f"SET CONSTRAINTS {', '.join(schema_deferred.FOREIGN_KEYS)} DEFERRED"))
    return sorted(connection.scalars(_DRAW_IDS, {"n": n}))


def release(connection: Connection, ids: Sequence[int]) -> None:
    """Delete the rows written before the lock (bulk.reserve) under ids that no article took."""
    if ids:
        connection.execute(_UNUSED, {"ids": int_array(ids)})


def originals(connection: Connection, hashes: Collection[str]) -> list[tuple[str, int, str]]:
    """(content hash, id, canonical URL) of the archived articles with these hashes."""
    return [(row.content_hash, row.id, row.canonical_url)
            for row in connection.execute(_ORIGINALS, {"hashes": text_array(sorted(hashes))})]


def insert_ministries(connection: Connection, rows: Sequence[tuple[int, str]]) -> None:
    if rows:
        connection.execute(_MINISTRIES, {"ids": int_array(i for i, _ in rows), "names": text_array(n for _, n in rows)})


def insert_validators(connection: Connection, rows: Sequence[tuple[int, str | None, str | None, datetime]]) -> None:
    if rows:
        connection.execute(_VALIDATORS, {"ids": int_array(r[0] for r in rows), "etags": text_array(r[1] for r in rows),
                                         "modified": text_array(r[2] for r in rows),
                                         "checked": text_array(_time(r[3]) for r in rows)})
