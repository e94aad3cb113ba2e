"""One time convention for users: Korean time with its offset in JSON, summaries and the service log, and
a `runs` table that fits an 80-column terminal."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from storage.db import transaction
from storage.repository import create_run, update_run
from tests.crawl_helpers import REPO_ROOT, newsarchive

ISO_KST = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$")


def seed_runs(url: str) -> list[int]:
    ids = []
    with transaction(url) as session:
        for spider, status in (("korea_kr-revisit", "finished"), ("etoday", "killed"), ("korea_kr", "running")):
            run = create_run(session, spider)
            update_run(session, run.id, counts={"listed": 123456, "fetched": 23456, "stored": 3456, "failed": 7},
                       reasons={"not an article": 4, "no ministry": 3}, status=status,
                       reason="" if status == "finished" else "stopped by a very long reason " * 4,
                       finished=status != "running")
            if status != "running":
                run.finished_at = run.started_at + timedelta(hours=1, minutes=5)
            ids.append(run.id)
    return ids


def test_runs_json_times_are_korean_with_their_offset(db_url: str) -> None:
    seed_runs(db_url)
    rows = json.loads(newsarchive("runs", "--json", "--db", db_url, check=True).stdout)
    assert rows and all(ISO_KST.match(row["started_at"]) for row in rows)
    assert [bool(row["finished_at"] and ISO_KST.match(row["finished_at"])) for row in rows] == [False, True, True]


def test_the_runs_table_fits_80_columns_and_runs_id_shows_the_rest(sqlite_url: str) -> None:
    ids = seed_runs(sqlite_url)
    result = newsarchive("runs", "--db", sqlite_url, env={"COLUMNS": "80"}, check=True)
    lines = result.stdout.splitlines()
    assert len(lines) == 4 and max(len(line) for line in lines) <= 80, result.stdout
    assert "korea_kr-revisit" in result.stdout and "1h05m" in result.stdout and "3456" in result.stdout
    detail = newsarchive("runs", str(ids[1]), "--db", sqlite_url, check=True).stdout
    assert "stopped by a very long reason" in detail and "123456" in detail and "not an article" in detail
    assert re.search(r"started: +\d{4}-\d\d-\d\d \d\d:\d\d KST", detail)
    one = json.loads(newsarchive("runs", str(ids[1]), "--json", "--db", sqlite_url, check=True).stdout)
    assert one["id"] == ids[1] and one["reasons"] == {"not an article": 4, "no ministry": 3}
    missing = newsarchive("runs", "999", "--db", sqlite_url)
    assert missing.returncode == 1 and missing.stderr.strip() == "error: no crawl run 999"


def test_the_service_log_is_in_korean_time_whatever_the_hosts_zone(tmp_path: Path, sqlite_url: str) -> None:
    with transaction(sqlite_url) as session:  # a finished run, so that no catch-up crawl starts
        update_run(session, create_run(session, "etoday").id, status="finished", finished=True)
    log_file = tmp_path / "service.log"
    config = tmp_path / "newsarchive.toml"
    config.write_text(f'database = "{sqlite_url}"\nlog_file = "{log_file}"\n'
                      '[schedule.spiders]\netoday = "0 0 1 1 *"\n', encoding="utf-8")
    service = subprocess.Popen([sys.executable, "-m", "newsarchive", "schedule", "--config", str(config)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": REPO_ROOT, "TZ": "UTC"},
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "service started" not in (
                log_file.read_text(encoding="utf-8") if log_file.exists() else ""):
            time.sleep(0.2)
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=60)
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert any("service started" in line for line in lines) and not any("catch-up" in line for line in lines)
    for line in lines:
        assert ISO_KST.match(line.split(" ", 1)[0]), line


def test_show_json_times_are_korean_with_their_offset(sqlite_url: str) -> None:
    from datetime import UTC, datetime

    from core.article import Article as Record
    from storage import repository as repo
    from tests.search_fixtures import build_archive

    by = build_archive(sqlite_url)
    with transaction(sqlite_url) as session:
        original = session.get(repo.Article, by["exchange"])
        assert original is not None
        copy = Record(url="https://www.mcst.go.kr/press/77", canonical_url="https://www.mcst.go.kr/press/77",
                      source="mcst", title=original.title, body=original.body, fetched_at=datetime.now(UTC))
        repo.add_duplicate(session, copy, original)
    data = json.loads(newsarchive("show", str(by["exchange"]), "--json", "--db", sqlite_url, check=True).stdout)
    assert ISO_KST.match(data["fetched_at"]) and ISO_KST.match(data["duplicates"][0]["found_at"])
