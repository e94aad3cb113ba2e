"""Middlewares: skip archived articles before they are requested (spider middleware), send hosts to a
mirror and back off retries (downloader middlewares)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.response import response_status_message

from core.urls import canonical_url
from crawler import dbfailure, runstats
from crawler.database import database_url
from crawler.neterrors import DNS_ERRORS
from pipelines.workers import start_fork_server
from storage import repository
from storage.db import get_engine

ARTICLE_META = "newsarchive_article"  # set by spiders on article-page requests
ORIGINAL_URL_META = "newsarchive_original_url"
_PROXY_META = ("proxy", "_auth_proxy", "_scheme_proxy")


class SkipArchivedMiddleware:
    """Spider middleware: of the article requests a listing yields, drops those whose canonical URL is
    already archived (or was fetched before and is not an article we keep), before they are scheduled.
    The listing's article requests are held until the listing is parsed and checked with one query."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.db_url = database_url(crawler.settings)
        self.retry_rejected = crawler.settings.getbool("NEWSARCHIVE_RETRY_REJECTED")
        self.extract_workers = crawler.settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 1) > 0

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
        known: set[str] | None = None
        with dbfailure.guard(self.crawler), get_engine(self.db_url).connect() as connection:
            known = repository.known_urls(connection, canonical.values(), include_rejected=not self.retry_rejected)
        if known is None:  # the database failed: the crawl is ending
            return []
        assert self.crawler.stats is not None
        kept = []
        for request in requests:
            if canonical[id(request)] in known:
                runstats.count(self.crawler.stats, "skipped", "archived")
            else:
                kept.append(request)
        if kept and self.extract_workers:
            start_fork_server()  # the workers' imports overlap the first pages' downloads
        return kept


def _is_article_request(output: Any) -> bool:
    return isinstance(output, Request) and bool(output.meta.get(ARTICLE_META))


class UnmirroredHost(IgnoreRequest):
    """A request (a redirect, usually) for a host that has no mirror while mirrors are on: refused, so that
    a crawl of a mirror never reaches the real site."""


class HostMirrorMiddleware:
    """Sends requests for a mirrored host to its base URL (same path and query); responses get their
    real URL back, so spiders, items and the archive never see the mirror. With mirrors on, every request
    stays on them: a redirect to a mirrored host (absolute, e.g. to https://m.site/…) is sent to its mirror
    too, and a request for a host without one is refused (UnmirroredHost). Each real host keeps its own
    downloader slot (concurrency, delay), although its mirror may share an address with the others'."""

    def __init__(self, mirrors: dict[str, str]):
        self.mirrors = mirrors

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostMirrorMiddleware:
        configured = crawler.settings.getdict("NEWSARCHIVE_MIRROR")
        mirrors = {k.lower(): v.rstrip("/") for k, v in configured.items()}
        if not mirrors:
            raise NotConfigured  # with a message, Scrapy would warn of it on every crawl without mirrors
        return cls(mirrors)

    def process_request(self, request: Request) -> Request | None:
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        base = self.mirrors.get(host)
        if base is None:
            if self._unmirror(request.url, "https") is not None:
                return None  # on a mirror already (mirrored before, or a relative redirect)
            raise UnmirroredHost(f"no mirror for {host or request.url[:80]}")
        target = base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        # The proxy chosen for the real host (HttpProxyMiddleware ran first) is not the mirror's: it is
        # chosen again for the mirror's address, which no_proxy may exempt.
        kept = {key: value for key, value in request.meta.items() if key not in _PROXY_META}
        meta = {**kept, ORIGINAL_URL_META: request.url, "dont_obey_robotstxt": True, "download_slot": host}
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
            if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
                rest = url[len(base):]
                return f"{scheme}://{host}{rest if rest.startswith('/') else '/' + rest}"
        return None


class RetryLater(IgnoreRequest):
    """The request is retried later, outside the downloader; the spider's errbacks ignore this failure."""


def retry_after(response: Response, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date); None without one."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but each retry waits base * 2**attempt seconds (capped), or what the server asked
    for in Retry-After, before it is scheduled again.

    The wait happens outside the downloader: the retry is handed back to the engine by a timer, while the
    failed attempt ends with RetryLater. Waiting inside a middleware (as before) kept the request among the
    downloader's active ones, so a few failing URLs filled the global CONCURRENT_REQUESTS and delayed every
    other host. A Retry-After longer than NEWSARCHIVE_RETRY_BACKOFF_MAX is beyond this crawl's patience: the
    response is given up at once (the page is recorded as failed, and the next crawl fetches it again).
    Requests without an errback (robots.txt) are retried at once, as Scrapy does."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_MAX", 60.0)
        self.waiting: dict[int, CallLaterResult] = {}  # id(retry request) -> its timer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after(response)
        if asked is not None and asked > self.cap:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("newsarchive/retry_after_given_up")
            return response
        retry = self._retry(request, response_status_message(response.status))
        return response if retry is None else self._later(retry, asked)

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        if isinstance(exception, DNS_ERRORS):  # not retried: see crawler/neterrors.py
            return None
        result = super().process_exception(request, exception)
        return self._later(result, None) if isinstance(result, Request) else result

    def _later(self, retry: Request, asked: float | None) -> Request:
        attempt = int(retry.meta.get("retry_times", 1))
        delay = asked if asked is not None else min(self.cap, self.base * 2 ** (attempt - 1))
        if delay <= 0 or retry.errback is None:
            return retry
        self.waiting[id(retry)] = call_later(delay, self._release, retry)
        raise RetryLater(f"retry {attempt} of {retry.url} in {delay:.1f}s")

    def _release(self, retry: Request) -> None:
        self.waiting.pop(id(retry), None)
        assert self.crawler.engine is not None
        self.crawler.engine.crawl(retry)

    def spider_idle(self) -> None:
        if self.waiting:
            raise DontCloseSpider

    def spider_closed(self) -> None:
        for call in self.waiting.values():
            call.cancel()
        self.waiting.clear()
