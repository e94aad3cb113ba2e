"""One batch of fetched pages through extraction, dedup and storage, as the crawl's worker processes run
it: every page is judged first (CPU only), then all are stored in one transaction that holds the
archive's writer lock (storage.db.write_transaction). One transaction per batch instead of per article
keeps the cost of storing flat as the archive grows (bench/dedup.py). The batch is written with a few
statements (pipelines.store.store_batch) in one savepoint; if that fails, the articles are stored again one
by one, each in its own savepoint, so one bad article does not undo the others. Pages that are not
archived are recorded in `rejected_pages` in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from core.items import PageItem
from core.rejections import Kind
from core.urls import canonical_url
from pipelines import revisions
from pipelines.dedup import Verdict
from pipelines.extract_stage import Rejected, judge
from pipelines.messages import ExtractedItem, Outcome, Policy
from pipelines.store import Stored, prepare, reserve, store, store_batch
from storage import repository
from storage.bulk import NewArticle, Reserved, release
from storage.db import DatabaseError, get_engine, write_transaction
from storage.faults import fatal_reason

log = logging.getLogger(__name__)


def ingest(pages: Sequence[PageItem], policy: Policy) -> list[Outcome]:
    judged: list[ExtractedItem | Rejected] = []
    for page in pages:
        try:
            judged.append(judge(page, policy))
        except Rejected as rejected:
            judged.append(rejected)
    return store_all(pages, judged, policy)


def store_all(pages: Sequence[PageItem], judged: Sequence[ExtractedItem | Rejected],
              policy: Policy) -> list[Outcome]:
    """Store the judged pages in one transaction; an outcome per page."""
    reserved: list[Reserved] = []
    try:
        prepared = _prepare(judged, policy)
        with write_transaction(policy.db_url, len(pages),
                               lambda session: reserved.extend(_reserve(session, judged, prepared))) as session:
            outcomes = _batch_outcomes(session, judged, policy, prepared, reserved or None)
            if reserved:  # before the article-by-article path, whose band look-ups would read them
                release(session, reserved)
            if outcomes is None:
                outcomes = [_outcome(session, item, policy) for item in judged]
            for page, outcome in zip(pages, outcomes, strict=True):
                if outcome.dropped:
                    repository.record_rejection(session, policy.run_id, canonical_url(page.url), outcome.dropped,
                                                permanent=outcome.permanent)
                if page.listed_url:
                    _record_listed_url(session, page, outcome, policy)
    except (SQLAlchemyError, DatabaseError) as exc:  # nothing of the batch is kept
        fatal = fatal_reason(exc)
        if fatal is not None:  # the database itself failed: every batch would, whatever its pages
            return [Outcome.lost_to_database(fatal) for _ in pages]
        return [Outcome.failure("store error", exc) for _ in pages]
    return outcomes


def _record_listed_url(session: Session, page: PageItem, outcome: Outcome, policy: Policy) -> None:
    """A listed URL that redirected to another page: an alias of the article it led to (so it is not
    downloaded again), or, when that page was not kept, rejected for the same reason."""
    target = canonical_url(page.url)
    with session.begin_nested():
        if not repository.add_alias(session, page.listed_url, target, page.source, policy.run_id) and outcome.dropped:
            repository.record_rejection(session, policy.run_id, page.listed_url, outcome.dropped,
                                        permanent=outcome.permanent)


def _prepare(judged: Sequence[ExtractedItem | Rejected], policy: Policy) -> list[NewArticle] | None:
    """The batch's writes that need no database, made before the writer lock (pipelines.store.prepare;
    judge made them already with each article); None for a revisit (compared article by article) or when
    that failed (store_batch then tries again and the article-by-article path decides)."""
    if policy.revisit:
        return None
    extracted = [item for item in judged if isinstance(item, ExtractedItem)]
    try:
        return prepare(extracted, get_engine(policy.db_url).dialect.name)
    except Exception as exc:  # noqa: BLE001 - whatever it was, the path under the lock meets it again
        log.warning("preparing the batch failed (%s: %s)", type(exc).__name__, exc)
        return None


def _reserve(session: Session, judged: Sequence[ExtractedItem | Rejected],
             prepared: Sequence[NewArticle] | None) -> list[Reserved]:
    """PostgreSQL, before the writer lock: pipelines.store.reserve for the prepared articles; none when there
    is nothing to reserve or that failed (the path under the lock then writes the rows itself)."""
    if not prepared or session.connection().dialect.name != "postgresql":
        return []
    try:
        with session.begin_nested():
            return reserve(session, [item for item in judged if isinstance(item, ExtractedItem)], prepared)
    except Exception as exc:  # noqa: BLE001 - unless the database failed, the rows are written under the lock
        if fatal_reason(exc) is not None:
            raise
        log.warning("writing the batch's rows before the writer lock failed (%s: %s)", type(exc).__name__, exc)
        return []


def _batch_outcomes(session: Session, judged: Sequence[ExtractedItem | Rejected], policy: Policy,
                    prepared: Sequence[NewArticle] | None,
                    reserved: Sequence[Reserved] | None) -> list[Outcome] | None:
    """The whole batch in one savepoint (store_batch); None when that failed, and the caller then stores
    article by article, so that one bad article loses only itself."""
    if policy.revisit:
        return None
    extracted = [item for item in judged if isinstance(item, ExtractedItem)]
    try:
        with session.begin_nested():
            results = iter(store_batch(session, extracted, policy, prepared, reserved))
    except Exception as exc:  # unless the database failed, the article-by-article path decides per article
        if fatal_reason(exc) is not None:
            raise
        log.warning("storing the batch at once failed (%s: %s); storing article by article",
                    type(exc).__name__, exc)
        return None
    return [_outcome(session, item, policy) if isinstance(item, Rejected) else _verdict_outcome(item, next(results))
            for item in judged]


def _outcome(session: Session, item: ExtractedItem | Rejected, policy: Policy) -> Outcome:
    """One page, in its own savepoint."""
    if isinstance(item, Rejected):
        return Outcome(item.counter, item.reason, dropped=item.reason, permanent=item.kind.permanent)
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                stored = store(session, item, policy)
            return _verdict_outcome(item, stored)
        except IntegrityError:
            # Another writer (without the writer lock) stored the same URL or body: decide again.
            if attempt == 2:
                return Outcome("failed", "store error: IntegrityError",
                               dropped=Kind.CONFLICTING_WRITE.describe(item.article.canonical_url))
        except Exception as exc:  # one article's failure must not undo the batch, the database's must
            if fatal_reason(exc) is not None:
                raise
            return Outcome.failure("store error", exc)
    raise AssertionError("unreachable")


def _verdict_outcome(item: ExtractedItem, stored: Stored) -> Outcome:
    article, verdict, detail = item.article, stored.verdict, stored.detail
    if verdict is Verdict.NEW:
        return Outcome("stored", detail, article=article)
    if verdict is Verdict.DUPLICATE:
        original = f"article {stored.original.id} {stored.original.canonical_url}" if stored.original else ""
        return Outcome("duplicates", dropped=Kind.DUPLICATE.describe(original), permanent=True)
    if detail is not None:  # a revisit: counted, and not dropped (it is not a rejected page)
        revised = detail == revisions.Change.REVISED.value
        return Outcome("stored" if revised else "skipped", detail, article=article)
    return Outcome("skipped", "archived", dropped=Kind.ARCHIVED.describe(article.canonical_url), permanent=True)
