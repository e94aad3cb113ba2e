"""The crawl command's edges: bad input, unreachable database, a crawl killed mid-way."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import func, select

from newsarchive.demo.site import build_expected, build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import transaction
from storage.models import Article, CrawlRun, RawPage
from tests.crawl_helpers import FAST, REPO_ROOT, descendants, kill_workers, kst_today, newsarchive, worker_processes


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    return lines[-1]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            state = next(line for line in handle if line.startswith("State:"))
    except FileNotFoundError:
        return False
    return "Z" not in state.split()[1]  # a zombie has exited; only its parent has not reaped it


def test_unknown_spider_is_one_line_and_exit_2(sqlite_url: str) -> None:
    result = newsarchive("crawl", "nosuchspider", "--db", sqlite_url)
    assert result.returncode == 2
    assert "unknown spider 'nosuchspider'" in one_error_line(result)
    assert "etoday" in one_error_line(result)


def test_bad_dates_are_rejected(sqlite_url: str) -> None:
    result = newsarchive("crawl", "etoday", "--since", "2024-13-01", "--db", sqlite_url)
    assert result.returncode == 2 and "bad date '2024-13-01'" in one_error_line(result)
    result = newsarchive("crawl", "etoday", "--since", "2024-05-01", "--until", "2024-04-01", "--db", sqlite_url)
    assert result.returncode == 2 and "is after --until" in one_error_line(result)


def test_bad_mirror_and_unknown_ministry_code(sqlite_url: str) -> None:
    result = newsarchive("crawl", "etoday", "--mirror", "www.etoday.co.kr", "--db", sqlite_url)
    assert result.returncode == 1 and "bad mirror" in one_error_line(result)
    result = newsarchive("crawl", "korea_kr", "--arg", "ministries=msit,nope", "--db", sqlite_url, *FAST)
    assert result.returncode == 1
    assert "unknown korea.kr ministry code(s) nope" in result.stderr
    with transaction(sqlite_url) as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.status == "failed" and "could not start" in run.reason


def test_unreachable_database_is_one_line_and_exit_1() -> None:
    result = newsarchive("crawl", "etoday", "--db", "postgresql://postgres@127.0.0.1:1/none")
    assert result.returncode == 1
    line = one_error_line(result)
    assert line.startswith("error: cannot reach database") and "127.0.0.1:1" in line
    result = newsarchive("runs", env={"NEWSARCHIVE_DATABASE_URL": "sqlite:////nonexistent/dir/a.db"})
    assert result.returncode == 1 and "error:" in one_error_line(result)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_site_fails_the_run_in_one_line_without_tracebacks(sqlite_url: str) -> None:
    down = f"http://127.0.0.1:{_closed_port()}"
    result = newsarchive("crawl", "etoday", "--db", sqlite_url, "--mirror", f"www.etoday.co.kr={down}",
                         "--mirror", f"rss.etoday.co.kr={down}", *FAST,
                         "--set", "NEWSARCHIVE_RETRY_BACKOFF_BASE=0.05")
    assert result.returncode == 1
    assert "no listing could be fetched" in one_error_line(result)  # one_error_line: no traceback either
    assert result.stderr.strip().endswith("could not reach 127.0.0.1 (connection refused)")
    assert len(result.stderr.strip().splitlines()) == 1  # the requests' own lines only with -v
    with transaction(sqlite_url) as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.status == "failed" and run.listed == 0


def _window(today: date) -> list[str]:
    """The default window (two KST days) of a crawl started on `today`, the day the site was built for: a
    crawl that starts after midnight KST would otherwise skip the site's older day."""
    return ["--since", (today - timedelta(days=1)).isoformat(), "--until", today.isoformat()]


