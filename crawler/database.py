"""How Scrapy components find the archive: the NEWSARCHIVE_DATABASE_URL setting, shared by middlewares,
pipelines and extensions. Whoever starts the crawl resolves it (newsarchive crawl through crawler.process,
`scrapy crawl` through newsarchive/scrapy_settings.py); the crawler never reads the user's configuration."""

from __future__ import annotations

from typing import Any


class NoDatabase(RuntimeError):
    """The crawl was started without an archive to write to."""


def database_url(settings: Any) -> str:
    url = settings.get("NEWSARCHIVE_DATABASE_URL")
    if not url:
        raise NoDatabase("the Scrapy setting NEWSARCHIVE_DATABASE_URL is not set")
    return str(url)
