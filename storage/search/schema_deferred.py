"""DDL of migration 0015 (PostgreSQL only): an index row may be written before its article.

The crawl's store path writes a batch's index rows (the tsvectors and their GIN entries, the costliest
rows of a new article) in its transaction before it takes the writer lock, under ids drawn from the
articles' sequence, and the articles under those ids once the lock is held (storage/bulk_pg.py,
`reserve`). The rows' foreign key on `articles` becomes DEFERRABLE (still INITIALLY IMMEDIATE, so every
other write is checked as before); that transaction defers it, and it is checked at COMMIT, when the
articles are there."""

from __future__ import annotations

from storage.search.schema import PG_TABLE

FOREIGN_KEY = f"{PG_TABLE}_article_id_fkey"

PG_UP = [f"ALTER TABLE {PG_TABLE} ALTER CONSTRAINT {FOREIGN_KEY} DEFERRABLE INITIALLY IMMEDIATE"]

PG_DOWN = [f"ALTER TABLE {PG_TABLE} ALTER CONSTRAINT {FOREIGN_KEY} NOT DEFERRABLE"]
