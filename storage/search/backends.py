"""The ranked search per dialect: only bound parameters reach SQL (the match expression included).

Filters are facet tokens (filters.py, facets.py) inside the match expression, so the index itself
intersects them with the query words and only articles that pass are ever walked.

Ranking is bounded, by the newest CANDIDATES matches (highest ids: both indexes can walk their matches
in that order and stop): a query with fewer matches is ranked over all of them, a very common word
(정부 in half the archive) among its newest. Scoring every match instead costs time linear in the
number of matches: at a million articles a word matching 300,000 of them took seconds on SQLite, where
the target is 50 ms (see bench/search.py).

SQLite: of those candidates, the RERANK newest whose titles match, then the newest others, are scored
with BM25 from their text (ranking.py; FTS5's own bm25() counts every match of every phrase in the whole
index first, 90-180 ms for one longer word at a million articles). Reading a candidate's text is a
random page read, about 0.2 ms when the page is not cached, hence the smaller scored pool; a title
match outweighs several body matches in BM25, so putting them first keeps the best of the CANDIDATES
in it. PostgreSQL finds the candidates block by block of ids, newest first (_pg_walk), picks the pool the
same way, from the candidates' titles, and ranks it with ts_rank (reading every candidate's tsvector for
it took most of the time of a search).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, text

from storage.models import Article
from storage.search import ranking
from storage.search.query import PgMatch, Query, Term, fts5_term, to_fts5, to_pg_match, to_tsquery
from storage.search.schema import FTS_TABLE, PG_TABLE

CANDIDATES = 2000
RERANK = 100  # of those, how many are scored (at least `limit`)

Found = tuple[Any, float]
"""A result row (the article columns search() shows) and its score, higher is better."""


_COLUMNS = (Article.id, Article.title, Article.source, Article.published_at, Article.ministries,
            Article.url, Article.section, Article.body)


def sqlite_search(conn: Connection, query: Query, facets: Sequence[Sequence[str]], limit: int) -> list[Found]:
    expr = to_fts5(query, facets)
    ids = _walk(conn, expr)
    if not ids:
        return []
    pool = ids
    if len(ids) > max(RERANK, limit):
        # Title matches first: with the title weighing four times the body they lead BM25 as a rule.
        in_title = "(" + " OR ".join(fts5_term(term) for term in query.positive) + ")"
        pool = _pool(ids, set(_matches_from(conn, f"({expr}) AND {{title}} : {in_title}", ids[-1])), limit)
    # The driver directly, with one placeholder per id: building ORM-typed rows for every candidate
    # cost a third of the read.
    texts = {i: (title, f"{subtitle} {body}") for i, title, subtitle, body in conn.exec_driver_sql(
        f"SELECT id, title, subtitle, body FROM articles WHERE id IN ({', '.join('?' * len(pool))})", tuple(pool))}
    weights = _term_weights(conn, query) if len(query.positive) > 1 else {}
    return _best(conn, ranking.bm25(query, texts, weights), limit)


def _pool(ids: list[int], titled: set[int], limit: int) -> list[int]:
    """The candidates to score: the newest whose titles match, then the newest others."""
    return ([i for i in ids if i in titled] + [i for i in ids if i not in titled])[:max(RERANK, limit)]


def _best(conn: Connection, score: dict[int, float], limit: int) -> list[Found]:
    """The best `limit` scored articles, read in full (ties at the cut are decided by publication date,
    so only those need their dates read first)."""
    ranked = sorted(score, key=score.__getitem__, reverse=True)
    cutoff = score[ranked[min(limit, len(ranked)) - 1]]
    best = [i for i in ranked if score[i] >= cutoff]
    if len(best) > limit:
        dates = dict(conn.execute(select(Article.id, Article.published_at).where(Article.id.in_(best))).all())
        best = sorted(best, key=lambda i: _order(score[i], dates.get(i), i))[:limit]
    rows = conn.execute(select(*_COLUMNS).where(Article.id.in_(best))).all()
    return sorted(((row, score[row.id]) for row in rows), key=lambda f: _order(f[1], f[0].published_at, f[0].id))


def _walk(conn: Connection, expr: str) -> list[int]:
    """Ids of the newest CANDIDATES matches of an FTS5 expression, newest first."""
    return list(conn.execute(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expr"
                                  f" ORDER BY rowid DESC LIMIT {CANDIDATES}"), {"expr": expr}).scalars())


def _matches_from(conn: Connection, expr: str, floor: int) -> list[int]:
    """Ids of the matches at or above `floor`. Walked upwards on purpose: walking down, FTS5 checks the
    bound only at each match, so with no match left above the floor it would search the rest of the
    index for one (40 ms for a title phrase at a million articles, against 2 ms this way)."""
    return list(conn.execute(text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :expr AND rowid >= :floor"
                                  f" ORDER BY rowid LIMIT {CANDIDATES}"), {"expr": expr, "floor": floor}).scalars())


# Document frequencies are estimated from the newest matches of each term: the density of its newest
# DF_SAMPLE matches (or of all its matches among the newest DF_WINDOW articles) times the archive size.
# That is a few milliseconds per term where counting every match, as FTS5's bm25() does, takes up to
# 180 ms at a million articles.
DF_SAMPLE = 200
DF_WINDOW = 100_000


def _term_weights(conn: Connection, query: Query) -> dict[Term, float]:
    """Each positive term's IDF, from its estimated document frequency. The highest article id stands
    for the archive size: ids are assigned in order and articles are rarely deleted."""
    sample = text(f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :t"
                  f" AND rowid > :floor ORDER BY rowid DESC LIMIT {DF_SAMPLE})")
    size = int(conn.scalar(select(func.max(Article.id))) or 0)
    weights: dict[Term, float] = {}
    for term in dict.fromkeys(query.positive):
        count, oldest = conn.execute(sample, {"t": fts5_term(term), "floor": size - DF_WINDOW}).one()
        span = size - oldest + 1 if count >= DF_SAMPLE else min(DF_WINDOW, size)
        weights[term] = ranking.idf(count / max(span, 1) * size, size)
    return weights


def _order(score: float, published_at: datetime | None, article_id: int) -> tuple[float, bool, float, int]:
    """Best score first, then newest (undated last), then highest id."""
    return (-score, published_at is None, -(published_at.timestamp() if published_at else 0.0), -article_id)


def postgres_search(conn: Connection, query: Query, facets: Sequence[Sequence[str]],
                    limit: int) -> list[Found]:
    rows = _pg_walk(conn, to_pg_match(query, facets))
    if not rows:
        return []
    pool = [i for i, _ in rows]
    if len(rows) > max(RERANK, limit):
        mentions = ranking.mention_test(query)
        pool = _pool(pool, {i for i, title in rows if mentions(title)}, limit)
    # Ranked on the words alone: every candidate has the facets, and they carry no relevance.
    # ts_rank normalisation 1 divides by 1 + log(document length), the closest built-in to BM25.
    # One array parameter, not an IN list of placeholders to render and parse.
    score = conn.exec_driver_sql(f"SELECT article_id, ts_rank(doc, CAST(%s AS tsquery), 1) FROM {PG_TABLE}"
                                 " WHERE article_id = ANY(%s)", (to_tsquery(query), pool)).fetchall()
    return _best(conn, {int(i): float(s) for i, s in score}, limit)


def _pg_walk(conn: Connection, match: PgMatch) -> list[tuple[int, str]]:
    """Ids and titles of the newest CANDIDATES matches, newest first (ko_walk, migrations 0013 and 0014;
    query.PgMatch says what the index is asked and what is checked). The GIN index is asked for the
    matches in the newest id block, then in as many blocks before it as the matches found so far say
    will hold the rest (facets.BLOCK_IDS), until there are enough, or, once the matches seen say the
    blocks left hold few, the rest at once (migration 0016): only matches among the newest articles are
    read from the table, and where positions are checked, that is most of the cost, so
    asking for just enough blocks keeps it near CANDIDATES.
    Asked for every match at once, the index read each of them before sorting: time linear in the
    archive's matches (bench/search.py)."""
    rows = conn.exec_driver_sql("SELECT article_id, title FROM ko_walk(%s, %s, %s, %s, %s)",
                                (match.index, match.pairs, match.check, match.exact, CANDIDATES)).fetchall()
    return [(i, title) for i, title in rows]
