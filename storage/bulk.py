"""Writes of a batch of new articles as Core statements: one multi-row INSERT … RETURNING of the articles,
then one multi-row statement per dependent table. The crawl stores through here; an ORM unit of work per
article cost more than extracting the article did (bench/crawl.py). Functions take a Session and never
commit: callers own transactions.

What needs no database is done before the writer lock is taken (`prepare`): the raw page's compression
and the article's search index entry (storage/search/entries.py). The crawl's extraction workers make
them with the article (pipelines.extract_stage.judge), so that inside the lock only the decisions and the
inserts remain (bench/ingest.py measures the hold). On PostgreSQL the rows that are an article's own are
written before the lock too, under ids drawn then (`reserve`; pipelines.store.reserve adds the
fingerprints), leaving to the lock the decisions, the articles and the clusters."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from core.article import Article as ArticleRecord
from storage import bulk_pg
from storage.models import Article, ArticleMinistry, ArticleValidator, Duplicate, RawPage
from storage.repository import article_values, compress_html, utcnow
from storage.search import entries


@dataclass(frozen=True)
class NewArticle:
    """An article ready to insert: its raw page compressed, its search index entry made."""

    record: ArticleRecord
    html_zlib: bytes
    encoding: str | None
    search: entries.Entry
    etag: str | None = None
    last_modified: str | None = None
    listed_at: datetime | None = None  # what the listing said (kept for re-extraction)
    listed_ministries: tuple[str, ...] = ()


def prepare(dialect: str, record: ArticleRecord, html: bytes, encoding: str | None, etag: str | None = None,
            last_modified: str | None = None, listed_at: datetime | None = None,
            listed_ministries: Sequence[str] = ()) -> NewArticle:
    """CPU only, no database: done before the writer lock. `dialect`: the archive's (sqlite, postgresql)."""
    search = entries.entry(dialect, record.title, record.subtitle, record.body, record.source, record.section,
                           record.ministries, record.published_at)
    return NewArticle(record, compress_html(html), encoding, search, etag, last_modified, listed_at,
                      tuple(listed_ministries))


def originals_by_hash(session: Session, hashes: Collection[str]) -> dict[str, tuple[int, str]]:
    """content hash -> (id, canonical URL) of the archived article with that normalised body."""
    if not hashes:
        return {}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        found = bulk_pg.originals(connection, hashes)
    else:
        query = select(Article.content_hash, Article.id, Article.canonical_url).where(
            Article.content_hash.in_(sorted(hashes)))
        found = [(row.content_hash, row.id, row.canonical_url) for row in connection.execute(query)]
    return {content_hash: (article_id, url) for content_hash, article_id, url in found}


def add_articles(session: Session, new: Sequence[NewArticle], run_id: int | None,
                 reserved: Sequence[Reserved] | None = None) -> list[int]:
    """Insert the articles with their search index entries, ministries, compressed raw html and HTTP
    validators; their ids, in order. PostgreSQL: `reserved`, what `reserve` drew for them (it wrote all
    but the articles)."""
    if not new:
        return []
    connection = session.connection()
    values = [{**article_values(item.record), "run_id": run_id} for item in new]
    for row, (_, fetched) in zip(values, reserved or (), strict=False):
        row["fetched_at"] = fetched
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        entries.skip_trigger(connection, True)
    else:
        entries.prime([item.search for item in new])
    try:
        ids = (bulk_pg.insert_articles(connection, values, None if reserved is None else [i for i, _ in reserved])
               if postgres else
               list(connection.scalars(insert(Article).returning(Article.id, sort_by_parameter_order=True), values)))
    finally:
        if not postgres:
            entries.forget()
    if postgres:
        if reserved is None:
            entries.insert_pg(connection, [(article_id, item.search)
                                           for article_id, item in zip(ids, new, strict=True)])
        entries.skip_trigger(connection, False)
    if reserved is None:
        _add_own_rows(connection, [(article_id, item, row["fetched_at"])
                                   for article_id, item, row in zip(ids, new, values, strict=True)])
    return ids


class Reserved(NamedTuple):
    """An article id drawn before the writer lock, and the fetch time its rows were written with."""

    id: int
    fetched_at: datetime


def reserve(session: Session, new: Sequence[NewArticle]) -> list[Reserved]:
    """PostgreSQL, before the writer lock: draw an article id for each article, in order, and write under
    it the rows that are the article's own and that no writer reads to decide anything: the search index
    row (the tsvectors with their TOAST and GIN entries: the costliest of a new article), the raw page,
    ministries and validators (the fingerprints: pipelines.store.reserve). add_articles is then given these
    (`reserved`) for the articles stored, and `release` deletes the rows of the others in every table of
    schema_deferred.TABLES; the foreign keys are checked at COMMIT.

    The ids are drawn before the lock, so two writers' ids need not follow the order in which they store:
    an article may be stored after another with a larger id (pipelines.neardup.assign_all allows for it)."""
    connection = session.connection()
    ids = bulk_pg.draw_ids(connection, len(new))
    fetched = [item.record.fetched_at or utcnow() for item in new]
    entries.insert_pg(connection, list(zip(ids, (item.search for item in new), strict=True)))
    _add_own_rows(connection, list(zip(ids, new, fetched, strict=True)))
    return [Reserved(*drawn) for drawn in zip(ids, fetched, strict=True)]


def release(session: Session, reserved: Sequence[Reserved]) -> None:
    """Delete the rows written under ids that no article took (an archived URL, a duplicate, a batch
    stored again article by article)."""
    bulk_pg.release(session.connection(), [drawn.id for drawn in reserved])


def _add_own_rows(connection: Connection, rows: Sequence[tuple[int, NewArticle, datetime]]) -> None:
    """Raw pages, ministries and validators of these (article id, article, fetch time)."""
    raw: list[dict[str, Any]] = []
    ministries: list[dict[str, Any]] = []
    validators: list[dict[str, Any]] = []
    for article_id, item, fetched in rows:
        raw.append({"article_id": article_id, "html_zlib": item.html_zlib,
                    "encoding": item.encoding, "fetched_at": fetched, "listed_at": item.listed_at,
                    "listed_ministries": list(item.listed_ministries)})
        ministries += [{"article_id": article_id, "ministry": name}
                       for name in dict.fromkeys(item.record.ministries)]
        validators.append({"article_id": article_id, "etag": item.etag, "last_modified": item.last_modified,
                           "checked_at": fetched})
    connection.execute(insert(RawPage), raw)
    if connection.dialect.name == "postgresql":
        bulk_pg.insert_ministries(connection, [(m["article_id"], m["ministry"]) for m in ministries])
        bulk_pg.insert_validators(connection, [(v["article_id"], v["etag"], v["last_modified"], v["checked_at"])
                                               for v in validators])
        return
    if ministries:
        connection.execute(insert(ArticleMinistry), ministries)
    connection.execute(insert(ArticleValidator), validators)


def add_duplicates(session: Session, found: Sequence[tuple[ArticleRecord, int]], run_id: int | None) -> None:
    """Record pages whose body is archived under another URL: (the page's record, the original's id)."""
    if found:
        session.connection().execute(insert(Duplicate), [
            {"canonical_url": record.canonical_url, "url": record.url, "source": record.source,
             "article_id": original_id, "content_hash": record.content_hash,
             "found_at": record.fetched_at or utcnow(), "run_id": run_id}
            for record, original_id in found])

