"""Distributed crawls (issue 18): one crawl seeded into Redis, served by three `newsarchive worker`
processes into one PostgreSQL archive; one worker is killed (-9) mid-crawl; then the next crawl.

Real Redis (127.0.0.1:6379, keys under a prefix of this test's own, removed afterwards), real PostgreSQL,
the local 이투데이 served on 127.0.0.1 with every request's arrival and the requests in flight recorded."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsarchive.demo.site import build_expected
from newsarchive.demo.site.server import RunningSite
from storage.db import transaction
from storage.models import Article, CrawlRun, Duplicate, RejectedPage
from storage.repository import RUN_COUNTERS
from storage.runparts import parts_of
from tests.cluster_helpers import (
    CONCURRENCY,
    CRAWL_SETTINGS,
    DELAY,
    article_hits,
    finish,
    seed,
    slow_site,
    start_workers,
    wait_for,
    wanted_urls,
)
from tests.crawl_helpers import kst_today, newsarchive

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("distributed")]

REDIS_URL = os.environ.get("NEWSARCHIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WINDOW = 2.0  # seconds


@pytest.fixture
def prefix() -> Iterator[str]:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.RedisError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis required in CI but unreachable: {exc}")
        pytest.skip(f"Redis not reachable: {exc}")
    name = f"natest-{uuid.uuid4().hex[:10]}"
    yield name
    for key in server.scan_iter(f"{name}:*"):
        server.delete(key)


@pytest.fixture
def site() -> Iterator[RunningSite]:
    with slow_site() as running:
        yield running


def test_three_workers_one_killed_then_the_next_crawl(pg_url: str, site: RunningSite, prefix: str) -> None:
    today = kst_today()
    since = today - timedelta(days=30)
    expected = build_expected(today)

    run_id = seed(pg_url, site, REDIS_URL, prefix, since)
    workers = start_workers(3, pg_url, REDIS_URL, prefix)
    wait_for(lambda: len(article_hits(site)) >= 4)
    os.kill(workers[0].pid, signal.SIGKILL)
    results = finish(workers)
    assert results[0][0] == -signal.SIGKILL
    for code, err in results[1:]:
        assert code == 0, err[-3000:]
        assert f"run {run_id} part" in err and "finished" in err

    with transaction(pg_url) as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        parts = parts_of(session, run_id)
        # the listings were fetched once for the crawl, by whichever worker took them: the crawl is judged
        # on them as a whole, not each worker on its own (two of them never saw a listing)
        assert run.status == "finished", run.reason
        assert sorted(part.status for part in parts) == ["finished", "finished", "lost"]
        assert "1 of 3 workers lost" in run.reason
        for name in RUN_COUNTERS:
            assert getattr(run, name) == sum(getattr(part, name) for part in parts), name
        assert run.listed > 0 and run.fetched > 0
        first_stored = set(session.scalars(select(Article.canonical_url)))

    first_arrivals = site.arrivals

    # The next crawl: its own queue and fingerprints (the first crawl's do not filter it), and it fetches
    # again what the killed worker had in flight, and nothing else the first crawl stored.
    site.clear_hits()
    second = seed(pg_url, site, REDIS_URL, prefix, since)
    results = finish(start_workers(2, pg_url, REDIS_URL, prefix))
    for code, err in results:
        assert code == 0, err[-3000:]
    with transaction(pg_url) as session:
        run2 = session.get(CrawlRun, second)
        assert run2 is not None and run2.status == "finished", run2 and run2.reason
        # the killed worker's counts since its last flush died with it; the next crawl's are whole
        assert run2.listed >= run.listed
        stored = list(session.scalars(select(Article.canonical_url)))
        duplicates = set(session.scalars(select(Duplicate.canonical_url)))
        rejected = set(session.scalars(select(RejectedPage.url)))
    assert len(stored) == len(set(stored)), "every article stored once"
    assert wanted_urls(expected, since, today, set(stored)) <= set(stored), "nothing lost"
    refetched = {f"https://www.etoday.co.kr{path}" for path in article_hits(site)}
    assert not refetched & first_stored, "the next crawl fetches only what the first did not store"
    listed = {a.url for a in expected.items("etoday") if a.in_window(since, today)}
    assert listed <= set(stored) | duplicates | rejected, "every listed URL is stored or recorded"

    # politeness: what one crawl promises each domain held for the three workers together, and for two
    assert_polite(first_arrivals)
    assert_polite(site.arrivals)


def assert_polite(arrivals: list[tuple[str, float, int]]) -> None:
    for host in {host for host, _, _ in arrivals}:
        times = [when for h, when, _ in arrivals if h == host]
        assert max(in_flight for h, _, in_flight in arrivals if h == host) <= CONCURRENCY, host
        # Requests are spaced when their worker takes the domain's slot; they reach the server a moment
        # later (later still on a loaded machine), so the rate is checked over windows of a few requests.
        busiest = max(sum(1 for other in times if when <= other < when + WINDOW) for when in times)
        assert busiest <= WINDOW / DELAY + 1, (host, busiest)


def test_runs_shows_a_distributed_run_with_its_parts(pg_url: str, site: RunningSite, prefix: str) -> None:
    run_id = seed(pg_url, site, REDIS_URL, prefix, kst_today() - timedelta(days=1))
    for code, err in finish(start_workers(2, pg_url, REDIS_URL, prefix)):
        assert code == 0, err[-3000:]
    table = newsarchive("runs", "--db", pg_url, check=True).stdout
    assert "etoday ×2" in table
    detail = newsarchive("runs", str(run_id), "--db", pg_url, check=True).stdout
    assert "parts:" in detail and detail.count(" pid ") == 2


def test_a_crawl_whose_listings_all_fail_fails_once_for_the_crawl(pg_url: str, prefix: str) -> None:
    """The listings are judged for the crawl: every worker finishes its own part, and the run fails."""
    dead = "http://127.0.0.1:9"  # the discard port: nothing listens
    result = newsarchive("crawl", "etoday", "--db", pg_url, "--mirror", f"www.etoday.co.kr={dead}",
                         "--mirror", f"rss.etoday.co.kr={dead}", "--distributed", REDIS_URL, "--prefix", prefix,
                         "--set", "RETRY_TIMES=0", *CRAWL_SETTINGS, check=True)
    assert "seeded" in result.stdout
    for code, err in finish(start_workers(2, pg_url, REDIS_URL, prefix)):
        assert code == 0, err[-3000:]
    with transaction(pg_url) as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.status == "failed" and run.reason.startswith("no listing could be fetched"), run.reason
        assert sorted(part.status for part in parts_of(session, run.id)) == ["finished", "finished"]
