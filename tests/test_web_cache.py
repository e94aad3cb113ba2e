"""The web explorer's response cache on both backends: pages are kept while the archive is unchanged
(a browser revalidates them with the ETag), and a commit to the archive, a new article or a revision,
shows on the very next request."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import text

from newsarchive.web.archive_version import ArchiveVersion
from newsarchive.web.database import read_only_url
from storage import repository as repo
from storage.db import get_engine, transaction
from storage.runparts import open_part, record_part
from tests.conftest import REPO_ROOT, migrated_archive
from tests.search_fixtures import make_record
from tests.web_archive import WebArchive, _revise
from tests.web_client import web_client

QUANTUM = "양자컴퓨터"  # the wire story and its republished copy


def store_quantum_article(db_url: str) -> None:
    """What a crawl running beside the server does: a new matching article, committed."""
    body = "과학기술정보통신부는 양자컴퓨터 시험 환경을 대학 연구실에 개방한다고 밝혔다."
    with transaction(db_url) as session:
        repo.add_article(session, make_record(9001, "양자컴퓨터 시험 환경 개방", body,
                                              datetime(2026, 2, 20, 1, 0, tzinfo=UTC), ["과학기술정보통신부"]),
                         f"<html><body><p>{body}</p></body></html>".encode(), "utf-8")


def test_new_articles_show_on_the_next_request(client: TestClient, web_archive: WebArchive) -> None:
    timeline = {"q": QUANTUM, "since": "2026-01-01", "until": "2026-12-31", "interval": "month"}
    for _ in range(2):  # the second answers come from the cache
        assert client.get("/api/search", params={"q": QUANTUM}).json()["total"] == 2
        assert "시험 환경 개방" not in client.get("/search", params={"q": QUANTUM}).text
        assert client.get("/api/timeline", params=timeline).json()["series"][0]["total"] == 2
    store_quantum_article(web_archive.url)
    found = client.get("/api/search", params={"q": QUANTUM}).json()
    assert found["total"] == 3 and found["results"][0]["title"] == "양자컴퓨터 시험 환경 개방"
    assert "시험 환경 개방" in client.get("/search", params={"q": QUANTUM}).text
    assert client.get("/api/timeline", params=timeline).json()["series"][0]["total"] == 3


def test_a_revision_shows_on_the_article_page_at_once(client: TestClient, web_archive: WebArchive) -> None:
    wire = web_archive.ids["wire"]
    for _ in range(2):
        assert client.get(f"/api/articles/{wire}").json()["revisions"] == []
    _revise(web_archive.url, wire)
    assert [r["number"] for r in client.get(f"/api/articles/{wire}").json()["revisions"]] == [1, 2]
    assert "45곳으로" in client.get(f"/articles/{wire}").text


def revalidated(client: TestClient, path: str, params: dict[str, str]) -> tuple[str, Response]:
    """A page's ETag and the answer to asking again with it."""
    etag = client.get(path, params=params).headers["etag"]
    return etag, client.get(path, params=params, headers={"if-none-match": etag})


def test_unchanged_pages_revalidate_with_their_etag(client: TestClient, web_archive: WebArchive) -> None:
    assert client.get("/search", params={"q": QUANTUM}).headers["cache-control"] == "no-cache"
    etag, again = revalidated(client, "/search", {"q": QUANTUM})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    other = client.get("/search", params={"q": "브리핑"})
    assert other.headers["etag"] != etag
    store_quantum_article(web_archive.url)
    changed = client.get("/search", params={"q": QUANTUM}, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag and "시험 환경 개방" in changed.text
    # run pages change with the clock too, and errors say what is wrong now: neither is kept
    assert "etag" not in client.get("/api/runs").headers
    assert "etag" not in client.get("/api/search", params={"q": ""}).headers


def test_no_cache_serves_without_etags(web_archive: WebArchive) -> None:
    with web_client(web_archive.url, cache=False) as plain:
        page = plain.get("/search", params={"q": QUANTUM})
        assert page.status_code == 200 and "etag" not in page.headers


# --- PostgreSQL: the archive's own version (storage/version_counter.py) ------------------------------

def in_another_process(code: str) -> None:
    """`code` run by a separate Python process, as a crawl or a revisit beside the server would."""
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True, timeout=120)


