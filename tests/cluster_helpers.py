"""Distributed crawls through the real CLI: seeding one, starting `newsarchive worker`s, and a Redis server
of a test's own that it may kill and restart (the shared one at 127.0.0.1:6379 must never be stopped)."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from newsarchive.demo.site import Expected, build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import command_env, kst_today, newsarchive
from tests.forked_cli import ForkedProcess
from tests.web_server import free_port

DELAY = 0.25  # the crawl's promise per domain: a request every 0.25 s at most ...
CONCURRENCY = 2  # ... and at most 2 in flight
LATENCY = 0.3  # each answer takes this long, so that requests overlap unless something holds them back
CRAWL_SETTINGS = ["--set", f"DOWNLOAD_DELAY={DELAY}", "--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
                  "--set", "DOWNLOAD_TIMEOUT=3", "--set", "NEWSARCHIVE_RUN_FLUSH_SECONDS=0.5",
                  "--set", "NEWSARCHIVE_EXTRACT_WORKERS=1"]


@contextmanager
def slow_site() -> Iterator[RunningSite]:
    """The local 이투데이, each answer taking LATENCY."""
    with serve(build_site(kst_today())) as running:
        running.latency = LATENCY
        yield running


def seed(db_url: str, site: RunningSite, redis_url: str, prefix: str, since: date) -> int:
    result = newsarchive("crawl", "etoday", "--db", db_url, *site.mirror_args(), "--since", since.isoformat(),
                         "--distributed", redis_url, "--prefix", prefix, *CRAWL_SETTINGS, check=True)
    assert "seeded" in result.stdout
    with transaction(db_url) as session:
        return int(session.scalar(select(func.max(CrawlRun.id))) or 0)


def start_workers(count: int, db_url: str, redis_url: str, prefix: str = "newsarchive",
                  idle_seconds: float = 2) -> list[ForkedProcess]:
    return [ForkedProcess(["worker", "--redis", redis_url, "--db", db_url, "--prefix", prefix, "--idle-seconds",
                           str(idle_seconds)], command_env()) for _ in range(count)]


def finish(workers: list[ForkedProcess], timeout: float = 180) -> list[tuple[int, str]]:
    """(exit status, stderr) of each worker; a worker still running after `timeout` fails the test."""
    results = []
    for worker in workers:
        try:
            _, err = worker.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for other in workers:
                other.kill()
            raise AssertionError(f"worker {worker.pid} still running after {timeout}s") from None
        results.append((worker.wait(), err))
    return results


def article_hits(site: RunningSite) -> list[str]:
    return [path for _, path in site.hits if "/news/view/" in path]


def wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def wanted_urls(expected: Expected, since: date, until: date, stored: set[str]) -> set[str]:
    """The in-window ministry articles, with each same-body group's stored copy standing for it."""
    wanted = {a.url for a in expected.archived("etoday", since, until)}
    for group in expected.duplicate_groups("etoday"):
        kept = group & stored
        if kept and group & wanted:
            wanted = (wanted - group) | kept
    return wanted


class PrivateRedis:
    """A redis-server on a free port, for a test to kill (-9) and start again. It keeps nothing across a
    restart, unless given a directory for an append-only file (then it comes back with its data)."""

    def __init__(self, directory: Path | None = None):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        import redis

        keep = ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)] \
            if self.directory else ["--appendonly", "no"]
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", *keep], stdout=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.exceptions.RedisError:
                return False
        wait_for(answers, timeout=30)
        client.close()
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@contextmanager
def private_redis(directory: Path | None = None) -> Iterator[PrivateRedis]:
    server = PrivateRedis(directory).start()
    try:
        yield server
    finally:
        server.kill()