@contextmanager
def _slow_korea_kr_crawl(site: RunningSite, db_url: str, today: date) -> Iterator[subprocess.Popen[str]]:
    """`newsarchive crawl korea_kr` in the background, one page at a time, so it can be hit part-way; a
    crawl still running when the test ends (it hung, or an assertion failed) is killed."""
    slow = ["--set", "DOWNLOAD_DELAY=0.4", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--no-progress"]
    proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "crawl", "korea_kr", "--db", db_url,
                             *site.mirror_args(), *_window(today), *slow], cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": REPO_ROOT}, stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _wait_until_stored(db_url: str, articles: int, timeout: float = 60) -> int:
    """The number of archived articles once it reaches `articles` (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    stored = 0
    while time.monotonic() < deadline and stored < articles:
        time.sleep(0.2)
        with transaction(db_url) as session:
            stored = session.scalar(select(func.count()).select_from(Article)) or 0
    return stored


def test_a_crawl_killed_mid_way_leaves_a_consistent_archive_that_the_next_crawl_completes(
        db_url: str) -> None:
    today = kst_today()
    expected = {a.url for a in build_expected(today).archived("korea_kr")}
    with serve(build_site(today)) as site:
        with _slow_korea_kr_crawl(site, db_url, today) as proc:
            stored = _wait_until_stored(db_url, 2)
            helpers = descendants(proc.pid)  # the fork server, its workers, multiprocessing's resource tracker
            workers = worker_processes(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            assert 0 < stored < len(expected), "the crawl was killed part-way"
            assert workers, "extraction runs in worker processes, forked by the fork server"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(_alive(pid) for pid in helpers):
                time.sleep(0.2)
            assert not any(_alive(pid) for pid in helpers), "the workers and the fork server leave with their crawl"

        with transaction(db_url) as session:
            articles = session.scalar(select(func.count()).select_from(Article))
            raws = session.scalar(select(func.count()).select_from(RawPage))
            assert articles == raws, "every stored article has its raw page: no half-written rows"

        again = newsarchive("crawl", "korea_kr", "--db", db_url, *site.mirror_args(), *_window(today), *FAST,
                            check=True)
    with transaction(db_url) as session:
        assert set(session.scalars(select(Article.canonical_url))) == expected, again.stderr[-3000:]
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        assert [r.status for r in runs] == ["failed", "finished"]
        assert "gone" in runs[0].reason or "died" in runs[0].reason


def test_a_worker_that_dies_is_replaced_and_the_next_crawl_fetches_what_it_lost(db_url: str) -> None:
    today = kst_today()
    expected = {a.url for a in build_expected(today).archived("korea_kr")}
    with serve(build_site(today)) as site:
        with _slow_korea_kr_crawl(site, db_url, today) as proc:
            stored = _wait_until_stored(db_url, 2)
            killed = kill_workers(proc.pid)
            assert killed and stored < len(expected), "workers killed part-way"
            _, stderr = proc.communicate(timeout=120)
            assert proc.returncode == 0, stderr[-2000:]
            assert "starting new workers" in stderr
            with transaction(db_url) as session:
                run = session.scalars(select(CrawlRun)).one()
                assert run.status == "finished" and run.stored > stored, "the new workers went on"

        newsarchive("crawl", "korea_kr", "--db", db_url, *site.mirror_args(), *_window(today), *FAST, check=True)
    with transaction(db_url) as session:
        assert set(session.scalars(select(Article.canonical_url))) == expected


def test_spiders_table_lists_every_spider_with_sources_schedule_and_last_run(sqlite_url: str) -> None:
    with transaction(sqlite_url) as session:
        from storage import repository

        run = repository.create_run(session, "etoday")
        repository.update_run(session, run.id, counts={"listed": 9, "stored": 4}, status="finished",
                              finished=True)
    out = newsarchive("spiders", "--db", sqlite_url, env={"COLUMNS": "200"}, check=True).stdout
    for name in ("etoday", "korea_kr", "msit", "mois"):
        assert name in out
    assert "www.etoday.co.kr/rss/news_sitemap" in out and "www.korea.kr/rss/dept_msit.xml" in out
    assert "30 2 * * *" in out and "stored 4 of 9 listed" in out and "not scheduled" in out
