"""Take the search index down before a bulk load and build it again after, in one pass over the
articles instead of one trigger call per inserted row (bench/search.py; also a way to rebuild a
damaged index). Both leave the schema as migration 0004 creates it."""

from __future__ import annotations

from sqlalchemy import Connection, text

from storage.search import schema_facets, schema_pairs, schema_writer
from storage.search.schema import PG_TABLE

_PG_GIN = schema_pairs.GIN


def drop_index(conn: Connection) -> None:
    """Drop the index and the triggers that keep it; articles written meanwhile are not indexed."""
    if conn.dialect.name == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON articles", f"DROP INDEX IF EXISTS {_PG_GIN}",
                      f"TRUNCATE {PG_TABLE}"]
    else:
        statements = schema_facets.SQLITE_DOWN
    for statement in statements:
        conn.execute(text(statement))


def build_index(conn: Connection, fill: bool = True) -> None:
    """Index every article and restore the triggers. PostgreSQL without `fill`: the rows are there
    (written by a bulk loader, storage/search/entries.py), only the GIN index and the trigger are made."""
    if conn.dialect.name == "postgresql":
        doc = schema_writer.PG_DOC.format(r="articles")
        statements = ["SET LOCAL statement_timeout = 0",  # one statement indexes the whole archive
                      *([f"INSERT INTO {PG_TABLE}(article_id, title, doc, pairs) SELECT id, title, {doc},"
                         f" {schema_pairs.PG_PAIRS.format(r='articles')} FROM articles"]
                        if fill else []),
                      # the rows' change-counter bump (storage/version_counter.py) waits for COMMIT as a
                      # pending trigger event, and CREATE INDEX refuses a table that has one: bump now
                      "SET CONSTRAINTS ALL IMMEDIATE",
                      "SET LOCAL maintenance_work_mem = '512MB'",
                      f"CREATE INDEX {_PG_GIN} ON {PG_TABLE} USING gin (doc, pairs)", schema_writer.PG_SYNC_TRIGGER]
    else:
        statements = schema_facets.SQLITE_UP
    for statement in statements:
        conn.execute(text(statement))



