"""A batch of pages through pipelines.ingest, as a crawl worker runs it: one transaction, one outcome per
page, rejections recorded, and two workers storing at once never store a page twice."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime

from sqlalchemy import func, select

from crawler.items import PageItem
from newsarchive.timewindow import KST
from pipelines.extract_stage import Policy
from pipelines.ingest import ingest
from storage import repository
from storage.db import transaction
from storage.models import Article, Duplicate, RejectedPage
from tests.site.content_etoday import STORIES
from tests.site.etoday_article import article_html

TODAY = date(2026, 3, 2)
BASE = "https://www.etoday.co.kr/news/view/"


def _page(story_index: int, article_id: int) -> PageItem:
    story = [s for s in STORIES if s.kind == "article" and s.charset == "utf-8" and s.duplicate_of is None][story_index]
    html = article_html(story, TODAY, others=[]).encode("utf-8")
    return PageItem(url=f"{BASE}{article_id}", html=html, source="etoday",
                    fetched_at=datetime(2026, 3, 2, 12, 0, tzinfo=KST))


def _count(url: str, model: type) -> int:
    with transaction(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_one_batch_gives_each_page_its_outcome_and_records_rejections(db_url: str) -> None:
    with transaction(db_url) as session:
        run_id = repository.create_run(session, "etoday").id
    listing = PageItem(url=f"{BASE}999", html=b"<html><body><ul><li>a</li></ul></body></html>",
                       source="etoday", fetched_at=datetime(2026, 3, 2, 12, 0, tzinfo=KST))
    pages = [_page(0, 101), _page(0, 102), listing, _page(0, 101), _page(1, 103)]
    outcomes = ingest(pages, Policy(db_url, run_id=run_id))
    assert [o.counter for o in outcomes] == ["stored", "duplicates", "failed", "skipped", "stored"]
    assert outcomes[0].article is not None and outcomes[0].dropped is None
    assert outcomes[2].dropped is not None and outcomes[2].dropped.startswith("not an article")
    assert outcomes[3].reason == "archived"
    assert _count(db_url, Article) == 2 and _count(db_url, Duplicate) == 1
    with transaction(db_url) as session:
        rejected = {r.url: r.reason for r in repository.rejections(session, run_id)}
    assert set(rejected) == {f"{BASE}102", f"{BASE}999", f"{BASE}101"}
    assert rejected[f"{BASE}999"].startswith("not an article")


def test_a_batch_against_an_unreachable_database_fails_every_page_with_a_reason(tmp_path: object) -> None:
    outcomes = ingest([_page(0, 101)], Policy("postgresql://nobody@127.0.0.1:1/none"))
    assert [o.counter for o in outcomes] == ["failed"]
    assert outcomes[0].reason is not None and outcomes[0].reason.startswith("store error")


def test_two_workers_storing_the_same_pages_at_once_store_each_once(db_url: str) -> None:
    pages = [_page(i, 200 + i) for i in range(6)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        results = list(pool.map(ingest, [pages, list(reversed(pages))], [Policy(db_url)] * 2))
    counters = [o.counter for outcomes in results for o in outcomes]
    assert counters.count("failed") == 0
    assert counters.count("stored") == 6 and counters.count("skipped") == 6
    assert _count(db_url, Article) == 6
    assert _count(db_url, RejectedPage) == 6  # each page the second worker found archived
