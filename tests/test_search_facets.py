"""Filters as index tokens (storage/search/facets.py, migration 0004), on both backends."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import text

from storage import repository as repo
from storage.db import alembic_config, get_engine, migrate, transaction
from storage.models import Article
from storage.search import search
from storage.search.facets import FACET_MARK, date_tokens, facet_tokens
from tests.search_fixtures import KST, build_archive, make_record

BODY = "행정안전부는 재난 대응 체계를 점검했다."


def covered_days(tokens: list[str]) -> set[date]:
    days: set[date] = set()
    for token in tokens:
        kind, digits = token[len(FACET_MARK)], token[len(FACET_MARK) + 1:]
        first = date(int(digits[:4]), int(digits[4:6] or 1), int(digits[6:] or 1))
        last = {"y": date(first.year, 12, 31), "d": first}.get(kind)
        if last is None:  # a month
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def test_date_tokens_cover_exactly_the_range() -> None:
    rnd = random.Random(3)
    for _ in range(300):
        first = date(2019, 1, 1) + timedelta(days=rnd.randrange(2500))
        last = first + timedelta(days=rnd.choice([0, 1, 27, 30, 31, 58, 364, 365, 366, rnd.randrange(2000)]))
        tokens = date_tokens(first, last)
        assert covered_days(tokens) == {first + timedelta(days=n) for n in range((last - first).days + 1)}
        assert len(tokens) <= 31 + 11 + (last.year - first.year + 1) + 11 + 31
    assert date_tokens(date(2025, 1, 1), date(2026, 12, 31)) == [f"{FACET_MARK}y2025", f"{FACET_MARK}y2026"]
    assert date_tokens(date(2024, 2, 1), date(2024, 2, 29)) == [f"{FACET_MARK}m202402"]
    assert date_tokens(date(2024, 3, 2), date(2024, 3, 1)) == []


def test_date_tokens_widen_past_the_archive_edges() -> None:
    oldest, newest = date(2016, 3, 9), date(2026, 11, 20)
    tokens = date_tokens(date(2025, 12, 30), newest, oldest, newest)
    assert tokens == [f"{FACET_MARK}d20251230", f"{FACET_MARK}d20251231", f"{FACET_MARK}y2026"]
    assert date_tokens(date(2000, 1, 5), date(2016, 12, 31), oldest, newest) == [f"{FACET_MARK}y2016"]
    # inside the archive nothing is widened
    assert date_tokens(date(2020, 1, 1), date(2020, 1, 2), oldest, newest) == [
        f"{FACET_MARK}d20200101", f"{FACET_MARK}d20200102"]


def test_facet_tokens_use_kst_days() -> None:
    just_before = datetime(2024, 1, 31, 14, 59, tzinfo=UTC)  # 23:59 KST on the 31st
    at_midnight = datetime(2024, 12, 31, 15, 0, tzinfo=UTC)  # 00:00 KST on 1 January
    assert facet_tokens(None, None, [], just_before)[-1] == f"{FACET_MARK}d20240131"
    assert facet_tokens(None, None, [], at_midnight)[-3:] == [
        f"{FACET_MARK}y2025", f"{FACET_MARK}m202501", f"{FACET_MARK}d20250101"]
    assert facet_tokens(None, None, [], at_midnight.replace(tzinfo=None)) == facet_tokens(None, None, [], at_midnight)


FACET_SAMPLES = [
    ("korea_kr", "IT", ["행정안전부", "과학기술정보통신부", "행정안전부"], datetime(2024, 1, 31, 14, 59, tzinfo=UTC)),
    ("yna", "", [], datetime(2024, 12, 31, 15, 0, tzinfo=UTC)),
    ("mk", "Science & Tech / 과학", ["소방청"], None),
    ("", "정치", ["", "통일부"], datetime(2016, 2, 29, 3, 0, tzinfo=UTC)),
    ("etoday", "섹션" * 500, ["통일부" * 400], None),  # names cut at MAX_NAME_BYTES, mid-character
]


def test_postgres_facets_match_python(pg_url: str) -> None:
    """ko_facets is the PostgreSQL twin of facets.facet_tokens."""
    import json

    with get_engine(pg_url).connect() as conn:
        for source, section, ministries, published in FACET_SAMPLES:
            got = conn.scalar(text("SELECT ko_facets(:s, :c, CAST(:m AS json), :p)"),
                              {"s": source, "c": section, "m": json.dumps(ministries), "p": published})
            assert got == facet_tokens(source, section, ministries, published)


def add(db_url: str, n: int, published: datetime, ministries: list[str], section: str = "") -> int:
    with transaction(db_url) as session:
        record = make_record(n, f"점검 {n}", f"{BODY} ({n})", published, ministries, section)
        return repo.add_article(session, record, b"", None).id


def test_ministry_abbreviation_and_since_across_month_and_year_edges(db_url: str) -> None:
    ids = {
        "jan31_late": add(db_url, 1, datetime(2024, 1, 31, 23, 59, tzinfo=KST), ["행정안전부"]),
        "feb1_early": add(db_url, 2, datetime(2024, 2, 1, 0, 0, tzinfo=KST), ["행정안전부"]),
        "feb1_other": add(db_url, 3, datetime(2024, 2, 1, 12, 0, tzinfo=KST), ["소방청"]),
        "dec31": add(db_url, 4, datetime(2024, 12, 31, 23, 30, tzinfo=KST), ["행정안전부", "소방청"]),
        "next_year": add(db_url, 5, datetime(2025, 3, 1, 8, 0, tzinfo=KST), ["행정안전부"]),
        "undated": add(db_url, 6, datetime(2024, 5, 1, tzinfo=KST), ["행정안전부"]),
    }
    with transaction(db_url) as session:  # an article without a publication date
        row = session.get(Article, ids["undated"])
        assert row is not None
        row.published_at = None

    def found(**kwargs: object) -> set[str]:
        hits = {hit.id for hit in search(db_url, "재난", **kwargs)}  # type: ignore[arg-type]
        return {key for key, value in ids.items() if value in hits}

    assert found(ministry="행안부", since=date(2024, 2, 1)) == {"feb1_early", "dec31", "next_year"}
    assert found(ministry="행안부", until=date(2024, 1, 31)) == {"jan31_late"}
    assert found(ministry="행안부", since=date(2024, 1, 31), until=date(2024, 2, 1)) == {"jan31_late", "feb1_early"}
    assert found(since=date(2024, 12, 31), until=date(2024, 12, 31)) == {"dec31"}
    assert found(ministry="소방청", since=date(2024, 2, 2)) == {"dec31"}
    assert found(since=date(2025, 1, 1)) == {"next_year"}
    assert found(since=date(2025, 3, 2)) == set()
    assert found(until=date(2000, 1, 1)) == set()
    assert found(ministry="행안부") == set(ids) - {"feb1_other"}


def test_facets_follow_updates(db_url: str) -> None:
    from core.article import Article as Record

    article_id = add(db_url, 1, datetime(2024, 4, 2, 9, 0, tzinfo=KST), ["행정안전부"], "사회")
    assert [h.id for h in search(db_url, "재난", ministry="행정안전부", section="사회")] == [article_id]
    with transaction(db_url) as session:
        row = session.get(Article, article_id)
        assert row is not None
        record = repo.to_record(row)
        repo.apply_record(row, Record(**{**record.__dict__, "ministries": ["소방청"], "section": "IT",
                                         "published_at": datetime(2023, 1, 1, tzinfo=KST)}))
    assert search(db_url, "재난", ministry="행정안전부") == []
    assert search(db_url, "재난", section="사회") == []
    assert search(db_url, "재난", since=date(2024, 1, 1)) == []
    assert [h.id for h in search(db_url, "재난", ministry="소방청", section="IT",
                                 until=date(2023, 1, 1))] == [article_id]


def test_query_words_never_match_facet_tokens(db_url: str) -> None:
    add(db_url, 1, datetime(2024, 4, 2, 9, 0, tzinfo=KST), ["행정안전부"], "IT")
    token = facet_tokens("korea_kr", "IT", ["행정안전부"], None)[0]
    assert search(db_url, token) == search(db_url, token[len(FACET_MARK):]) == []
    assert search(db_url, "2024") == search(db_url, "y2024") == []


@pytest.mark.parametrize("start", ["0001", "0003"])
def test_upgrade_indexes_facets_of_existing_articles(db_url: str, start: str) -> None:
    by = build_archive(db_url)
    command.downgrade(alembic_config(db_url), start)
    migrate(db_url, "head")
    assert {hit.id for hit in search(db_url, "교류", ministry="행안부")} == {by["science"]}
    assert {hit.id for hit in search(db_url, "교류", since=date(2024, 4, 1))} == {by["exchange"]}


def test_index_can_be_dropped_for_a_bulk_load_and_rebuilt(db_url: str) -> None:
    from storage.search.rebuild import build_index, drop_index

    by = build_archive(db_url)
    with get_engine(db_url).begin() as conn:
        drop_index(conn)
    late = add(db_url, 9, datetime(2024, 4, 5, 9, 0, tzinfo=KST), ["행정안전부"])  # written while it is down
    with get_engine(db_url).begin() as conn:
        build_index(conn)
    assert {hit.id for hit in search(db_url, "재난", ministry="행안부")} == {by["disaster"], late}
    newer = add(db_url, 10, datetime(2024, 4, 6, 9, 0, tzinfo=KST), ["행정안전부"])  # the triggers are back
    assert {hit.id for hit in search(db_url, "재난", since=date(2024, 4, 6))} == {newer}
