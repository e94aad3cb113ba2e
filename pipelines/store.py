"""Scrapy stage 2: dedup and store in one short transaction per article.

A new article is fingerprinted and put in the story cluster of its nearest near-duplicate
(pipelines/neardup.py). In a revisit crawl (the spider has `revisit = True`) an archived URL is not
skipped: the page is compared with the stored article and a change becomes a revision
(pipelines/revisions.py)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import IntegrityError

from crawler import runstats
from crawler.database import database_url
from pipelines import neardup, revisions
from pipelines.dedup import Verdict, classify
from pipelines.extract_stage import ExtractedItem
from storage import clusters, repository
from storage.db import transaction


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = database_url(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def revisiting(self) -> bool:
        return bool(getattr(self.crawler.spider, "revisit", False))

    def process_item(self, item: ExtractedItem) -> ExtractedItem:
        try:
            verdict, detail = self._store(item)
        except IntegrityError:
            # Another writer stored the same URL or body between our check and insert: decide again.
            verdict, detail = self._store(item)
        stats = self.crawler.stats
        assert stats is not None
        if verdict is Verdict.NEW:
            runstats.count(stats, "stored", detail)
            return item
        if verdict is Verdict.DUPLICATE:
            runstats.count(stats, "duplicates")
            raise DropItem(f"duplicate of an archived article: {item.article.canonical_url}")
        if detail is not None:  # a revisit: counted, and not dropped (it is not a rejected page)
            revised = detail == revisions.Outcome.REVISED.value
            runstats.count(stats, "stored" if revised else "skipped", detail)
            return item
        runstats.count(stats, "skipped", "archived")
        raise DropItem(f"already archived: {item.article.canonical_url}")

    def _store(self, item: ExtractedItem) -> tuple[Verdict, str | None]:
        """The verdict, and what was done beyond it: 'near-duplicate' (joined a story cluster), or a
        revisit's outcome (revised, unchanged, conflict)."""
        run_id = getattr(self.crawler.spider, "run_id", None)
        page, article = item.page, item.article
        with transaction(self.db_url) as session:
            verdict, original = classify(session, article)
            if verdict is Verdict.NEW:
                row = repository.add_article(session, article, page.html, page.encoding, run_id)
                clusters.set_validators(session, row.id, page.etag, page.last_modified, article.fetched_at)
                joined = neardup.assign(session, row.id, article.body, article.published_at, item.fingerprint)
                return verdict, "near-duplicate" if joined.cluster_id is not None else None
            if verdict is Verdict.DUPLICATE and original is not None:
                repository.add_duplicate(session, article, original, run_id)
            elif verdict is Verdict.ARCHIVED and original is not None and self.revisiting:
                fetch = revisions.Fetch(page.html, page.encoding, page.etag, page.last_modified)
                return verdict, revisions.revise(session, original, article, fetch).value
        return verdict, None
