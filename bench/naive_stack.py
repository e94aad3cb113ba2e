"""The archive a user would write from Scrapy, trafilatura and SQLAlchemy alone, as bench/crawl.py's yardstick.

    python bench/naive_stack.py SITEMAP_URL SQLITE_FILE [--mirror HOST=BASE]

A SitemapSpider reads the sitemap, every page is extracted with `trafilatura.bare_extraction` (metadata
included) in the item pipeline, and each article is inserted through the ORM and committed on its own; a
URL or body already stored is skipped. It neither clusters nor indexes. Written plainly on purpose: no
tuning beyond the politeness limits that bench/crawl.py lifts for newsarchive too. `--mirror` points a
sitemap's real host at the local replay server, as newsarchive's own option does."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable
from typing import Any

import trafilatura
from scrapy.crawler import CrawlerProcess
from scrapy.spiders import SitemapSpider
from sqlalchemy import String, Text, create_engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from trafilatura.settings import Document


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    body_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class NewsSitemapSpider(SitemapSpider):
    name = "news"

    def __init__(self, sitemap: str, mirrors: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [sitemap]
        self.mirrors = mirrors

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        for entry in entries:
            for host, base in self.mirrors.items():
                entry["loc"] = entry["loc"].replace(f"https://{host}", base)
            yield entry

    def parse(self, response: Any) -> Any:
        yield {"url": response.url, "html": response.text}


class StorePipeline:
    def __init__(self, db: str) -> None:
        self.db = db

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler.settings["ARCHIVE_DB"])

    def open_spider(self, spider: Any = None) -> None:
        self.engine = create_engine(f"sqlite:///{self.db}")
        Base.metadata.create_all(self.engine)

    def close_spider(self, spider: Any = None) -> None:
        self.engine.dispose()

    def process_item(self, item: dict[str, str], spider: Any = None) -> dict[str, str]:
        doc = trafilatura.bare_extraction(item["html"], url=item["url"], with_metadata=True)
        if isinstance(doc, Document) and doc.text:
            with Session(self.engine) as session:
                session.add(Article(url=item["url"], body_hash=hashlib.sha256(doc.text.encode()).hexdigest(),
                                    title=doc.title, author=doc.author, date=doc.date,
                                    description=doc.description, text=doc.text))
                try:
                    session.commit()
                except IntegrityError:  # this URL or this body is archived already
                    session.rollback()
        return {"url": item["url"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sitemap")
    parser.add_argument("db", help="SQLite file")
    parser.add_argument("--mirror", action="append", default=[], help="HOST=BASE")
    args = parser.parse_args()
    process = CrawlerProcess({
        "LOG_LEVEL": "INFO",
        "ARCHIVE_DB": args.db,
        "ITEM_PIPELINES": {StorePipeline: 300},
        # the same limits as bench/crawl.py sets for newsarchive on the local replay server
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    })
    process.crawl(NewsSitemapSpider, sitemap=args.sitemap, mirrors=dict(m.split("=", 1) for m in args.mirror))
    process.start()


if __name__ == "__main__":
    main()
