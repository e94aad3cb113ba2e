"""Crawling the hostile site through the real CLI, and reading back what the archive made of each listed URL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storage.db import transaction
from storage.models import Article, CrawlRun, Duplicate, RejectedPage
from tests.crawl_helpers import FAST, newsarchive
from tests.faults.hostile import HostileSite

# Short timeouts and backoff so that a crawl of every fault takes seconds, not minutes.
IMPATIENT = ["--set", "DOWNLOAD_TIMEOUT=3", "--set", "NEWSARCHIVE_RETRY_BACKOFF_BASE=0.3",
             "--set", "NEWSARCHIVE_RETRY_BACKOFF_MAX=10"]


def crawl(site: HostileSite, db_url: str, *extra: str) -> str:
    result = newsarchive("crawl", "etoday", "--db", db_url, *site.mirror_args(), *FAST, *IMPATIENT, *extra,
                         env=site.env(), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


@dataclass
class Archive:
    """What the archive holds, keyed by canonical URL."""

    articles: dict[str, str]  # canonical URL -> content hash
    duplicates: dict[str, int]  # canonical URL -> article id
    rejected: list[tuple[int | None, str, str]]  # (run id, url, reason)
    runs: list[CrawlRun]

    @classmethod
    def read(cls, db_url: str) -> Archive:
        with transaction(db_url) as session:
            articles = {row[0]: row[1] for row in session.execute(select(Article.canonical_url, Article.content_hash))}
            pairs = session.execute(select(Duplicate.canonical_url, Duplicate.article_id))
            duplicates = {row[0]: row[1] for row in pairs}
            rejected = [(r.run_id, r.url, r.reason) for r in session.scalars(select(RejectedPage))]
            runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
            session.expunge_all()
        return cls(articles, duplicates, rejected, runs)

    def kept(self, url: str) -> bool:
        return url in self.articles or url in self.duplicates

    def reasons(self, url: str, run_id: int | None = None) -> list[str]:
        """Reasons recorded for `url` (by run `run_id` only, when given)."""
        return [reason for run, u, reason in self.rejected if u == url and run_id in (None, run)]


@dataclass
class Reconciliation:
    listed: int
    stored: int  # stored as an article or recorded as a duplicate of one
    recorded: int  # not kept, but in rejected_pages under its canonical URL with the run and a reason
    lost: list[str]  # neither
    doubled: list[str]  # kept twice, or kept under a URL that no listing named (a mirror's, a redirect's)


def reconcile(listed: set[str], archive: Archive, run_id: int | None) -> Reconciliation:
    """Each listed URL stored, or recorded with a reason by run `run_id` (None: by any run)."""
    stored = {url for url in listed if archive.kept(url)}
    recorded = {url for url in listed - stored if any(reason for reason in archive.reasons(url, run_id))}
    doubled = sorted({url for url in listed if url in archive.articles and url in archive.duplicates}
                     | (set(archive.articles) | set(archive.duplicates)) - listed)
    return Reconciliation(len(listed), len(stored), len(recorded), sorted(listed - stored - recorded), doubled)
