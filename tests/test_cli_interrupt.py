"""Ctrl-C twice during `newsarchive crawl`: the crawl stops at once, and its run is still recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy import select

from newsarchive.demo.site import build_site
from newsarchive.demo.site.server import serve
from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import REPO_ROOT, ctrl_c_reaches_children, kst_today
from tests.test_crawl_cli import _wait_until_stored


def test_a_double_ctrl_c_ends_the_crawl_with_its_run_recorded_as_killed(sqlite_url: str) -> None:
    slow = ["--set", "DOWNLOAD_DELAY=0.4", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "--no-progress"]
    with serve(build_site(kst_today())) as site:
        with ctrl_c_reaches_children():
            proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "crawl", "korea_kr", "--db", sqlite_url,
                                     *site.mirror_args(), *slow], cwd=REPO_ROOT,
                                    env={**os.environ, "PYTHONPATH": REPO_ROOT}, stderr=subprocess.PIPE, text=True)
        try:
            assert _wait_until_stored(sqlite_url, 1) >= 1, "the crawl got going"
            proc.send_signal(signal.SIGINT)
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert "Traceback" not in stderr
    assert "None" not in stderr, stderr[-2000:]
    assert proc.returncode != 0
    with transaction(sqlite_url) as session:
        run = session.scalars(select(CrawlRun)).one()
        assert run.status == "killed" and run.finished_at is not None, (run.status, run.reason)
    summary = [line for line in stderr.splitlines() if line.startswith(f"run {run.id} korea_kr")]
    assert summary and "killed" in summary[-1], stderr[-2000:]
