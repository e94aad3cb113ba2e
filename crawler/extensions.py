"""Crawl-run records: the run row follows the crawl's counters while it runs and gets its outcome at the end."""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Response
from sqlalchemy.orm import Session
from twisted.internet import task

from core.urls import canonical_url
from crawler import dbfailure, runstats
from crawler.database import database_url
from crawler.listing_status import listing_verdict
from storage import repository
from storage.db import migrate, transaction
from storage.faults import fatal_reason

logger = logging.getLogger(__name__)

RECORD_RETRY_PAUSES = (0.5, 1.5, 3.0)  # seconds before each new attempt to record the run's end
# close reasons that mean the crawl was interrupted rather than completed
KILLED_REASONS = {"shutdown", "cancelled", "closespider_timeout"}


class CrawlRunExtension:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = database_url(crawler.settings)
        self.run_id: int | None = crawler.settings.getint("NEWSARCHIVE_RUN_ID") or None
        self.flush_seconds = crawler.settings.getfloat("NEWSARCHIVE_RUN_FLUSH_SECONDS", 10)
        self._loop: task.LoopingCall | None = None
        self.listing_failures = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.page_failed, signal=runstats.page_failed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        with dbfailure.guard(self.crawler):
            self._open_run(spider)
        spider.run_id = self.run_id  # type: ignore[attr-defined]
        self._loop = task.LoopingCall(self.flush)
        self._loop.start(self.flush_seconds, now=False)
        logger.info("crawl run %s started for %s", self.run_id, spider.name)

    def _open_run(self, spider: Spider) -> None:
        migrate(self.db_url)  # a no-op when current; lets a bare `scrapy crawl` start on an empty database
        window = getattr(spider, "window", None)
        with transaction(self.db_url) as session:
            if self.run_id is None:
                run = repository.create_run(session, spider.name,
                                            window.start if window else None, window.end if window else None,
                                            pid=os.getpid())
                self.run_id = run.id
            else:
                repository.update_run(session, self.run_id, pid=os.getpid(), host=socket.gethostname(),
                                      status="running")

    def flush(self) -> None:
        """The counters so far, every NEWSARCHIVE_RUN_FLUSH_SECONDS."""
        with dbfailure.guard(self.crawler):
            self._record()

    def _record(self, **final: Any) -> None:
        """The counters (and `final`: status, reason, finished) into this process's row, once it has one."""
        row = self._row()
        if row is None or self.crawler.stats is None:
            return
        counts, reasons = runstats.snapshot(self.crawler.stats)
        with transaction(self.db_url) as session:
            self._write(session, row, counts=counts, reasons=reasons, **final)

    def _row(self) -> int | None:
        """Where this process's counters go: the run's row (a distributed worker's: its part's)."""
        return self.run_id

    def _write(self, session: Session, row: int, **values: Any) -> None:
        repository.update_run(session, row, **values)

    def item_dropped(self, item: Any, response: Response, exception: DropItem, spider: Spider) -> None:
        if isinstance(exception, runstats.RecordedDrop):
            return
        self.page_failed(canonical_url(getattr(item, "url", None) or response.url), str(exception))

    def page_failed(self, url: str, reason: str) -> None:
        """Record a page that was fetched (or tried) and not archived, with why."""
        with dbfailure.guard(self.crawler), transaction(self.db_url) as session:
            repository.record_rejection(session, self.run_id, url, reason)

    def spider_error(self, failure: Any, response: Response, spider: Spider) -> None:
        assert self.crawler.stats is not None
        runstats.count(self.crawler.stats, "failed", f"error: {failure.type.__name__}")
        self.page_failed(response.url, f"error: {failure.getErrorMessage()}")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        status, why = self.outcome(spider, reason)
        unrecorded = self.record_end(status, why)
        counts, _ = runstats.snapshot(self.crawler.stats)
        logger.info("crawl run %s %s (%s): %s%s", self.run_id, status, why or reason, counts,
                    f"; {unrecorded}" if unrecorded else "")

    def record_end(self, status: str, why: str) -> str | None:
        """Record the run's end, trying again for a few seconds if the database fails; when it cannot, the
        one-line explanation is returned and kept in the stats (runstats.UNRECORDED)."""
        cause = None
        for pause in (0.0, *RECORD_RETRY_PAUSES):
            time.sleep(pause)
            try:
                self._record(status=status, reason=why, finished=True)
                return None
            except Exception as exc:
                cause = fatal_reason(exc)
                if cause is None:
                    raise
        message = f"crawl run {self.run_id} ended {status} but could not be recorded: {cause}"
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(runstats.UNRECORDED, message)
        return message

    def closed_badly(self, reason: str) -> tuple[str, str] | None:
        """failed or killed when the database failed or Scrapy did not close as finished; else None."""
        failed = dbfailure.failure(self.crawler)
        if failed is not None:
            return "failed", f"database error: {failed}"
        if reason in KILLED_REASONS:
            return "killed", f"interrupted ({reason})"
        if reason != "finished":
            return "failed", f"closed: {reason}"
        return None

    def outcome(self, spider: Spider, reason: str) -> tuple[str, str]:
        """finished, failed or killed — judged from what the crawl did, not only how Scrapy closed."""
        bad = self.closed_badly(reason)
        if bad is not None:
            return bad
        status = getattr(spider, "listing_status", None)
        return listing_verdict(status.snapshot()) if status is not None else ("finished", "")
