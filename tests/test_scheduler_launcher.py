"""The launcher with real child processes standing in for `newsarchive crawl`, on a real database."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsarchive.config import Config
from newsarchive.service.launcher import Launcher, reconcile_orphans
from scheduler import Service
from storage.db import transaction
from storage.repository import create_run, get_run, list_runs, update_run

# Stands in for the crawl process: `python -c STANDIN MODE SPIDER --run-id N --since D --until D`, with the
# database URL in $NEWSARCHIVE_DATABASE_URL.
STANDIN = r"""
import json, os, signal, sys, time
mode, args = sys.argv[1], sys.argv[2:]
run_id, db = int(args[args.index("--run-id") + 1]), os.environ["NEWSARCHIVE_DATABASE_URL"]
from storage.db import transaction
from storage.repository import update_run

def record(**kw):
    with transaction(db) as s:
        update_run(s, run_id, **kw)

def started():
    mark = os.environ.get("STANDIN_MARK")
    if mark:
        with open(mark + ".tmp", "w") as f:
            json.dump(args, f)
        os.replace(mark + ".tmp", mark)

if mode == "finish":
    record(counts={"listed": 5, "fetched": 4, "stored": 3, "failed": 1})
    started()
    time.sleep(float(os.environ.get("STANDIN_SLEEP", "0")))
    record(status="finished", finished=True)
elif mode == "startup-fail":
    started()
    print("Traceback (most recent call last):", file=sys.stderr)
    print("AttributeError: deltafetch cannot start", file=sys.stderr)
elif mode == "crash":
    started()
    print("RuntimeError: boom", file=sys.stderr)
    sys.exit(3)
elif mode == "self-failed":
    record(status="failed", reason="no listing reachable", finished=True)
    started()
elif mode in ("hang", "stubborn"):
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    record(counts={"listed": 2, "fetched": 1})
    started()
    time.sleep(600)
