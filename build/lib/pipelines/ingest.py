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

from crawler.items import PageItem
from crawler.urls import canonical_url
from pipelines import revisions
from pipelines.dedup import Verdict
from pipelines.extract_stage import Rejected, judge
from pipelines.messages import ExtractedItem, Outcome, Policy
from pipelines.store import store, store_batch
from storage import repository
from storage.db import DatabaseError, write_transaction

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
    try:
        with write_transaction(policy.db_url) as session:
            outcomes = _batch_outcomes(session, judged, policy)
            if outcomes is None:
                outcomes = [_outcome(session, item, policy) for item in judged]
            for page, outcome in zip(pages, outcomes, strict=True):
                if outcome.dropped:
                    repository.record_rejection(session, policy.run_id, canonical_url(page.url), outcome.dropped)
    except (SQLAlchemyError, DatabaseError) as exc:  # the database failed: nothing of the batch is kept
        return [Outcome.failure("store error", exc) for _ in pages]
    return outcomes


def _batch_outcomes(session: Session, judged: Sequence[ExtractedItem | Rejected],
                    policy: Policy) -> list[Outcome] | None:
    """The whole batch in one savepoint (store_batch); None when that failed, and the caller then stores
    article by article, so that one bad article loses only itself."""
    if policy.revisit:
        return None
    extracted = [item for item in judged if isinstance(item, ExtractedItem)]
    try:
        with session.begin_nested():
            verdicts = iter(store_batch(session, extracted, policy))
    except Exception as exc:  # whatever it was, the article-by-article path decides per article
        log.warning("storing the batch at once failed (%s: %s); storing article by article",
                    type(exc).__name__, exc)
        return None
    return [_outcome(session, item, policy) if isinstance(item, Rejected) else _verdict_outcome(item, *next(verdicts))
            for item in judged]


def _outcome(session: Session, item: ExtractedItem | Rejected, policy: Policy) -> Outcome:
    """One page, in its own savepoint."""
    if isinstance(item, Rejected):
        return Outcome(item.counter, item.reason, dropped=item.reason)
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                verdict, detail = store(session, item, policy)
            return _verdict_outcome(item, verdict, detail)
        except IntegrityError:
            # Another writer (without the writer lock) stored the same URL or body: decide again.
            if attempt == 2:
                return Outcome("failed", "store error: IntegrityError",
                               dropped=f"store error: conflicting write for {item.article.canonical_url}")
        except Exception as exc:  # one article's failure must not undo the batch
            return Outcome.failure("store error", exc)
    raise AssertionError("unreachable")


def _verdict_outcome(item: ExtractedItem, verdict: Verdict, detail: str | None) -> Outcome:
    article = item.article
    if verdict is Verdict.NEW:
        return Outcome("stored", detail, article=article)
    if verdict is Verdict.DUPLICATE:
        return Outcome("duplicates", dropped=f"duplicate of an archived article: {article.canonical_url}")
    if detail is not None:  # a revisit: counted, and not dropped (it is not a rejected page)
        revised = detail == revisions.Outcome.REVISED.value
        return Outcome("stored" if revised else "skipped", detail, article=article)
    return Outcome("skipped", "archived", dropped=f"already archived: {article.canonical_url}")
