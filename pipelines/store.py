"""Stage 2: dedup and store an extracted article, inside the caller's transaction.

A new article is fingerprinted and put in the story cluster of its nearest near-duplicate
(pipelines/neardup.py). In a revisit crawl an archived URL is not skipped: the page is compared with
the stored article and a change becomes a revision (pipelines/revisions.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pipelines import neardup, revisions
from pipelines.dedup import Verdict, classify
from pipelines.extract_stage import ExtractedItem, Policy
from storage import clusters, repository


def store(session: Session, item: ExtractedItem, policy: Policy) -> tuple[Verdict, str | None]:
    """The verdict, and what was done beyond it: 'near-duplicate' (joined a story cluster), or a
    revisit's outcome (revised, unchanged, conflict)."""
    page, article = item.page, item.article
    verdict, original = classify(session, article)
    if verdict is Verdict.NEW:
        row = repository.add_article(session, article, page.html, page.encoding, policy.run_id)
        clusters.set_validators(session, row.id, page.etag, page.last_modified, article.fetched_at)
        joined = neardup.assign(session, row.id, article.body, article.published_at, item.fingerprint)
        return verdict, "near-duplicate" if joined.cluster_id is not None else None
    if verdict is Verdict.DUPLICATE and original is not None:
        repository.add_duplicate(session, article, original, policy.run_id)
    elif verdict is Verdict.ARCHIVED and original is not None and policy.revisit:
        fetch = revisions.Fetch(page.html, page.encoding, page.etag, page.last_modified)
        return verdict, revisions.revise(session, original, article, fetch).value
    return verdict, None
