"""Stage 2: dedup and store extracted articles, inside the caller's transaction.

A new article is fingerprinted and put in the story cluster of its nearest near-duplicate
(pipelines/neardup.py). In a revisit crawl an archived URL is not skipped: the page is compared with
the stored article and a change becomes a revision (pipelines/revisions.py).

`store_batch` decides and writes a whole batch with a few statements (the crawl's path); `store` does
one article through the ORM (revisits, and a batch that failed, article by article). Both give the same
verdicts and rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from pipelines import neardup, revisions
from pipelines.dedup import Verdict, classify
from pipelines.messages import ExtractedItem, Policy
from storage import bulk, clusters, repository


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


def store_batch(session: Session, items: Sequence[ExtractedItem], policy: Policy) -> list[tuple[Verdict, str | None]]:
    """`store` for every item in order, as if one after the other, with the archive read once for the
    batch; an item repeating an earlier item's URL or body is judged against it. Not for revisits."""
    assert not policy.revisit, "revisits compare each page with its stored article: use store()"
    articles = [item.article for item in items]
    archived = repository.known_urls(session, [a.canonical_url for a in articles], include_rejected=False)
    stored = bulk.ids_by_hash(session, {a.content_hash for a in articles})
    verdicts: list[Verdict] = []
    new: list[ExtractedItem] = []
    new_hashes: set[str] = set()
    for item, article in zip(items, articles, strict=True):
        if article.canonical_url in archived:
            verdicts.append(Verdict.ARCHIVED)
            continue
        archived.add(article.canonical_url)
        if article.content_hash in stored or article.content_hash in new_hashes:
            verdicts.append(Verdict.DUPLICATE)
            continue
        verdicts.append(Verdict.NEW)
        new.append(item)
        new_hashes.add(article.content_hash)
    ids = bulk.add_articles(session, [bulk.NewArticle(item.article, item.page.html, item.page.encoding,
                                                      item.page.etag, item.page.last_modified)
                                      for item in new], policy.run_id)
    stored.update({item.article.content_hash: article_id for item, article_id in zip(new, ids, strict=True)})
    bulk.add_duplicates(session, [(article, stored[article.content_hash])
                                  for article, verdict in zip(articles, verdicts, strict=True)
                                  if verdict is Verdict.DUPLICATE], policy.run_id)
    assigned = neardup.assign_all(session, [
        (article_id, item.article.published_at, item.fingerprint or neardup.fingerprint_of(item.article.body))
        for item, article_id in zip(new, ids, strict=True)])
    details = iter("near-duplicate" if assignment.cluster_id is not None else None for assignment in assigned)
    return [(verdict, next(details) if verdict is Verdict.NEW else None) for verdict in verdicts]
