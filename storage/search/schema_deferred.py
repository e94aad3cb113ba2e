"""DDL of migration 0015 (PostgreSQL only): an article's own rows may be written before the article.

The crawl's store path writes a batch's search index rows (the tsvectors and their GIN entries, the
costliest rows of a new article), raw pages, ministries, HTTP validators and near-duplicate fingerprints
in its transaction before it takes the writer lock, under ids drawn from the articles' sequence, and the
articles under those ids once the lock is held (storage/bulk.py, `reserve`; pipelines/neardup.py,
`write_ahead`). Other writers see none of them before its COMMIT, and its own band look-up leaves them
out. Their foreign keys on `articles` become DEFERRABLE (still INITIALLY IMMEDIATE, so every other write
is checked as before); that transaction defers them, and they are checked at COMMIT, when the articles
are there."""

from __future__ import annotations

from storage.search.schema import PG_TABLE

TABLES = (PG_TABLE, "raw_pages", "article_ministries", "article_validators", "article_bands", "article_signatures")
"""The tables of an article's own rows, each with its foreign key `<table>_article_id_fkey`."""

FOREIGN_KEYS = tuple(f"{table}_article_id_fkey" for table in TABLES)

PG_UP = [f"ALTER TABLE {table} ALTER CONSTRAINT {key} DEFERRABLE INITIALLY IMMEDIATE"
         for table, key in zip(TABLES, FOREIGN_KEYS, strict=True)]

PG_DOWN = [f"ALTER TABLE {table} ALTER CONSTRAINT {key} NOT DEFERRABLE"
           for table, key in zip(TABLES, FOREIGN_KEYS, strict=True)]
