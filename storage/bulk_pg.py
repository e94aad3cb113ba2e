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

_TEXT = ("canonical_url", "url", "source", "title", "subtitle", "body", "section", "language", "content_hash")
_TIMES = ("published_at", "modified_at", "fetched_at")
_JSON = ("authors", "images", "ministries", "attachments")

_ARTICLES = text(
    f"INSERT INTO articles ({', '.join(_TEXT + _TIMES + _JSON)}, run_id) SELECT * FROM unnest("
    + ", ".join([f"CAST(:{c} AS text[])" for c in _TEXT] + [f"CAST(:{c} AS timestamptz[])" for c in _TIMES]
                + [f"CAST(:{c} AS json[])" for c in _JSON])
    + ", CAST(:run_id AS integer[])) RETURNING id, canonical_url")
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


def insert_articles(connection: Connection, values: Sequence[dict[str, Any]]) -> list[int]:
    """`articles` rows (storage.repository.article_values and run_id, canonical URLs distinct); their ids,
    in order. JSON columns get the text SQLAlchemy's JSON type would have written (json.dumps)."""
    params: dict[str, str] = {column: text_array(row[column] for row in values) for column in _TEXT}
    params.update({column: text_array(_time(row[column]) for row in values) for column in _TIMES})
    params.update({column: text_array(json.dumps(row[column]) for row in values) for column in _JSON})
    params["run_id"] = int_array(row["run_id"] for row in values)
    ids = {row.canonical_url: row.id for row in connection.execute(_ARTICLES, params)}
    return [ids[row["canonical_url"]] for row in values]


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
