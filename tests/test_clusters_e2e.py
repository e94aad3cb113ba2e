# ruff: noqa: E501 - Korean prose: full-width text would wrap mid-sentence
"""End to end through the real CLI: a press release on korea.kr and a wire story republished under two
etoday ids land in one story cluster while a same-topic article stays apart; an edited article is
revisited and shows two revisions; an unchanged page answers 304 and is not re-extracted."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from email.utils import format_datetime
from html import escape

import pytest
from sqlalchemy import select

from newsarchive.demo.site.content_etoday import Story
from newsarchive.demo.site.content_korea_kr import Release
from newsarchive.demo.site.etoday_article import BASE, article_html
from newsarchive.demo.site.expected import kst
from newsarchive.demo.site.korea_kr_view import view_html, view_path
from newsarchive.demo.site.resources import Resource, Site
from newsarchive.demo.site.server import serve
from pipelines.revisions import format_history, history
from storage import clusters
from storage.db import transaction
from storage.models import Article, ArticleRevision, CrawlRun
from tests.crawl_helpers import FAST, kst_today, newsarchive

HTML = "text/html; charset=utf-8"
ETODAY, RSS, KOREA = "www.etoday.co.kr", "rss.etoday.co.kr", "www.korea.kr"

RELEASE = Release(
    156749001, 0, "09:00", "msit", "과학기술정보통신부, 양자컴퓨터 국산화 로드맵 발표…2030년 1000큐비트 목표",
    (
        "□ 과학기술정보통신부(이하 '과기정통부')는 국산 양자컴퓨터 개발을 위한 「양자컴퓨터 국산화 로드맵」을 발표하고, 2030년까지 1000큐비트급 양자컴퓨터를 개발한다고 밝혔다.",
        "□ 과기정통부는 초전도 방식과 이온트랩 방식을 동시에 추진하고, 핵심 부품인 희석냉동기와 제어 장비의 국산화율을 현재 20% 수준에서 2030년 70%까지 끌어올릴 계획이다.",
        "□ 이를 위해 향후 5년간 총 3200억 원을 투입하며, 대학과 출연연구기관, 기업이 참여하는 양자컴퓨팅 공동연구단을 올해 하반기 출범시킨다.",
        "□ 또한 국내 연구자와 기업이 개발 중인 양자컴퓨터를 클라우드로 이용할 수 있는 시험 환경을 구축하여 양자 알고리즘과 응용 서비스 개발을 지원한다.",
        "□ 과기정통부 장관은 \"양자컴퓨터는 미래 산업의 판도를 바꿀 전략기술\"이라며 \"연구 현장과 산업계가 함께 기술 자립을 앞당기도록 적극 지원하겠다\"고 말했다.",
    ),
    ("과학기술정보통신부",), file_id=198309001, contact=("양자혁신기술개발과", "박지훈 사무관", "044-202-4821"),
)

_WIRE = (
    "정부가 2030년까지 1000큐비트급 국산 양자컴퓨터를 개발한다. 과학기술정보통신부는 이 같은 내용의 양자컴퓨터 국산화 로드맵을 발표했다.",
    "과기정통부는 초전도 방식과 이온트랩 방식을 동시에 추진하고, 핵심 부품인 희석냉동기와 제어 장비의 국산화율을 현재 20% 수준에서 2030년 70%까지 끌어올릴 계획이다.",
    "이를 위해 향후 5년간 총 3200억 원을 투입하며, 대학과 출연연구기관, 기업이 참여하는 양자컴퓨팅 공동연구단을 올해 하반기 출범시킨다.",
    "국내 연구자와 기업이 개발 중인 양자컴퓨터를 클라우드로 이용할 수 있는 시험 환경도 구축해 양자 알고리즘과 응용 서비스 개발을 지원한다.",
    "과기정통부 장관은 \"양자컴퓨터는 미래 산업의 판도를 바꿀 전략기술\"이라며 \"연구 현장과 산업계가 함께 기술 자립을 앞당기도록 적극 지원하겠다\"고 말했다.",
)

WIRE = Story(2572901, 0, "10:10", "과기정통부, 2030년 1000큐비트 양자컴퓨터 국산화…3200억 투입", _WIRE,
             ("과학기술정보통신부",), "김하늘", "sky@etoday.co.kr", ("기업", "전자·통신·IT"), 1302)
# The same wire story republished under another id: new headline, the cloud paragraph trimmed, a line added.
REPUBLISHED = Story(
    2572944, 0, "13:40", "[종합] 정부 \"양자컴퓨터 기술 자립\"…희석냉동기 국산화율 70%로",
    (*_WIRE[:3], _WIRE[4], "업계에서는 양자컴퓨터 부품 국산화가 반도체 장비 기업들에도 새로운 시장이 될 것으로 기대하고 있다."),
    ("과학기술정보통신부",), "이서준", "sjlee@etoday.co.kr", ("기업", "전자·통신·IT"), 1302)
SAME_TOPIC = Story(
    2572960, 0, "15:20", "양자 암호통신 시범망, 공공기관 30곳으로 확대",
    (
        "과학기술정보통신부는 양자 암호통신 시범망을 올해 공공기관 30곳으로 확대한다고 밝혔다.",
        "양자 암호통신은 양자의 성질을 이용해 도청이 불가능한 암호 키를 나눠 갖는 기술로, 지난해에는 행정기관과 의료기관 12곳이 시범망을 이용했다.",
        "과기정통부는 시범망 이용 기관의 보안 점검 결과를 바탕으로 양자 암호 장비의 인증 기준을 마련할 예정이다.",
        "통신업계는 공공 수요가 늘면 국산 양자 암호 장비의 가격이 내려갈 것으로 보고 있다.",
    ),
    ("과학기술정보통신부",), "김하늘", "sky@etoday.co.kr", ("기업", "전자·통신·IT"), 1302)


def _sitemap(stories: list[Story], today: date) -> bytes:
    rows = "".join(
        f"<url><loc>{BASE}/news/view/{s.id}</loc><news:news><news:publication><news:name>이투데이</news:name>"
        f"<news:language>ko</news:language></news:publication><news:publication_date>"
        f"{kst(today, s.days_ago, s.time).isoformat()}</news:publication_date><news:title>{escape(s.title)}"
        f"</news:title></news:news></url>" for s in stories)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}</urlset>').encode()


def _release_feed(release: Release, today: date) -> bytes:
    link = f"https://www.korea.kr{view_path(release)}"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>정책브리핑</title>'
            f"<item><title><![CDATA[{release.title}]]></title><link>{escape(link)}</link>"
            f"<pubDate>{format_datetime(kst(today, release.days_ago, release.time))}</pubDate>"
            f"<author>과학기술정보통신부</author></item></channel></rss>").encode()


def build(today: date, stories: list[Story], headers: dict[int, dict[str, str]] | None = None) -> Site:
    www = {"/rss/news_sitemap": Resource(_sitemap(stories, today), "application/xml; charset=utf-8")}
    for story in stories:
        www[f"/news/view/{story.id}"] = Resource(article_html(story, today, []).encode(), HTML,
                                                 headers=(headers or {}).get(story.id, {}))
    korea = {"/rss/dept_msit.xml": Resource(_release_feed(RELEASE, today), "text/xml;charset=UTF-8"),
             view_path(RELEASE): Resource(view_html(RELEASE, today, None, None).encode(), HTML)}
    return {ETODAY: www, RSS: {}, KOREA: korea}


@pytest.fixture
def today() -> date:
    return kst_today()


def crawl(*args: str) -> None:
    newsarchive(*args, *FAST, check=True)


def by_url(session: object, story_id: int) -> Article:
    row = session.scalar(select(Article).where(Article.canonical_url == f"{BASE}/news/view/{story_id}"))  # type: ignore[attr-defined]
    assert row is not None, story_id
    return row  # type: ignore[no-any-return]


def test_press_release_and_republished_wire_story_share_a_cluster(db_url: str, today: date) -> None:
    with serve(build(today, [WIRE, REPUBLISHED, SAME_TOPIC])) as site:
        crawl("crawl", "korea_kr", "--arg", "ministries=msit", "--db", db_url, *site.mirror_args())
        crawl("crawl", "etoday", "--db", db_url, *site.mirror_args())
    with transaction(db_url) as session:
        rows = list(session.scalars(select(Article)))
        assert len(rows) == 4, [r.url for r in rows]  # near-duplicates are stored, each as itself
        release = next(r for r in rows if r.source == "korea_kr")
        members = {m.article.id for m in clusters.cluster_of(session, release.id)}
        wire, republished, other = (by_url(session, s.id) for s in (WIRE, REPUBLISHED, SAME_TOPIC))
        assert members == {release.id, wire.id, republished.id}
        assert clusters.cluster_of(session, other.id) == []
        run = session.scalars(select(CrawlRun).where(CrawlRun.spider == "etoday")).one()
        assert run.stored == 3 and run.reasons.get("near-duplicate") == 2
        collapsed = clusters.collapse(session, [wire, other, republished, release])
        assert [(c.hit.id, c.copies) for c in collapsed] == [(wire.id, 3), (other.id, 1)]
        ids = {"release": release.id, "wire": wire.id, "republished": republished.id, "other": other.id}
    # through the CLI: one result per story, and the story's copies on `show`
    word = "양자컴퓨터"
    plain = json.loads(newsarchive("search", word, "--json", "--limit", "50", "--db", db_url, check=True).stdout)
    folded = json.loads(newsarchive("search", word, "--collapse", "--json", "--db", db_url, check=True).stdout)
    story = {ids["release"], ids["wire"], ids["republished"]}
    assert len({h["id"] for h in plain} & story) >= 2, "the copies match the query separately"
    assert len({h["id"] for h in folded} & story) == 1
    assert next(h["copies"] for h in folded if h["id"] in story) == 3
    shown = newsarchive("show", str(ids["wire"]), "--db", db_url, check=True).stdout
    assert shown.count("same story:") == 2 and f"[{ids['release']}]" in shown


def test_edited_article_is_revisited_and_keeps_both_versions(sqlite_url: str, today: date) -> None:
    edited = dataclasses.replace(
        WIRE, modified="16:45", paragraphs=(
            WIRE.paragraphs[0],
            WIRE.paragraphs[1].replace("70%까지", "80%까지"),
            *WIRE.paragraphs[2:],
            "과기정통부는 다음 달 로드맵 세부 과제에 대한 공청회를 열 예정이다."))
    with serve(build(today, [WIRE, SAME_TOPIC])) as site:
        crawl("crawl", "etoday", "--db", sqlite_url, *site.mirror_args())
        site.replace(build(today, [edited, SAME_TOPIC]))
        site.clear_hits()
        crawl("revisit", "etoday", "--days", "3", "--db", sqlite_url, *site.mirror_args())
        revisited = site.hits_for(ETODAY, "/news/view/")
    assert sorted(revisited) == sorted(f"/news/view/{s.id}" for s in (WIRE, SAME_TOPIC))
    with transaction(sqlite_url) as session:
        row = by_url(session, WIRE.id)
        assert "80%까지" in row.body and "공청회" in row.body, "the article shows the latest version"
        assert row.modified_at == kst(today, 0, "16:45")
        versions = history(session, row)
        assert [v.number for v in versions] == [1, 2]
        assert "70%까지" in versions[0].body and "80%까지" in versions[1].body
        text = format_history(versions)
        assert "[-70%까지-] {+80%까지+}" in text and "{+과기정통부는 다음 달 로드맵" in text
        assert clusters.revisions(session, by_url(session, SAME_TOPIC.id).id) == []
        run = session.scalars(select(CrawlRun).where(CrawlRun.spider == "etoday-revisit")).one()
        assert run.status == "finished" and run.stored == 1
        assert run.reasons == {"revised": 1, "unchanged": 1}
        wire_id = row.id
    shown = newsarchive("show", str(wire_id), "--revisions", "--db", sqlite_url, check=True).stdout
    assert "revision 1" in shown and "revision 2" in shown and "[-70%까지-] {+80%까지+}" in shown


def test_unchanged_pages_answer_304_and_are_not_re_extracted(sqlite_url: str, today: date) -> None:
    etags = {s.id: {"ETag": f'"v1-{s.id}"', "Last-Modified": "Mon, 02 Mar 2026 01:10:00 GMT"}
             for s in (WIRE, SAME_TOPIC)}
    with serve(build(today, [WIRE, SAME_TOPIC], etags)) as site:
        crawl("crawl", "etoday", "--db", sqlite_url, *site.mirror_args())
        with transaction(sqlite_url) as session:
            before = {r.id: (r.fetched_at, r.body) for r in session.scalars(select(Article))}
        site.clear_hits()
        crawl("revisit", "etoday", "--db", sqlite_url, *site.mirror_args())
        sent = site.sent_validators(ETODAY, "/news/view/")
    assert sent == {f"/news/view/{s.id}": f'"v1-{s.id}"' for s in (WIRE, SAME_TOPIC)}
    with transaction(sqlite_url) as session:
        after = {r.id: (r.fetched_at, r.body) for r in session.scalars(select(Article))}
        assert after == before
        assert list(session.scalars(select(ArticleRevision))) == []
        run = session.scalars(select(CrawlRun).where(CrawlRun.spider == "etoday-revisit")).one()
        assert run.reasons == {"not modified": 2} and run.fetched == 0 and run.stored == 0
