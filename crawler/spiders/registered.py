"""One Scrapy spider class per registered site (sites/*.py and the user's site files), built when Scrapy's
SpiderLoader imports this module, so `scrapy crawl NAME` and `newsarchive crawl NAME` find every site.

Everything a site spider does beyond ArchiveSpider is read from its Site: per-ministry feeds
(`--arg ministries=code,…`) and a frame rule's fallback address for the content frame."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import Response

from crawler.listings import Entry
from crawler.spiders.base import ArchiveSpider
from sites.model import Site
from sites.registry import all_sites


class SiteSpider(ArchiveSpider):
    """The spider of one Site; `spider_class(site)` sets `site` and the sources ArchiveSpider reads."""

    site: ClassVar[Site]

    def __init__(self, ministries: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        site = self.site
        self.feed_ministry = {f.feed: f.ministry for f in site.ministry_feeds.values()}
        self.wanted_ministries: set[str] = set()  # empty: every ministry
        codes = [c.strip() for c in (ministries or "").split(",") if c.strip()]
        if codes and not site.ministry_feeds:
            raise ValueError(f"{site.name} has no per-ministry feeds: it takes no ministries argument")
        unknown = [c for c in codes if c not in site.ministry_feeds]
        if unknown:
            raise ValueError(f"unknown {site.hosts[0]} ministry code(s) {', '.join(unknown)}; "
                             f"known: {', '.join(site.ministry_feeds)}")
        if site.ministry_feeds:
            chosen = [site.ministry_feeds[c] for c in codes or site.ministry_feeds]
            # the site's general feeds only when every ministry is wanted
            self.feeds = [f.feed for f in chosen] + ([] if codes else list(site.feeds))
            if codes:
                self.wanted_ministries = {f.ministry for f in chosen}

    def feed_entries(self, response: Response) -> list[Entry]:
        entries = super().feed_entries(response)
        ministry = self.feed_ministry.get(response.url)
        if ministry:
            for entry in entries:
                entry.ministries = [ministry]
        return entries

    def follow_entries(self, entries: list[Entry]) -> Iterator[scrapy.Request]:
        if self.wanted_ministries:
            entries = [e for e in entries if set(e.ministries) & self.wanted_ministries]
        yield from super().follow_entries(entries)

    def inner_frame_url(self, response: Response) -> str | None:
        """The frame's inner frame; failing that, the address the frame rule builds from a query key."""
        inner = super().inner_frame_url(response)
        rule = self.frame_rule
        if inner or rule is None or not rule.inner_query_key:
            return inner
        folder = parse_qs(urlsplit(response.url).query).get(rule.inner_query_key, [""])[0].rstrip("/")
        last = folder.rsplit("/", 1)[-1]
        return rule.inner_template.format(folder=folder, last=last) if folder and last else None


def spider_class(site: Site) -> type[SiteSpider]:
    """The Scrapy spider class of a site, e.g. `KoreaKrSpider` for korea_kr."""
    class_name = "".join(part.capitalize() for part in site.name.split("_") if part) + "Spider"
    attributes = {
        "__module__": __name__,
        "__doc__": site.description or f"The {site.name} site.",
        "name": site.name,
        "site": site,
        "sitemaps": site.sitemaps,
        "feeds": site.feeds,
        "list_sources": site.list_sources,
        "article_pattern": site.article_pattern,
        "requires_ministry": site.requires_ministry,
        "ministry": site.ministry,
        "frame_rule": site.frame,
    }
    return type(class_name, (SiteSpider,), attributes)


globals().update({cls.__name__: cls for cls in map(spider_class, all_sites())})
