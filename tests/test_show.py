"""`newsarchive show ID|URL`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from click.testing import CliRunner

from core.article import Article as Record
from newsarchive.cli import cli
from storage import repository as repo
from storage.db import transaction
from tests.search_fixtures import build_archive


def show(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["show", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_show_by_id_and_url_with_duplicates(db_url: str) -> None:
    by = build_archive(db_url)
    with transaction(db_url) as session:
        original = session.get(repo.Article, by["exchange"])
        assert original is not None
        dup = Record(url="https://www.mcst.go.kr/press/77?x=1", canonical_url="https://www.mcst.go.kr/press/77",
                     source="mcst", title=original.title, body=original.body,
                     fetched_at=datetime.now(UTC))
        repo.add_duplicate(session, dup, original)
    code, out, _ = show(str(by["exchange"]), "--db", db_url)
    assert code == 0
    assert out.startswith("한중 문화 교류 확대\n")
    assert "published:  2024-04-01T23:50+09:00" in out and "문화체육관광부" in out
    assert "duplicate:  https://www.mcst.go.kr/press/77?x=1 (mcst)" in out
    assert out.rstrip().endswith("國家 간 협력.")
    code, out2, _ = show("https://www.mcst.go.kr/press/77", "--db", db_url)
    assert code == 0 and out2 == out
    code, out, _ = show(str(by["science"]), "--json", "--db", db_url)
    data = json.loads(out)
    assert data["id"] == by["science"] and data["ministries"] == ["과학기술정보통신부", "행정안전부"]
    assert data["duplicates"] == []


def test_show_html(db_url: str) -> None:
    by = build_archive(db_url)
    code, out, _ = show(str(by["disaster"]), "--html", "--db", db_url)
    assert code == 0 and out.startswith("<html><body><p>행정안전부는")


def test_unknown_article_one_line_exit_1(sqlite_url: str) -> None:
    for ref in ("999", "https://nowhere.example/x", "not a ref"):
        code, out, err = show(ref, "--db", sqlite_url)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
