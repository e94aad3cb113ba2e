"""The Scrapy item pipeline: pages go in batches to worker processes that extract, dedup and store them
(pipelines/ingest.py), so the crawl process only downloads and counts.

Batches form by themselves: a batch is sent as soon as a worker is free, and what arrives meanwhile
waits for the next one (at most MAX_BATCH pages). NEWSARCHIVE_EXTRACT_WORKERS sets the number of
workers; 0 runs each page in the crawl process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any

from scrapy.crawler import Crawler

from core.items import PageItem
from crawler import dbfailure, runstats
from crawler.database import database_url
from pipelines.messages import ExtractedItem, Outcome, Policy
from pipelines.workers import Workers

MAX_BATCH = 64
log = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.workers = crawler.settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 1)
        self.db_url = database_url(crawler.settings)
        self.pool: Workers | None = None
        self._policy: Policy | None = None
        self.waiting: list[tuple[PageItem, asyncio.Future[Outcome]]] = []
        self.in_flight = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    @property
    def policy(self) -> Policy:
        """Made at the first page, not in open_spider: Scrapy opens the item pipelines before it sends
        spider_opened, and the run id is set by CrawlRunExtension on that signal."""
        if self._policy is None:
            spider = self.crawler.spider
            self._policy = Policy(self.db_url, run_id=getattr(spider, "run_id", None),
                                  window=getattr(spider, "window", None),
                                  requires_ministry=bool(getattr(spider, "requires_ministry", False)),
                                  revisit=bool(getattr(spider, "revisit", False)))
        return self._policy

    def open_spider(self) -> None:
        if self.workers > 0:
            self.pool = Workers(self.workers)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()

    async def process_item(self, item: PageItem) -> ExtractedItem:
        if self.pool is None:
            from pipelines.ingest import ingest  # only this path extracts in the crawl process

            outcome = ingest([item], self.policy)[0]
        else:
            waiter: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
            self.waiting.append((item, waiter))
            self._dispatch()
            outcome = await waiter
        assert self.crawler.stats is not None
        if outcome.database_failed is not None:
            dbfailure.database_failed(self.crawler, outcome.database_failed)
            raise runstats.RecordedDrop(f"not stored: {outcome.database_failed}")
        runstats.count(self.crawler.stats, outcome.counter, outcome.reason)
        if outcome.dropped is not None or outcome.article is None:
            raise runstats.RecordedDrop(outcome.dropped or outcome.counter)
        return ExtractedItem(item, outcome.article)

    def _dispatch(self) -> None:
        assert self.pool is not None
        loop = asyncio.get_running_loop()
        failed = dbfailure.failure(self.crawler)
        if failed is not None:  # the crawl is ending: the waiting pages are not sent to a failed database
            batch, self.waiting = self.waiting, []
            _resolve(batch, [Outcome.lost_to_database(failed) for _ in batch])
        while self.waiting and self.in_flight < self.workers:
            batch, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
            try:
                job = self.pool.submit([page for page, _ in batch], self.policy)
            except BrokenProcessPool as exc:  # the workers keep dying: the next crawl fetches these again
                _resolve(batch, [Outcome.failure("worker error", exc) for _ in batch])
                continue
            self.in_flight += 1
            job.add_done_callback(partial(self._finished_in_worker, loop, batch))

    def _finished_in_worker(self, loop: asyncio.AbstractEventLoop,
                            batch: Sequence[tuple[PageItem, asyncio.Future[Outcome]]], job: Future[Any]) -> None:
        loop.call_soon_threadsafe(self._finish, batch, job)  # done callbacks run in the pool's thread

    def _finish(self, batch: Sequence[tuple[PageItem, asyncio.Future[Outcome]]], job: Future[Any]) -> None:
        self.in_flight -= 1
        try:
            outcomes: list[Outcome] = job.result()
        except Exception as exc:  # a worker died (e.g. out of memory): the pages are not archived
            log.error("%d pages were lost with a worker (%s: %s); the next crawl fetches them again",
                      len(batch), type(exc).__name__, exc)
            outcomes = [Outcome.failure("worker error", exc) for _ in batch]
        _resolve(batch, outcomes)
        self._dispatch()


def _resolve(batch: Sequence[tuple[PageItem, asyncio.Future[Outcome]]], outcomes: Sequence[Outcome]) -> None:
    for (_, waiter), outcome in zip(batch, outcomes, strict=True):
        if not waiter.done():
            waiter.set_result(outcome)
