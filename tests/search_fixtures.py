"""A small archive with Korean bodies, written through storage.repository.add_article."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import text

from core.article import Article as Record
from storage import repository as repo
from storage.db import transaction

KST = timezone(timedelta(hours=9))

ARTICLES = [
    # (key, title, body, published (KST), ministries, section)
    ("disaster", "행안부, 여름철 대비 점검",
     "행정안전부는 2일 재난안전관리 체계를 점검하고 지방자치단체와 협력하기로 했다. AI 기반 예측 시스템도 "
     "2024년도 예산에 반영된다.", datetime(2024, 4, 2, 9, 30, tzinfo=KST), ["행정안전부"], "사회"),
    ("particle", "산불 대응 훈련",
     "소방청은 대형 재난을 막기 위해 산불 대응 합동 훈련을 실시했다고 밝혔다.",
     datetime(2024, 4, 3, 0, 10, tzinfo=KST), ["소방청"], "사회"),
    ("exchange", "한중 문화 교류 확대",
     "문화체육관광부는 한중 문화 교류를 확대하고 청소년 교류 사업을 새로 시작한다고 밝혔다. 國家 간 협력.",
     datetime(2024, 4, 1, 23, 50, tzinfo=KST), ["문화체육관광부"], "문화"),
    ("science", "디지털정부 혁신 발표",
     "과학기술정보통신부와 행정안전부는 디지털정부 혁신 방안을 발표했다. 인공지능 교류 협력도 포함된다.",
     datetime(2024, 3, 28, 14, 0, tzinfo=KST), ["과학기술정보통신부", "행정안전부"], "IT"),
]


def make_record(n: int, title: str, body: str, published: datetime, ministries: list[str],
                section: str = "") -> Record:
    return Record(url=f"https://www.korea.kr/news/{n}", canonical_url=f"https://www.korea.kr/news/{n}",
                  source="korea_kr", title=title, body=body, published_at=published,
                  ministries=ministries, section=section, fetched_at=datetime.now(UTC))


def build_archive(db_url: str) -> dict[str, int]:
    """Store the articles; returns key -> article id."""
    ids: dict[str, int] = {}
    with transaction(db_url) as session:
        for n, (key, title, body, published, ministries, section) in enumerate(ARTICLES, 1):
            row = repo.add_article(session, make_record(n, title, body, published, ministries, section),
                                   f"<html><body><p>{body}</p></body></html>".encode(), "utf-8")
            ids[key] = row.id
    return ids


def store_at(db_url: str, placed: Iterable[tuple[int, int]], body: str = "재난 대응 점검") -> None:
    """Articles n ("제목 n", `body`), each stored under the id given with it, in one transaction."""
    with transaction(db_url) as session:
        for n, article_id in placed:
            session.execute(text("SELECT setval('articles_id_seq', :last)"), {"last": article_id - 1})
            record = make_record(n, f"제목 {n}", body, datetime(2024, 4, 2, tzinfo=KST), [])
            record.content_hash = f"{n:064x}"
            assert repo.add_article(session, record, b"", None).id == article_id