def heartbeat(db_url: str, run_id: int) -> None:
    """What a live run (or an idle distributed worker) writes between counter changes."""
    with transaction(db_url) as session:
        repo.update_run(session, run_id)


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_pg_a_page_stored_by_another_process_appears_on_the_next_request(client: TestClient,
                                                                          web_archive: WebArchive) -> None:
    run = runs(web_archive.url)[0]
    etag, again = revalidated(client, "/search", {"q": QUANTUM})
    assert again.status_code == 304
    in_another_process(f"from tests.test_web_cache import heartbeat; heartbeat({web_archive.url!r}, {run})")
    # a heartbeat changes nothing a cached page shows: the page is still current
    assert client.get("/search", params={"q": QUANTUM}, headers={"if-none-match": etag}).status_code == 304
    in_another_process(f"from tests.test_web_cache import store_quantum_article; "
                       f"store_quantum_article({web_archive.url!r})")
    changed = client.get("/search", params={"q": QUANTUM}, headers={"if-none-match": etag})
    assert changed.status_code == 200 and "시험 환경 개방" in changed.text


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_pg_a_commit_to_another_database_keeps_the_cache(client: TestClient, tmp_path: Path) -> None:
    etag, again = revalidated(client, "/search", {"q": QUANTUM})
    assert again.status_code == 304
    with migrated_archive("postgresql", tmp_path, "other") as other:  # another archive, same server
        store_quantum_article(other)
    again = client.get("/search", params={"q": QUANTUM}, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag


def test_revisions_and_run_updates_change_the_version(web_archive: WebArchive) -> None:
    version = ArchiveVersion(read_only_url(web_archive.url))
    try:
        first = version.current()
        assert first is not None and version.current() == first
        _revise(web_archive.url, web_archive.ids["wire"])
        revised = version.current()
        assert revised != first
        run = runs(web_archive.url)[0]
        with transaction(web_archive.url) as session:
            repo.update_run(session, run, counts={"stored": 20}, status="finished", finished=True)
        counted = version.current()
        assert counted != revised
        with transaction(web_archive.url) as session:
            part = open_part(session, run, 4242, "worker-1")
        assert version.current() != counted
        with transaction(web_archive.url) as session:
            record_part(session, part)  # the run's counters become its parts' sum
        parted = version.current()
        if web_archive.url.startswith("postgresql"):  # SQLite's data_version moves with any commit
            heartbeat(web_archive.url, run)
            with transaction(web_archive.url) as session:
                record_part(session, part)  # the part's heartbeat, and the run's
            assert version.current() == parted
        with transaction(web_archive.url) as session:
            record_part(session, part, counts={"fetched": 3})
        assert version.current() != parted
    finally:
        version.close()


def test_pg_writers_take_the_counter_only_at_commit(pg_url: str) -> None:
    """A writer with changes not yet committed holds nothing another writer waits for: the counter's
    row is locked only from the COMMIT on."""
    with transaction(pg_url) as session:
        run = repo.create_run(session, "etoday").id
    engine = get_engine(pg_url)
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("SET lock_timeout = '2s'"))
        second.execute(text("SET lock_timeout = '2s'"))
        first.execute(text("UPDATE crawl_runs SET stored = 1 WHERE id = :id"), {"id": run})
        second.execute(text("INSERT INTO crawl_run_parts (run_id, host, pid, started_at, heartbeat_at, status, "
                            "reason, listed, fetched, stored, duplicates, skipped, failed, reasons) VALUES "
                            "(:id, 'h', 1, now(), now(), 'running', '', 0, 0, 0, 0, 0, 0, '{}')"), {"id": run})
        second.commit()  # would wait for `first` if the counter were taken at the change
        first.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sum(n) FROM archive_version")).scalar() == 3  # create, part, update


def runs(db_url: str) -> list[int]:
    with transaction(db_url) as session:
        return [run.id for run in repo.list_runs(session)]
