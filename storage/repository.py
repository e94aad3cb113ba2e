"""Queries over the archive. Functions take a Session and never commit: callers own transactions."""

from __future__ import annotations

import socket
import zlib
from collections.abc import Collection, Iterator
from copy import deepcopy
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select, union
from sqlalchemy.orm import Session

from core.article import Article as ArticleRecord
from core.article import Attachment, Image
from core.timewindow import KST
from storage.models import Article, ArticleMinistry, CrawlRun, CrawlRunPart, Duplicate, RawPage, RejectedPage

RUN_COUNTERS = ("listed", "fetched", "stored", "duplicates", "skipped", "failed")


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- articles -------------------------------------------------------------------------------------

KNOWN_CHUNK = 500  # URLs per statement: within every database's bound-parameter limit


def known_urls(connection: Connection | Session, urls: Collection[str],
               include_rejected: bool = True) -> set[str]:
    """Which of these canonical URLs the archive knows: stored as an article, recorded as a duplicate
    of one, or (with `include_rejected`) fetched before and rejected permanently: for what the page
    certainly is, not for a fetch error or a page that came incomplete (core.rejections).
    One statement per KNOWN_CHUNK URLs, so a whole listing is checked at once."""
    ordered = sorted(set(urls))
    found: set[str] = set()
    for start in range(0, len(ordered), KNOWN_CHUNK):
        chunk = ordered[start:start + KNOWN_CHUNK]
        parts = [select(Article.canonical_url).where(Article.canonical_url.in_(chunk)),
                 select(Duplicate.canonical_url).where(Duplicate.canonical_url.in_(chunk))]
        if include_rejected:
            parts.append(select(RejectedPage.url).where(RejectedPage.url.in_(chunk), RejectedPage.permanent))
        found.update(connection.scalars(union(*parts)))
    return found


def is_archived(session: Session, canonical_url: str) -> bool:
    """True when the URL is stored as an article or recorded as a duplicate of one."""
    return bool(known_urls(session, [canonical_url], include_rejected=False))


def article_by_hash(session: Session, content_hash: str) -> Article | None:
    return session.scalar(select(Article).where(Article.content_hash == content_hash))


def article_by_url(session: Session, canonical_url: str) -> Article | None:
    return session.scalar(select(Article).where(Article.canonical_url == canonical_url))


def add_article(session: Session, record: ArticleRecord, html: bytes, encoding: str | None,
                run_id: int | None = None, listed_at: datetime | None = None,
                listed_ministries: Collection[str] | None = None) -> Article:
    """Stage the article, its ministries and its compressed raw html (with what the listing said);
    flushes to get the id."""
    row = Article(run_id=run_id)
    apply_record(row, record)
    row.raw = RawPage(html_zlib=compress_html(html), encoding=encoding, fetched_at=row.fetched_at,
                      listed_at=listed_at, listed_ministries=list(listed_ministries or ()))
    session.add(row)
    session.flush()
    return row


ARTICLE_FIELDS = ("url", "canonical_url", "source", "title", "subtitle", "body", "authors", "section",
                  "images", "language", "ministries", "attachments", "content_hash")
"""Columns of `articles` copied as they are from the extracted record (the dates are converted)."""
_LIST_FIELDS = ("authors", "images", "ministries", "attachments")


def article_values(record: ArticleRecord) -> dict[str, Any]:
    """The `articles` columns of an extracted record, for a new row or an updated one: what
    record.to_dict() holds, without converting the whole record (it is done inside the writer lock)."""
    values: dict[str, Any] = {key: getattr(record, key) for key in ARTICLE_FIELDS}
    for key in _LIST_FIELDS:
        values[key] = [asdict(item) if is_dataclass(item) and not isinstance(item, type) else deepcopy(item)
                       for item in values[key]]
    values.update(published_at=record.published_at, modified_at=record.modified_at,
                  fetched_at=record.fetched_at or utcnow())
    return values


