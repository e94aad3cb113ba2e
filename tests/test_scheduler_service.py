"""`newsarchive schedule` as a real subprocess: catch-up at start, SIGTERM with grace, recorded runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from storage.db import transaction
from storage.repository import list_runs
from tests.crawl_helpers import newsarchive
from tests.test_scheduler_launcher import STANDIN, wait_for


def write_config(tmp_path: Path, mode: str, grace: int, cron: str = "* * * * *") -> Path:
    command = json.dumps([sys.executable, "-c", STANDIN, mode])
    path = tmp_path / "newsarchive.toml"
    path.write_text(f'log_file = "{tmp_path / "service.log"}"\n'
                    f"[crawl]\ncommand = {command}\n"
                    f'[schedule]\ngrace_seconds = {grace}\n[schedule.spiders]\netoday = "{cron}"\n',
                    encoding="utf-8")
    return path


def start_service(tmp_path: Path, config: Path, db_url: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "schedule", "--config", str(config), "--db", db_url],
        env={**os.environ, "STANDIN_MARK": str(tmp_path / "mark"), **env}, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen[str], timeout: float = 60) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"service did not stop after SIGTERM:\n{err}") from None
    return proc.returncode, err


def test_sigterm_kills_crawl_after_grace_and_records_it(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, "hang", grace=1)
    proc = start_service(tmp_path, config, db_url)
    try:
        wait_for(tmp_path / "mark", 30)  # catch-up: never ran, so it runs at once
    except AssertionError:
        proc.kill()
        raise AssertionError(proc.communicate()[1]) from None
    code, err = stop(proc)
    assert code == 0, err
    with transaction(db_url) as session:
        runs = list_runs(session, "etoday")
    assert len(runs) == 1
    assert runs[0].status == "killed" and "grace period of 1s" in runs[0].reason
    assert runs[0].listed == 2 and runs[0].finished_at is not None
    log = (tmp_path / "service.log").read_text(encoding="utf-8")
    assert f"run {runs[0].id} etoday started" in log
    assert f"run {runs[0].id} etoday killed" in log and "listed=2" in log
    assert "catch-up" in err


def test_sigterm_lets_a_crawl_finish_within_grace(sqlite_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, "finish", grace=30)
    proc = start_service(tmp_path, config, sqlite_url, STANDIN_SLEEP="2")
    try:
        wait_for(tmp_path / "mark", 30)
    except AssertionError:
        proc.kill()
        raise AssertionError(proc.communicate()[1]) from None
    stopped_at = time.monotonic()
    code, err = stop(proc)
    assert code == 0, err
    assert time.monotonic() - stopped_at < 25  # it waited for the crawl, not for the whole grace period
    with transaction(sqlite_url) as session:
        runs = list_runs(session, "etoday")
    assert [run.status for run in runs] == ["finished"]
    assert runs[0].stored == 3


def test_unknown_spider_is_one_error_line(sqlite_url: str, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('[schedule.spiders]\nnosuchsite = "0 3 * * *"\n', encoding="utf-8")
    result = newsarchive("schedule", "--config", str(config), "--db", sqlite_url, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: unknown spider 'nosuchsite' in [schedule.spiders]")
    assert "etoday" in lines[0]


def test_list_shows_next_run_and_last_outcome(sqlite_url: str, tmp_path: Path) -> None:
    from storage.repository import create_run, update_run

    with transaction(sqlite_url) as session:
        run = create_run(session, "etoday")
        update_run(session, run.id, counts={"stored": 7}, status="finished", finished=True)
    config = write_config(tmp_path, "finish", grace=1, cron="30 2 * * *")
    result = newsarchive("schedule", "--list", "--config", str(config), "--db", sqlite_url,
                         env={"COLUMNS": "200"}, timeout=60)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith("etoday"))
    assert "30 2 * * *" in line and " 02:30 " in line and "finished" in line and " 7 " in line
    assert "korea_kr" not in result.stdout  # a configured schedule lists only its spiders
