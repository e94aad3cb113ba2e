"""Item 9 of issue 15: PostgreSQL failing or hanging mid-crawl. The crawl ends failed in bounded time with
one line, its run recorded failed with its counts, or, when the database is gone for good, one line saying
the run could not be recorded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from newsarchive.demo.site import build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import WRITER_LOCK, DatabaseError, get_engine, write_transaction
from storage.faults import fatal_reason
from storage.models import CrawlRun
from tests.conftest import PG_ADMIN_URL
from tests.crawl_helpers import FAST, REPO_ROOT, kst_today
from tests.faults.test_storage_faults import assert_failed_in_one_line, runs

pytestmark = pytest.mark.postgres

SHORT_LOCK_WAIT = "?options=-c%20lock_timeout%3D1000"  # 1 s, in the URL as a user would set it


@pytest.fixture
def site() -> Iterator[RunningSite]:
    with serve(build_site(kst_today())) as running:
        yield running


@pytest.fixture
def blocker(pg_url: str) -> Iterator[Connection]:
    """A connection of the test's own, holding whatever lock the test takes until the test ends."""
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def start_crawl(url: str, site: RunningSite) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "newsarchive", "crawl", "korea_kr", "--db", url,
                             *site.mirror_args(), *FAST], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": REPO_ROOT}, cwd=REPO_ROOT)


def finish(proc: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = proc.communicate(timeout=180)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_for_a_blocked_statement(database: str) -> None:
    """Until one of the crawl's statements waits for the test's lock (asked outside the test's transaction:
    pg_stat_activity is read once per transaction)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 50  # less than the crawl's lock_timeout
    try:
        with admin.connect() as conn:
            while time.monotonic() < deadline:
                if conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                                    "AND wait_event_type = 'Lock'"), {"db": database}):
                    return
                time.sleep(0.2)
    finally:
        admin.dispose()
    raise AssertionError("the crawl never reached the locked table")


def test_postgres_waits_are_bounded_by_default_and_the_url_can_shorten_them(pg_url: str) -> None:
    with get_engine(pg_url).connect() as conn:
        assert conn.scalar(text("SHOW statement_timeout")) == "5min"
        assert conn.scalar(text("SHOW lock_timeout")) == "1min"
    with get_engine(pg_url + SHORT_LOCK_WAIT).connect() as conn:
        assert conn.scalar(text("SHOW lock_timeout")) == "1s"
        assert conn.scalar(text("SHOW statement_timeout")) == "5min"


def test_waiting_for_the_writer_lock_is_bounded(pg_url: str, blocker: Connection) -> None:
    blocker.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})  # another writer's batch
    started = time.monotonic()
    with pytest.raises(DatabaseError, match="lock timeout"), write_transaction(pg_url + SHORT_LOCK_WAIT):
        pass
    assert time.monotonic() - started < 30


def test_a_table_locked_by_another_session_ends_the_crawl_failed_in_one_line(
        pg_url: str, blocker: Connection, site: RunningSite) -> None:
    blocker.execute(text("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE"))  # held until the test ends
    result = finish(start_crawl(pg_url + SHORT_LOCK_WAIT, site))
    assert_failed_in_one_line(result, "database error: canceling statement due to lock timeout")
    run = runs(pg_url)[0]
    assert run.status == "failed" and run.reason == "database error: canceling statement due to lock timeout"
    assert run.listed > 0, "the run keeps the counts it reached"


def test_terminated_connections_end_the_crawl_failed_in_one_line(pg_url: str, blocker: Connection,
                                                                  site: RunningSite) -> None:
    database = make_url(pg_url).database
    assert database is not None
    blocker.execute(text("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE"))
    proc = start_crawl(pg_url, site)
    wait_for_a_blocked_statement(database)
    blocker.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": database})
    blocker.commit()  # the lock goes: the database works again for whoever reconnects
    result = finish(proc)
    assert_failed_in_one_line(result, "database error: terminating connection due to administrator command")
    with get_engine(pg_url).connect() as conn:
        status, reason, listed = conn.execute(select(CrawlRun.status, CrawlRun.reason, CrawlRun.listed)).one()
    assert status == "failed" and "terminating connection" in reason and listed > 0


def test_a_database_dropped_mid_crawl_is_reported_in_one_line(pg_url: str, blocker: Connection,
                                                              site: RunningSite) -> None:
    database = make_url(pg_url).database
    assert database is not None
    blocker.execute(text("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE"))
    proc = start_crawl(pg_url, site)
    wait_for_a_blocked_statement(database)
    blocker.rollback()
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
    admin.dispose()
    result = finish(proc)
    assert_failed_in_one_line(result, "could not be recorded")
    assert result.stderr.startswith("error: crawl run 1 ended failed but could not be recorded: "), result.stderr


def test_a_connection_attempt_that_times_out_ends_the_crawl_like_a_lost_connection() -> None:
    # A server that takes the TCP connection and never answers: psycopg's connect_timeout lapses, and it
    # raises ConnectionTimeout (an OperationalError subclass without a SQLSTATE). On a loaded machine a
    # crawl met it mid-way and printed a traceback instead of ending in one line.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
                               connect_args={"connect_timeout": 1})
        with pytest.raises(OperationalError) as raised:
            engine.connect()
        engine.dispose()
    assert type(raised.value.orig).__name__ == "ConnectionTimeout"
    reason = fatal_reason(raised.value)
    assert reason is not None and "timeout" in reason
