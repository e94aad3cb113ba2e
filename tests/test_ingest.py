"""A batch of pages through pipelines.ingest, as a crawl worker runs it: one transaction, one outcome per
page, rejections recorded, and two workers storing at once never store a page twice."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.items import PageItem
from core.timewindow import KST
from newsarchive.demo.site.content_etoday import STORIES, Story
from newsarchive.demo.site.etoday_article import article_html
from pipelines import workers
from pipelines.extract_stage import Rejected, judge
from pipelines.ingest import ingest, store_all
from pipelines.messages import ExtractedItem, Policy
from storage import repository
from storage.db import transaction
from storage.models import Article, ClusterMember, Duplicate, RejectedPage
from tests.conftest import migrated_archive
from tests.crawl_helpers import kill_workers

TODAY = date(2026, 3, 2)
BASE = "https://www.etoday.co.kr/news/view/"


def _page(story_index: int, article_id: int, keep: slice = slice(None)) -> PageItem:
    """The page of a fixture story under another id; `keep` selects its paragraphs (a near copy)."""
    story: Story = [s for s in STORIES if s.kind == "article" and s.charset == "utf-8"
                    and s.duplicate_of is None][story_index]
    story = dataclasses.replace(story, paragraphs=story.paragraphs[keep])
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


def test_a_batch_against_an_unreachable_database_fails_the_crawl_not_the_pages(tmp_path: object) -> None:
    outcomes = ingest([_page(0, 101), _page(1, 102)], Policy("postgresql://nobody@127.0.0.1:1/none"))
    assert [o.counter for o in outcomes] == ["", ""], "not counted as bad pages"
    assert all(o.database_failed and "Connection refused" in o.database_failed for o in outcomes)


@pytest.mark.parametrize("fork_server", [True, False], ids=["fork server", "spawned (Windows)"])
def test_worker_processes_store_a_batch(db_url: str, fork_server: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl's pool: forked from the fork server, or spawned where the platform has none."""
    if not fork_server:
        monkeypatch.setattr(workers, "_has_fork_server", lambda: False)
    pool = workers.Workers(1)
    try:
        outcomes = pool.submit([_page(0, 101), _page(1, 103), _page(0, 104)], Policy(db_url)).result(timeout=120)
    finally:
        pool.shutdown()
    assert [o.counter for o in outcomes] == ["stored", "stored", "duplicates"]
    assert _count(db_url, Article) == 2 and _count(db_url, Duplicate) == 1


def test_workers_that_keep_dying_are_replaced_then_given_up_on(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool whose worker died is replaced MAX_RESTARTS times; then submit raises at once, and the crawl's
    pipeline fails the pages instead of waiting for workers that are gone (tests/test_crawl_cli.py)."""
    monkeypatch.setattr(workers.Workers, "MAX_RESTARTS", 1)
    policy = Policy(db_url)
    pool = workers.Workers(1)
    try:
        assert pool.submit([], policy).result(timeout=60) == []
        kill_workers(os.getpid())
        for _ in range(100):  # a batch accepted before the pool noticed the death fails with it
            try:
                assert pool.submit([], policy).result(timeout=60) == []
                break
            except BrokenProcessPool:
                pass
        assert pool.restarts == 1, "a new pool took over"
        kill_workers(os.getpid())
        with pytest.raises(BrokenProcessPool):
            for _ in range(100):
                pool.submit([], policy).result(timeout=60)
        with pytest.raises(BrokenProcessPool):
            pool.submit([], policy)  # at once, without a job
        assert pool.restarts == 1
    finally:
        pool.shutdown()


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


@pytest.fixture
def twin_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty archive on the same backend as db_url."""
    with migrated_archive("sqlite" if db_url.startswith("sqlite") else "postgresql", tmp_path, "twin.db") as url:
        yield url


def _archive_state(url: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]], set[frozenset[str]]]:
    """(canonical URL, content hash) of the articles, (duplicate URL, original URL), clusters as URL sets."""
    with transaction(url) as session:
        articles = {(a.canonical_url, a.content_hash) for a in session.scalars(select(Article))}
        urls = {a.id: a.canonical_url for a in session.scalars(select(Article))}
        duplicates = {(d.canonical_url, urls[d.article_id]) for d in session.scalars(select(Duplicate))}
        clusters: dict[int, set[str]] = {}
        for member in session.scalars(select(ClusterMember)):
            clusters.setdefault(member.cluster_id, set()).add(urls[member.article_id])
    return articles, duplicates, {frozenset(c) for c in clusters.values()}


def test_a_batch_stores_what_the_same_pages_one_at_a_time_store(db_url: str, twin_url: str) -> None:
    pages = [_page(0, 301), _page(0, 302), _page(1, 303), _page(1, 304, slice(0, -1)), _page(2, 305),
             _page(1, 306, slice(1, None)), _page(0, 301), _page(3, 307), _page(2, 308, slice(0, -1))]
    batch = ingest(pages, Policy(db_url))
    single = [ingest([page], Policy(twin_url))[0] for page in pages]
    assert [(o.counter, o.reason) for o in batch] == [(o.counter, o.reason) for o in single]
    assert [o.counter for o in batch] == ["stored", "duplicates", "stored", "stored", "stored", "stored",
                                          "skipped", "stored", "stored"]
    assert [o.reason for o in batch].count("near-duplicate") == 3
    state = _archive_state(db_url)
    assert state == _archive_state(twin_url)
    articles, duplicates, clusters = state
    assert len(articles) == 7 and duplicates == {(f"{BASE}302", f"{BASE}301")}
    assert clusters == {frozenset({f"{BASE}303", f"{BASE}304", f"{BASE}306"}),
                        frozenset({f"{BASE}305", f"{BASE}308"})}


def test_an_article_the_database_refuses_fails_alone(db_url: str) -> None:
    """The batch is written at once; when that fails, the articles are stored one by one and only the
    refused one is lost."""
    pages = [_page(0, 401), _page(1, 402), _page(2, 403)]
    policy = Policy(db_url)
    judged: list[ExtractedItem | Rejected] = [judge(page, policy) for page in pages]
    refused = judged[1]
    assert isinstance(refused, ExtractedItem)
    refused.article.title = None  # type: ignore[assignment]  # articles.title is NOT NULL
    outcomes = store_all(pages, judged, policy)
    assert [o.counter for o in outcomes] == ["stored", "failed", "stored"]
    assert outcomes[1].reason == "store error: IntegrityError"
    with transaction(db_url) as session:
        assert {a.canonical_url for a in session.scalars(select(Article))} == {f"{BASE}401", f"{BASE}403"}