def apply_record(row: Article, record: ArticleRecord) -> None:
    """Copy extracted fields onto a row (used for new rows and re-extraction)."""
    for key, value in article_values(record).items():
        setattr(row, key, value)
    current = {link.ministry for link in row.ministry_links}
    wanted = list(dict.fromkeys(record.ministries))
    row.ministry_links = [link for link in row.ministry_links if link.ministry in wanted] + [
        ArticleMinistry(ministry=name) for name in wanted if name not in current]


def add_duplicate(session: Session, record: ArticleRecord, original: Article,
                  run_id: int | None = None) -> Duplicate:
    row = Duplicate(canonical_url=record.canonical_url, url=record.url, source=record.source,
                    article_id=original.id, content_hash=record.content_hash,
                    found_at=record.fetched_at or utcnow(), run_id=run_id)
    session.add(row)
    session.flush()
    return row


def add_alias(session: Session, listed_url: str, target_url: str, source: str,
              run_id: int | None = None) -> bool:
    """Record `listed_url` (canonical), which redirected to the archived `target_url`, as a duplicate of
    the article `target_url` names, so crawls that meet it in a listing skip it; False when `target_url`
    is not archived or `listed_url` is known already."""
    if is_archived(session, listed_url):
        return False
    target = article_by_url(session, target_url)
    if target is None:
        dup = session.scalar(select(Duplicate).where(Duplicate.canonical_url == target_url))
        target = session.get(Article, dup.article_id) if dup else None
    if target is None:
        return False
    session.add(Duplicate(canonical_url=listed_url, url=listed_url, source=source, article_id=target.id,
                          content_hash=target.content_hash, found_at=utcnow(), run_id=run_id))
    session.flush()
    return True


def compress_html(html: bytes) -> bytes:
    """How raw pages are kept (`raw_pages.html_zlib`); raw_html reads them back."""
    return zlib.compress(html, 6)


def raw_html(row: Article) -> bytes | None:
    return zlib.decompress(row.raw.html_zlib) if row.raw is not None else None


def to_record(row: Article) -> ArticleRecord:
    """The stored row as the record extraction produces, for export and display."""
    def kst(value: datetime | None) -> datetime | None:
        return value.astimezone(KST) if value else None

    return ArticleRecord(
        url=row.url, canonical_url=row.canonical_url, source=row.source, title=row.title,
        subtitle=row.subtitle, body=row.body, published_at=kst(row.published_at),
        modified_at=kst(row.modified_at),
        authors=list(row.authors), section=row.section,
        images=[Image(**img) for img in row.images], language=row.language,
        ministries=list(row.ministries), attachments=[Attachment(**a) for a in row.attachments],
        fetched_at=kst(row.fetched_at), content_hash=row.content_hash)


