"""Scrapy stage 1: turn a fetched page into an article record, or drop it with a counted reason."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time
from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler import runstats
from crawler.items import PageItem
from newsarchive.timewindow import KST, Window
from pipelines.article import Article, NotAnArticle
from pipelines.extract import extract
from pipelines.neardup import Fingerprint, fingerprint_of


@dataclass
class ExtractedItem:
    """A page that became an article; carries the raw page and the body's fingerprint on to storage."""

    page: PageItem
    article: Article
    fingerprint: Fingerprint | None = None

    @property
    def url(self) -> str:
        return self.page.url


def _exit_with_parent(parent_pid: int) -> None:
    """Worker start-up: a crawl process that is killed outright (SIGKILL) cannot shut its pool down, and
    its workers would wait for work forever; each worker leaves once its parent is gone."""

    def watch() -> None:
        tick = threading.Event()
        while os.getppid() == parent_pid:
            tick.wait(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def extract_and_fingerprint(html: bytes, url: str, **kwargs: Any) -> tuple[Article, Fingerprint]:
    """The CPU-bound part of the pipeline, in one picklable call for the worker process."""
    article = extract(html, url, **kwargs)
    return article, fingerprint_of(article.body)


def _more_precise(page: datetime | None, listed: datetime | None) -> datetime | None:
    """Pages that show only a day (korea.kr) get the minute from the listing (RSS pubDate) of that day."""
    if listed is None:
        return page
    if page is None:
        return listed.astimezone(KST)
    page_kst, listed_kst = page.astimezone(KST), listed.astimezone(KST)
    if page_kst.time() == time(0, 0) and listed_kst.date() == page_kst.date() and listed_kst.time() != time(0, 0):
        return listed_kst
    return page


class ExtractPipeline:
    """Extraction is CPU-bound and pure, so it runs in worker processes (NEWSARCHIVE_EXTRACT_WORKERS;
    0 = in the crawl process) while the reactor goes on downloading and storing."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.workers = crawler.settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 1)
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers > 0:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_exit_with_parent, initargs=(os.getpid(),))

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def _extract(self, item: PageItem) -> tuple[Article, Fingerprint]:
        job = partial(extract_and_fingerprint, item.html, item.url, source=item.source, encoding=item.encoding,
                      fetched_at=item.fetched_at)
        if self.pool is None:
            return job()
        return await asyncio.wrap_future(self.pool.submit(job))

    def _drop(self, counter: str, reason: str) -> DropItem:
        assert self.crawler.stats is not None
        runstats.count(self.crawler.stats, counter, reason)
        return DropItem(reason)

    async def process_item(self, item: PageItem) -> ExtractedItem:
        try:
            article, fingerprint = await self._extract(item)
        except NotAnArticle as exc:
            raise self._drop("failed", f"not an article: {exc.reason}") from None
        except Exception as exc:  # a broken page must not stop the crawl; it is counted and recorded
            raise self._drop("failed", f"extraction error: {type(exc).__name__}: {exc}"[:200]) from None
        article.published_at = _more_precise(article.published_at, item.listed_at)
        for name in item.ministries:
            if name not in article.ministries:
                article.ministries.append(name)
        spider = self.crawler.spider
        window: Window | None = getattr(spider, "window", None)
        if window is not None and article.published_at is not None and not window.contains(article.published_at):
            raise self._drop("skipped", "out_of_window")
        if getattr(spider, "requires_ministry", False) and not article.ministries:
            raise self._drop("skipped", "no ministry named")
        return ExtractedItem(item, article, fingerprint)
