"""A newcomer's mistakes through the real CLI: each is one `error:` line and the right exit status, never a
traceback, never an archive created by a command that only reads, never a misspelled option taken as a
query word."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.db import transaction
from storage.models import CrawlRun
from tests.crawl_helpers import FAST, newsarchive
from tests.search_fixtures import build_archive

READERS = [["search", "재난"], ["show", "1"], ["export"], ["runs"], ["health"], ["schedule", "--list"]]
WRITERS = [["crawl", "etoday", *FAST], ["revisit", "etoday", *FAST], ["reextract"]]


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line on stderr, which must start with `error:`."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr[-2000:]
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("args, wrong, meant", [
    (["--minstry", "행안부", "재난"], "--minstry", "--ministry"),
    (["재난", "--limt", "1"], "--limt", "--limit"),
    (["--jsn", "재난"], "--jsn", "--json"),
])
def test_a_misspelled_search_option_is_a_usage_error_not_a_query_word(
        sqlite_url: str, args: list[str], wrong: str, meant: str) -> None:
    build_archive(sqlite_url)
    result = newsarchive("search", *args, "--db", sqlite_url)
    assert result.returncode == 2 and result.stdout == ""
    line = error_line(result)
    assert f"no such option '{wrong}'" in line and meant in line


def test_a_query_may_still_start_with_or_contain_an_exclusion(sqlite_url: str) -> None:
    ids = build_archive(sqlite_url)
    found = json.loads(newsarchive("search", "-재난", "교류", "--json", "--db", sqlite_url, check=True).stdout)
    assert {hit["id"] for hit in found} == {ids["exchange"], ids["science"]}
    found = json.loads(newsarchive("search", "재난", "-훈련", "--db", sqlite_url, "--json", check=True).stdout)
    assert {hit["id"] for hit in found} == {ids["disaster"]}


@pytest.mark.parametrize("args", READERS, ids=lambda a: a[0])
def test_a_command_that_only_reads_never_creates_an_archive(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo.db"
    result = newsarchive(*args, "--db", f"sqlite:///{missing}")
    assert result.returncode == 1
    assert error_line(result) == f"error: no archive at sqlite:///{missing}"
    assert list(tmp_path.iterdir()) == []


def test_spiders_without_an_archive_lists_the_spiders_and_creates_nothing(tmp_path: Path) -> None:
    result = newsarchive("spiders", "--db", str(tmp_path / "typo.db"), env={"COLUMNS": "200"})
    assert result.returncode == 0 and "korea_kr" in result.stdout
    assert f"no archive at sqlite:///{tmp_path / 'typo.db'}" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_bare_path_is_a_sqlite_file(tmp_path: Path, sqlite_url: str) -> None:
    result = newsarchive("runs", "--db", "no-such-archive.db")
    assert result.returncode == 1
    assert error_line(result) == "error: no archive at sqlite:///no-such-archive.db"
    existing = sqlite_url.removeprefix("sqlite:///")
    result = newsarchive("runs", "--db", existing)
    assert result.returncode == 0 and "no crawl runs recorded" in result.stderr


def test_a_command_that_writes_creates_the_archive(tmp_path: Path) -> None:
    result = newsarchive("reextract", "--db", str(tmp_path / "new.db"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "new.db").is_file()
    assert newsarchive("runs", "--db", str(tmp_path / "new.db")).returncode == 0


@pytest.mark.parametrize("args", READERS + WRITERS, ids=lambda a: a[0])
def test_a_file_that_is_not_an_archive_is_one_line_on_every_command(tmp_path: Path, args: list[str]) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database, just notes\n" * 200, encoding="utf-8")
    result = newsarchive(*args, "--db", f"sqlite:///{bad}")
    assert result.returncode == 1
    assert error_line(result) == f"error: not a newsarchive archive: sqlite:///{bad}: file is not a database"


@pytest.mark.parametrize("args", [["crawl", "etoday"], ["export"], ["reextract"], ["revisit", "etoday"]],
                         ids=lambda a: a[0])
@pytest.mark.parametrize("day", [("--since", "0001-01-01"), ("--until", "9999-12-31")], ids=lambda d: d[0])
def test_days_at_the_ends_of_the_calendar_are_usage_errors(
        sqlite_url: str, args: list[str], day: tuple[str, str]) -> None:
    result = newsarchive(*args, *day, "--db", sqlite_url)
    assert result.returncode == 2
    assert f"date '{day[1]}' out of range" in error_line(result)
    with transaction(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(CrawlRun)) == 0, "no run for bad input"


def test_an_id_past_any_integer_is_no_article(sqlite_url: str) -> None:
    result = newsarchive("show", "99999999999999999999999", "--db", sqlite_url)
    assert result.returncode == 1
    assert error_line(result) == "error: no article '99999999999999999999999' in the archive"


def test_a_huge_runs_limit_is_a_usage_error(db_url: str) -> None:
    result = newsarchive("runs", "--limit", "100000000000000000000", "--db", db_url)
    assert result.returncode == 2
    assert "--limit" in error_line(result)


def test_usage_and_runtime_errors_have_one_style(sqlite_url: str) -> None:
    result = newsarchive("show", "1", "--html", "--json", "--db", sqlite_url)
    assert result.returncode == 2
    assert error_line(result).startswith("error: --html, --json and --revisions cannot be used together")
    result = newsarchive("nosuchcommand")
    assert result.returncode == 2 and "no such command 'nosuchcommand'" in error_line(result)
    result = newsarchive("show", "1", "--db", sqlite_url)
    assert result.returncode == 1 and error_line(result) == "error: no article '1' in the archive"


@pytest.mark.parametrize("args", [["search", "재난", "--json"], ["show", "1"], ["export"], ["runs"],
                                  ["health"], ["schedule", "--list"], ["spiders"], ["reextract"]],
                         ids=lambda a: a[0])
def test_every_command_that_reads_settings_takes_config(tmp_path: Path, sqlite_url: str, args: list[str]) -> None:
    build_archive(sqlite_url)
    config = tmp_path / "elsewhere.toml"
    config.write_text(f'database = "{sqlite_url}"\n', encoding="utf-8")
    result = newsarchive(*args, "--config", str(config), env={"NEWSARCHIVE_DATABASE_URL": ""})
    assert result.returncode in (0, 3), result.stderr[-2000:]  # health: 3 when a spider is flagged
    assert "no archive" not in result.stderr
    result = newsarchive(*args, "--config", str(tmp_path / "missing.toml"))
    assert result.returncode == 1 and error_line(result).startswith("error: config file not found")


def test_postgresql_without_psycopg_says_what_to_install(tmp_path: Path) -> None:
    from tests.crawl_helpers import REPO_ROOT

    shadow = tmp_path / "site"
    (shadow / "psycopg").mkdir(parents=True)
    # what Python raises for a package that is not installed
    (shadow / "psycopg" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n", encoding="utf-8")
    result = newsarchive("runs", "--db", "postgresql://postgres@127.0.0.1:5432/test",
                         env={"PYTHONPATH": f"{shadow}:{REPO_ROOT}"})
    assert result.returncode == 1
    assert error_line(result) == 'error: PostgreSQL needs psycopg: pip install "newsarchive[postgres]"'


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_no_archive_to_a_reader_and_stays_empty() -> None:
    from sqlalchemy import inspect

    from storage.db import get_engine, redact
    from tests.conftest import create_pg_database, drop_pg_database

    url = create_pg_database()
    try:
        result = newsarchive("runs", "--db", url)
        assert result.returncode == 1
        assert error_line(result) == f"error: no archive at {redact(url)} (it has no newsarchive tables)"
        with get_engine(url).connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        drop_pg_database(url)


def test_newsarchive_alone_prints_its_help() -> None:
    result = newsarchive()
    assert result.returncode == 2 and result.stderr == ""
    assert result.stdout.startswith("Usage: ") and "newsarchive [OPTIONS] COMMAND" in result.stdout
    assert "\n  search " in result.stdout
