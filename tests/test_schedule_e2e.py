"""The real service, the real spider, the local site: issue 4's 'done when', end to end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from newsarchive.demo.site import Resource, build_site
from newsarchive.demo.site.server import serve
from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import FAST, REPO_ROOT, kst_today, newsarchive


def _runs(db_url: str) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_schedule_every_minute_records_a_finished_run_and_skips_the_overlapping_trigger(
        tmp_path: Path, sqlite_url: str) -> None:
    config = tmp_path / "newsarchive.toml"
    log_file = tmp_path / "service.log"
    # A 3 s download delay makes the crawl outlive the next minute's trigger, which must then be skipped.
    command = [sys.executable, "-m", "newsarchive", "crawl", "--no-progress", "--set", "DOWNLOAD_DELAY=3",
               "--set", "AUTOTHROTTLE_ENABLED=False"]
    config.write_text(
        f'database = "{sqlite_url}"\nlog_file = "{log_file}"\n'
        f"[crawl]\nwindow_days = 2\ncommand = {command!r}\n".replace("'", '"')
        + '[schedule]\ngrace_seconds = 5\n[schedule.spiders]\netoday = "* * * * *"\n', encoding="utf-8")
    with serve(build_site(kst_today())) as site:
        env = {**os.environ, "PYTHONPATH": REPO_ROOT, "NEWSARCHIVE_MIRROR": site.mirror_env()}
        service = subprocess.Popen([sys.executable, "-m", "newsarchive", "schedule", "--config", str(config)],
                                   cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 150
            finished: list[CrawlRun] = []
            while time.monotonic() < deadline and not finished:
                time.sleep(2)
                finished = [r for r in _runs(sqlite_url) if r.status == "finished"]
                assert service.poll() is None, "the service stopped on its own"
            assert finished, "a finished run within the time limit"
        finally:
            service.send_signal(signal.SIGTERM)
            _, stderr = service.communicate(timeout=60)
    run = finished[0]
    assert run.spider == "etoday" and run.stored > 0 and run.listed >= run.stored and run.fetched > 0
    assert (run.finished_at - run.started_at).total_seconds() > 60, "the crawl spanned a minute boundary"
    log = log_file.read_text(encoding="utf-8")
    assert "trigger skipped, the previous run is still active" in log + stderr
    assert f"run {run.id} etoday started" in log and f"run {run.id} etoday finished" in log
    assert service.returncode == 0


def test_health_flags_a_spider_whose_site_stopped_yielding_articles(tmp_path: Path, sqlite_url: str) -> None:
    config = tmp_path / "newsarchive.toml"
    config.write_text('[schedule.spiders]\netoday = "30 2 * * *"\n', encoding="utf-8")
    site_pages = build_site(kst_today())
    with serve(site_pages) as site:
        newsarchive("crawl", "etoday", "--db", sqlite_url, *site.mirror_args(), *FAST, check=True)
        healthy = newsarchive("health", "--db", sqlite_url, "--config", str(config))
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        # The site is "redesigned": listings still name new articles, but no page yields an article.
        redesigned = {host: dict(pages) for host, pages in site_pages.items()}
        for path in list(redesigned["www.etoday.co.kr"]):
            if path.startswith("/news/view/"):
                redesigned["www.etoday.co.kr"][path] = Resource(
                    b"<html><body><div id='app'></div></body></html>", "text/html; charset=utf-8")
        site.replace(redesigned)
        with transaction(sqlite_url) as session:
            session.execute(CrawlRun.__table__.delete())
            from storage.models import Article

            session.execute(Article.__table__.delete())
        for _ in range(3):
            newsarchive("crawl", "etoday", "--db", sqlite_url, *site.mirror_args(), *FAST, check=True)
    report = newsarchive("health", "--db", sqlite_url, "--config", str(config))
    assert report.returncode != 0
    assert "FLAGGED  etoday" in report.stdout and "stored nothing" in report.stdout
