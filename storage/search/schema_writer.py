"""DDL of migration 0011 (PostgreSQL only; SQLite's index is unchanged).

1. The writer may insert an article's index row itself: the index trigger of schema_facets.py gains a
   WHEN and stands aside while the transaction's setting entries.CLIENT_ROWS is 'client', which the
   crawl's store path sets around its inserts after computing the rows outside the writer lock
   (storage/search/entries.py). Every other write is indexed by the trigger as before.
2. Each index row carries the token of its id block (facets.BLOCK_IDS): a search asks the GIN index
   for the newest blocks first (backends.postgres_search), so only matches among the newest articles
   are ever read from the table, however many the archive holds."""

from __future__ import annotations

from storage.search import schema, schema_facets
from storage.search.entries import BLOCK, CLIENT_ROWS
from storage.search.facets import BLOCK_IDS, FACET_MARK
from storage.search.schema import PG_TABLE

PG_DOC = schema_facets.PG_DOC + " || " + BLOCK

PG_SYNC_TRIGGER = f"""CREATE TRIGGER {PG_TABLE}_sync
  AFTER INSERT OR UPDATE OF title, subtitle, body, source, section, ministries, published_at ON articles
  FOR EACH ROW WHEN (current_setting('{CLIENT_ROWS}', true) IS DISTINCT FROM 'client')
  EXECUTE FUNCTION {PG_TABLE}_sync()"""

PG_UP = [
    f"DROP TRIGGER {PG_TABLE}_sync ON articles",
    schema.pg_sync_function(PG_DOC, "CREATE OR REPLACE"),
    PG_SYNC_TRIGGER,
    f"UPDATE {PG_TABLE} AS x SET doc = doc || {BLOCK.format(r='x').replace('x.id', 'x.article_id')}",
]

PG_DOWN = [
    f"DROP TRIGGER {PG_TABLE}_sync ON articles",
    schema.pg_sync_function(schema_facets.PG_DOC, "CREATE OR REPLACE"),
    schema_facets.PG_SYNC_TRIGGER,
    f"UPDATE {PG_TABLE} SET doc = ts_delete(doc, ARRAY['{FACET_MARK}n' || (article_id / {BLOCK_IDS})])",
]