def article_filters(source: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[ColumnElement[bool]]:
    """Conditions for a source and a [since, until) publication range; an open side adds none."""
    where: list[ColumnElement[bool]] = []
    if source:
        where.append(Article.source == source)
    if since:
        where.append(Article.published_at >= since)
    if until:
        where.append(Article.published_at < until)
    return where


def count_articles(session: Session, source: str | None = None, since: datetime | None = None,
                   until: datetime | None = None) -> int:
    query = select(func.count(Article.id)).where(*article_filters(source, since, until))
    return int(session.scalar(query) or 0)


def iter_articles(session: Session, source: str | None = None, since: datetime | None = None,
                  until: datetime | None = None, batch: int = 500) -> Iterator[Article]:
    """Articles in id order, streamed in batches (keyset, not OFFSET); dates bound published_at."""
    last_id = 0
    while True:
        query = select(Article).where(Article.id > last_id, *article_filters(source, since, until))
        rows = list(session.scalars(query.order_by(Article.id).limit(batch)))
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        session.expunge_all()


def find_article(session: Session, ref: str) -> Article | None:
    """By numeric id, or by any URL that canonicalises to a stored or duplicate one."""
    from core.urls import canonical_url

    if ref.isdigit():  # an id past the largest integer a database stores is no article's
        return session.get(Article, int(ref)) if int(ref) < 2**63 else None
    canon = canonical_url(ref)
    row = article_by_url(session, canon)
    if row is None:
        dup = session.scalar(select(Duplicate).where(Duplicate.canonical_url == canon))
        row = session.get(Article, dup.article_id) if dup else None
    return row


def duplicates_of(session: Session, article_id: int) -> list[Duplicate]:
    return list(session.scalars(select(Duplicate).where(Duplicate.article_id == article_id)))


def simple_search(session: Session, words: list[str], limit: int = 20) -> list[Article]:
    """Substring match on title and body (all words must match), newest first."""
    query = select(Article)
    for word in words:
        pattern = f"%{word}%"
        query = query.where(or_(Article.title.like(pattern), Article.body.like(pattern)))
    query = query.order_by(Article.published_at.desc().nulls_last(), Article.id.desc()).limit(limit)
    return list(session.scalars(query))


# --- crawl runs -----------------------------------------------------------------------------------

def create_run(session: Session, spider: str, window_start: datetime | None = None,
               window_end: datetime | None = None, pid: int | None = None, host: str | None = None) -> CrawlRun:
    """A new run row, `running`, on `host` (default: this machine)."""
    now = utcnow()
    run = CrawlRun(spider=spider, started_at=now, status="running", reason="",
                   window_start=window_start, window_end=window_end, pid=pid, reasons={},
                   host=host or socket.gethostname(), heartbeat_at=now,
                   **{name: 0 for name in RUN_COUNTERS})
    session.add(run)
    session.flush()
    return run


def update_run(session: Session, run_id: int, counts: dict[str, int] | None = None,
               reasons: dict[str, int] | None = None, status: str | None = None,
               reason: str | None = None, finished: bool = False, pid: int | None = None,
               host: str | None = None) -> None:
    """Every update is also the run's heartbeat: its process is alive and can reach the archive."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run {run_id}")
    if pid is not None:
        run.pid = pid
    if host is not None:
        run.host = host
    record_progress(run, counts, reasons, status, reason, finished)


def record_progress(row: CrawlRun | CrawlRunPart, counts: dict[str, int] | None, reasons: dict[str, int] | None,
                    status: str | None, reason: str | None, finished: bool) -> datetime:
    """A run's or a run part's counters, reasons, status and end so far; also its heartbeat (the time,
    returned)."""
    for name, value in (counts or {}).items():
        if name in RUN_COUNTERS:
            setattr(row, name, int(value))
    if reasons is not None:
        row.reasons = dict(reasons)
    if status:
        row.status = status
    if reason is not None:
        row.reason = reason
    now = utcnow()
    row.heartbeat_at = now
    if finished:
        row.finished_at = now
    return now


def get_run(session: Session, run_id: int) -> CrawlRun | None:
    return session.get(CrawlRun, run_id)


def list_runs(session: Session, spider: str | None = None, limit: int = 50) -> list[CrawlRun]:
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if spider:
        query = query.where(CrawlRun.spider == spider)
    return list(session.scalars(query))


def record_rejection(session: Session, run_id: int | None, url: str, reason: str,
                     permanent: bool = False) -> None:
    """A page this run did not archive, and why; `permanent` when a later fetch would not change that
    (the page is then not fetched again, see known_urls)."""
    exists_already = session.scalar(select(RejectedPage.id).where(
        RejectedPage.run_id == run_id, RejectedPage.url == url))
    if exists_already is None:
        session.add(RejectedPage(run_id=run_id, url=url, reason=reason[:255], at=utcnow(), permanent=permanent))


def rejections(session: Session, run_id: int) -> list[RejectedPage]:
    return list(session.scalars(select(RejectedPage).where(RejectedPage.run_id == run_id)))


def run_summary(run: CrawlRun) -> dict[str, Any]:
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else None
    return {
        "id": run.id, "spider": run.spider, "status": run.status, "reason": run.reason,
        "started_at": run.started_at.astimezone(KST).isoformat(timespec="seconds"),
        "finished_at": run.finished_at.astimezone(KST).isoformat(timespec="seconds") if run.finished_at else None,
        "duration_s": round(duration, 1) if duration is not None else None,
        **{name: getattr(run, name) for name in RUN_COUNTERS}, "reasons": dict(run.reasons or {}),
    }

