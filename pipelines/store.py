"""Stage 2: dedup and store extracted articles, inside the caller's transaction.

A new article is fingerprinted and put in the story cluster of its nearest near-duplicate
(pipelines/neardup.py). In a revisit crawl an archived URL is not skipped: the page is compared with
the stored article and a change becomes a revision (pipelines/revisions.py).

`store_batch` decides and writes a whole batch with a few statements (storage/bulk.py); `store` does one
article the same way (a batch that failed is stored again article by article), or revises an archived
one in a revisit. There is one way to write a new article or a duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy.orm import Session

from pipelines import minhash, neardup, revisions
from pipelines.dedup import Verdict
from pipelines.messages import ExtractedItem, Policy
from storage import bulk, repository


class Original(NamedTuple):
    """The archived article a duplicate repeats."""

    id: int
    canonical_url: str


class Stored(NamedTuple):
    """What storing one article did: the verdict; what was done beyond it ('near-duplicate': joined a
    story cluster, or a revisit's outcome: revised, unchanged, conflict); for a duplicate, its original."""

    verdict: Verdict
    detail: str | None = None
    original: Original | None = None


def store(session: Session, item: ExtractedItem, policy: Policy) -> Stored:
    """Dedup and store one article: a batch of one, except that in a revisit an archived URL is compared with
    its stored article and a change kept as a revision."""
    if policy.revisit:
        row = repository.article_by_url(session, item.article.canonical_url)
        if row is not None:
            page = item.page
            fetch = revisions.Fetch(page.html, page.encoding, page.etag, page.last_modified)
            return Stored(Verdict.ARCHIVED, revisions.revise(session, row, item.article, fetch).value)
    return _store_all(session, [item], policy.run_id)[0]


def make_ready(item: ExtractedItem, dialect: str) -> bulk.NewArticle:
    """What store_batch writes of the item that needs no database (compressed page, search index entry;
    the fingerprint too when missing), for an archive of this dialect. The extraction
    worker makes it with the article (extract_stage.judge): it is CPU work that any machine can do, and
    none of it has to wait for the archive's writer lock."""
    fingerprint(item)
    page = item.page
    return bulk.prepare(dialect, item.article, page.html, page.encoding, page.etag, page.last_modified,
                        page.listed_at, page.ministries)


def fingerprint(item: ExtractedItem) -> minhash.Fingerprint:
    """The item's body fingerprint, made once: usually by the extraction worker already (make_ready)."""
    if item.fingerprint is None:
        item.fingerprint = minhash.fingerprint_of(item.article.body)
    return item.fingerprint


def prepare(items: Sequence[ExtractedItem], dialect: str) -> list[bulk.NewArticle]:
    """make_ready of every item, unless the extraction worker made it already (for this very article
    record: an item given another record since is made ready again): before the writer lock."""
    return [item.ready if item.ready is not None and item.ready.record is item.article else make_ready(item, dialect)
            for item in items]


def reserve(session: Session, items: Sequence[ExtractedItem], prepared: Sequence[bulk.NewArticle]
            ) -> list[bulk.Reserved]:
    """PostgreSQL, before the writer lock: ids for the prepared items, with the rows that are theirs alone
    written under them (storage.bulk.reserve) and their fingerprints (neardup.write_ahead); store_batch is
    then given them, and storage.bulk.release deletes what no stored article took."""
    drawn = bulk.reserve(session, prepared)
    neardup.write_ahead(session, [(made.id, item.article.published_at, fingerprint(item))
                                  for made, item in zip(drawn, items, strict=True)])
    return drawn


def store_batch(session: Session, items: Sequence[ExtractedItem], policy: Policy,
                prepared: Sequence[bulk.NewArticle] | None = None,
                reserved: Sequence[bulk.Reserved] | None = None) -> list[Stored]:
    """`store` for every item in order, as if one after the other, with the archive read once for the
    batch; an item repeating an earlier item's URL or body is judged against it. Not for revisits.
    `prepared`: prepare(items) made before the lock (made here when not given); `reserved` (PostgreSQL):
    what `reserve` drew and wrote for them before the lock, one per item."""
    assert not policy.revisit, "revisits compare each page with its stored article: use store()"
    return _store_all(session, items, policy.run_id, prepared, reserved)


def _store_all(session: Session, items: Sequence[ExtractedItem], run_id: int | None,
               prepared: Sequence[bulk.NewArticle] | None = None,
               reserved: Sequence[bulk.Reserved] | None = None) -> list[Stored]:
    if prepared is None:
        prepared = prepare(items, session.connection().dialect.name)
    ready = {id(item): made for item, made in zip(items, prepared, strict=True)}
    drawn = None if reserved is None else {id(item): at for item, at in zip(items, reserved, strict=True)}
    articles = [item.article for item in items]
    archived = repository.known_urls(session.connection(), [a.canonical_url for a in articles], include_rejected=False)
    stored = {content_hash: Original(*found) for content_hash, found in
              bulk.originals_by_hash(session, {a.content_hash for a in articles}).items()}
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
    ids = bulk.add_articles(session, [ready[id(item)] for item in new], run_id,
                            None if drawn is None else [drawn[id(item)] for item in new])
    stored.update({item.article.content_hash: Original(article_id, item.article.canonical_url)
                   for item, article_id in zip(new, ids, strict=True)})
    bulk.add_duplicates(session, [(article, stored[article.content_hash].id)
                                  for article, verdict in zip(articles, verdicts, strict=True)
                                  if verdict is Verdict.DUPLICATE], run_id)
    assigned = neardup.assign_all(session, [(article_id, item.article.published_at, fingerprint(item))
                                            for item, article_id in zip(new, ids, strict=True)],
                                  {drawn.id for drawn in reserved or ()})
    details = iter("near-duplicate" if assignment.cluster_id is not None else None for assignment in assigned)
    return [Stored(verdict, next(details)) if verdict is Verdict.NEW
            else Stored(verdict, None, stored[article.content_hash] if verdict is Verdict.DUPLICATE else None)
            for verdict, article in zip(verdicts, articles, strict=True)]
