"""DDL of migration 0013 (PostgreSQL only; SQLite's index is unchanged): what a search reads of its
candidates is in their index rows, in one heap page each.

1. `article_search.title`, a copy of the article's title kept by the same trigger (and by the writer's
   own rows, entries.insert_pg): picking the pool tests the candidates' titles (backends.postgres_search),
   which took 2,000 primary-key look-ups in `articles` per search, 10-20 ms.
2. `doc` is stored compressed inside the row (STORAGE MAIN) instead of out of line in TOAST: checking a
   phrase's positions, and ts_rank, read each candidate's tsvector; from TOAST that was an index look-up
   and about four chunk pages per row, inline it is the row's page (docs/benchmarks.md). Rows written
   before the migration keep their TOAST copy until rewritten (VACUUM FULL); both read the same.
"""

from __future__ import annotations

from storage.search import schema, schema_writer
from storage.search.schema import PG_TABLE

SYNC_FUNCTION = f"""CREATE OR REPLACE FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO {PG_TABLE}(article_id, title, doc) VALUES (NEW.id, NEW.title, {schema_writer.PG_DOC.format(r='NEW')})
  ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, doc = EXCLUDED.doc;
  RETURN NULL;
END
$fn$"""

PG_UP = [
    f"ALTER TABLE {PG_TABLE} ADD COLUMN title text NOT NULL DEFAULT ''",
    f"ALTER TABLE {PG_TABLE} ALTER COLUMN doc SET STORAGE MAIN",
    SYNC_FUNCTION,
    f"UPDATE {PG_TABLE} AS x SET title = a.title FROM articles AS a WHERE a.id = x.article_id",
]

PG_DOWN = [
    schema.pg_sync_function(schema_writer.PG_DOC, "CREATE OR REPLACE"),
    f"ALTER TABLE {PG_TABLE} ALTER COLUMN doc SET STORAGE EXTENDED",
    f"ALTER TABLE {PG_TABLE} DROP COLUMN title",
]
