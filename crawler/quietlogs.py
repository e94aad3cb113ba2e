"""An unreachable host is a fact about the network, not a bug: Scrapy's robots.txt middleware logs each
failed robots.txt download with a full traceback (two chained ones, some thirty lines per host), which
buried the crawl's one-line summary when a site was down or the machine offline. This extension keeps
those log lines and drops their tracebacks when the error is a network error; other errors keep theirs."""

from __future__ import annotations

import logging

from scrapy import exceptions
from scrapy.crawler import Crawler
from twisted.internet import error as twisted_errors
from twisted.web.client import ResponseFailed

# Recent Scrapy wraps Twisted's network errors in its own exceptions; older versions raise Twisted's.
_SCRAPY_NAMES = ("CannotResolveHostError", "DownloadConnectionRefusedError", "DownloadTimeoutError",
                 "DownloadFailedError", "ResponseDataLossError")
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    *(getattr(exceptions, name) for name in _SCRAPY_NAMES if hasattr(exceptions, name)),
    twisted_errors.ConnectError, twisted_errors.TimeoutError, twisted_errors.ConnectionLost, ResponseFailed,
)
LOGGERS = ("scrapy.downloadermiddlewares.robotstxt",)


class NetworkErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], NETWORK_ERRORS):
            record.exc_info, record.exc_text = None, None
        return True


class QuietNetworkErrors:
    """Enabled in settings.EXTENSIONS, so that `scrapy crawl` gets it too."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietNetworkErrors:
        for name in LOGGERS:
            target = logging.getLogger(name)
            if not any(isinstance(f, NetworkErrorsWithoutTraceback) for f in target.filters):
                target.addFilter(NetworkErrorsWithoutTraceback())
        return cls()
