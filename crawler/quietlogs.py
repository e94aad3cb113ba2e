"""An unreachable host is a fact about the network, not a bug: Scrapy's robots.txt middleware logs each
failed robots.txt download with a full traceback (two chained ones, some thirty lines per host), and the
retry middleware one error line per request given up, which buried the crawl's one-line summary when a
site was down or the machine offline. The summary now names the hosts that could not be reached
(crawler/neterrors.py); this extension turns those per-request lines into INFO lines without tracebacks
(shown with `crawl -v`) when the error is the network's. Other errors keep their level and traceback."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from crawler.neterrors import NETWORK_ERRORS

LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.downloadermiddlewares.retry")


class NetworkErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None and isinstance(record.args, dict):  # the retry middleware's "Gave up retrying"
            error = record.args.get("reason")
        if isinstance(error, NETWORK_ERRORS):
            record.exc_info, record.exc_text = None, None
            if record.levelno > logging.INFO:
                record.levelno, record.levelname = logging.INFO, "INFO"
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
