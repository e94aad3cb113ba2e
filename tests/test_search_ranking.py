"""BM25 from the candidates' text (storage/search/ranking.py) and the candidate pool it is given."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import repository as repo
from storage.db import transaction
from storage.search import search
from storage.search.backends import RERANK
from storage.search.query import parse
from storage.search.ranking import bm25, idf
from tests.search_fixtures import KST, make_record


def scores(query: str, texts: dict[int, tuple[str, str]], **weights: float) -> dict[int, float]:
    parsed = parse(query)
    return bm25(parsed, texts, {term: weights[term.text] for term in parsed.positive if term.text in weights})


def test_title_hits_weigh_more_than_body_hits() -> None:
    got = scores("재난", {1: ("재난 대응", "소방청이 점검했다."), 2: ("대응 점검", "소방청이 재난 대응을 점검했다.")})
    assert got[1] > got[2] > 0


def test_more_hits_score_higher_with_saturation() -> None:
    def text(hits: int) -> tuple[str, str]:  # the same length whatever the number of hits
        return "", "행정안전부는 점검 결과를 발표했다. " + "재난 " * hits + "점검 " * (20 - hits)

    got = scores("재난", {1: text(1), 2: text(2), 3: text(20)})
    assert got[1] < got[2] < got[3] < 2.2  # k1 + 1: no number of hits scores more
    assert got[3] - got[2] < 18 * (got[2] - got[1])


def test_shorter_documents_score_higher_for_the_same_hits() -> None:
    got = scores("교류", {1: ("", "교류 협력"), 2: ("", "교류 협력 " + "다른 이야기 " * 100)})
    assert got[1] > got[2]


def test_rare_terms_weigh_more_than_common_ones() -> None:
    texts = {1: ("", "재난 재난 재난 교류"), 2: ("", "재난 교류 교류 교류")}
    assert scores("재난 교류", texts, 재난=idf(10, 10_000), 교류=idf(5_000, 10_000))[1] > \
        scores("재난 교류", texts, 재난=idf(10, 10_000), 교류=idf(5_000, 10_000))[2]
    assert scores("재난 교류", texts, 재난=idf(5_000, 10_000), 교류=idf(10, 10_000))[2] > \
        scores("재난 교류", texts, 재난=idf(5_000, 10_000), 교류=idf(10, 10_000))[1]
    assert idf(9_000, 10_000) > 0  # a word in most articles still counts, barely


def test_phrases_and_case_count_as_the_reader_sees_them() -> None:
    got = scores('"문화 교류" AI', {1: ("", "문화, 교류와 문화 교류. ai AI"),
                                   2: ("", "문화 교류와 교류 문화. ai 기술")})
    assert got[1] > got[2]


def test_a_title_match_beyond_the_newest_candidates_still_ranks_first(db_url: str) -> None:
    """More matches than are scored from text: title matches enter the scored pool first."""
    start = datetime(2024, 1, 1, 9, 0, tzinfo=KST)
    with transaction(db_url) as session:
        titled = repo.add_article(session, make_record(0, "재난 대응 훈련", "소방청은 훈련을 마쳤다.", start, []),
                                  b"", None).id
        for n in range(1, RERANK + 30):
            body = f"행정안전부는 재난 대비 점검 {n:03d}건을 마쳤다."
            repo.add_article(session, make_record(n, f"점검 결과 {n:03d}", body, start + timedelta(hours=n), []),
                             b"", None)
    hits = search(db_url, "재난", limit=5)
    assert hits[0].id == titled
    dates = [h.published_at for h in hits[1:]]
    assert None not in dates
    assert dates == sorted((d for d in dates if d is not None), reverse=True)
