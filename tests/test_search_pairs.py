"""PostgreSQL's pair tokens (migration 0014): the index answers phrases, a three-syllable word is one
token, and results are those of SQLite's FTS5 for the same queries."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from storage import repository as repo
from storage.db import alembic_config, get_engine, migrate, transaction
from storage.search import backends, search
from storage.search.entries import pairs_text
from storage.search.query import PgMatch, parse, to_pg_match, to_tsquery
from storage.search.tokens import pairs, tokens
from tests.conftest import migrated_archive
from tests.search_fixtures import KST, build_archive, make_record
from tests.test_search_schema import SAMPLES

WHEN = datetime(2024, 4, 2, 9, 30, tzinfo=KST)

# (key, title, body): bigrams that occur apart, a phrase across the title's end and the body's start, and
# one beyond PostgreSQL's last position (16383 tokens).
TEXTS = [
    ("apart", "재난 대응 점검", "안전한 재난 관리와 난안 대피 훈련. 한중 교류 확대."),
    ("whole", "재난안전 점검", "재난안전관리 체계를 점검하고 문화 교류를 넓힌다. 2024년도 예산."),
    ("border", "여름철 대비 재난", "안전 점검을 마쳤다. 교류 협력."),
    ("deep", "긴 보고서", "가나 " * 17_000 + "해일파 경보 발령"),
    ("words", "문화 교류 확대", "한중 문화 교류를 확대하고 교류 문화를 알린다. 2024년 예산."),
]

QUERIES = ["재난안전", "재난안", '"재난 안전"', '"여름철 대비 재난 안전"', "해일파", "안전관리",
           '"문화 교류"', '"교류 문화"', "문화 교류", "재난 -재난안전", '재난 -"대응 점검"', "재난안 OR 교류",
           "재난안전 OR 난안", "2024년", '"2024년도 예산"', "점검 재난안전관리", "관리와", "교류 협력"]


def _store(db_url: str) -> dict[str, int]:
    ids = {}
    with transaction(db_url) as session:
        for n, (key, title, body) in enumerate(TEXTS, 1):
            ids[key] = repo.add_article(session, make_record(n, title, body, WHEN, []), b"", None).id
    return ids


def _found(db_url: str, query: str) -> list[tuple[int, str]]:
    return [(hit.id, hit.title) for hit in search(db_url, query)]


def test_pair_tokens() -> None:
    assert pairs(tokens("재난안전 2024년 ab cd 가 나다")) == [
        "재난안", "난안전", "안전 2024", "2024 년", "년 ab", "ab cd", "cd 가", "가 나다"]
    assert pairs(["ab", "bc"]) == ["ab bc"]  # ASCII words are whole words, never trigrams
    assert pairs_text("재난 재난 재난") == "'재난 재난'"


def test_the_query_asks_the_index_for_pair_tokens() -> None:
    """A three-syllable word or a phrase of two tokens is one pair token, exact: no positions read."""
    assert to_pg_match(parse("재난안")) == PgMatch(None, "(('재난안'))", None, True)
    assert to_pg_match(parse('"재난 안전"')) == PgMatch(None, "(('재난 안전'))", None, True)
    longer = to_pg_match(parse("재난안전 교류"))
    assert longer == PgMatch("(('교류'))", "(('재난안' & '난안전'))",
                             "(('재난' <-> '난안' <-> '안전')) & (('교류'))", True)
    # a trailing syllable is a prefix: its phrase is asked loosely and checked
    assert to_pg_match(parse("2024년")) == PgMatch("(('2024' & '년':*))", None, "(('2024' <-> '년':*))", False)
    assert to_pg_match(parse("재난 -재난안전")).check is not None
    assert to_pg_match(parse("재난 -교류")) == PgMatch("(('재난')) & !('교류')", None, None, True)


@pytest.mark.postgres
def test_postgres_pairs_match_python(pg_url: str) -> None:
    """ko_pairs is the PostgreSQL twin of entries.pairs_text."""
    with get_engine(pg_url).connect() as conn:
        for sample in SAMPLES:
            assert conn.scalar(text("SELECT ko_pairs(:t) = CAST(:p AS tsvector)"),
                               {"t": sample, "p": pairs_text(sample)}), sample[:40]


@pytest.mark.postgres
def test_phrases_match_as_on_sqlite(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same hits on both backends, where PostgreSQL's bigram positions alone
    matched a phrase across the title's end and the body's start ("border") and missed one beyond the
    16383rd token ("deep"). A phrase of three tokens or more there is still missed: its order is checked
    by positions, which PostgreSQL does not keep beyond 16383."""
    with migrated_archive("sqlite", tmp_path) as sqlite_url:
        by = _store(sqlite_url)
        assert _store(pg_url) == by
        for query in QUERIES:
            assert {i for i, _ in _found(pg_url, query)} == {i for i, _ in _found(sqlite_url, query)}, query
    assert {i for i, _ in _found(pg_url, "재난안전")} == {by["whole"]}
    assert _found(pg_url, '"재난 안전"') == []
    assert _found(pg_url, '"여름철 대비 재난 안전"') == []
    assert {i for i, _ in _found(pg_url, "해일파")} == {by["deep"]}
    assert _found(pg_url, '"해일파 경보"') == []
    now = {query: search(pg_url, query) for query in QUERIES}
    # the walk before migration 0014, on the same index: the whole query asked of `doc`
    monkeypatch.setattr(backends, "to_pg_match", lambda query, facets=(): PgMatch(
        to_tsquery(query, facets), None, None, "<->" not in to_tsquery(query, facets)))
    for query in QUERIES:
        before = search(pg_url, query)
        if query in ('"재난 안전"', '"여름철 대비 재난 안전"', "해일파"):
            assert before != now[query]
        else:  # same hits, same order, same scores
            assert [(h.id, h.score) for h in before] == [(h.id, h.score) for h in now[query]], query


@pytest.mark.postgres
def test_migration_fills_the_pairs_of_an_archive(pg_url: str) -> None:
    """An archive indexed before migration 0014 gets its pair tokens; a new article too, by the trigger."""
    by = build_archive(pg_url)
    command.downgrade(alembic_config(pg_url), "0013")
    with transaction(pg_url) as session:  # written while the archive is at 0013
        added = repo.add_article(session, make_record(9, "재난안전 보고", "한중 문화 교류", WHEN, []), b"", None).id
    migrate(pg_url)
    with get_engine(pg_url).connect() as conn:
        rows = conn.execute(text("SELECT a.id, s.pairs = CAST(:none AS tsvector), a.title, a.subtitle, a.body,"
                                 " s.pairs::text FROM articles AS a JOIN article_search AS s ON s.article_id = a.id"),
                            {"none": ""}).all()
        assert len(rows) == len(by) + 1
        for _, empty, title, subtitle, body, got in rows:
            assert not empty
            want = conn.scalar(text("SELECT CAST(:a AS tsvector) || CAST(:b AS tsvector)"),
                               {"a": pairs_text(title), "b": pairs_text(f"{subtitle or ''} {body}")})
            assert got == want
    assert {hit.id for hit in search(pg_url, "재난안")} == {by["disaster"], added}
    assert {hit.id for hit in search(pg_url, '"문화 교류"')} == {by["exchange"], added}
