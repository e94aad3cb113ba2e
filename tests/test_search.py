"""Search behaviour on both backends, through the public storage.search.search()."""

from __future__ import annotations

from datetime import date

import pytest

from storage.search import SearchError, search
from tests.search_fixtures import build_archive


@pytest.fixture
def archive(db_url: str) -> tuple[str, dict[str, int]]:
    return db_url, build_archive(db_url)


def ids(db_url: str, query: str, **kwargs: object) -> set[int]:
    return {hit.id for hit in search(db_url, query, **kwargs)}  # type: ignore[arg-type]


def test_two_syllable_word_inside_compounds_and_before_particles(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    assert ids(url, "재난") == {by["disaster"], by["particle"]}
    assert ids(url, "재난안전관리") == {by["disaster"]}
    assert ids(url, "재난을") == {by["particle"]}


def test_gyoryu_and_other_scripts(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    assert ids(url, "교류") == {by["exchange"], by["science"]}
    assert ids(url, "國家") == {by["exchange"]}
    assert ids(url, "ai") == ids(url, "AI") == {by["disaster"]}
    assert ids(url, "2024년") == {by["disaster"]}
    assert ids(url, "디지털정부") == {by["science"]}


def test_phrase_exclusion_and_or(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    assert ids(url, '"문화 교류"') == {by["exchange"]}
    assert ids(url, '"교류 문화"') == set()
    assert ids(url, "교류 -문화") == {by["science"]}
    assert ids(url, '교류 -"한중 문화"') == {by["science"]}
    assert ids(url, "산불 OR 디지털정부") == {by["particle"], by["science"]}
    assert ids(url, "교류 행정안전부") == {by["science"]}


def test_ranking_prefers_title_matches_and_hits_are_typed(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    hits = search(url, "교류")
    assert hits[0].id == by["exchange"]  # in its title and twice in its body
    assert hits[0].score >= hits[1].score
    first = hits[0]
    assert first.source == "korea_kr" and first.url.startswith("https://www.korea.kr/news/")
    assert first.ministries == ["문화체육관광부"] and first.section == "문화"
    assert first.published_at is not None and first.published_at.utcoffset() is not None


def test_snippet_highlights_every_match(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    hit = search(url, "교류")[0]
    marked = hit.snippet.marked()
    assert marked.count("[교류]") == 2
    assert all(hit.snippet.text[a:b] == "교류" for a, b in hit.snippet.spans)
    assert hit.title_spans == [(hit.title.index("교류"), hit.title.index("교류") + 2)]
    phrase = search(url, "재난안전관리")[0]
    assert "[재난안전관리]" in phrase.snippet.marked()


def test_ministry_filter_accepts_abbreviations(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    assert ids(url, "교류", ministry="행안부") == {by["science"]}
    assert ids(url, "교류", ministry="과기정통부") == {by["science"]}
    assert ids(url, "교류", ministry="문화체육관광부") == {by["exchange"]}
    with pytest.raises(SearchError, match="unknown ministry"):
        search(url, "교류", ministry="없는부")


def test_date_filter_uses_kst_days(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    # 2024-04-01 23:50 KST is 14:50 UTC: a KST day, not a UTC day
    assert ids(url, "교류", since=date(2024, 4, 1), until=date(2024, 4, 1)) == {by["exchange"]}
    assert ids(url, "교류", until=date(2024, 3, 31)) == {by["science"]}
    assert ids(url, "재난", since=date(2024, 4, 3)) == {by["particle"]}
    with pytest.raises(SearchError):
        search(url, "재난", since=date(2024, 4, 3), until=date(2024, 4, 1))


def test_source_section_and_limit(archive: tuple[str, dict[str, int]]) -> None:
    url, by = archive
    assert ids(url, "교류", section="IT") == {by["science"]}
    assert ids(url, "교류", source="yna") == set()
    assert len(search(url, "교류", limit=1)) == 1


def test_newest_first_on_equal_scores(db_url: str) -> None:
    from datetime import datetime

    from storage import repository as repo
    from storage.db import transaction
    from tests.search_fixtures import KST, make_record

    body = "통일부는 남북 교류 협력 사업을 점검했다."
    with transaction(db_url) as session:
        older = repo.add_article(session, make_record(1, "같은 제목", body + " 첫째.",
                                                      datetime(2024, 1, 2, tzinfo=KST), []), b"", None).id
        newer = repo.add_article(session, make_record(2, "같은 제목", body + " 둘째.",
                                                      datetime(2024, 5, 2, tzinfo=KST), []), b"", None).id
    assert [hit.id for hit in search(db_url, "교류")] == [newer, older]


def test_index_follows_update_and_delete(archive: tuple[str, dict[str, int]]) -> None:
    from core.article import Article as Record
    from storage import repository as repo
    from storage.db import transaction
    from storage.models import Article

    url, by = archive
    with transaction(url) as session:
        row = session.get(Article, by["particle"])
        assert row is not None
        record = repo.to_record(row)
        record.body = "소방청은 태풍 대비 훈련을 했다."
        repo.apply_record(row, Record(**{**record.__dict__, "content_hash": ""}))
    assert ids(url, "재난") == {by["disaster"]}
    assert ids(url, "태풍") == {by["particle"]}
    with transaction(url) as session:
        session.delete(session.get(Article, by["disaster"]))
    assert ids(url, "재난") == set()
    assert ids(url, "교류") == {by["exchange"], by["science"]}


@pytest.mark.parametrize("query", ['"재난', "(재난", "재난)", "NEAR(재난 교류)", "재난*", "^재난",
                                   "재난:교류", "' OR 1=1 --", "재난'; DROP TABLE articles; --", "AND OR NOT",
                                   "재난 OR", "OR 재난"])
def test_odd_queries_give_results_not_errors(archive: tuple[str, dict[str, int]], query: str) -> None:
    url, _ = archive
    search(url, query)  # must not raise
    assert len(ids(url, "재난")) == 2  # and the archive is intact


@pytest.mark.parametrize("query", ["", "   ", "-재난", "()*^", '"" -"" OR', "가" * 10_000])
def test_queries_with_nothing_to_search_raise_search_error(archive: tuple[str, dict[str, int]],
                                                            query: str) -> None:
    url, _ = archive
    with pytest.raises(SearchError):
        search(url, query)
