"""`reextract` against the real database: a stored article with a stale body is brought up to date."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pipelines.extract import extract
from pipelines.reextract import reextract
from storage.db import transaction
from storage.repository import add_article, article_by_url, to_record

SITES = Path(__file__).resolve().parent / "fixtures" / "extraction" / "sites"


def _page(name: str) -> tuple[bytes, str]:
    expected = json.loads((SITES / f"{name}.json").read_text(encoding="utf-8"))
    return (SITES / f"{name}.html").read_bytes(), expected["url"]


def _store_stale(db_url: str, name: str) -> str:
    html, url = _page(name)
    fresh = extract(html, url, source="etoday", fetched_at=datetime(2024, 4, 1, tzinfo=UTC))
    stale_body = (
        fresh.body + "\n김나은 기자 naeun@etoday.co.kr\n〈저작권자 ⓒ 이투데이, 무단전재 및 재배포 금지〉"
    )
    stale = replace(fresh, body=stale_body, title=fresh.title + " - 이투데이", ministries=[], content_hash="")
    stale.__post_init__()
    with transaction(db_url) as session:
        add_article(session, stale, html, "utf-8")
    return fresh.canonical_url


def test_reextract_updates_stale_rows(db_url: str) -> None:
    canonical = _store_stale(db_url, "etoday-2343297")
    html, url = _page("korea-kr-156622001")
    with transaction(db_url) as session:  # an up-to-date row stays as it is
        add_article(session, extract(html, url, source="korea_kr"), html, "utf-8")

    counts = reextract(db_url, batch=1)

    assert (counts.changed, counts.unchanged, counts.failed) == (1, 1, 0)
    with transaction(db_url) as session:
        row = article_by_url(session, canonical)
        assert row is not None
        record = to_record(row)
        assert "무단전재" not in record.body and "naeun@" not in record.body
        assert record.title.endswith("…과기정통부 “AI 반도체 지원”")
        assert record.ministries == ["과학기술정보통신부"]
        assert {link.ministry for link in row.ministry_links} == {"과학기술정보통신부"}
    assert reextract(db_url).changed == 0  # a second run finds nothing left to change


def test_reextract_filters_by_source(db_url: str) -> None:
    _store_stale(db_url, "etoday-2343297")
    assert reextract(db_url, source="korea_kr").total == 0
    assert reextract(db_url, source="etoday").changed == 1


def test_reextract_command(sqlite_url: str) -> None:
    _store_stale(sqlite_url, "etoday-2343297")
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "reextract", "--db", sqlite_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 articles: 1 changed, 0 unchanged, 0 failed" in result.stdout


def test_reextract_command_bad_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "reextract", "--since", "2024-13-01"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "2024-13-01" in result.stderr
