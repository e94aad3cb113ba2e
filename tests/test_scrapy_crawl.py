"""`scrapy crawl NAME` keeps working beside `newsarchive crawl`: same spiders, settings and archive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from newsarchive.demo.site import build_expected, build_site
from newsarchive.demo.site.server import serve
from storage.db import transaction
from storage.models import Article, CrawlRun
from tests.crawl_helpers import REPO_ROOT, kst_today


def test_scrapy_crawl_archives_into_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"  # not migrated: the crawl must set it up itself
    today = kst_today()
    with serve(build_site(today)) as site:
        env = {**os.environ, "PYTHONPATH": REPO_ROOT, "NEWSARCHIVE_DATABASE_URL": url,
               "NEWSARCHIVE_MIRROR": site.mirror_env()}
        result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "korea_kr", "-s", "DOWNLOAD_DELAY=0",
                                 "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
                                cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    with transaction(url) as session:
        stored = set(session.scalars(select(Article.canonical_url)))
        run = session.scalars(select(CrawlRun)).one()
    assert stored == {a.url for a in build_expected(today).archived("korea_kr")}
    assert run.spider == "korea_kr" and run.status == "finished" and run.stored == len(stored)
