"""The ranked query per dialect: only bound parameters reach SQL (the match expression included).

Ranking is bounded: BM25 (SQLite) or ts_rank (PostgreSQL) is computed for at most CANDIDATES matches,
the most recently archived ones that pass the filters (highest ids: both indexes can walk their matches
in that order and stop), then the best `limit` of those are returned, newest first on equal scores.
A query with fewer matches than that is ranked exactly; a very common word (정부 in half the archive)
is ranked among its newest CANDIDATES matches. Scoring every match instead costs time linear in the
number of matches: at a million articles a two-syllable word matching 300,000 of them took
seconds on SQLite, where the target is 50 ms (see bench/search.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, column, exists, func, literal_column, select, table, text
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Article, ArticleMinistry
from storage.repository import article_filters
from storage.search.query import Query, to_fts5, to_tsquery
from storage.search.schema import FTS_TABLE, PG_TABLE

CANDIDATES = 2000


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    ministry: str | None = None  # official name
    start: datetime | None = None
    end: datetime | None = None
    section: str | None = None

    def on_article(self) -> list[ColumnElement[bool]]:
        where = article_filters(self.source, self.start, self.end)
        if self.section:
            where.append(Article.section == self.section)
        return where

    def on_id(self, article_id: ColumnElement[Any],
              probe: ColumnElement[Any] | None = None) -> list[ColumnElement[bool]]:
        """Conditions on a matched article id, cheapest first (`probe`: the id as the IN test sees it)."""
        where: list[ColumnElement[bool]] = []
        if self.ministry:
            where.append((probe if probe is not None else article_id).in_(select(ArticleMinistry.article_id)
                                        .where(ArticleMinistry.ministry == self.ministry)))
        on_article = self.on_article()
        if on_article:
            where.append(exists().where(Article.id == article_id, *on_article))
        return where


_COLUMNS = (Article.id, Article.title, Article.source, Article.published_at, Article.ministries,
            Article.url, Article.section, Article.body)


# `+rowid IN (...)`: a plain `rowid IN` is handed to FTS5 as `rowid = ?` once per listed id, and FTS5
# re-evaluates the whole MATCH for each (27 s for 정부 + --ministry at a million articles); the unary
# plus makes it a cheap probe while FTS5 walks its matches.
_NOT_INDEXED_ROWID: ColumnElement[Any] = literal_column(f"+{FTS_TABLE}.rowid")


def sqlite_select(query: Query, filters: Filters, limit: int) -> Select[Any]:
    fts = table(FTS_TABLE, column("rowid"))
    # bm25 is smaller for better matches; title hits weigh four times body hits.
    bm25 = func.bm25(literal_column(FTS_TABLE), 4.0, 1.0)
    match = text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=to_fts5(query))
    candidates = (select(fts.c.rowid.label("id"), bm25.label("bm25"))
                  .where(match, *filters.on_id(fts.c.rowid, _NOT_INDEXED_ROWID))
                  .order_by(fts.c.rowid.desc()).limit(CANDIDATES).cte("candidates"))
    return (select(*_COLUMNS, (-candidates.c.bm25).label("score"))
            .join_from(candidates, Article.__table__, Article.id == candidates.c.id)
            .order_by(candidates.c.bm25, Article.published_at.desc(), Article.id.desc())
            .limit(limit))


def postgres_select(query: Query, filters: Filters, limit: int) -> Select[Any]:
    idx = table(PG_TABLE, column("article_id"), column("doc"))
    tsq = text("CAST(:ts_query AS tsquery)").bindparams(ts_query=to_tsquery(query))
    candidates = (select(idx.c.article_id.label("id"), idx.c.doc.label("doc"))
                  .where(idx.c.doc.op("@@")(tsq), *filters.on_id(idx.c.article_id))
                  .order_by(idx.c.article_id.desc()).limit(CANDIDATES).cte("candidates"))
    # ts_rank normalisation 1 divides by 1 + log(document length), the closest built-in to BM25.
    score = func.ts_rank(candidates.c.doc, tsq, 1)
    return (select(*_COLUMNS, score.label("score"))
            .join_from(candidates, Article.__table__, Article.id == candidates.c.id)
            .order_by(score.desc(), Article.published_at.desc().nulls_last(), Article.id.desc())
            .limit(limit))
