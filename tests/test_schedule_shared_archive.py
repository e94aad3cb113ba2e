"""Several machines on one archive: runs know their host and are judged alive by their heartbeat, and two
schedule services started together run each crawl once."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from newsarchive.demo.site import build_site
from newsarchive.demo.site.server import serve
from newsarchive.service.launcher import Launcher, reconcile_orphans
from storage.db import transaction
from storage.models import CrawlRun
from storage.repository import create_run, get_run, utcnow
from tests.crawl_helpers import FAST, REPO_ROOT, kst_today, newsarchive
from tests.test_scheduler_launcher import standin

DEAD_PID = 2**22 + 12345  # above the default pid_max: no process here has it


def _runs(db_url: str, spider: str) -> list[CrawlRun]:
    with transaction(db_url) as session:
        return list(session.scalars(select(CrawlRun).where(CrawlRun.spider == spider).order_by(CrawlRun.id)))


def test_a_run_on_another_host_is_judged_by_its_heartbeat_not_by_a_pid_here(db_url: str) -> None:
    with transaction(db_url) as session:
        # machine B's crawl: its pid means nothing here, its heartbeat is fresh
        beating = create_run(session, "etoday", pid=DEAD_PID, host="crawler-b").id
        silent = create_run(session, "etoday", pid=DEAD_PID, host="crawler-c")
        silent.heartbeat_at = utcnow() - timedelta(minutes=10)
        silent_id = silent.id
        local_dead = create_run(session, "etoday", pid=DEAD_PID).id
    assert Launcher(db_url).active_run("etoday") == beating
    assert sorted(reconcile_orphans(db_url, ["etoday"], stale_after_seconds=3600)) == sorted([silent_id, local_dead])
    with transaction(db_url) as session:
        assert get_run(session, beating).status == "running"  # type: ignore[union-attr]
        lost = get_run(session, silent_id)
        assert lost is not None and lost.status == "failed" and "no sign of life from host crawler-c" in lost.reason


def test_a_crawl_records_its_host_and_beats(sqlite_url: str) -> None:
    with serve(build_site(kst_today())) as site:
        newsarchive("crawl", "etoday", "--db", sqlite_url, *site.mirror_args(), *FAST, check=True)
    (run,) = _runs(sqlite_url, "etoday")
    assert run.host == socket.gethostname()
    assert run.heartbeat_at is not None and run.finished_at is not None
    assert run.started_at < run.heartbeat_at <= run.finished_at


def _service(config: Path, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": REPO_ROOT, "STANDIN_SLEEP": "2", "STANDIN_MARK": str(cwd / "mark")}
    return subprocess.Popen([sys.executable, "-m", "newsarchive", "schedule", "--config", str(config)],
                            cwd=cwd, env=env, stderr=subprocess.PIPE, text=True)


def test_two_schedule_services_on_one_archive_run_each_crawl_once(db_url: str, tmp_path: Path) -> None:
    """Both start with no successful run recorded, so both want the catch-up crawl at once; one runs it."""
    services, logs = [], []
    for name in ("a", "b"):
        home = tmp_path / name
        home.mkdir()
        logs.append(home / "service.log")
        config = home / "newsarchive.toml"
        config.write_text(
            f'database = "{db_url}"\nlog_file = "{logs[-1]}"\n'
            f"[crawl]\ncommand = {json.dumps(standin('finish'))}\n"
            '[schedule]\ngrace_seconds = 5\n[schedule.spiders]\netoday = "0 3 * * *"\n[schedule.revisit]\n',
            encoding="utf-8")
        services.append(_service(config, home))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = [log.read_text(encoding="utf-8") if log.exists() else "" for log in logs]
            ran = [t for t in text if "etoday finished" in t]
            skipped = [t for t in text if "etoday: trigger skipped" in t]
            if ran and len(ran) + len(skipped) == 2:
                break
            assert all(service.poll() is None for service in services), "a service stopped on its own"
            time.sleep(0.5)
    finally:
        for service in services:
            service.send_signal(signal.SIGTERM)
        errors = [service.communicate(timeout=60)[1] for service in services]
    runs = _runs(db_url, "etoday")
    assert len(runs) == 1, (errors, [log.read_text(encoding="utf-8") for log in logs])
    assert runs[0].status == "finished"
    assert all(service.returncode == 0 for service in services)


HOLD = r"""
import sys, time
from pathlib import Path
from storage.joblock import job_lock
with job_lock(sys.argv[1], "etoday") as taken:
    Path(sys.argv[2]).write_text(str(taken))
    time.sleep(30)
"""


def test_a_job_lock_holds_across_processes(db_url: str, tmp_path: Path) -> None:
    from storage.joblock import job_lock

    mark = tmp_path / "taken"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db_url, str(mark)], cwd=REPO_ROOT,
                              env={**os.environ, "PYTHONPATH": REPO_ROOT})
    try:
        deadline = time.monotonic() + 20
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mark.read_text() == "True"
        with job_lock(db_url, "etoday") as taken, job_lock(db_url, "korea_kr") as other_job:
            assert not taken and other_job
    finally:
        holder.kill()
        holder.wait()
    # the holder's death releases it: PostgreSQL ends the dead client's session when it reads the closed
    # socket, a moment after the kill, so the lock is free within a bounded wait (not necessarily at once)
    deadline = time.monotonic() + 20
    while True:
        with job_lock(db_url, "etoday") as taken:
            if taken or time.monotonic() > deadline:
                break
        time.sleep(0.1)
    assert taken


def test_a_trigger_another_service_already_answered_is_skipped(db_url: str, tmp_path: Path) -> None:
    from newsarchive.config import Config
    from scheduler import Service

    config = Config(database_url=db_url, schedules={"etoday": "0 3 * * *"}, revisits={},
                    crawl_command=tuple(standin("finish")))
    first, second = Service(config, db_url), Service(config, db_url)
    assert second.catch_up_plan(second.clock()) == {"etoday": True}  # both planned the catch-up
    outcome = first.trigger("etoday")
    assert outcome is not None and outcome.status == "finished"
    assert second.trigger("etoday") is None
    assert len(_runs(db_url, "etoday")) == 1
