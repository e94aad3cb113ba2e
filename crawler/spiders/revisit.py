"""Revisit crawls: a site spider's recent articles fetched again with conditional requests.

`revisit_spider(SiteSpider)` is the site spider (its page handling, e.g. korea.kr's document-viewer
frames, included) started from the archive instead of its listings: every article of that source
published since a day is requested with If-None-Match / If-Modified-Since from its stored validators.
A 304 ends there (nothing re-extracted); a 200 goes through the same pipelines, where `revisit = True`
makes the store stage compare the page with the archived article and keep a change as a revision.

Built per run and not registered with the spider loader, so `newsarchive spiders` lists site spiders only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, time
from typing import Any

import scrapy
from scrapy.http import Response

from core.items import PageItem
from core.jobs import revisit_name
from core.timewindow import KST
from crawler import runstats
from crawler.database import database_url
from crawler.listings import Entry
from crawler.spiders.base import ArchiveSpider
from storage import clusters
from storage.db import transaction

REVISIT_META = "newsarchive_revisit"  # the article id a revisit request is for
NOT_MODIFIED = "not modified"


def revisit_spider(site: type[ArchiveSpider]) -> type[ArchiveSpider]:
    """The revisit variant of a site spider class."""

    class RevisitSpider(site):  # type: ignore[valid-type,misc]
        name = revisit_name(site.name)
        revisit = True

        def __init__(self, since: str | None = None, **kwargs: Any):
            # The window (used by the extract stage) starts at `since` and ends today.
            super().__init__(since=since, **kwargs)
            self.source_name = site.name

        async def start(self) -> AsyncIterator[Any]:
            since = datetime.combine(self.window.since_day, time.min, KST)
            with transaction(database_url(self.settings)) as session:
                targets = clusters.revisit_targets(session, site.name, since)
            for target in targets:
                runstats.count(self.crawler.stats, "listed")
                yield self.revisit_request(target)

        def revisit_request(self, target: clusters.RevisitTarget) -> scrapy.Request:
            headers = {}
            if target.etag:
                headers["If-None-Match"] = target.etag
            if target.last_modified:
                headers["If-Modified-Since"] = target.last_modified
            entry = Entry(url=target.url, listed_at=target.published_at, ministries=list(target.ministries))
            return scrapy.Request(target.url, headers=headers, callback=self.parse_revisit,
                                  errback=self.article_failed, dont_filter=True,
                                  meta={"entry": entry, REVISIT_META: target.article_id,
                                        "handle_httpstatus_list": [304]})

        def parse_revisit(self, response: Response) -> Iterator[Any]:
            if response.status == 304:
                runstats.count(self.crawler.stats, "skipped", NOT_MODIFIED)
                with transaction(database_url(self.settings)) as session:
                    clusters.touch_validators(session, response.meta[REVISIT_META])
                return
            yield from self.parse_article(response)

        def page_item(self, response: Response, html: bytes) -> PageItem:
            item = super().page_item(response, html)
            item.source = self.source_name  # the article keeps its site's name, not the run's
            return item

    RevisitSpider.__name__ = RevisitSpider.__qualname__ = f"Revisit{site.__name__}"
    return RevisitSpider
