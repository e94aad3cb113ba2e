"""Item 8 of issue 15: metadata longer than a column's old limit (255 characters) must never cost the
article. PostgreSQL enforced VARCHAR lengths (StringDataRightTruncation: the page was unstorable at every
crawl); SQLite never did, and runs the same test as a reference."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sqlalchemy import select

from core.items import PageItem
from core.timewindow import KST
from newsarchive.demo.site.content_etoday import STORIES
from newsarchive.demo.site.etoday_article import article_html
from pipelines.extract_stage import judge
from pipelines.ingest import store_all
from pipelines.messages import ExtractedItem, Policy
from storage import repository
from storage.db import transaction
from storage.models import Article, ArticleValidator, RawPage
from storage.search.api import search

TODAY = date(2026, 3, 2)
LONG = 1000


def _page(url: str) -> PageItem:
    story = next(s for s in STORIES if s.kind == "article" and s.charset == "utf-8" and s.ministries)
    return PageItem(url=url, html=article_html(story, TODAY, others=[]).encode("utf-8"), source="etoday",
                    fetched_at=datetime(2026, 3, 2, 12, 0, tzinfo=KST))


def test_a_thousand_character_section_etag_and_encoding_are_stored(db_url: str) -> None:
    with transaction(db_url) as session:
        run_id = repository.create_run(session, "etoday").id
    policy = Policy(db_url, run_id=run_id)
    original = _page("https://www.etoday.co.kr/news/view/101")
    original.etag = '"' + "e" * LONG + '"'
    original.last_modified = "Mon, 02 Mar 2026 12:00:00 GMT " + "x" * LONG
    original.encoding = "utf-8" + "-" * LONG
    copy = _page("https://www.etoday.co.kr/news/view/102")  # the same body: a duplicate
    judged = [judge(page, policy) for page in (original, copy)]
    assert all(isinstance(item, ExtractedItem) for item in judged)
    first = judged[0]
    assert isinstance(first, ExtractedItem)
    judged[0] = dataclasses.replace(first, article=dataclasses.replace(first.article, section="섹션" * (LONG // 2),
                                                                       language="k" * LONG))

    outcomes = store_all([original, copy], judged, policy)

    assert [o.counter for o in outcomes] == ["stored", "duplicates"], [o.reason for o in outcomes]
    with transaction(db_url) as session:
        article = session.scalars(select(Article)).one()
        assert len(article.section) == LONG and len(article.language) == LONG
        validator = session.get(ArticleValidator, article.id)
        assert validator is not None and validator.etag == original.etag
        assert validator.last_modified == original.last_modified
        raw = session.get(RawPage, article.id)
        assert raw is not None and raw.encoding == original.encoding
        assert [r.url for r in repository.rejections(session, run_id)] == [copy.url]
    hits = search(db_url, first.article.title.split()[0], section=article.section)
    assert [hit.url for hit in hits] == [article.url], "the section filter finds it"
