"""An article's search index entry computed in Python, before the writer lock is taken.

The triggers of schema.py and schema_facets.py keep the index by themselves, and stay the one source of
truth for every write; but tokenising an article inside them runs while its writer holds the archive's
writer lock, which serialises every writer (storage.db.write_transaction). The crawl's store path
(storage/bulk.py) computes the entry first, outside the lock, and then:

- SQLite: the trigger calls ko_bigrams on the same texts; `prime` leaves their bigram forms in a small
  memo that ko_bigrams answers from (storage.db registers `cached_bigram_text`), so the trigger writes
  exactly what it would have computed.
- PostgreSQL: the trigger is told to stand aside for the statement (migration 0011: its WHEN reads the
  setting CLIENT_ROWS) and `insert_pg` writes the rows. Each part is the very text that ko_tsvector
  builds and casts (`'token':position ...`), and the facets those of ko_facets, so the tsvector is the
  one the trigger would have made (tests/test_search_entries.py compares them).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from storage.pg_arrays import int_array, text_array
from storage.search.facets import BLOCK_IDS, FACET_MARK, facet_tokens
from storage.search.schema import PG_TABLE
from storage.search.tokens import bigram_text, pairs, tokens

CLIENT_ROWS = "newsarchive.search_rows"
BLOCK = "array_to_tsvector(ARRAY['" + FACET_MARK + "n' || ({r}.id / " + str(BLOCK_IDS) + ")])"
"""The token of row {r}'s id block (facets.BLOCK_IDS; migration 0011)."""
"""PostgreSQL setting: 'client' while the writer inserts the index rows itself (the trigger then skips)."""

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position; ko_tsvector clamps to it too


@dataclass(frozen=True)
class Entry:
    """The index texts of one article in the form its database takes them: SQLite the bigram texts of
    the title and of subtitle + body (ko_bigrams' input -> output), PostgreSQL their tsvector
    literals; the facet tokens joined by spaces; and (PostgreSQL) the tsvector literal of the pair
    tokens of title and body (ko_pairs, migration 0014), else ''."""

    title: tuple[str, str]
    body: tuple[str, str]
    facets: str
    pairs: str = ""


def body_text(subtitle: str | None, body: str) -> str:
    """What both indexes take as an article's body (schema.BODY)."""
    return f"{subtitle or ''} {body}"


def _tsvector_text(toks: list[str]) -> str:
    return " ".join(f"'{token}':{min(at, MAX_POSITION)}" for at, token in enumerate(toks, 1))


def _pairs_text(*texts: list[str]) -> str:
    found = dict.fromkeys(p for toks in texts for p in pairs(toks))
    return " ".join(f"'{p}'" for p in found)


def pairs_text(*sources: str) -> str:
    """The tsvector literal (no positions) of the pair tokens of each text: what ko_pairs gives."""
    return _pairs_text(*(tokens(source) for source in sources))


def entry(dialect: str, title: str, subtitle: str | None, body: str, source: str | None, section: str | None,
          ministries: Sequence[str], published_at: datetime | None) -> Entry:
    """The article's entry for a database of this dialect (sqlite or postgresql)."""
    whole = body_text(subtitle, body)
    # ko_facets reads the stored JSON list: only its strings count (facets.facet_text)
    names = [name for name in ministries if isinstance(name, str)]
    facets = " ".join(facet_tokens(source, section, names, published_at))
    if dialect != "postgresql":
        return Entry((title, bigram_text(title)), (whole, bigram_text(whole)), facets)
    in_title, in_body = tokens(title), tokens(whole)
    return Entry((title, _tsvector_text(in_title)), (whole, _tsvector_text(in_body)), facets,
                 _pairs_text(in_title, in_body))


# --- SQLite: the trigger's ko_bigrams, answered from what was computed before the lock ------------

MEMO_SIZE = 1024
_memo: OrderedDict[str, str] = OrderedDict()


def prime(entries: Sequence[Entry]) -> None:
    """Remember the bigram texts of these entries (SQLite) for the inserts that follow."""
    for made in entries:
        for source, bigrams in (made.title, made.body):
            _memo[source] = bigrams
            _memo.move_to_end(source)
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)


def forget() -> None:
    _memo.clear()


def cached_bigram_text(source: str | None) -> str:
    """SQL function ko_bigrams: the memo's answer when the text was primed, else computed."""
    if source is not None:
        known = _memo.get(source)
        if known is not None:
            return known
    return bigram_text(source)


# --- PostgreSQL: the rows written by the client -----------------------------------------------------

PG_DOC = ("setweight(CAST({r}.title AS tsvector), 'A') || CAST({r}.body AS tsvector)"
          " || array_to_tsvector(string_to_array({r}.facets, ' ')) || " + BLOCK)
"""Row {r}'s tsvector from an entry's parts: title, body (tsvector literals), facets and its id."""

PG_PAIRS = "CAST({r}.pairs AS tsvector)"
"""Row {r}'s pair tokens (migration 0014) from the entry's literal."""

_PG_INSERT = text(f"""INSERT INTO {PG_TABLE}(article_id, title, doc, pairs)
SELECT id, heading, {PG_DOC.format(r="e")}, {PG_PAIRS.format(r="e")}
FROM unnest(CAST(:ids AS integer[]), CAST(:headings AS text[]), CAST(:titles AS text[]),
            CAST(:bodies AS text[]), CAST(:facets AS text[]), CAST(:pairs AS text[]))
     AS e(id, heading, title, body, facets, pairs)
ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, doc = EXCLUDED.doc, pairs = EXCLUDED.pairs""")


def skip_trigger(conn: Connection, skip: bool) -> None:
    """PostgreSQL: make the index trigger stand aside (or not) for what this transaction writes next;
    the setting is the transaction's, and a rolled-back savepoint takes it back."""
    conn.execute(text("SELECT set_config(:name, :value, true)"),
                 {"name": CLIENT_ROWS, "value": "client" if skip else ""})


def insert_pg(conn: Connection, rows: Sequence[tuple[int, Entry]]) -> None:
    """The index rows of articles just inserted with the trigger standing aside."""
    if rows:
        params: dict[str, Any] = {"ids": int_array(i for i, _ in rows),
                                  "headings": text_array(e.title[0] for _, e in rows),
                                  "titles": text_array(e.title[1] for _, e in rows),
                                  "bodies": text_array(e.body[1] for _, e in rows),
                                  "facets": text_array(e.facets for _, e in rows),
                                  "pairs": text_array(e.pairs for _, e in rows)}
        conn.execute(_PG_INSERT, params)

