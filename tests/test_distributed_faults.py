"""A distributed crawl's Redis failing (issue 18; nothing lost on a fault, one line and a non-zero exit):
unreachable when seeding or when a worker starts, killed (-9) while workers fetch, back empty for the next
crawl, and a worker finding no crawl to join. Through the real CLI, with a redis-server of each test's own
(the shared one must keep running), the local 이투데이, and PostgreSQL (SQLite where it costs nothing)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.cluster.finish import live_workers
from crawler.cluster.keys import CrawlKeys
from newsarchive.demo.site import build_expected
from storage.db import transaction
from storage.models import Article, CrawlRun, Duplicate, RejectedPage
from storage.repository import RUN_COUNTERS
from storage.runparts import parts_of
from tests.cluster_helpers import (
    article_hits,
    finish,
    private_redis,
    seed,
    slow_site,
    start_workers,
    wait_for,
    wanted_urls,
)
from tests.crawl_helpers import kst_today, newsarchive
from tests.web_server import free_port

BOUND = 90  # seconds: a worker whose Redis died must have ended well before this


def one_error_line(stderr: str, redis_url: str) -> str:
    """The one `error:` line a failing command writes, naming the Redis; no traceback."""
    assert "Traceback" not in stderr, stderr[-3000:]
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr[-3000:]
    assert redis_url in errors[0], errors[0]
    return errors[0]


def runs(db_url: str) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list(session.scalars(select(CrawlRun)))


def part_count(db_url: str, run_id: int) -> int:
    with transaction(db_url) as session:
        return len(parts_of(session, run_id))


@pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_an_unreachable_or_refusing_redis_is_one_line_and_leaves_no_run_running(db_url: str) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    seeding = newsarchive("crawl", "etoday", "--db", db_url, "--distributed", closed)
    assert seeding.returncode == 1
    one_error_line(seeding.stderr, closed)
    worker = newsarchive("worker", "--redis", closed, "--db", db_url)
    assert worker.returncode == 1
    one_error_line(worker.stderr, closed)
    assert runs(db_url) == []

    # A Redis that answers but refuses to store (a read-only replica; a full one answers OOM alike): the run
    # recorded before the listings are pushed must not stay `running` with no crawl behind it.
    with private_redis() as replica:
        import redis

        redis.Redis.from_url(replica.url).replicaof("127.0.0.1", str(free_port()))
        seeding = newsarchive("crawl", "etoday", "--db", db_url, "--distributed", replica.url)
    assert seeding.returncode == 1
    assert "read only replica" in one_error_line(seeding.stderr, replica.url)
    [run] = runs(db_url)
    assert run.status == "failed" and run.finished_at is not None and "read only replica" in run.reason, run.reason


@pytest.mark.postgres
def test_redis_killed_mid_crawl_then_the_next_crawl_on_it_empty(pg_url: str) -> None:
    today = kst_today()
    since = today - timedelta(days=30)
    with slow_site() as site, private_redis() as server:
        run_id = seed(pg_url, site, server.url, "newsarchive", since)
        workers = start_workers(2, pg_url, server.url)
        wait_for(lambda: len(article_hits(site)) >= 4 and part_count(pg_url, run_id) == 2)  # both at work
        server.kill()
        results = finish(workers, timeout=BOUND)
        served = {f"https://www.etoday.co.kr{path}" for path in article_hits(site)}

        for code, err in results:
            assert code == 1, err[-3000:]
            assert "failed" in one_error_line(err, server.url)
        with transaction(pg_url) as session:
            run = session.get(CrawlRun, run_id)
            assert run is not None and run.status == "failed" and run.finished_at is not None
            assert server.url in run.reason and "next crawl" in run.reason, run.reason
            parts = parts_of(session, run_id)
            assert [part.status for part in parts] == ["failed", "failed"]
            assert all(server.url in part.reason for part in parts)
            for name in RUN_COUNTERS:
                assert getattr(run, name) == sum(getattr(part, name) for part in parts), name
            first_stored = set(session.scalars(select(Article.canonical_url)))
            judged = first_stored | set(session.scalars(select(Duplicate.canonical_url))) \
                | set(session.scalars(select(RejectedPage.url)))
        # what the workers had in hand when Redis died was fetched to the end, judged and stored
        assert first_stored and served <= judged, served - judged

        # Redis comes back, empty: the next crawl fetches what the first did not store, and only that
        server.start()
        site.clear_hits()
        second = seed(pg_url, site, server.url, "newsarchive", since)
        [(code, err)] = finish(start_workers(1, pg_url, server.url))
        assert code == 0, err[-3000:]
        refetched = {f"https://www.etoday.co.kr{path}" for path in article_hits(site)}

    with transaction(pg_url) as session:
        run2 = session.get(CrawlRun, second)
        assert run2 is not None and run2.status == "finished", run2 and run2.reason
        stored = list(session.scalars(select(Article.canonical_url)))
    assert len(stored) == len(set(stored)), "every article stored once"
    assert wanted_urls(build_expected(today), since, today, set(stored)) <= set(stored), "nothing lost"
    assert not refetched & first_stored, "the next crawl fetches only what the first did not store"


@pytest.mark.postgres
def test_a_worker_with_no_crawl_to_join_says_so(pg_url: str, tmp_path: Path) -> None:
    with private_redis() as empty:
        worker = newsarchive("worker", "--redis", empty.url, "--db", pg_url, "--idle-seconds", "0.5")
    assert worker.returncode == 0, worker.stderr[-3000:]
    assert empty.url in worker.stderr and "nothing to join" in worker.stderr, worker.stderr

    # A Redis that keeps its data comes back after the crawl's workers gave up on it: the crawl is still
    # in Redis, but its run ended (failed) in the archive, so a new worker does not join it; it removes it.
    since = kst_today() - timedelta(days=30)
    with slow_site() as site, private_redis(tmp_path) as server:
        run_id = seed(pg_url, site, server.url, "newsarchive", since)
        first = start_workers(1, pg_url, server.url)
        wait_for(lambda: len(article_hits(site)) >= 2)
        server.kill()
        [(code, err)] = finish(first, timeout=BOUND)
        assert code == 1, err[-3000:]
        server.start()
        import redis

        client = redis.Redis.from_url(server.url)
        assert client.exists(f"newsarchive:run:{run_id}:spec"), "the crawl came back with Redis"
        # the dead worker's presence outlives it by a few seconds: until then the crawl counts as served
        wait_for(lambda: not live_workers(client, CrawlKeys("newsarchive", run_id)), timeout=60)
        late = newsarchive("worker", "--redis", server.url, "--db", pg_url, "--idle-seconds", "0.5")
        assert late.returncode == 0, late.stderr[-3000:]
        assert f"run {run_id} (etoday) ended failed" in late.stderr and "nothing to join" in late.stderr, late.stderr
        assert not client.exists(f"newsarchive:run:{run_id}:spec")
        assert not client.zcard("newsarchive:crawls")
    with transaction(pg_url) as session:
        assert len(parts_of(session, run_id)) == 1, "the late worker took no part in the ended run"
