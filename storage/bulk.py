"""Writes of a batch of new articles as Core statements: one multi-row INSERT of the articles, their ids
read back by canonical URL, then one multi-row statement per dependent table. The crawl stores through
here; an ORM unit of work per article cost more than extracting the article did (bench/crawl.py).
Functions take a Session and never commit: callers own transactions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.article import Article as ArticleRecord
from storage.models import Article, ArticleMinistry, ArticleValidator, Duplicate, RawPage
from storage.repository import article_values, compress_html, utcnow


@dataclass(frozen=True)
class NewArticle:
    record: ArticleRecord
    html: bytes
    encoding: str | None
    etag: str | None = None
    last_modified: str | None = None
    listed_at: datetime | None = None  # what the listing said (kept for re-extraction)
    listed_ministries: tuple[str, ...] = ()


def originals_by_hash(session: Session, hashes: Collection[str]) -> dict[str, tuple[int, str]]:
    """content hash -> (id, canonical URL) of the archived article with that normalised body."""
    if not hashes:
        return {}
    rows = session.execute(select(Article.content_hash, Article.id, Article.canonical_url)
                           .where(Article.content_hash.in_(sorted(hashes))))
    return {row.content_hash: (row.id, row.canonical_url) for row in rows}


def add_articles(session: Session, new: Sequence[NewArticle], run_id: int | None) -> list[int]:
    """Insert the articles with their ministries, compressed raw html and HTTP validators; their ids, in
    order. The canonical URLs must be new (it is unique, and the ids are read back by it)."""
    if not new:
        return []
    connection = session.connection()
    values = [{**article_values(item.record), "run_id": run_id} for item in new]
    connection.execute(insert(Article), values)
    urls = [item.record.canonical_url for item in new]
    rows = connection.execute(select(Article.canonical_url, Article.id).where(Article.canonical_url.in_(urls)))
    found = {row.canonical_url: row.id for row in rows}
    ids = [found[url] for url in urls]
    raw, ministries, validators = [], [], []
    for article_id, item, row in zip(ids, new, values, strict=True):
        fetched = row["fetched_at"]
        raw.append({"article_id": article_id, "html_zlib": compress_html(item.html),
                    "encoding": item.encoding, "fetched_at": fetched, "listed_at": item.listed_at,
                    "listed_ministries": list(item.listed_ministries)})
        ministries += [{"article_id": article_id, "ministry": name}
                       for name in dict.fromkeys(item.record.ministries)]
        validators.append({"article_id": article_id, "etag": item.etag, "last_modified": item.last_modified,
                           "checked_at": fetched})
    connection.execute(insert(RawPage), raw)
    if ministries:
        connection.execute(insert(ArticleMinistry), ministries)
    connection.execute(insert(ArticleValidator), validators)
    return ids


def add_duplicates(session: Session, found: Sequence[tuple[ArticleRecord, int]], run_id: int | None) -> None:
    """Record pages whose body is archived under another URL: (the page's record, the original's id)."""
    if found:
        session.connection().execute(insert(Duplicate), [
            {"canonical_url": record.canonical_url, "url": record.url, "source": record.source,
             "article_id": original_id, "content_hash": record.content_hash,
             "found_at": record.fetched_at or utcnow(), "run_id": run_id}
            for record, original_id in found])

