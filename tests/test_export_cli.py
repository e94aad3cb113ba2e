"""`newsarchive export`: every record carries the article id; CSV opens in Excel (UTF-8 byte-order mark)
with list fields as JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.crawl_helpers import newsarchive
from tests.search_fixtures import build_archive


def test_jsonl_records_carry_the_article_id(db_url: str) -> None:
    ids = build_archive(db_url)
    out = newsarchive("export", "--db", db_url, check=True).stdout
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(record["id"] for record in records) == sorted(ids.values())
    by_id = {record["id"]: record for record in records}
    assert by_id[ids["exchange"]]["title"] == "한중 문화 교류 확대"


def test_csv_has_a_bom_the_id_first_and_lists_as_json(sqlite_url: str, tmp_path: Path) -> None:
    ids = build_archive(sqlite_url)
    target = tmp_path / "articles.csv"
    newsarchive("export", "--format", "csv", "-o", str(target), "--db", sqlite_url, check=True)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,url,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(int(row["id"]) for row in rows) == sorted(ids.values())
    science = next(row for row in rows if int(row["id"]) == ids["science"])
    assert json.loads(science["ministries"]) == ["과학기술정보통신부", "행정안전부"]
    stdout = newsarchive("export", "--format", "csv", "--db", sqlite_url, check=True).stdout
    assert stdout.startswith("\ufeffid,url,")
