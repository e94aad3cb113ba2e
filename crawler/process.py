"""Running one spider in this process (the caller's process is the crawl's process: Scrapy's reactor
cannot be restarted, so one crawl per process)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from twisted.python.failure import Failure

SETTINGS_MODULE = "crawler.settings"


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    return get_project_settings()


def spider_names() -> list[str]:
    return sorted(SpiderLoader.from_settings(project_settings()).list())


def spider_class(name: str) -> type:
    return SpiderLoader.from_settings(project_settings()).load(name)


@dataclass
class CrawlRequest:
    """One crawl (or revisit) to run in this process: the spider, its arguments, and the run row."""

    spider: str | type
    database_url: str
    run_id: int
    spider_args: dict[str, str] = field(default_factory=dict)
    mirrors: dict[str, str] = field(default_factory=dict)
    log_level: str = "WARNING"
    overrides: dict[str, Any] = field(default_factory=dict)


def run_crawl(req: CrawlRequest, on_crawler: Callable[[Crawler], None] | None = None) -> str | None:
    """Run the spider to its end; returns an error message when it could not start."""
    settings = project_settings()
    settings.setdict({
        "NEWSARCHIVE_DATABASE_URL": req.database_url,
        "NEWSARCHIVE_RUN_ID": req.run_id,
        "NEWSARCHIVE_MIRROR": req.mirrors,
        "LOG_LEVEL": req.log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        **req.overrides,
    }, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(req.spider)
    if on_crawler is not None:
        on_crawler(crawler)
    errors: list[str] = []

    def start_failed(failure: Failure) -> None:
        errors.append(failure.getErrorMessage() or repr(failure.value))

    process.crawl(crawler, **req.spider_args).addErrback(start_failed)
    process.start()
    return errors[0] if errors else None
