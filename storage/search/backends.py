"""The ranked search per dialect: only bound parameters reach SQL (the match expression included).

Filters are facet tokens (facets.py) inside the match expression, so the index itself intersects
them with the query words and only articles that pass are ever walked.

Ranking is bounded: BM25 (SQLite) or ts_rank (PostgreSQL) is computed for at most CANDIDATES matches,
the most recently archived ones (highest ids: both indexes can walk their matches in that order and
stop), then the best `limit` of those are returned, newest first on equal scores. A query with fewer
matches than that is ranked exactly; a very common word (정부 in half the archive) is ranked among its
newest CANDIDATES matches. Scoring every match instead costs time linear in the number of matches: at
a million articles a two-syllable word matching 300,000 of them took seconds on SQLite, where the
target is 50 ms (see bench/search.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, column, func, literal_column, select, table, text

from newsarchive.timewindow import KST
from storage.models import Article
from storage.search.facets import date_tokens, name_token
from storage.search.query import Query, to_fts5, to_tsquery
from storage.search.schema import FTS_TABLE, PG_TABLE

CANDIDATES = 2000

Found = tuple[Any, float]
"""A result row (the article columns search() shows) and its score, higher is better."""


@dataclass(frozen=True)
class Filters:
    source: str | None = None
    ministry: str | None = None  # official name
    since: date | None = None  # inclusive KST days
    until: date | None = None
    section: str | None = None

    def facets(self, conn: Connection) -> list[list[str]] | None:
        """Groups of facet tokens, one of each group required; None if no article can pass."""
        groups = [[name_token(kind, value)] for kind, value in
                  (("i", self.ministry), ("s", self.source), ("c", self.section)) if value]
        if self.since or self.until:
            oldest, newest = _archive_days(conn)
            first = self.since or oldest
            last = self.until or newest
            if first is None or last is None:  # no article has a publication date
                return None
            days = date_tokens(first, last, oldest, newest)
            if not days:
                return None
            groups.append(days)
        return groups


def _archive_days(conn: Connection) -> tuple[date | None, date | None]:
    """The KST days of the oldest and newest publication dates (two index lookups)."""
    oldest, newest = conn.execute(select(select(func.min(Article.published_at)).scalar_subquery(),
                                         select(func.max(Article.published_at)).scalar_subquery())).one()

    def day(value: datetime | str | None) -> date | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite returns a subquery's value as stored: naive UTC text
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return value.astimezone(KST).date()

    return day(oldest), day(newest)


_COLUMNS = (Article.id, Article.title, Article.source, Article.published_at, Article.ministries,
            Article.url, Article.section, Article.body)


def sqlite_search(conn: Connection, query: Query, facets: Sequence[Sequence[str]], limit: int) -> list[Found]:
    fts = table(FTS_TABLE, column("rowid"))
    # bm25 is smaller for better matches; title hits weigh four times body hits, facets nothing.
    bm25 = func.bm25(literal_column(FTS_TABLE), 4.0, 1.0, 0.0)
    match = text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=to_fts5(query, facets))
    found = conn.execute(select(fts.c.rowid, bm25).where(match)
                         .order_by(fts.c.rowid.desc()).limit(CANDIDATES)).all()
    if not found:
        return []
    score = {int(rowid): -float(bm) for rowid, bm in found}
    # Rank by score in Python, then read the articles table only for the best `limit` (and any tied
    # with the last of them, whose order the publication date decides): sorting all candidates in SQL
    # would read every candidate's row, body included.
    ranked = sorted(score, key=score.__getitem__, reverse=True)
    cutoff = score[ranked[min(limit, len(ranked)) - 1]]
    best = [i for i in ranked if score[i] >= cutoff]
    if len(best) > limit:
        dates = dict(conn.execute(select(Article.id, Article.published_at).where(Article.id.in_(best))).all())
        best = sorted(best, key=lambda i: _order(score[i], dates.get(i), i))[:limit]
    rows = conn.execute(select(*_COLUMNS).where(Article.id.in_(best))).all()
    return sorted(((row, score[row.id]) for row in rows), key=lambda f: _order(f[1], f[0].published_at, f[0].id))


def _order(score: float, published_at: datetime | None, article_id: int) -> tuple[float, bool, float, int]:
    """Best score first, then newest (undated last), then highest id."""
    return (-score, published_at is None, -(published_at.timestamp() if published_at else 0.0), -article_id)


def postgres_search(conn: Connection, query: Query, facets: Sequence[Sequence[str]],
                    limit: int) -> list[Found]:
    idx = table(PG_TABLE, column("article_id"), column("doc"))
    match = text("CAST(:ts_query AS tsquery)").bindparams(ts_query=to_tsquery(query, facets))
    # Ranked on the words alone: every candidate has the facets, and they carry no relevance.
    words = text("CAST(:ts_words AS tsquery)").bindparams(ts_words=to_tsquery(query))
    candidates = (select(idx.c.article_id.label("id"), idx.c.doc.label("doc"))
                  .where(idx.c.doc.op("@@")(match))
                  .order_by(idx.c.article_id.desc()).limit(CANDIDATES).cte("candidates"))
    # ts_rank normalisation 1 divides by 1 + log(document length), the closest built-in to BM25.
    score = func.ts_rank(candidates.c.doc, words, 1)
    rows = conn.execute(select(*_COLUMNS, score.label("score"))
                        .join_from(candidates, Article.__table__, Article.id == candidates.c.id)
                        .order_by(score.desc(), Article.published_at.desc().nulls_last(), Article.id.desc())
                        .limit(limit)).all()
    return [(row, float(row.score)) for row in rows]
