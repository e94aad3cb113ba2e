"""Items 5 and 7 of issue 15: SQLite commits are durable, and a full disk fails the crawl in one line.

What a test can prove about durability without root tools such as dm-flakey (which would drop the writes a
power cut loses): that every connection the archive opens runs with synchronous=FULL, that each commit
syncs the write-ahead log before it returns (seen with strace: the sync is what makes a commit survive an
OS crash or a power cut, if the disk honours it), and that a process killed between commits loses none of
them. The last holds with synchronous=NORMAL too: a killed process leaves its writes in the OS cache."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from newsarchive.demo.site import build_expected, build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import get_engine, migrate, transaction, write_transaction
from storage.models import Article, CrawlRun, RejectedPage
from tests.crawl_helpers import FAST, REPO_ROOT, kst_today

FULL = 2  # PRAGMA synchronous's answer for FULL


@pytest.fixture
def site() -> Iterator[RunningSite]:
    with serve(build_site(kst_today())) as running:
        yield running


def test_every_connection_the_archive_opens_syncs_each_commit(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    engine.dispose()  # new connections from here on
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
    with transaction(sqlite_url) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == FULL
    with write_transaction(sqlite_url) as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == FULL
    # the pool's connections, whichever the next checkout gets
    conns = [engine.connect() for _ in range(3)]
    try:
        assert [c.exec_driver_sql("PRAGMA synchronous").scalar() for c in conns] == [FULL] * 3
    finally:
        for conn in conns:
            conn.close()


COMMITTER = """
import os, sys
from storage import repository
from storage.db import write_transaction
url = sys.argv[1]
for n in range(int(sys.argv[2])):
    with write_transaction(url) as session:
        run_id = repository.create_run(session, f"batch{n}").id
    os.write(1, f"{run_id}\\n".encode())  # one write(2) per commit, which strace shows
"""


def _committer(url: str, commits: int, *wrapper: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*wrapper, sys.executable, "-c", COMMITTER, url, str(commits)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": REPO_ROOT},
                            cwd=REPO_ROOT)


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace to see the process's syncs")
def test_each_commit_syncs_the_write_ahead_log_before_it_returns(sqlite_url: str, tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    proc = _committer(sqlite_url, 5, "strace", "-f", "-y", "-qq", "-o", str(trace),
                      "-e", "trace=fsync,fdatasync,write")
    _, err = proc.communicate(timeout=120)
    if proc.returncode != 0 and "ptrace" in err:
        pytest.skip(f"strace cannot trace here: {err.strip().splitlines()[-1]}")
    assert proc.returncode == 0, err
    # between two "a commit returned" lines (the committer's print), the log was synced at least once
    events = []
    for line in trace.read_text().splitlines():
        if "write(1<" in line:
            events.append("returned")
        elif ("fsync(" in line or "fdatasync(" in line) and "-wal>" in line:
            events.append("synced")
    returned = [i for i, event in enumerate(events) if event == "returned"]
    assert len(returned) == 5, events
    for before, after in zip([-1, *returned], returned, strict=False):
        assert "synced" in events[before + 1:after], f"a commit returned before the log was synced: {events}"


def test_a_killed_writer_loses_no_committed_batch(sqlite_url: str) -> None:
    proc = _committer(sqlite_url, 100_000)
    assert proc.stdout is not None
    committed = [int(proc.stdout.readline()) for _ in range(30)]
    os.kill(proc.pid, signal.SIGKILL)  # between two commits, or in the middle of one
    proc.communicate(timeout=60)
    get_engine(sqlite_url).dispose()
    with transaction(sqlite_url) as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = set(session.scalars(select(CrawlRun.id)))
    assert set(committed) <= stored


# --- item 7: a full disk ---------------------------------------------------------------------------------

def crawl(url: str, site: RunningSite, file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """`newsarchive crawl korea_kr`, with RLIMIT_FSIZE at `file_size_limit` bytes when given: past it a
    write fails (EFBIG), as on a full disk, and SQLite reports an I/O error."""

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run([sys.executable, "-m", "newsarchive", "crawl", "korea_kr", "--db", url,
                           *site.mirror_args(), *FAST], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": REPO_ROOT}, cwd=REPO_ROOT, preexec_fn=limit)


def assert_failed_in_one_line(result: subprocess.CompletedProcess[str], cause: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  reasons:")]
    assert len(lines) == 1 and cause in lines[0], result.stderr


def stored(url: str) -> int:
    with transaction(url) as session:
        return int(session.scalar(select(func.count()).select_from(Article)) or 0)


def rejections(url: str) -> list[tuple[str, str]]:
    with transaction(url) as session:
        return [(page.url, page.reason) for page in session.scalars(select(RejectedPage))]


def runs(url: str) -> list[CrawlRun]:
    with transaction(url) as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def test_a_full_disk_fails_the_crawl_in_one_line_and_the_next_crawl_works(tmp_path: Path,
                                                                         site: RunningSite) -> None:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    migrate(url)
    get_engine(url).dispose()
    limit = (tmp_path / "archive.db").stat().st_size  # the write-ahead log fills up at its first batch
    first = crawl(url, site, limit)
    assert_failed_in_one_line(first, "failed")
    assert "database error: disk I/O error" in first.stderr
    run = runs(url)[0]
    assert (run.status, run.reason) == ("failed", "database error: disk I/O error")
    # The pages the full disk kept out are not counted as bad pages. A batch judged before the disk filled
    # (an error page, a page without a ministry: small rows, which may fit) counts its bad pages as ever,
    # each recorded with what it is; which pages that batch holds depends on the timing.
    recorded = [reason for _, reason in rejections(url)]
    assert run.fetched > 0 and run.failed == len([r for r in recorded if r.startswith("not an article")]), \
        ("the pages are not counted as bad pages", recorded, first.stderr[-3000:])
    assert not [r for r in recorded if r.startswith(("store error", "worker error", "extraction error"))], recorded

    second = crawl(url, site, limit)  # the disk is still full: one line again
    assert second.returncode == 1 and "Traceback" not in second.stderr, second.stderr[-3000:]
    assert len(second.stderr.strip().splitlines()) <= 2, second.stderr

    third = crawl(url, site)
    assert third.returncode == 0, third.stderr
    assert stored(url) == len(build_expected(kst_today()).archived("korea_kr")), \
        "nothing was recorded as rejected while the disk was full: every page was fetched again"


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"),
                    reason="mounting a small tmpfs needs root on Linux")
def test_a_really_full_filesystem_is_reported_as_such(tmp_path: Path, site: RunningSite) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        url = f"sqlite:///{mount / 'archive.db'}"
        migrate(url)
        get_engine(url).dispose()
        free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
        (mount / "filler").write_bytes(b"\0" * (free - 128 * 1024))  # room for the run row, not for its batches
        first = crawl(url, site)
        assert_failed_in_one_line(first, "database or disk is full")
        run = runs(url)[0]  # the filler left room for the run's row and its verdict
        assert (run.status, run.reason) == ("failed", "database error: database or disk is full")
    finally:
        get_engine(f"sqlite:///{mount / 'archive.db'}").dispose()
        subprocess.run(["umount", "-l", str(mount)], check=False)
