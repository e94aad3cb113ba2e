"""DDL of migration 0013 (PostgreSQL only; SQLite's index is unchanged): what a search reads of its
candidates is in their index rows, in one heap page each.

1. `article_search.title`, a copy of the article's title kept by the same trigger (and by the writer's
   own rows, entries.insert_pg): picking the pool tests the candidates' titles (backends.postgres_search),
   which took 2,000 primary-key look-ups in `articles` per search, 10-20 ms.
2. `doc` is stored compressed inside the row (STORAGE MAIN) instead of out of line in TOAST: checking a
   phrase's positions, and ts_rank, read each candidate's tsvector; from TOAST that was an index look-up
   and about four chunk pages per row, inline it is the row's page (docs/benchmarks.md). Rows written
   before the migration keep their TOAST copy until rewritten (VACUUM FULL); both read the same.
3. `ko_walk`, the newest matches of a tsquery found block by block (backends._pg_walk says how), in
   one round trip instead of one per block: on a loaded machine each round trip waits for the server
   process to be scheduled again.
"""

from __future__ import annotations

from storage.search import schema, schema_writer
from storage.search.facets import BLOCK_IDS, FACET_MARK
from storage.search.schema import PG_TABLE

SYNC_FUNCTION = f"""CREATE OR REPLACE FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO {PG_TABLE}(article_id, title, doc) VALUES (NEW.id, NEW.title, {schema_writer.PG_DOC.format(r='NEW')})
  ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, doc = EXCLUDED.doc;
  RETURN NULL;
END
$fn$"""

FEW_BLOCKS = 8

# While it walks, a bitmap of the index's answer, never a walk down the primary key testing each row's
# tsvector, which the planner, unable to tell how many rows a bigram matches, often guessed (450 ms); the
# settings are put back after (the newest id must be found by the primary key before).
WALK_FUNCTION = f"""CREATE FUNCTION ko_walk(query text, wanted integer)
RETURNS TABLE(article_id integer, title text) LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  top integer := (SELECT max(s.article_id) FROM {PG_TABLE} AS s);
  block integer := top / {BLOCK_IDS};
  first integer;
  last integer;
  span integer := 1;
  walked float8 := 0;  -- blocks asked for so far (the newest one is partial)
  found integer := 0;
  n integer;
  seqscan text := current_setting('enable_seqscan');
  indexscan text := current_setting('enable_indexscan');
BEGIN
  PERFORM set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true);
  WHILE block >= 0 AND found < wanted LOOP
    first := greatest(block - span + 1, 0);
    IF first = 0 AND block >= {FEW_BLOCKS} AND position('<->' IN query) = 0 THEN
      -- The rest of a large archive for a query without phrases: its matches there are expected to be
      -- no more than wanted, and the index's answer is exact, so they are asked for at once, by id.
      RETURN QUERY EXECUTE 'SELECT s.article_id, s.title FROM {PG_TABLE} AS s WHERE s.doc @@ CAST($1 AS tsquery)'
                           ' AND s.article_id + 0 < $3 ORDER BY s.article_id DESC LIMIT $2'
        USING query, wanted - found, (block + 1) * {BLOCK_IDS};
      EXIT;
    END IF;
    -- At most FEW_BLOCKS block tokens ORed in one tsquery: the index's time grows with their square
    -- (64 took 170 ms at a million articles, 8 took 5 ms).
    WHILE block >= first AND found < wanted LOOP
      last := greatest(first, block - {FEW_BLOCKS} + 1);
      RETURN QUERY EXECUTE 'SELECT s.article_id, s.title FROM {PG_TABLE} AS s WHERE s.doc @@ CAST($1 AS tsquery)'
                           ' ORDER BY s.article_id DESC LIMIT $2'
        USING '(' || query || ') & (' || (SELECT string_agg(quote_literal('{FACET_MARK}n' || b), ' | ')
                                          FROM generate_series(block, last, -1) AS b) || ')',
              wanted - found;
      GET DIAGNOSTICS n = ROW_COUNT;
      found := found + n;
      walked := walked + block - last + CASE WHEN walked = 0 THEN (top % {BLOCK_IDS} + 1)::float8 / {BLOCK_IDS}
                                            ELSE 1 END;
      block := last - 1;
    END LOOP;
    -- Enough blocks for the matches still wanted at the density found so far, a quarter more for the
    -- estimate's error (at most 16 times the blocks walked); none found yet: four times as many.
    span := CASE WHEN found = 0 THEN ceil(4 * walked)
                 ELSE greatest(1, least(ceil(1.25 * (wanted - found) * walked / found), ceil(16 * walked))) END;
  END LOOP;
  PERFORM set_config('enable_seqscan', seqscan, true), set_config('enable_indexscan', indexscan, true);
END
$fn$"""

PG_UP = [
    f"ALTER TABLE {PG_TABLE} ADD COLUMN title text NOT NULL DEFAULT ''",
    f"ALTER TABLE {PG_TABLE} ALTER COLUMN doc SET STORAGE MAIN",
    SYNC_FUNCTION,
    WALK_FUNCTION,
    f"UPDATE {PG_TABLE} AS x SET title = a.title FROM articles AS a WHERE a.id = x.article_id",
]

PG_DOWN = [
    "DROP FUNCTION ko_walk(text, integer)",
    schema.pg_sync_function(schema_writer.PG_DOC, "CREATE OR REPLACE"),
    f"ALTER TABLE {PG_TABLE} ALTER COLUMN doc SET STORAGE EXTENDED",
    f"ALTER TABLE {PG_TABLE} DROP COLUMN title",
]
