"""DDL of the search index with filter facets (migration 0004; schema.py holds the index of 0002).

The index rows gain the facet tokens of facets.py: SQLite in a third FTS5 column `facets`, PostgreSQL
in the same tsvector as the text (lexemes without positions). The database still keeps the index in
step by itself, now also when an article's source, section, ministries or publication time change.
`articles.ministries` (the JSON list written together with the article_ministries rows, in the same
INSERT as the article) is the trigger's source, so the facets are known when the article row is.
"""

from __future__ import annotations

from storage.search import schema
from storage.search.facets import FACET_MARK
from storage.search.schema import FTS_TABLE, PG_TABLE

_VALUES = ("{r}.id, ko_bigrams({r}.title), ko_bigrams(" + schema.BODY + "), "
           "ko_facets({r}.source, {r}.section, {r}.ministries, {r}.published_at)")
_COLUMNS = f"{FTS_TABLE}(rowid, title, body, facets)"
_DELETE = f"{FTS_TABLE}({FTS_TABLE}, rowid, title, body, facets)"
_WATCHED = "id, title, subtitle, body, source, section, ministries, published_at"

SQLITE_UP = [
    # tokenize='ascii': the text is already tokens separated by spaces; 'ascii' keeps every non-ASCII
    # character (Hangul, the facet mark) as part of a token and is the cheapest tokenizer.
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, facets, content='', tokenize='ascii')",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
  INSERT INTO {_COLUMNS} VALUES ({_VALUES.format(r='new')});
END""",
    # A contentless table deletes by being given the exact tokens it indexed.
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
  INSERT INTO {_DELETE} VALUES ('delete', {_VALUES.format(r='old')});
END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF {_WATCHED} ON articles BEGIN
  INSERT INTO {_DELETE} VALUES ('delete', {_VALUES.format(r='old')});
  INSERT INTO {_COLUMNS} VALUES ({_VALUES.format(r='new')});
END""",
    f"INSERT INTO {_COLUMNS} SELECT {_VALUES.format(r='articles')} FROM articles",
    # One b-tree per term instead of the dozens a backfill leaves: fewer seeks per query term.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')",
]

SQLITE_DOWN = schema.SQLITE_DOWN  # the table and its three triggers go the same way, whatever the columns

PG_DOC = (schema.PG_DOC
           + " || array_to_tsvector(ko_facets({r}.source, {r}.section, {r}.ministries, {r}.published_at))")

PG_SYNC_TRIGGER = f"""CREATE TRIGGER {PG_TABLE}_sync
  AFTER INSERT OR UPDATE OF title, subtitle, body, source, section, ministries, published_at ON articles
  FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_sync()"""

PG_UP = [
    # The twin of facets.facet_tokens; published_at is timestamptz, shifted to the KST calendar day.
    f"""CREATE FUNCTION ko_facets(source text, section text, ministries json, published_at timestamptz)
RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
  SELECT coalesce((SELECT array_agg('{FACET_MARK}i' || encode(convert_to(m, 'UTF8'), 'hex') ORDER BY o)
                   FROM (SELECT m, min(o) AS o
                         FROM json_array_elements_text(CASE WHEN json_typeof(ministries) = 'array'
                                                            THEN ministries ELSE '[]' END)
                              WITH ORDINALITY AS e(m, o)
                         WHERE m <> '' GROUP BY m) AS named), '{{}}')
      || CASE WHEN coalesce(source, '') = '' THEN '{{}}'::text[]
              ELSE ARRAY['{FACET_MARK}s' || encode(convert_to(source, 'UTF8'), 'hex')] END
      || CASE WHEN coalesce(section, '') = '' THEN '{{}}'::text[]
              ELSE ARRAY['{FACET_MARK}c' || encode(convert_to(section, 'UTF8'), 'hex')] END
      || CASE WHEN published_at IS NULL THEN '{{}}'::text[]
              ELSE ARRAY['{FACET_MARK}y' || to_char(d, 'YYYY'), '{FACET_MARK}m' || to_char(d, 'YYYYMM'),
                         '{FACET_MARK}d' || to_char(d, 'YYYYMMDD')] END
  FROM (SELECT (published_at AT TIME ZONE 'UTC') + interval '9 hours' AS d) AS kst
$fn$""",
    schema.pg_sync_function(PG_DOC, "CREATE OR REPLACE"),
    f"DROP TRIGGER {PG_TABLE}_sync ON articles",
    PG_SYNC_TRIGGER,
    f"UPDATE {PG_TABLE} SET doc = {PG_DOC.format(r='a')} FROM articles AS a WHERE a.id = {PG_TABLE}.article_id",
]

PG_DOWN = [
    f"DROP TRIGGER {PG_TABLE}_sync ON articles",
    f"DROP FUNCTION {PG_TABLE}_sync()",
    schema.PG_SYNC_FUNCTION,
    schema.PG_SYNC_TRIGGER,
    f"UPDATE {PG_TABLE} SET doc = {schema.PG_DOC.format(r='a')} FROM articles AS a WHERE a.id = {PG_TABLE}.article_id",
    "DROP FUNCTION ko_facets(text, text, json, timestamptz)",
]
