"""PostgreSQL: a batch's search index rows, raw pages, ministries and validators are written before its
writer takes the writer lock, under ids drawn then (storage.bulk.reserve). Another writer may store in
between, under larger ids: dedup and clustering must still judge each batch against everything stored
before it, and the rows of articles not stored must not outlive the transaction."""

from __future__ import annotations

import threading
import time

import pytest
from alembic import command
from sqlalchemy import func, select, text

from pipelines.extract_stage import Rejected, judge
from pipelines.ingest import ingest, store_all
from pipelines.messages import ExtractedItem, Outcome, Policy
from pipelines.store import store_batch
from storage.db import WRITER_LOCK, alembic_config, migrate, transaction
from storage.models import Article, ClusterMember
from storage.search.api import search
from storage.search.schema_deferred import FOREIGN_KEYS, TABLES
from tests.test_ingest import BASE, _page

pytestmark = pytest.mark.postgres


def _extracted(pages: list, policy: Policy) -> list[ExtractedItem]:
    judged = [judge(page, policy) for page in pages]
    assert all(isinstance(item, ExtractedItem) for item in judged)
    return judged  # type: ignore[return-value]


def _own_rows(url: str) -> dict[str, list[int]]:
    """The articles' ids, and the article ids of each table of their own rows."""
    with transaction(url) as session:
        found = {table: sorted(session.scalars(text(f"SELECT DISTINCT article_id FROM {table}")))
                 for table in TABLES}
        found["articles"] = sorted(session.scalars(select(Article.id)))
    return found


def _wait_for_lock_waiter(url: str) -> None:
    with transaction(url) as session:
        for _ in range(500):
            if session.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")):
                return
            time.sleep(0.01)
    raise AssertionError("the other writer never waited for the writer lock")


def test_a_writer_storing_between_anothers_reservation_and_its_lock(pg_url: str) -> None:
    policy = Policy(pg_url)
    # the first writer: a story, a trimmed copy of another story, and a page the second writer stores
    first_pages = [_page(0, 501), _page(1, 502, slice(0, -1)), _page(2, 503)]
    first: list[ExtractedItem | Rejected] = list(_extracted(first_pages, policy))
    second = _extracted([_page(1, 601), _page(2, 503)], policy)
    outcomes: list[list[Outcome]] = []
    with transaction(pg_url) as session:  # the second writer holds the lock while the first reserves
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
        worker = threading.Thread(target=lambda: outcomes.append(store_all(first_pages, first, policy)))
        worker.start()
        _wait_for_lock_waiter(pg_url)
        stored = store_batch(session, second, policy)
        assert [s.verdict.value for s in stored] == ["new", "new"]
    worker.join(timeout=60)
    assert [(o.counter, o.reason) for o in outcomes[0]] == [
        ("stored", None), ("stored", "near-duplicate"), ("skipped", "archived")]
    with transaction(pg_url) as session:
        ids = {row.canonical_url: row.id for row in session.execute(select(Article.canonical_url, Article.id))}
        assert ids[f"{BASE}501"] < ids[f"{BASE}601"]  # drawn before the second writer stored
        clusters = {row.article_id: row.cluster_id
                    for row in session.execute(select(ClusterMember.article_id, ClusterMember.cluster_id))}
        assert clusters.keys() == {ids[f"{BASE}502"], ids[f"{BASE}601"]}
        assert clusters[ids[f"{BASE}502"]] == clusters[ids[f"{BASE}601"]]
    own = _own_rows(pg_url)  # the archived page's reserved rows are gone
    assert own == {table: sorted(ids.values()) for table in own}
    title = first[0].article.title if isinstance(first[0], ExtractedItem) else ""
    assert ids[f"{BASE}501"] in {hit.id for hit in search(pg_url, f'"{title}"')}


def test_a_batch_stored_again_article_by_article_leaves_no_reserved_rows(pg_url: str) -> None:
    pages = [_page(0, 701), _page(1, 702), _page(2, 703)]
    policy = Policy(pg_url)
    judged: list[ExtractedItem | Rejected] = list(_extracted(pages, policy))
    refused = judged[1]
    assert isinstance(refused, ExtractedItem)
    refused.article.title = None  # type: ignore[assignment]  # articles.title is NOT NULL: the batch fails
    assert [o.counter for o in store_all(pages, judged, policy)] == ["stored", "failed", "stored"]
    own = _own_rows(pg_url)
    assert len(own["articles"]) == 2 and own == {table: own["articles"] for table in own}
    with transaction(pg_url) as session:
        assert session.scalar(select(func.count()).select_from(ClusterMember)) == 0


def _deferrable(url: str) -> set[tuple[bool, bool]]:
    with transaction(url) as session:
        rows = session.execute(text("SELECT condeferrable, condeferred FROM pg_constraint WHERE conname = ANY(:names)"),
                               {"names": list(FOREIGN_KEYS)}).all()
    assert len(rows) == len(FOREIGN_KEYS)
    return {(row.condeferrable, row.condeferred) for row in rows}


def test_migration_0015_makes_the_own_rows_foreign_keys_deferrable(pg_url: str) -> None:
    assert _deferrable(pg_url) == {(True, False)}  # checked at once unless a transaction defers them
    command.downgrade(alembic_config(pg_url), "0014")
    assert _deferrable(pg_url) == {(False, False)}
    pages = [_page(0, 801), _page(1, 802)]
    policy = Policy(pg_url)
    # at 0014 the rows cannot be written first: they are written under the lock, as before
    assert [o.counter for o in store_all(pages, list(_extracted(pages, policy)), policy)] == ["stored", "stored"]
    migrate(pg_url)
    assert _deferrable(pg_url) == {(True, False)}
    own = _own_rows(pg_url)
    assert len(own["articles"]) == 2 and own == {table: own["articles"] for table in own}


def test_fingerprints_written_ahead_for_pages_not_stored_are_no_candidates(pg_url: str) -> None:
    """Ten copies of an article in its batch are duplicates, but their fingerprints were written before the
    lock under ids drawn for them, sharing every band with it: they must not crowd its real near-duplicate
    (a trimmed copy archived before, sharing fewer bands) out of its ten candidates."""
    policy = Policy(pg_url)
    assert [o.reason for o in ingest([_page(1, 901, slice(0, -1))], policy)] == [None]
    outcomes = ingest([_page(1, 902)] + [_page(1, 910 + n) for n in range(10)], policy)
    assert [(o.counter, o.reason) for o in outcomes][:2] == [("stored", "near-duplicate"), ("duplicates", None)]
    assert [o.counter for o in outcomes].count("duplicates") == 10
    own = _own_rows(pg_url)
    assert len(own["articles"]) == 2 and own == {table: own["articles"] for table in own}
