"""The real service, the real spider, the local site: issue 4's 'done when', end to end."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from datetime import datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep

import pytest
from sqlalchemy import delete, select

from newsarchive.config import Config
from newsarchive.demo.site import Resource, build_site
from newsarchive.demo.site.server import serve
from newsarchive.service.timing import zone
from scheduler import Service
from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import FAST, kst_today, newsarchive


def _runs(db_url: str) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_the_service_records_a_finished_run_and_skips_the_trigger_that_overlaps_it(
        tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The service's clock starts 2 s before the nightly 02:30 (instead of the test waiting for a cron
    time): etoday never ran, so it is crawled at once (catch-up), and the 02:30 trigger comes while that
    crawl runs and must be skipped. The crawls are real `newsarchive crawl` processes."""
    command = (sys.executable, "-m", "newsarchive", "crawl", "--no-progress", "--set", "DOWNLOAD_DELAY=0.2",
               "--set", "AUTOTHROTTLE_ENABLED=False")
    config = Config(database_url=sqlite_url, schedules={"etoday": "30 2 * * *"}, revisits={},
                    grace_seconds=5, crawl_command=command)
    tz = zone(config.timezone)
    start = datetime.combine(datetime.now(tz).date(), time(2, 29, 58), tz)
    first_read: list[float] = []

    def clock() -> datetime:  # 02:29:58 when the service first reads it (under load, maybe seconds from now)
        first_read[:] = first_read or [monotonic()]
        return start + timedelta(seconds=monotonic() - first_read[0])

    service = Service(config, sqlite_url, clock=clock)
    finished: list[CrawlRun] = []

    def stop_when_finished() -> None:
        deadline = monotonic() + 120
        while monotonic() < deadline and not finished:
            sleep(0.5)
            finished.extend(r for r in _runs(sqlite_url) if r.status == "finished")
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the service

    with serve(build_site(kst_today())) as site:
        monkeypatch.setenv("NEWSARCHIVE_MIRROR", site.mirror_env())
        watcher = threading.Thread(target=stop_when_finished, daemon=True)
        with caplog.at_level(logging.INFO, logger="newsarchive.service"):
            watcher.start()
            assert service.serve() == 0
        watcher.join(timeout=10)
    assert finished, "a finished run within the time limit"
    run = finished[0]
    assert run.spider == "etoday" and run.stored > 0 and run.listed >= run.stored and run.fetched > 0
    assert [r.id for r in _runs(sqlite_url)] == [run.id], "the 02:30 trigger started no second crawl"
    assert "etoday: no successful run since its last scheduled time, running now (catch-up)" in caplog.text
    assert "etoday: trigger skipped, the previous run is still active" in caplog.text
    assert f"run {run.id} etoday started" in caplog.text and f"run {run.id} etoday finished" in caplog.text


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
            session.execute(delete(CrawlRun))
            from storage.models import Article

            session.execute(delete(Article))
        for _ in range(3):
            newsarchive("crawl", "etoday", "--db", sqlite_url, *site.mirror_args(), *FAST, check=True)
    report = newsarchive("health", "--db", sqlite_url, "--config", str(config))
    assert report.returncode != 0
    assert "FLAGGED  etoday" in report.stdout and "stored nothing" in report.stdout
