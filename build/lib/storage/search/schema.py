"""DDL for the search index on each backend, used by migration 0002. The database keeps the index in
step with `articles` by itself: triggers on SQLite, a trigger plus ON DELETE CASCADE on PostgreSQL.

SQLite: a contentless FTS5 table whose text is the bigram form of title and subtitle+body, produced by
the SQL function `ko_bigrams` that storage.db registers on every connection (so writing articles from a
connection without it -- e.g. the sqlite3 shell -- fails instead of leaving the index stale).
PostgreSQL: `article_search(article_id, doc tsvector)` with a GIN index; the tsvector is built from the
same tokens by the PL/pgSQL function `ko_tokens` (positions, not the text parser, which does not know
Korean)."""

from __future__ import annotations

FTS_TABLE = "articles_fts"
PG_TABLE = "article_search"

# The FTS5 virtual table and its shadow tables, and the PostgreSQL table: created by migration 0002,
# not by the ORM, so the schema comparison (alembic check) must skip them.
SEARCH_TABLES = frozenset({FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in ("data", "idx", "docsize", "config",
                                                                    "content")), PG_TABLE})


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic `include_name` hook: False for the search index tables."""
    return not (type_ == "table" and name in SEARCH_TABLES)


BODY = "coalesce({r}.subtitle, '') || ' ' || {r}.body"  # what both indexes take as the body of row {r}

SQLITE_UP = [
    # tokenize='ascii': the text is already tokens separated by spaces; 'ascii' keeps every non-ASCII
    # character as part of a token and is the cheapest tokenizer.
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, content='', tokenize='ascii')",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
  INSERT INTO {FTS_TABLE}(rowid, title, body)
  VALUES (new.id, ko_bigrams(new.title), ko_bigrams({BODY.format(r='new')}));
END""",
    # A contentless table deletes by being given the exact tokens it indexed.
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
  VALUES ('delete', old.id, ko_bigrams(old.title), ko_bigrams({BODY.format(r='old')}));
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF id, title, subtitle, body ON articles BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body)
  VALUES ('delete', old.id, ko_bigrams(old.title), ko_bigrams({BODY.format(r='old')}));
  INSERT INTO {FTS_TABLE}(rowid, title, body)
  VALUES (new.id, ko_bigrams(new.title), ko_bigrams({BODY.format(r='new')}));
END""",
    f"""INSERT INTO {FTS_TABLE}(rowid, title, body)
  SELECT id, ko_bigrams(title), ko_bigrams({BODY.format(r='articles')}) FROM articles""",
]

SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

_CJK_PG = "가-힣぀-ヿ㐀-䶿一-鿿豈-﫿"  # the same ranges as tokens.CJK

PG_DOC = "setweight(ko_tsvector({r}.title), 'A') || ko_tsvector(" + BODY + ")"


def pg_sync_function(doc: str, create: str = "CREATE") -> str:
    """The trigger function that writes row NEW's index entry as `doc` (a template over {r})."""
    return f"""{create} FUNCTION {PG_TABLE}_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO {PG_TABLE}(article_id, doc) VALUES (NEW.id, {doc.format(r='NEW')})
  ON CONFLICT (article_id) DO UPDATE SET doc = EXCLUDED.doc;
  RETURN NULL;
END
$fn$"""


PG_SYNC_FUNCTION = pg_sync_function(PG_DOC)

PG_SYNC_TRIGGER = f"""CREATE TRIGGER {PG_TABLE}_sync AFTER INSERT OR UPDATE OF title, subtitle, body ON articles
  FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_sync()"""

PG_UP = [
    f"""CREATE FUNCTION ko_tokens(doc text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
  run text;
  n int;
  out text[] := '{{}}';
BEGIN
  FOR run IN SELECT m[1] FROM regexp_matches(lower(normalize(doc, NFKC)), '[{_CJK_PG}]+|[0-9a-z]+', 'g') AS m
  LOOP
    n := length(run);
    IF n = 1 OR run ~ '^[0-9a-z]' THEN
      out := out || run;
    ELSE
      FOR i IN 1 .. n - 1 LOOP
        out := out || substr(run, i, 2);
      END LOOP;
    END IF;
  END LOOP;
  RETURN out;
END
$fn$""",
    # Positions above 16383 are clamped by PostgreSQL: phrases deep inside very long bodies may miss.
    """CREATE FUNCTION ko_tsvector(doc text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT coalesce(string_agg(quote_literal(t) || ':' || least(i, 16383), ' ')::tsvector, ''::tsvector)
  FROM unnest(ko_tokens(doc)) WITH ORDINALITY AS u(t, i)
$fn$""",
    f"""CREATE TABLE {PG_TABLE} (
  article_id integer PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  doc tsvector NOT NULL
)""",
    f"CREATE INDEX ix_{PG_TABLE}_doc ON {PG_TABLE} USING gin (doc)",
    PG_SYNC_FUNCTION,
    PG_SYNC_TRIGGER,
    f"INSERT INTO {PG_TABLE}(article_id, doc) SELECT id, {PG_DOC.format(r='articles')} FROM articles",
]

PG_DOWN = [
    f"DROP TRIGGER IF EXISTS {PG_TABLE}_sync ON articles",
    f"DROP FUNCTION IF EXISTS {PG_TABLE}_sync()",
    f"DROP TABLE IF EXISTS {PG_TABLE}",
    "DROP FUNCTION IF EXISTS ko_tsvector(text)",
    "DROP FUNCTION IF EXISTS ko_tokens(text)",
]
