"""`newsarchive runs`: history through the real CLI on a seeded database."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

from storage.db import transaction
from storage.models import CrawlRunPart
from storage.repository import create_run, update_run
from storage.runparts import open_part
from tests.crawl_helpers import newsarchive


def runs_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return newsarchive("runs", "--db", url, *args, env={"COLUMNS": "250"}, timeout=60)


def seed(url: str) -> list[int]:
    ids: list[int] = []
    with transaction(url) as session:
        for spider, status, stored in (("etoday", "finished", 12), ("korea_kr", "failed", 0),
                                       ("etoday", "killed", 3)):
            run = create_run(session, spider)
            update_run(session, run.id, counts={"listed": 20, "fetched": 15, "stored": stored},
                       status=status, reason="" if status == "finished" else f"{status} for a test",
                       finished=True)
            run.started_at = run.started_at - timedelta(minutes=10 - len(ids))
            run.finished_at = run.started_at + timedelta(seconds=95)
            ids.append(run.id)
    return ids


def test_runs_json_newest_first_with_counts_and_durations(db_url: str) -> None:
    ids = seed(db_url)
    result = runs_cli(db_url, "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["id"] for row in rows] == list(reversed(ids))
    assert [row["status"] for row in rows] == ["killed", "failed", "finished"]
    assert rows[2]["stored"] == 12 and rows[2]["listed"] == 20 and rows[2]["duration_s"] == 95.0
    assert rows[1]["reason"] == "failed for a test"


def test_runs_filter_and_limit(sqlite_url: str) -> None:
    ids = seed(sqlite_url)
    rows = json.loads(runs_cli(sqlite_url, "--json", "--spider", "etoday", "--limit", "1").stdout)
    assert [row["id"] for row in rows] == [ids[2]]


def test_runs_table(sqlite_url: str) -> None:
    seed(sqlite_url)
    result = runs_cli(sqlite_url)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "finished" in line)
    assert "etoday" in line and "1m35s" in line and " 12 " in line


def test_runs_bad_limit_is_a_usage_error(sqlite_url: str) -> None:
    result = runs_cli(sqlite_url, "--limit", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_worker_not_heard_of_is_shown_as_such(db_url: str) -> None:
    """A distributed run's `running` worker whose heartbeat stopped (killed, its machine gone) is told apart
    from a live one by its heartbeat: its pid means nothing on another host."""
    with transaction(db_url) as session:
        run = create_run(session, "etoday")
        open_part(session, run.id, pid=101, host="crawl-a")
        silent = session.get(CrawlRunPart, open_part(session, run.id, pid=202, host="crawl-b"))
        assert silent is not None
        silent.heartbeat_at = silent.heartbeat_at - timedelta(minutes=7)
        run_id = run.id
    out = runs_cli(db_url, str(run_id)).stdout
    lines = {line.split(" pid ")[1].split()[0]: line for line in out.splitlines() if " pid " in line}
    assert "running (no heartbeat for 7m" in lines["202"] and "gone?" in lines["202"], out
    assert "heartbeat" not in lines["101"], out
