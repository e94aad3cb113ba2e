"""`newsarchive health` on seeded run histories: the rules with a fixed clock, the real CLI's exit codes."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsarchive.service.health import check_spider
from newsarchive.service.timing import parse_cron, zone
from storage.db import transaction
from storage.repository import create_run, list_runs, update_run
from tests.crawl_helpers import newsarchive

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
DAILY = "30 2 * * *"


def seed(url: str, spider: str, started: datetime, status: str = "finished", **counts: int) -> None:
    with transaction(url) as session:
        run = create_run(session, spider)
        update_run(session, run.id, counts=counts, status=status, finished=True,
                   reason="" if status == "finished" else "boom")
        run.started_at = started


def check(url: str, spider: str = "etoday", now: datetime = NOW) -> list[str]:
    with transaction(url) as session:
        runs = list_runs(session, spider)
    return check_spider(spider, DAILY, parse_cron(spider, DAILY, zone("Asia/Seoul")), runs, now).flags


def nightly(url: str, nights: int, now: datetime = NOW, **counts: int) -> None:
    for night in range(nights, 0, -1):
        seed(url, "etoday", now - timedelta(days=night - 1, hours=1), "finished", **counts)


def test_healthy_history_has_no_flags(db_url: str) -> None:
    nightly(db_url, 5, listed=30, fetched=10, stored=9, failed=1)
    assert check(db_url) == []


def test_three_empty_runs_with_listings_are_flagged(db_url: str) -> None:
    nightly(db_url, 2, now=NOW - timedelta(days=3), listed=30, fetched=10, stored=9)
    nightly(db_url, 3, listed=25, fetched=0, stored=0)
    flags = check(db_url)
    assert len(flags) == 1 and "last 3 runs stored nothing" in flags[0]


def test_two_empty_runs_or_empty_listings_are_not_flagged(sqlite_url: str) -> None:
    nightly(sqlite_url, 3, now=NOW - timedelta(days=2), listed=30, fetched=10, stored=9)
    nightly(sqlite_url, 2, listed=25, stored=0)
    assert check(sqlite_url) == []
    nightly(sqlite_url, 3, now=NOW + timedelta(minutes=30), listed=0, stored=0)  # nothing listed at all
    assert check(sqlite_url, now=NOW + timedelta(minutes=30)) == []


def test_extraction_failures_over_a_fifth_are_flagged(sqlite_url: str) -> None:
    nightly(sqlite_url, 1, listed=10, fetched=10, stored=8, failed=2)
    assert check(sqlite_url) == []  # exactly 20% is tolerated
    seed(sqlite_url, "etoday", NOW - timedelta(minutes=5), listed=10, fetched=10, stored=7, failed=3)
    flags = check(sqlite_url)
    assert len(flags) == 1 and "3 of 10" in flags[0]


def test_no_success_for_two_intervals_is_flagged(sqlite_url: str) -> None:
    seed(sqlite_url, "etoday", NOW - timedelta(days=1, hours=23), listed=3, stored=3)
    assert check(sqlite_url) == []
    seed(sqlite_url, "etoday", NOW - timedelta(hours=2), status="failed")
    assert check(sqlite_url) == []  # one failed night is not yet stale
    flags = check(sqlite_url, now=NOW + timedelta(hours=2))
    assert len(flags) == 1 and "no successful run since" in flags[0] and "failed: boom" in flags[0]


def test_never_run_is_flagged(sqlite_url: str) -> None:
    assert check(sqlite_url) == ["no successful run recorded"]


def run_health(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "newsarchive.toml"
    config.write_text(f'[schedule.spiders]\netoday = "{DAILY}"\nkorea_kr = "0 3 * * *"\n', encoding="utf-8")
    return newsarchive("health", "--db", url, "--config", str(config), *extra, timeout=60)


def test_cli_exit_codes(db_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    for spider in ("etoday", "korea_kr"):
        for night in range(3, 0, -1):
            seed(db_url, spider, now - timedelta(days=night - 1, minutes=5), listed=20, fetched=5, stored=5)
    healthy = run_health(db_url, tmp_path)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "ok       etoday" in healthy.stdout

    for night in range(3, 0, -1):  # etoday's site changes: listings still full, nothing stored
        seed(db_url, "etoday", now - timedelta(minutes=night), listed=20, fetched=0, stored=0)
    flagged = run_health(db_url, tmp_path, "--json")
    assert flagged.returncode == 3, flagged.stderr
    report = {entry["spider"]: entry for entry in json.loads(flagged.stdout)}
    assert report["korea_kr"]["ok"] is True
    assert report["etoday"]["ok"] is False and "stored nothing" in report["etoday"]["flags"][0]


def test_cli_bad_config_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    result = newsarchive("health", "--db", sqlite_url, "--config", str(tmp_path / "missing.toml"), timeout=60)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "config file not found" in result.stderr


def test_a_revisit_job_storing_nothing_is_normal(sqlite_url: str) -> None:
    """A revisit lists archived articles and stores only the edited ones: zero stored is no alarm."""
    for night in range(3, 0, -1):
        seed(sqlite_url, "etoday-revisit", NOW - timedelta(hours=6 * night - 1), listed=25, fetched=25, stored=0)
    assert check(sqlite_url, "etoday-revisit") == []
    assert check(sqlite_url, "etoday-revisit", now=NOW + timedelta(days=3))[0].startswith("no successful run since")