"""


def standin(mode: str) -> list[str]:
    return [sys.executable, "-c", STANDIN, mode]


def wait_for(path: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.05)


def env_with(mark: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "STANDIN_MARK": str(mark), **extra}


def test_finished_run_keeps_child_counts_and_gets_window_args(db_url: str, tmp_path: Path) -> None:
    mark = tmp_path / "mark"
    launcher = Launcher(db_url, command=standin("finish"), window_days=3, env=env_with(mark))
    outcome = launcher.run("etoday")
    assert outcome.status == "finished", outcome.reason
    assert outcome.exit_code == 0
    assert outcome.counts["stored"] == 3 and outcome.counts["failed"] == 1
    args = __import__("json").loads(mark.read_text())
    assert args[:3] == ["etoday", "--run-id", str(outcome.run_id)]
    assert "--db" not in args and db_url not in args, "no database URL (or password) on the command line"
    since, until = args[args.index("--since") + 1], args[args.index("--until") + 1]
    from datetime import date
    assert (date.fromisoformat(until) - date.fromisoformat(since)).days == 2
    with transaction(db_url) as session:
        run = get_run(session, outcome.run_id)
        assert run is not None
        assert run.status == "finished" and run.finished_at is not None and run.pid is not None
        assert run.window_start is not None and run.window_start.date() <= date.fromisoformat(since)


def test_exit_zero_without_recording_is_a_failure(db_url: str, tmp_path: Path) -> None:
    launcher = Launcher(db_url, command=standin("startup-fail"), env=env_with(tmp_path / "m"))
    outcome = launcher.run("etoday")
    assert outcome.exit_code == 0
    assert outcome.status == "failed"
    assert "code 0" in outcome.reason and "deltafetch cannot start" in outcome.reason
    with transaction(db_url) as session:
        run = get_run(session, outcome.run_id)
        assert run is not None and run.status == "failed" and run.finished_at is not None
        assert "deltafetch" in run.reason


def test_crash_records_exit_code_and_last_stderr_line(sqlite_url: str, tmp_path: Path) -> None:
    outcome = Launcher(sqlite_url, command=standin("crash"), env=env_with(tmp_path / "m")).run("etoday")
    assert outcome.status == "failed" and outcome.exit_code == 3
    assert "code 3" in outcome.reason and outcome.reason.endswith("RuntimeError: boom")


def test_failure_recorded_by_the_crawl_is_kept(sqlite_url: str, tmp_path: Path) -> None:
    outcome = Launcher(sqlite_url, command=standin("self-failed"), env=env_with(tmp_path / "m")).run("etoday")
    assert outcome.status == "failed" and outcome.reason == "no listing reachable"


def test_hang_past_timeout_is_killed(db_url: str, tmp_path: Path) -> None:
    launcher = Launcher(db_url, command=standin("hang"), timeout_seconds=1.0, env=env_with(tmp_path / "m"))
    outcome = launcher.run("etoday")
    assert outcome.status == "killed"
    assert outcome.reason.startswith("timeout")
    with transaction(db_url) as session:
        run = get_run(session, outcome.run_id)
        assert run is not None and run.status == "killed" and run.finished_at is not None


def test_child_ignoring_sigterm_is_sigkilled(sqlite_url: str, tmp_path: Path) -> None:
    mark = tmp_path / "m"
    launcher = Launcher(sqlite_url, command=standin("stubborn"), kill_wait_seconds=0.5, env=env_with(mark))
    results = []
    worker = threading.Thread(target=lambda: results.append(launcher.run("etoday")))
    worker.start()
    wait_for(mark)  # the child ignores SIGTERM from here on (a fixed timeout could end it before, under load)
    launcher.request_stop(grace_seconds=0)
    worker.join(timeout=30)
    assert results and results[0].status == "killed"
    assert results[0].exit_code == -9


def test_stop_request_ends_crawl_after_grace(sqlite_url: str, tmp_path: Path) -> None:
    mark = tmp_path / "m"
    launcher = Launcher(sqlite_url, command=standin("hang"), grace_seconds=0.5, env=env_with(mark))
    results = []
    worker = threading.Thread(target=lambda: results.append(launcher.run("etoday")))
    worker.start()
    wait_for(mark)
    launcher.request_stop()
    worker.join(timeout=30)
    assert results and results[0].status == "killed"
    assert "grace period" in results[0].reason
    assert results[0].counts["listed"] == 2  # what the crawl recorded before it was ended is kept


def test_missing_command_is_recorded_as_failed(sqlite_url: str, tmp_path: Path) -> None:
    outcome = Launcher(sqlite_url, command=[str(tmp_path / "no-such-program")]).run("etoday")
    assert outcome.status == "failed" and outcome.reason.startswith("cannot start crawl")


def service_for(db_url: str, mode: str) -> Service:
    config = Config(database_url=db_url, schedules={"etoday": "* * * * *"}, grace_seconds=5)
    return Service(config, db_url, command=standin(mode))


def test_overlapping_trigger_is_skipped_and_logged(db_url: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    mark = tmp_path / "m"
    monkeypatch.setenv("STANDIN_MARK", str(mark))
    monkeypatch.setenv("STANDIN_SLEEP", "2")
    service = service_for(db_url, "finish")
    results = []
    first = threading.Thread(target=lambda: results.append(service.trigger("etoday")))
    first.start()
    wait_for(mark)
    with caplog.at_level(logging.WARNING, logger="newsarchive.service"):
        assert service.trigger("etoday") is None
    assert "etoday: trigger skipped, the previous run is still active" in caplog.text
    first.join(timeout=30)
    assert results and results[0] is not None and results[0].status == "finished"
    with transaction(db_url) as session:
        assert len(list_runs(session, "etoday")) == 1


def test_trigger_skips_spider_running_in_another_live_process(sqlite_url: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    with transaction(sqlite_url) as session:
        other = create_run(session, "etoday", pid=os.getpid()).id
    service = service_for(sqlite_url, "finish")
    with caplog.at_level(logging.WARNING, logger="newsarchive.service"):
        assert service.trigger("etoday") is None
    assert f"run {other} is still active in another process" in caplog.text


def test_orphaned_running_rows_are_marked_failed(sqlite_url: str) -> None:
    with transaction(sqlite_url) as session:
        dead = create_run(session, "etoday", pid=2**22 + 12345).id  # above the default pid_max
        alive = create_run(session, "etoday", pid=os.getpid()).id
        fresh = create_run(session, "etoday").id
    assert reconcile_orphans(sqlite_url, ["etoday"], stale_after_seconds=3600) == [dead]
    with transaction(sqlite_url) as session:
        statuses = {rid: get_run(session, rid).status for rid in (dead, alive, fresh)}  # type: ignore[union-attr]
        update_run(session, alive, status="finished")
    assert statuses == {dead: "failed", alive: "running", fresh: "running"}


def test_scheduler_skips_and_logs_a_trigger_while_the_job_runs(sqlite_url: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    """The APScheduler side of overlap: max_instances=1 plus our listener, with a one-second trigger."""
    mark = tmp_path / "m"
    monkeypatch.setenv("STANDIN_MARK", str(mark))
    service = service_for(sqlite_url, "hang")
    scheduler = service.build()
    scheduler.add_job(service.trigger, "interval", seconds=1, args=["etoday"], id="etoday",
                      replace_existing=True, next_run_time=datetime.now(UTC))
    with caplog.at_level(logging.WARNING, logger="newsarchive.service"):
        loop = threading.Thread(target=scheduler.start)
        loop.start()
        wait_for(mark)
        time.sleep(2.5)
        scheduler.shutdown(wait=False)
        service.launcher.request_stop(grace_seconds=0)
        loop.join(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with transaction(sqlite_url) as session:
                runs = list_runs(session, "etoday")
            if runs and runs[0].status != "running":
                break
            time.sleep(0.1)
    assert caplog.text.count("etoday: trigger skipped, the previous run is still active") >= 2
    assert [run.status for run in runs] == ["killed"]


def test_a_revisit_job_runs_the_revisit_command_over_its_own_window(sqlite_url: str, tmp_path: Path) -> None:
    mark = tmp_path / "mark"
    launcher = Launcher(sqlite_url, command=standin("crash"), window_days=2, env=env_with(mark), revisit_days=3)
    launcher.revisit_command = tuple(standin("finish"))
    outcome = launcher.run("etoday-revisit")
    assert outcome.status == "finished", outcome.reason
    args = __import__("json").loads(mark.read_text())
    assert args[:3] == ["etoday", "--run-id", str(outcome.run_id)]
    from datetime import date
    since, until = args[args.index("--since") + 1], args[args.index("--until") + 1]
    assert (date.fromisoformat(until) - date.fromisoformat(since)).days == 2  # 3 days, inclusive
    with transaction(sqlite_url) as session:
        run = get_run(session, outcome.run_id)
        assert run is not None and run.spider == "etoday-revisit"


def test_default_schedule_revisits_recent_articles(tmp_path: Path) -> None:
    from newsarchive.config import load_config
    from newsarchive.service.timing import load_schedules

    default = Config()
    assert set(load_schedules(default, revisits=True)) == {"etoday-revisit", "korea_kr-revisit"}
    path = tmp_path / "newsarchive.toml"
    path.write_text('[crawl]\nrevisit_days = 5\n[schedule.spiders]\netoday = "0 3 * * *"\n'
                    '[schedule.revisit]\netoday = "0 * * * *"\n', encoding="utf-8")
    configured = load_config(path)
    assert set(load_schedules(configured, revisits=True)) == {"etoday-revisit"}
    assert configured.revisit_days == 5
