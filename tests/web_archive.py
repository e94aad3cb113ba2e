# ruff: noqa: E501 - Korean prose: full-width text would wrap mid-sentence
"""A small archive for the web explorer's tests: etoday pages of the local test site, extracted and
stored the way a crawl stores them (story clusters included), plus an article whose text holds a
<script> tag, a revised article, the korea_kr articles of tests/search_fixtures.py and two crawl runs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from core.article import Attachment, content_hash
from newsarchive.demo.site.content_etoday import STORIES, Story
from newsarchive.demo.site.etoday_article import BASE, article_html
from newsarchive.demo.site.expected import kst
from pipelines import neardup
from pipelines.extract import extract
from pipelines.revisions import Fetch, revise
from storage import repository as repo
from storage.db import transaction
from storage.models import Article
from tests.search_fixtures import build_archive as build_korea_kr
from tests.search_fixtures import make_record
from tests.test_clusters_e2e import REPUBLISHED, SAME_TOPIC, WIRE

TODAY = date(2026, 3, 2)

SCRIPTED = Story(
    2572990, 0, "16:00", "행안부, 보안 점검 결과 발표…<script>alert(1)</script> 삽입 공격 차단",
    ("행정안전부는 공공기관 홈페이지 보안 점검 결과, 게시판에 <script>alert(1)</script> 같은 악성 코드를 넣는 공격을 모두 차단했다고 밝혔다.",
     "행안부는 홈페이지 운영 기관에 입력값 검증과 출력 이스케이프를 의무화하는 지침을 내려보냈다고 설명했다.",
     "행정안전부 관계자는 \"<img src=x onerror=alert(2)> 같은 변형 공격도 점검 대상\"이라고 말했다."),
    ("행정안전부",), "박보안", "sec@etoday.co.kr")

REVISED_PARAGRAPH = "과학기술정보통신부는 시범망 이용 기관을 공공기관 45곳으로 늘리기로 계획을 바꿨다고 밝혔다."


@dataclass(frozen=True)
class WebArchive:
    url: str
    ids: dict[str, int]  # "story:<etoday id>", "scripted", "wire", "republished", "same_topic", korea_kr keys


def stories() -> list[Story]:
    plain = [s for s in STORIES if s.kind == "article" and s.charset == "utf-8" and s.duplicate_of is None]
    return [*plain, WIRE, REPUBLISHED, SAME_TOPIC, SCRIPTED]


def build_web_archive(db_url: str) -> WebArchive:
    ids: dict[str, int] = {}
    with transaction(db_url) as session:
        for story in stories():
            url = f"{BASE}/news/view/{story.id}"
            html = article_html(story, TODAY, []).encode()
            record = extract(html, url, source="etoday", fetched_at=kst(TODAY, 0, "23:00"))
            row = repo.add_article(session, record, html, "utf-8")
            neardup.assign(session, row.id, record.body, record.published_at)
            ids[f"story:{story.id}"] = row.id
    ids["scripted"], ids["wire"] = ids[f"story:{SCRIPTED.id}"], ids[f"story:{WIRE.id}"]
    ids["republished"], ids["same_topic"] = ids[f"story:{REPUBLISHED.id}"], ids[f"story:{SAME_TOPIC.id}"]
    _revise(db_url, ids["same_topic"])
    ids.update(build_korea_kr(db_url))
    _briefings(db_url)
    _runs(db_url)
    return WebArchive(db_url, ids)


def _revise(db_url: str, article_id: int) -> None:
    """The article's first paragraph edited, as a revisit finds it."""
    with transaction(db_url) as session:
        row = session.get(Article, article_id)
        assert row is not None
        record = repo.to_record(row)
        paragraphs = row.body.split("\n")
        edited = dataclasses.replace(record, body="\n".join([REVISED_PARAGRAPH, *paragraphs[1:]]),
                                     fetched_at=kst(TODAY, -1, "09:00"))
        edited = dataclasses.replace(edited, content_hash=content_hash(edited.body))
        revise(session, row, edited, Fetch(b"<html>edited</html>", "utf-8"))


BRIEFING_MINISTRIES = ("행정안전부", "고용노동부", "교육부")
BRIEFINGS = 24
"""Weekly 정책 브리핑 releases from korea_kr, two each Monday from 2026-01-05 (10:00 and 08:30 KST, which
is still Sunday in UTC), ministries in turn:
more than one page of results, and a known timeline."""


ATTACHMENTS = [Attachment("브리핑 자료.hwpx", "https://www.korea.kr/file/briefing-1.hwpx"),
               Attachment("<b>악성</b> 링크", "javascript:alert(4)")]
"""The first briefing's: a file, and a link that must never become one."""


def briefing_day(n: int) -> date:
    return date(2026, 1, 5) + timedelta(weeks=n // 2)  # two a week, twelve weeks


def _briefings(db_url: str) -> None:
    with transaction(db_url) as session:
        for n in range(BRIEFINGS):
            ministry = BRIEFING_MINISTRIES[n % len(BRIEFING_MINISTRIES)]
            published = kst(briefing_day(n), 0, "10:00" if n % 2 == 0 else "08:30")
            body = (f"{ministry}는 제{n + 1}차 정책 브리핑에서 국정과제 {n + 1}건의 추진 상황을 설명했다. "
                    f"이번 브리핑 번호는 {1000 + n}이다.")
            record = make_record(500 + n, f"정책 브리핑 {n + 1}차", body, published, [ministry], "브리핑")
            if n == 0:
                record = dataclasses.replace(record, attachments=ATTACHMENTS)
            repo.add_article(session, record, f"<html><body><p>{body}</p></body></html>".encode(), "utf-8")


def _runs(db_url: str) -> None:
    with transaction(db_url) as session:
        done = repo.create_run(session, "etoday")
        repo.update_run(session, done.id, counts={"listed": 30, "fetched": 20, "stored": 19, "failed": 1},
                        reasons={"not an article": 1}, status="finished", finished=True)
        failed = repo.create_run(session, "korea_kr")
        repo.update_run(session, failed.id, status="failed", reason="all listings failed", finished=True)
