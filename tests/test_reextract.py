"""`reextract` against the real database: a stored article with a stale body is brought up to date."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from newsarchive.demo.site import build_site
from newsarchive.demo.site.server import serve
from pipelines.extract import extract
from pipelines.minhash import day_number, fingerprint_of
from pipelines.reextract import reextract
from storage import clusters
from storage.db import transaction
from storage.models import Article, ArticleBand, ArticleSignature, Base, RawPage
from storage.repository import add_article, article_by_url, compress_html, raw_html, to_record
from tests.crawl_helpers import FAST, kst_today, newsarchive

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


# --- after a crawl of the local test site ----------------------------------------------------------

def _crawl(db_url: str, *spiders: str) -> None:
    with serve(build_site(kst_today())) as running:
        for spider in spiders:
            newsarchive("crawl", spider, "--db", db_url, *running.mirror_args(), *FAST, check=True)


def _tables(db_url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row re-extraction may touch, in a stable order (raw html aside)."""
    tables = {"articles": list(Base.metadata.tables["articles"].c),
              "article_ministries": list(Base.metadata.tables["article_ministries"].c),
              "article_bands": list(Base.metadata.tables["article_bands"].c),
              "article_signatures": list(Base.metadata.tables["article_signatures"].c),
              "cluster_members": [c for c in Base.metadata.tables["cluster_members"].c if c.name != "joined_at"],
              "raw_pages": [c for c in Base.metadata.tables["raw_pages"].c if c.name != "html_zlib"]}
    with transaction(db_url) as session:
        return {name: sorted(tuple(row) for row in session.execute(select(*columns)))
                for name, columns in tables.items()}


def test_reextract_right_after_a_crawl_changes_nothing(db_url: str) -> None:
    """Same code, same pages: not one row differs. korea.kr pages show only the day, and the minute
    the crawl took from the feed is kept; so are the ministries the feeds filed a release under."""
    _crawl(db_url, "korea_kr", "etoday")
    before = _tables(db_url)
    assert len(before["articles"]) > 10 and before["article_bands"] and before["article_signatures"]
    result = newsarchive("reextract", "--db", db_url, check=True)
    total = len(before["articles"])
    assert f"{total} articles: 0 changed, {total} unchanged, 0 failed" in result.stdout
    assert _tables(db_url) == before


def _view_cont(html: bytes) -> bytes:
    found = re.search(rb'<div class="view_cont">\n(.*?)</div>\n', html, re.S)
    assert found is not None
    return found.group(1)


def _set_raw(db_url: str, article_id: int, html: bytes) -> None:
    with transaction(db_url) as session:
        raw = session.get(RawPage, article_id)
        assert raw is not None
        raw.html_zlib = compress_html(html)


def _fingerprint_rows(db_url: str, article_id: int) -> tuple[set[tuple[int, int]], bytes | None, int | None]:
    with transaction(db_url) as session:
        bands = {(row.day, row.band_hash) for row in session.scalars(
            select(ArticleBand).where(ArticleBand.article_id == article_id))}
        signature = session.get(ArticleSignature, article_id)
        return bands, signature.minhash if signature else None, clusters.cluster_id_of(session, article_id)


def _expected_fingerprint(db_url: str, article_id: int) -> tuple[set[tuple[int, int]], bytes]:
    with transaction(db_url) as session:
        row = session.get(Article, article_id)
        assert row is not None
        made, day = fingerprint_of(row.body), day_number(row.published_at)
    return {(day, key) for key in made.keys}, made.signature


def test_a_changed_raw_page_moves_its_fingerprint_and_cluster_with_it(sqlite_url: str) -> None:
    _crawl(sqlite_url, "korea_kr")
    ids = {}
    with transaction(sqlite_url) as session:
        for row in session.scalars(select(Article)):
            ids[row.canonical_url.rsplit("=", 1)[1]] = (row.id, raw_html(row))
    (a_id, a_html), (b_id, b_html) = ids["156741178"], ids["156741240"]
    assert _fingerprint_rows(sqlite_url, a_id)[2] is None, "two unrelated releases, in no cluster"
    # A's page now carries B's text with a line added before it: a near-copy of B
    added = "<p>□ 관계 부처는 이번 대책의 이행 상황을 매주 점검하기로 했다.</p>\n".encode()
    assert a_html is not None and b_html is not None
    _set_raw(sqlite_url, a_id, a_html.replace(_view_cont(a_html), added + _view_cont(b_html)))

    result = newsarchive("reextract", "--db", sqlite_url, check=True)
    assert " 1 changed," in result.stdout
    bands, signature, cluster = _fingerprint_rows(sqlite_url, a_id)
    assert (bands, signature) == _expected_fingerprint(sqlite_url, a_id)
    assert cluster is not None and cluster == _fingerprint_rows(sqlite_url, b_id)[2]

    _set_raw(sqlite_url, a_id, a_html)  # and back: it leaves the cluster, which is dissolved
    assert " 1 changed," in newsarchive("reextract", "--db", sqlite_url, check=True).stdout
    bands, signature, cluster = _fingerprint_rows(sqlite_url, a_id)
    assert (bands, signature) == _expected_fingerprint(sqlite_url, a_id)
    assert cluster is None and _fingerprint_rows(sqlite_url, b_id)[2] is None
