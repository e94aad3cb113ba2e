"""DDL of migration 0014 (PostgreSQL only; SQLite's index is unchanged): the index answers phrases.

1. `article_search.pairs`, a tsvector without positions of the pair tokens of the title and of the body
   (tokens.pairs: each token with the next, a Korean trigram within a run), made by `ko_pairs` in the
   trigger and by entries.pairs_text on the writer's own rows. A phrase of two tokens (a three-syllable
   word, "two words") is one such token, a longer one the AND of its pairs: the GIN index, now over
   (doc, pairs), finds (nearly) only the phrase's true matches, where the bigrams alone found every
   article holding them anywhere (27,000 of a million for a phrase that never occurs, each then read
   to check positions).
2. `ko_walk(keys, pairs, positions, exact, wanted)` (query.PgMatch says what each is): positions are read
   only for the rows the index returns, and only when the query has a phrase of three tokens or more.
   Its walk is that of migration 0013 (schema_rows.py).
"""

from __future__ import annotations

from storage.search import schema_rows, schema_writer
from storage.search.facets import BLOCK_IDS, FACET_MARK
from storage.search.schema import BODY, PG_TABLE

GIN = f"ix_{PG_TABLE}_doc"

PAIRS_FUNCTION = """CREATE FUNCTION ko_pairs(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT
           CASE WHEN length(a) = 2 AND length(b) = 2 AND substr(a, 2, 1) = substr(b, 1, 1)
                     AND a !~ '^[0-9a-z]' AND b !~ '^[0-9a-z]' THEN a || substr(b, 2, 1)
                ELSE a || ' ' || b END), '{}'))
  FROM (SELECT t AS a, lead(t) OVER (ORDER BY i) AS b
        FROM unnest(ko_tokens(doc)) WITH ORDINALITY AS u(t, i)) AS p
  WHERE b IS NOT NULL
$fn$"""

PG_PAIRS = "ko_pairs({r}.title) || ko_pairs(" + BODY + ")"
"""Row {r}'s pair tokens: of the title, and of the body (none across the two)."""

SYNC_FUNCTION = f"""CREATE OR REPLACE FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO {PG_TABLE}(article_id, title, doc, pairs)
  VALUES (NEW.id, NEW.title, {schema_writer.PG_DOC.format(r='NEW')}, {PG_PAIRS.format(r='NEW')})
  ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, doc = EXCLUDED.doc, pairs = EXCLUDED.pairs;
  RETURN NULL;
END
$fn$"""

FEW_BLOCKS = schema_rows.FEW_BLOCKS


def walk_function(verb: str = "CREATE", trust: str | None = None) -> str:
    """ko_walk as this migration creates it, or (migration 0016, schema_walk.py) asking for the rest of
    the archive at once as soon as the PL/pgSQL condition `trust` holds after a scan."""
    early = f"      EXIT WHEN {trust};\n" if trust else ""
    then = f"    IF {trust} THEN\n      span := block + 1;\n    END IF;\n" if trust else ""
    return (_WALK.replace("CREATE FUNCTION", verb + " FUNCTION", 1)
            .replace("{early}\n", early).replace("{trust}\n", then))


# As in schema_rows.WALK_FUNCTION; `cond` is the part of the WHERE that does not change from scan to scan.
_WALK = f"""CREATE FUNCTION ko_walk(keys text, pairs text, positions text, exact boolean, wanted integer)
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
  cond text := CASE WHEN pairs IS NULL THEN '' ELSE ' AND s.pairs @@ CAST($3 AS tsquery)' END
               || CASE WHEN positions IS NULL THEN '' ELSE ' AND ts_match_vq(s.doc, CAST($4 AS tsquery))' END;
  seqscan text := current_setting('enable_seqscan');
  indexscan text := current_setting('enable_indexscan');
BEGIN
  PERFORM set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true);
  WHILE block >= 0 AND found < wanted LOOP
    first := greatest(block - span + 1, 0);
    IF first = 0 AND block >= {FEW_BLOCKS} AND exact THEN
      RETURN QUERY EXECUTE 'SELECT s.article_id, s.title FROM {PG_TABLE} AS s WHERE '
                           || CASE WHEN keys IS NULL THEN 'true' ELSE 's.doc @@ CAST($1 AS tsquery)' END
                           || cond || ' AND s.article_id + 0 < $5 ORDER BY s.article_id DESC LIMIT $2'
        USING keys, wanted - found, pairs, positions, (block + 1) * {BLOCK_IDS};
      EXIT;
    END IF;
    WHILE block >= first AND found < wanted LOOP
      last := greatest(first, block - {FEW_BLOCKS} + 1);
      RETURN QUERY EXECUTE 'SELECT s.article_id, s.title FROM {PG_TABLE} AS s WHERE s.doc @@ CAST($1 AS tsquery)'
                           || cond || ' ORDER BY s.article_id DESC LIMIT $2'
        USING coalesce('(' || keys || ') & ', '') || '('
              || (SELECT string_agg(quote_literal('{FACET_MARK}n' || b), ' | ')
                  FROM generate_series(block, last, -1) AS b) || ')',
              wanted - found, pairs, positions;
      GET DIAGNOSTICS n = ROW_COUNT;
      found := found + n;
      walked := walked + block - last + CASE WHEN walked = 0 THEN (top % {BLOCK_IDS} + 1)::float8 / {BLOCK_IDS}
                                            ELSE 1 END;
      block := last - 1;
{{early}}
    END LOOP;
    span := CASE WHEN found = 0 THEN ceil(4 * walked)
                 ELSE greatest(1, least(ceil(1.25 * (wanted - found) * walked / found), ceil(16 * walked))) END;
{{trust}}
  END LOOP;
  PERFORM set_config('enable_seqscan', seqscan, true), set_config('enable_indexscan', indexscan, true);
END
$fn$"""

WALK_FUNCTION = walk_function()

PG_UP = [
    # a migration run before this one in the same transaction may have left the bump pending
    "SET CONSTRAINTS ALL IMMEDIATE",
    f"ALTER TABLE {PG_TABLE} ADD COLUMN pairs tsvector NOT NULL DEFAULT ''",
    PAIRS_FUNCTION,
    SYNC_FUNCTION,
    "DROP FUNCTION ko_walk(text, integer)",
    WALK_FUNCTION,
    f"DROP INDEX {GIN}",
    f"UPDATE {PG_TABLE} AS x SET pairs = {PG_PAIRS.format(r='a')} FROM articles AS a WHERE a.id = x.article_id",
    # the rows' change-counter bump is a pending trigger event until COMMIT, and CREATE INDEX refuses a
    # table that has one (storage/version_counter.py): bump now
    "SET CONSTRAINTS ALL IMMEDIATE",
    f"CREATE INDEX {GIN} ON {PG_TABLE} USING gin (doc, pairs)",
]

PG_DOWN = [
    "SET CONSTRAINTS ALL IMMEDIATE",
    f"DROP INDEX {GIN}",
    "DROP FUNCTION ko_walk(text, text, text, boolean, integer)",
    schema_rows.WALK_FUNCTION,
    schema_rows.SYNC_FUNCTION,
    f"ALTER TABLE {PG_TABLE} DROP COLUMN pairs",
    "DROP FUNCTION ko_pairs(text)",
    f"CREATE INDEX {GIN} ON {PG_TABLE} USING gin (doc)",
]
