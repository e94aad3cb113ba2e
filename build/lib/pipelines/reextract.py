"""Re-run extraction over the raw html kept in the archive, after the rules improved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pipelines.article import NotAnArticle
from pipelines.extract import extract
from storage import repository
from storage.db import session_factory, transaction
from storage.models import Article
from storage.repository import apply_record, iter_articles, raw_html

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


def reextract(
    url: str,
    source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> ReextractCounts:
    """Extract every matching stored article again from its raw html; one transaction per batch.

    A row whose fresh extraction differs is updated in place (same id, same canonical URL); a page
    that no longer extracts, or has no raw html, is counted as failed and left untouched."""
    counts = ReextractCounts()
    session = session_factory(url)()
    try:
        # iter_articles expunges its batch before loading the next one: commit exactly at its batch edge
        rows = iter_articles(session, source=source, since=since, until=until, batch=batch)
        for done, row in enumerate(rows, start=1):
            _reextract_row(row, counts)
            if progress:
                progress(1)
            if done % batch == 0:
                session.commit()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    return counts


def _reextract_row(row: Article, counts: ReextractCounts) -> None:
    html = raw_html(row)
    if html is None:
        counts.failed += 1
        counts.reasons["no raw html"] = counts.reasons.get("no raw html", 0) + 1
        return
    try:
        record = extract(
            html,
            row.url,
            source=row.source,
            encoding=row.raw.encoding if row.raw else None,
            fetched_at=row.fetched_at,
        )
    except NotAnArticle as exc:
        counts.failed += 1
        counts.reasons[exc.reason] = counts.reasons.get(exc.reason, 0) + 1
        return
    before = _snapshot(row)
    record.canonical_url = row.canonical_url  # the row's identity never moves
    apply_record(row, record)
    if _snapshot(row) == before:
        counts.unchanged += 1
    else:
        counts.changed += 1
