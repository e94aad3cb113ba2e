"""`scrapy crawl NAME` keeps working beside `newsarchive crawl`: same spiders, settings and archive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from core.timewindow import KST
from newsarchive.demo.site import build_expected, build_site
from newsarchive.demo.site.server import serve
from storage.db import transaction
from storage.models import Article, CrawlRun
from tests.crawl_helpers import REPO_ROOT, kst_today


def scrapy_crawl(url: str, *settings: str) -> tuple[set[str], CrawlRun]:
    """Crawl the local korea_kr with `scrapy crawl`: the canonical URLs stored, and the run."""
    with serve(build_site(kst_today())) as site:
        # a user's shell: scrapy.cfg chooses the settings (crawler.process sets SCRAPY_SETTINGS_MODULE in
        # the test process when another test ran a crawl in it)
        shell = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
        env = {**shell, "PYTHONPATH": REPO_ROOT, "NEWSARCHIVE_DATABASE_URL": url,
               "NEWSARCHIVE_MIRROR": site.mirror_env()}
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "korea_kr", "-s", "DOWNLOAD_DELAY=0",
                                 "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING", *settings],
                                cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    with transaction(url) as session:
        return set(session.scalars(select(Article.canonical_url))), session.scalars(select(CrawlRun)).one()


def test_scrapy_crawl_archives_into_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"  # not migrated: the crawl must set it up itself
    stored, run = scrapy_crawl(url)
    assert stored == {a.url for a in build_expected(kst_today()).archived("korea_kr")}
    assert run.spider == "korea_kr" and run.status == "finished" and run.stored == len(stored)


def test_scrapy_crawl_covers_the_window_days_setting(tmp_path: Path) -> None:
    today = kst_today()
    stored, run = scrapy_crawl(f"sqlite:///{tmp_path / 'a.db'}", "-s", "NEWSARCHIVE_WINDOW_DAYS=1")
    expected = build_expected(today)
    assert stored == {a.url for a in expected.archived("korea_kr", since=today, until=today)}
    assert stored < {a.url for a in expected.archived("korea_kr")}, "today alone is less than the default"
    assert run.window_start is not None and run.window_start.astimezone(KST).date() == today
