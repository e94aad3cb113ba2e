"""Re-run extraction over the raw html kept in the archive, after the rules improved.

What the crawl knew beyond the page is kept: the listing's time and ministries, from raw_pages (rows
stored before migration 0006 have none; the stored date and ministries stand in for the listing). Every
derived row follows a changed article: ministry links, the search index (its triggers), the near-duplicate
fingerprint (bands keyed by day, signature) and the story cluster. Each batch is read, extracted outside
any transaction, then written in one write_transaction, so a crawl may store beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.article import Article as ArticleRecord
from core.article import NotAnArticle
from pipelines import minhash, neardup
from pipelines.extract import extract
from pipelines.extract_stage import apply_listing
from storage import repository
from storage.db import transaction, write_transaction
from storage.models import Article
from storage.repository import apply_record, article_filters, raw_html

_COMPARED = (
    "title",
    "subtitle",
    "body",
    "published_at",
    "modified_at",
    "authors",
    "section",
    "images",
    "language",
    "ministries",
    "attachments",
    "content_hash",
)


@dataclass
class ReextractCounts:
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.changed + self.unchanged + self.failed

    def fail(self, reason: str) -> None:
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def _snapshot(row: Article) -> tuple[object, ...]:
    values = []
    for key in _COMPARED:
        value = getattr(row, key)
        # stored datetimes come back in UTC, fresh ones are +09:00: compare instants
        values.append(value.astimezone(UTC) if isinstance(value, datetime) else value)
    return tuple(values)


def count_articles(
    url: str, source: str | None = None, since: datetime | None = None, until: datetime | None = None
) -> int:
    with transaction(url) as session:
        return repository.count_articles(session, source, since, until)


@dataclass(frozen=True)
class _Fresh:
    """One row's new extraction (or why there is none), and the raw page version it came from."""

    article_id: int
    raw_fetched_at: datetime | None
    record: ArticleRecord | None = None
    failure: str = ""


def reextract(
    url: str,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    batch: int = 100,
    progress: Callable[[int], None] | None = None,
) -> ReextractCounts:
    """Extract every matching stored article again from its raw html; one write transaction per batch.

    A row whose fresh extraction differs is updated in place (same id, same canonical URL); a page
    that no longer extracts, has no raw html, or whose new body is archived as another article is
    counted as failed and left untouched."""
    counts = ReextractCounts()
    last_id = 0
    while True:
        with transaction(url) as session:
            rows = _rows(session, last_id, batch, source, since, until)
        if not rows:
            return counts
        fresh = [_extract(row) for row in rows]  # outside any transaction: the crawl's writers go on
        with write_transaction(url) as session:
            for item in fresh:
                _apply(session, item, counts)
        last_id = rows[-1].id
        if progress:
            progress(len(rows))


def _rows(session: Session, after: int, limit: int, source: str | None, since: datetime | None,
          until: datetime | None) -> list[Article]:
    query = (select(Article).where(Article.id > after, *article_filters(source, since, until))
             .options(selectinload(Article.raw)).order_by(Article.id).limit(limit))
    return list(session.scalars(query))


def _extract(row: Article) -> _Fresh:
    raw = row.raw
    html = raw_html(row)
    if raw is None or html is None:
        return _Fresh(row.id, None, failure="no raw html")
    try:
        record = extract(html, row.url, source=row.source, encoding=raw.encoding, fetched_at=row.fetched_at)
    except NotAnArticle as exc:
        return _Fresh(row.id, raw.fetched_at, failure=exc.reason)
    if raw.listed_ministries is None:  # stored before raw_pages kept the listing: the row stands in for it
        apply_listing(record, row.published_at, list(row.ministries))
    else:
        apply_listing(record, raw.listed_at, list(raw.listed_ministries))
    return _Fresh(row.id, raw.fetched_at, record)


def _apply(session: Session, fresh: _Fresh, counts: ReextractCounts) -> None:
    """Write one fresh extraction, under the writer lock; the row is read again, since a revisit may have
    changed it after the batch was read (it is then extracted again here)."""
    row = session.get(Article, fresh.article_id, options=[selectinload(Article.raw),
                                                          selectinload(Article.ministry_links)])
    if row is None:  # deleted meanwhile
        return
    if row.raw is not None and row.raw.fetched_at != fresh.raw_fetched_at:
        fresh = _extract(row)
    if fresh.record is None:
        counts.fail(fresh.failure)
        return
    record = fresh.record
    record.canonical_url = row.canonical_url  # the row's identity never moves
    if record.content_hash != row.content_hash:
        other = repository.article_by_hash(session, record.content_hash)
        if other is not None:
            counts.fail(f"same body as article {other.id}")
            return
    before = _snapshot(row)
    old_body, old_day = row.body, minhash.day_number(row.published_at)
    apply_record(row, record)
    if _snapshot(row) == before:
        counts.unchanged += 1
        return
    counts.changed += 1
    session.flush()
    _refresh_fingerprint(session, row, old_body, old_day)


def _refresh_fingerprint(session: Session, row: Article, old_body: str, old_day: int) -> None:
    if row.body != old_body:
        neardup.reassign(session, row.id, row.body, row.published_at)
    elif minhash.day_number(row.published_at) != old_day:  # bands are keyed by publication day
        neardup.fingerprint(session, row.id, row.body, row.published_at, replace=True)
