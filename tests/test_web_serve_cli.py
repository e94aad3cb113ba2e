"""`newsarchive serve` through the real CLI: it serves an archive read-only and refuses, in one line,
an archive it cannot serve (it never creates or migrates one)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from sqlalchemy import text

from storage.db import get_engine, migrate
from tests.crawl_helpers import newsarchive
from tests.web_archive import build_web_archive
from tests.web_server import serving


def test_serves_the_archive_and_leaves_it_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    migrate(url)
    archive = build_web_archive(url)
    get_engine(url).dispose()
    before = (tmp_path / "archive.db").stat().st_mtime_ns
    with serving(url) as base:
        with urllib.request.urlopen(f"{base}/api/articles/{archive.ids['wire']}") as response:
            assert json.load(response)["id"] == archive.ids["wire"]
        with urllib.request.urlopen(f"{base}/search?q=%EB%B8%8C%EB%A6%AC%ED%95%91") as response:
            assert response.status == 200 and "default-src 'none'" in response.headers["content-security-policy"]
    assert (tmp_path / "archive.db").stat().st_mtime_ns == before


def test_refuses_a_missing_or_unmigrated_archive_in_one_line(tmp_path: Path) -> None:
    missing = newsarchive("serve", "--db", f"sqlite:///{tmp_path / 'nothing.db'}", "--port", "1", timeout=60)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("error: no archive at sqlite:")  # as every reading command says it
    assert "nothing.db" in missing.stderr and not (tmp_path / "nothing.db").exists()
    assert not (tmp_path / "nothing.db").exists()
    empty = tmp_path / "empty.db"
    with get_engine(f"sqlite:///{empty}").begin() as conn:
        conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    result = newsarchive("serve", "--db", f"sqlite:///{empty}", "--port", "1", timeout=60)
    assert result.returncode == 1 and "no schema" in result.stderr and result.stderr.count("\n") == 1
    old = tmp_path / "old.db"
    migrate(f"sqlite:///{old}", "0004")
    result = newsarchive("serve", "--db", f"sqlite:///{old}", "--port", "1", timeout=60)
    assert result.returncode == 1 and "revision 0004" in result.stderr and result.stderr.count("\n") == 1
