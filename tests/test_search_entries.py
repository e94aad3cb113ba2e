"""The crawl's store path computes search index entries before the writer lock (storage/search/entries.py)
and the index holds what the triggers would have written; the lock's hold is measured (storage.locktime)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage import bulk, locktime
from storage import repository as repo
from storage.db import get_engine, transaction, write_transaction
from storage.search import search
from tests.search_fixtures import KST, make_record, store_at

TITLE = "행안부, 2024년도 AI 재난 대응 점검 國家"
BODY = ("행정안전부는 재난안전관리 체계를 점검했다. " * 40 + "Seoul 2024 AI 예측 시스템. 재난 " * 300
        + "끝에 나오는 마지막문장")


def _records(n: int) -> list:
    """The same article twice (different URL and hash): once for each path."""
    out = []
    for i in range(n):
        record = make_record(100 + i, TITLE, BODY, datetime(2024, 12, 31, 15, 30, tzinfo=UTC),
                             ["행정안전부", "소방청", "행정안전부", ""], section="사회")
        record.subtitle = "부제: 여름철 대비"
        record.content_hash = f"{i:064x}"
        out.append(record)
    return out


def test_client_rows_equal_the_trigger_rows(db_url: str) -> None:
    by_trigger, by_client = _records(2)
    dialect = get_engine(db_url).dialect.name
    with write_transaction(db_url) as session:
        trigger_id = repo.add_article(session, by_trigger, b"<html></html>", "utf-8").id
        [client_id] = bulk.add_articles(session, [bulk.prepare(dialect, by_client, b"<html></html>", "utf-8")],
                                        None)
    if dialect == "postgresql":
        with get_engine(db_url).connect() as conn:
            docs = {i: (title, doc, pairs) for i, title, doc, pairs in conn.execute(text(
                "SELECT article_id, title, doc::text, pairs::text FROM article_search"))}
        assert docs[client_id] == docs[trigger_id]
        assert docs[client_id][0] == TITLE and "'마지':" in docs[client_id][1] and "§i" in docs[client_id][1]
        assert "'마지막'" in docs[client_id][2] and "'2024 년도'" in docs[client_id][2]
    cases: list[tuple[str, dict[str, Any]]] = [("마지막문장", {}), ('"재난 대응"', {}), ("여름철", {}), ("seoul", {}),
                          ("재난", {"ministry": "소방청", "since": datetime(2025, 1, 1, tzinfo=KST).date()}),
                          ("재난", {"section": "사회"})]
    for query, kwargs in cases:
        found = {hit.id for hit in search(db_url, query, **kwargs)}
        assert found == {trigger_id, client_id}, query
    with transaction(db_url) as session:  # an update goes through the trigger, as before
        session.execute(text("UPDATE articles SET body = :b, title = '새 제목' WHERE id = :i"),
                        {"b": "새로운 본문이다", "i": client_id})
    assert {hit.id for hit in search(db_url, "새로운")} == {client_id}
    if dialect == "postgresql":  # the index row's copy of the title follows
        with get_engine(db_url).connect() as conn:
            assert conn.scalar(text("SELECT title FROM article_search WHERE article_id = :i"), {"i": client_id}) \
                == "새 제목"
    assert {hit.id for hit in search(db_url, "마지막문장")} == {trigger_id}


def test_the_writer_lock_hold_is_kept_per_item(db_url: str, tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "holds.log"
    monkeypatch.setenv(locktime.LOG_ENV, str(log))
    locktime.clear()
    with write_transaction(db_url, 4):
        pass
    with write_transaction(db_url, 2):
        pass
    kept = locktime.holds()
    assert [hold.items for hold in kept] == [4, 2] and all(hold.held >= 0 and hold.waited >= 0 for hold in kept)
    assert locktime.read_log(log) == [locktime.Hold(float(f"{h.waited:.6f}"), float(f"{h.held:.6f}"), h.items)
                                      for h in kept]
    summary = locktime.summarise()
    assert (summary.transactions, summary.items) == (2, 6)
    assert summary.p50_ms <= summary.p95_ms


def test_postgres_walks_id_blocks_newest_first(pg_url: str, monkeypatch) -> None:
    """Matches spread over id blocks: the newest CANDIDATES are found block by block, and an article
    that was indexed before migration 0011 gained its block token (and its title, 0013)."""
    from alembic import command

    from storage.db import alembic_config
    from storage.search import backends
    from storage.search.facets import BLOCK_IDS
    from storage.search.query import PgMatch, parse, to_pg_match

    walks = [to_pg_match(parse(q)) for q in ("재난", '"재난 대응"', '"재난 대응 점검"')] + [
        PgMatch("'재난' & '대응'", None, "'재난' <-> '대응'", False)]  # a mixed OR group's form

    ids = [10, BLOCK_IDS + 5, 2 * BLOCK_IDS + 5, 3 * BLOCK_IDS + 5, 4 * BLOCK_IDS + 5]
    store_at(pg_url, enumerate(ids))
    command.downgrade(alembic_config(pg_url), "0010")
    command.upgrade(alembic_config(pg_url), "head")
    assert {hit.id for hit in search(pg_url, "재난")} == set(ids)
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    with get_engine(pg_url).connect() as conn:
        for walk in walks:
            assert backends._pg_walk(conn, walk) == [(i, f"제목 {ids.index(i)}") for i in ids[:1:-1]]
        assert backends._pg_walk(conn, to_pg_match(parse("재난대응"))) == []  # not neighbours in a word
    # Sparse matches: the walk asks for several blocks a scan, then for the rest of the archive by id
    # (a query the index answers, nearly, by itself) or still by blocks (one checked loosely).
    for article_id in (12 * BLOCK_IDS + 5, 30 * BLOCK_IDS + 5):
        store_at(pg_url, [(len(ids), article_id)])
        ids.append(article_id)
    monkeypatch.setattr(backends, "CANDIDATES", len(ids))
    with get_engine(pg_url).connect() as conn:
        for walk in walks:
            assert [i for i, _ in backends._pg_walk(conn, walk)] == ids[::-1]
        # the walk's planner settings are put back
        assert conn.scalar(text("SELECT current_setting('enable_seqscan') || current_setting('enable_indexscan')")) \
            == "onon"
