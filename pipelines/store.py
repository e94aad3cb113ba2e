"""Scrapy stage 2: dedup and store in one short transaction per article."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.exc import IntegrityError

from crawler import runstats
from crawler.database import database_url
from pipelines.dedup import Verdict, classify
from pipelines.extract_stage import ExtractedItem
from storage import repository
from storage.db import transaction


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = database_url(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: ExtractedItem) -> ExtractedItem:
        try:
            verdict = self._store(item)
        except IntegrityError:
            # Another writer stored the same URL or body between our check and insert: decide again.
            verdict = self._store(item)
        assert self.crawler.stats is not None
        if verdict is Verdict.NEW:
            runstats.count(self.crawler.stats, "stored")
            return item
        if verdict is Verdict.DUPLICATE:
            runstats.count(self.crawler.stats, "duplicates")
            raise DropItem(f"duplicate of an archived article: {item.article.canonical_url}")
        runstats.count(self.crawler.stats, "skipped", "archived")
        raise DropItem(f"already archived: {item.article.canonical_url}")

    def _store(self, item: ExtractedItem) -> Verdict:
        run_id = getattr(self.crawler.spider, "run_id", None)
        with transaction(self.db_url) as session:
            verdict, original = classify(session, item.article)
            if verdict is Verdict.NEW:
                repository.add_article(session, item.article, item.page.html, item.page.encoding, run_id)
            elif verdict is Verdict.DUPLICATE and original is not None:
                repository.add_duplicate(session, item.article, original, run_id)
        return verdict
