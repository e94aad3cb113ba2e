"""`newsarchive search` through click's runner and one real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newsarchive.cli import cli
from tests.search_fixtures import build_archive


@pytest.fixture
def archive(db_url: str) -> tuple[str, dict[str, int]]:
    return db_url, build_archive(db_url)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["search", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_plain_output_marks_matches(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    code, out, _ = run("재난", "--db", url)
    assert code == 0
    assert "[재난]안전관리" in out and "[재난]을" in out
    assert "2024-04-02 09:30 KST" in out and "행정안전부" in out and f"id {by['disaster']}" in out


def test_json_and_csv(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    code, out, _ = run("교류", "--ministry", "행안부", "--json", "--db", url)
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data] == [by["science"]]
    assert data[0]["published_at"] == "2024-03-28T14:00+09:00" and "[교류]" in data[0]["snippet"]
    code, out, _ = run("교류", "--since", "2024-04-01", "--csv", "--db", url)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [int(r["id"]) for r in rows] == [by["exchange"]]


def test_no_matches_is_not_an_error(archive: tuple[str, dict[str, int]]) -> None:
    url, _ = archive
    code, out, err = run("없는낱말", "--db", url)
    assert code == 0 and out == "" and "no matches" in err


@pytest.mark.parametrize("args", [["--ministry", "없는부"], ["--since", "2024-13-01"], ["--limit", "0"],
                                  ["--json", "--csv"], ["--since", "2024-05-01", "--until", "2024-04-01"]])
def test_bad_options_one_line(archive: tuple[str, dict[str, int]], args: list[str]) -> None:
    url, _ = archive
    code, out, err = run("재난", *args, "--db", url)
    assert code == 2 and out == ""
    assert "Traceback" not in err


@pytest.mark.parametrize("query", ["", "-재난", "가" * 10_000, '"" OR'])
def test_unsearchable_query_one_line_exit_2(archive: tuple[str, dict[str, int]], query: str) -> None:
    url, _ = archive
    code, out, err = run(query, "--db", url)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("Error: ")


@pytest.mark.parametrize("query", ['"재난', "(재난 OR 교류", "NEAR(재난 교류, 2)", "재난* ^교류",
                                   "' OR 1=1 --", "1' UNION SELECT body FROM articles --"])
def test_hostile_queries_answer_cleanly(archive: tuple[str, dict[str, int]], query: str) -> None:
    url, _ = archive
    code, _, err = run(query, "--db", url)
    assert code == 0 and "Traceback" not in err


def test_real_process(sqlite_url: str) -> None:
    build_archive(sqlite_url)
    ok = subprocess.run([sys.executable, "-m", "newsarchive", "search", "교류", "--db", sqlite_url],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "[교류]" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "newsarchive", "search", "", "--db", sqlite_url],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
