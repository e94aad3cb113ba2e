"""DDL of migration 0011: on PostgreSQL the writer may insert an article's index row itself.

The index trigger of schema_facets.py gains a WHEN: it stands aside while the transaction's setting
entries.CLIENT_ROWS is 'client', which the crawl's store path sets around its inserts after computing the
rows outside the writer lock (storage/search/entries.py). Every other write is indexed by the trigger as
before. SQLite needs no change: its trigger's tokeniser is answered from the same precomputed texts."""

from __future__ import annotations

from storage.search import schema_facets
from storage.search.entries import CLIENT_ROWS
from storage.search.schema import PG_TABLE

PG_SYNC_TRIGGER = f"""CREATE TRIGGER {PG_TABLE}_sync
  AFTER INSERT OR UPDATE OF title, subtitle, body, source, section, ministries, published_at ON articles
  FOR EACH ROW WHEN (current_setting('{CLIENT_ROWS}', true) IS DISTINCT FROM 'client')
  EXECUTE FUNCTION {PG_TABLE}_sync()"""

PG_UP = [f"DROP TRIGGER {PG_TABLE}_sync ON articles", PG_SYNC_TRIGGER]

PG_DOWN = [f"DROP TRIGGER {PG_TABLE}_sync ON articles", schema_facets.PG_SYNC_TRIGGER]
