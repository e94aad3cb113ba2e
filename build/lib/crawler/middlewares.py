"""Middlewares: skip archived articles before they are requested (spider middleware), send hosts to a
mirror and back off retries (downloader middlewares)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler import runstats
from crawler.database import database_url
from crawler.neterrors import DNS_ERRORS
from crawler.urls import canonical_url
from newsarchive.config import parse_mirrors
from storage import repository
from storage.db import get_engine

ARTICLE_META = "newsarchive_article"  # set by spiders on article-page requests
ORIGINAL_URL_META = "newsarchive_original_url"


class SkipArchivedMiddleware:
    """Spider middleware: of the article requests a listing yields, drops those whose canonical URL is
    already archived (or was fetched before and is not an article we keep), before they are scheduled.
    The listing's article requests are held until the listing is parsed and checked with one query."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = database_url(crawler.settings)
        self.retry_rejected = crawler.settings.getbool("NEWSARCHIVE_RETRY_REJECTED")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipArchivedMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        held: list[Request] = []
        for output in result:
            if _is_article_request(output):
                held.append(output)
            else:
                yield output
        yield from self._not_archived(held)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        held: list[Request] = []
        async for output in result:
            if _is_article_request(output):
                held.append(output)
            else:
                yield output
        for request in self._not_archived(held):
            yield request

    def _not_archived(self, requests: list[Request]) -> list[Request]:
        if not requests:
            return []
        canonical = {id(request): canonical_url(request.url) for request in requests}
        with get_engine(self.db_url).connect() as connection:
            known = repository.known_urls(connection, canonical.values(), include_rejected=not self.retry_rejected)
        assert self.crawler.stats is not None
        kept = []
        for request in requests:
            if canonical[id(request)] in known:
                runstats.count(self.crawler.stats, "skipped", "archived")
            else:
                kept.append(request)
        return kept


def _is_article_request(output: Any) -> bool:
    return isinstance(output, Request) and bool(output.meta.get(ARTICLE_META))


class HostMirrorMiddleware:
    """Sends requests for a mirrored host to its base URL (same path and query); responses get their
    real URL back, so spiders, items and the archive never see the mirror."""

    def __init__(self, mirrors: dict[str, str]):
        self.mirrors = mirrors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostMirrorMiddleware:
        configured = dict(crawler.settings.getdict("NEWSARCHIVE_MIRROR"))
        mirrors = {**parse_mirrors(), **{k.lower(): v.rstrip("/") for k, v in configured.items()}}
        if not mirrors:
            raise NotConfigured  # with a message, Scrapy would warn of it on every crawl without mirrors
        return cls(mirrors)

    def process_request(self, request: Request) -> Request | None:
        if request.meta.get(ORIGINAL_URL_META):
            return None
        parts = urlsplit(request.url)
        base = self.mirrors.get((parts.hostname or "").lower())
        if base is None:
            return None
        target = base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        meta = {**request.meta, ORIGINAL_URL_META: request.url, "dont_obey_robotstxt": True}
        return request.replace(url=target, meta=meta, dont_filter=True)

    def process_response(self, request: Request, response: Response) -> Response:
        original = request.meta.get(ORIGINAL_URL_META)
        if not original:
            return response
        real = self._unmirror(response.url, urlsplit(original).scheme) or original
        return response.replace(url=real)

    def _unmirror(self, url: str, scheme: str) -> str | None:
        """Map a mirror URL (after redirects, too) back onto the real host."""
        for host, base in self.mirrors.items():
            if url.startswith(base):
                rest = url[len(base):]
                return f"{scheme}://{host}{rest if rest.startswith('/') else '/' + rest}"
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but each retry waits base * 2**attempt seconds (capped) before it is queued."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        if isinstance(exception, DNS_ERRORS):  # not retried: see crawler/neterrors.py
            return None
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def _wait(self, retry: Request) -> None:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = min(self.cap, self.base * 2 ** (attempt - 1))
        if delay > 0:
            await asyncio.sleep(delay)
