"""The web explorer's response cache on both backends: pages are kept while the archive is unchanged
(a browser revalidates them with the ETag), and a commit to the archive, a new article or a revision,
shows on the very next request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from storage import repository as repo
from storage.db import transaction
from tests.search_fixtures import make_record
from tests.web_archive import WebArchive, _revise, build_web_archive
from tests.web_client import web_client

QUANTUM = "양자컴퓨터"  # the wire story and its republished copy


@pytest.fixture
def archive(db_url: str) -> WebArchive:
    return build_web_archive(db_url)


@pytest.fixture
def client(archive: WebArchive) -> Iterator[TestClient]:
    with web_client(archive.url) as c:
        yield c


def store_quantum_article(db_url: str) -> None:
    """What a crawl running beside the server does: a new matching article, committed."""
    body = "과학기술정보통신부는 양자컴퓨터 시험 환경을 대학 연구실에 개방한다고 밝혔다."
    with transaction(db_url) as session:
        repo.add_article(session, make_record(9001, "양자컴퓨터 시험 환경 개방", body,
                                              datetime(2026, 2, 20, 1, 0, tzinfo=UTC), ["과학기술정보통신부"]),
                         f"<html><body><p>{body}</p></body></html>".encode(), "utf-8")


def test_new_articles_show_on_the_next_request(client: TestClient, archive: WebArchive) -> None:
    timeline = {"q": QUANTUM, "since": "2026-01-01", "until": "2026-12-31", "interval": "month"}
    for _ in range(2):  # the second answers come from the cache
        assert client.get("/api/search", params={"q": QUANTUM}).json()["total"] == 2
        assert "시험 환경 개방" not in client.get("/search", params={"q": QUANTUM}).text
        assert client.get("/api/timeline", params=timeline).json()["series"][0]["total"] == 2
    store_quantum_article(archive.url)
    found = client.get("/api/search", params={"q": QUANTUM}).json()
    assert found["total"] == 3 and found["results"][0]["title"] == "양자컴퓨터 시험 환경 개방"
    assert "시험 환경 개방" in client.get("/search", params={"q": QUANTUM}).text
    assert client.get("/api/timeline", params=timeline).json()["series"][0]["total"] == 3


def test_a_revision_shows_on_the_article_page_at_once(client: TestClient, archive: WebArchive) -> None:
    wire = archive.ids["wire"]
    for _ in range(2):
        assert client.get(f"/api/articles/{wire}").json()["revisions"] == []
    _revise(archive.url, wire)
    assert [r["number"] for r in client.get(f"/api/articles/{wire}").json()["revisions"]] == [1, 2]
    assert "45곳으로" in client.get(f"/articles/{wire}").text


def revalidated(client: TestClient, path: str, params: dict[str, str]) -> tuple[str, Response]:
    """A page's ETag and the answer to asking again with it. On PostgreSQL the version is the whole
    server's, so a commit to another database between the two requests (other tests, other jobs) gives a
    new ETag: a few tries find a quiet moment."""
    for _ in range(10):
        etag = client.get(path, params=params).headers["etag"]
        again = client.get(path, params=params, headers={"if-none-match": etag})
        if again.status_code == 304:
            break
    return etag, again


def test_unchanged_pages_revalidate_with_their_etag(client: TestClient, archive: WebArchive) -> None:
    assert client.get("/search", params={"q": QUANTUM}).headers["cache-control"] == "no-cache"
    etag, again = revalidated(client, "/search", {"q": QUANTUM})
    assert again.status_code == 304 and again.headers["etag"] == etag and not again.content
    other = client.get("/search", params={"q": "브리핑"})
    assert other.headers["etag"] != etag
    store_quantum_article(archive.url)
    changed = client.get("/search", params={"q": QUANTUM}, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag and "시험 환경 개방" in changed.text
    # run pages change with the clock too, and errors say what is wrong now: neither is kept
    assert "etag" not in client.get("/api/runs").headers
    assert "etag" not in client.get("/api/search", params={"q": ""}).headers


def test_no_cache_serves_without_etags(archive: WebArchive) -> None:
    with web_client(archive.url, cache=False) as plain:
        page = plain.get("/search", params={"q": QUANTUM})
        assert page.status_code == 200 and "etag" not in page.headers
