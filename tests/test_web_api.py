"""The JSON API on both backends: every endpoint, its errors, and the read-only connection."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from newsarchive.web.database import open_read_only
from storage.db import get_engine
from tests.web_archive import BRIEFINGS, REVISED_PARAGRAPH, WebArchive, briefing_day


def test_search_with_filters_highlights_and_pages(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "브리핑", "ministry": "행안부"}).json()
    assert first["total"] == BRIEFINGS // 3 and len(first["results"]) == BRIEFINGS // 3
    assert all(r["ministries"] == ["행정안전부"] for r in first["results"])
    assert "[브리핑]" in first["results"][0]["snippet"]
    assert first["results"][0]["published_at"].endswith("+09:00")
    page1 = client.get("/api/search", params={"q": "브리핑"}).json()
    assert page1["total"] == BRIEFINGS and len(page1["results"]) == 20 and page1["has_next"]
    page2 = client.get(page1["next"]).json()
    assert page2["page"] == 2 and len(page2["results"]) == BRIEFINGS - 20 and not page2["has_next"]
    seen = [r["id"] for r in page1["results"] + page2["results"]]
    assert len(set(seen)) == BRIEFINGS
    dated = client.get("/api/search", params={"q": "브리핑", "since": str(briefing_day(10)),
                                               "until": str(briefing_day(12))}).json()
    assert dated["total"] == 4


def test_search_collapses_story_clusters(client: TestClient, web_archive: WebArchive) -> None:
    plain = client.get("/api/search", params={"q": "양자컴퓨터"}).json()["results"]
    assert {r["id"] for r in plain} == {web_archive.ids["wire"], web_archive.ids["republished"]}
    folded = client.get("/api/search", params={"q": "양자컴퓨터", "collapse": "1"}).json()["results"]
    assert len(folded) == 1 and folded[0]["copies"] == 2


def test_article_with_cluster_revisions_and_raw_download(client: TestClient, web_archive: WebArchive) -> None:
    wire = client.get(f"/api/articles/{web_archive.ids['wire']}").json()
    assert wire["source"] == "etoday" and wire["ministries"] == ["과학기술정보통신부"]
    assert wire["authors"] and wire["published_at"].endswith("+09:00") and wire["body"]
    assert [m["id"] for m in wire["cluster"]] == [web_archive.ids["republished"]]
    revised = client.get(f"/api/articles/{web_archive.ids['same_topic']}").json()
    assert [r["number"] for r in revised["revisions"]] == [1, 2]
    added = [text for change in revised["revisions"][1]["body_changes"] for kind, text in change if kind == "added"]
    assert any("45곳으로" in text for text in added) and revised["body"].startswith(REVISED_PARAGRAPH)
    raw = client.get(revised["raw_html"])
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/plain")
    assert raw.headers["content-disposition"].startswith("attachment") and "edited" in raw.text


def test_attachments_link_only_to_web_addresses(client: TestClient, web_archive: WebArchive) -> None:
    hit = client.get("/api/search", params={"q": "제1차 정책 브리핑"}).json()["results"][0]
    data = client.get(f"/api/articles/{hit['id']}").json()
    assert [(a["name"], a["link"]) for a in data["attachments"]] == [
        ("브리핑 자료.hwpx", "https://www.korea.kr/file/briefing-1.hwpx"), ("<b>악성</b> 링크", None)]
    page = client.get(f"/articles/{hit['id']}").text
    assert 'href="https://www.korea.kr/file/briefing-1.hwpx"' in page
    assert "javascript:" not in page and "&lt;b&gt;악성&lt;/b&gt; 링크" in page


def test_timeline_compares_queries_splits_and_downloads_csv(client: TestClient) -> None:
    data = client.get("/api/timeline", params=[("q", "브리핑"), ("q", "양자컴퓨터"), ("interval", "week")]).json()
    assert [s["label"] for s in data["series"]] == ["브리핑", "양자컴퓨터"]
    assert [s["total"] for s in data["series"]] == [BRIEFINGS, 2]
    assert len(data["buckets"]) == len(data["series"][0]["counts"])
    assert data["buckets"][0] == str(briefing_day(0))  # weeks start on Mondays, KST
    split = client.get("/api/timeline", params={"q": "브리핑", "split": "ministry", "interval": "month"}).json()
    assert sorted(s["label"] for s in split["series"]) == ["고용노동부", "교육부", "행정안전부"]
    csv = client.get("/api/timeline", params={"q": "브리핑", "interval": "week", "format": "csv",
                                              "source": "korea_kr"})
    lines = csv.text.splitlines()
    assert csv.headers["content-type"].startswith("text/csv")
    assert lines[0] == "query,week,key,articles" and lines[1] == f"브리핑,{briefing_day(0)},,2"
    assert len(lines) == 1 + BRIEFINGS // 2


def test_runs_and_health(client: TestClient) -> None:
    data = client.get("/api/runs").json()
    assert [r["spider"] for r in data["runs"]] == ["korea_kr", "etoday"]
    assert data["runs"][0]["status"] == "failed" and data["runs"][0]["started_at"].endswith("+09:00")
    assert data["runs"][1]["stored"] == 19
    health = {h["spider"]: h for h in data["health"]}
    assert not health["korea_kr"]["ok"] and "no successful run" in " ".join(health["korea_kr"]["flags"])
    assert client.get("/api/runs", params={"spider": "etoday"}).json()["runs"][0]["spider"] == "etoday"


ERRORS: list[tuple[str, object, int, str]] = [
    ("/api/search", {"q": ""}, 400, "empty query"),
    ("/api/search", {"q": '"'}, 400, "empty query"),
    ("/api/search", {"q": "x" * 10_000}, 400, "too long"),
    ("/api/search", {"q": "재난\x00"}, 400, "NUL"),
    ("/api/search", {"q": "재난", "ministry": "없는부"}, 400, "unknown ministry"),
    ("/api/search", {"q": "재난", "since": "2024-02-30"}, 400, "bad date"),
    ("/api/search", {"q": "재난", "since": "2024-03-01", "until": "2024-02-01"}, 400, "after"),
    ("/api/search", {"q": "재난", "page": "0"}, 400, "page"),
    ("/api/search", {"q": "재난", "collapse": "maybe"}, 400, "collapse"),
    ("/api/articles/abc", {}, 400, "bad article id"),
    ("/api/articles/99999999", {}, 404, "no article"),
    ("/api/articles/99999999/raw", {}, 404, "no article"),
    ("/api/timeline", {"q": "재난", "interval": "year"}, 400, "interval"),
    ("/api/timeline", {"q": "재난", "format": "xml"}, 400, "format"),
    ("/api/timeline", [("q", "재난"), ("q", "교류"), ("split", "ministry")], 400, "one query"),
    ("/api/timeline", [("q", "a"), ("q", "b"), ("q", "c"), ("q", "d")], 400, "at most 3"),
    ("/api/runs", {"limit": "-1"}, 400, "limit"),
    ("/api/nothing", {}, 404, "no such page"),
]


def test_errors_are_json_with_a_reason(client: TestClient) -> None:
    for path, params, status, message in ERRORS:
        response = client.get(path, params=params)  # type: ignore[arg-type]
        assert response.status_code == status, (path, params, response.text)
        assert response.json()["status"] == status and message in response.json()["error"], (path, params)


def test_hostile_queries_are_searched_or_refused_never_a_server_error(client: TestClient) -> None:
    for query in ("'; DROP TABLE articles; --", 'NEAR("a" "b") OR * ^ :', "재난 OR OR", "(재난", "재난\" -",
                  "\u200b\ufeff재난", "SELECT * FROM articles_fts", "a" * 499):
        for path in ("/api/search", "/search", "/api/timeline", "/timeline"):
            response = client.get(path, params={"q": query})
            assert response.status_code in (200, 400), (path, query, response.text[:200])
    assert client.get("/api/search", params={"q": "'; DROP TABLE articles; --"}).json()["results"] == []
    assert client.get("/api/search", params={"q": "재난"}).json()["total"] > 0  # still there


def test_pages_escape_crawled_text_and_forbid_inline_script(client: TestClient, web_archive: WebArchive) -> None:
    page = client.get(f"/articles/{web_archive.ids['scripted']}")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    results = client.get("/search", params={"q": "보안 점검"})
    assert "<script>alert" not in results.text and "&lt;script&gt;alert(1)" in results.text
    # queries are shown on the chart, in its legend and in the form: tokens ignore the brackets
    chart = client.get("/timeline", params=[("q", "<보안>"), ("q", "<b>브리핑")])
    assert chart.status_code == 200 and chart.text.count("<polyline") == 2
    assert "<보안>" not in chart.text and "<b>" not in chart.text and "&lt;보안&gt;" in chart.text
    error = client.get("/search", params={"q": "재난", "ministry": "<script>x</script>"})
    assert error.status_code == 400 and "<script>x" not in error.text and "unknown ministry" in error.text


def test_html_errors_are_pages_with_the_reason(client: TestClient) -> None:
    missing = client.get("/articles/99999999")
    assert missing.status_code == 404 and "no article 99999999" in missing.text and "<html" in missing.text
    bad = client.get("/timeline", params={"q": "재난", "since": "yesterday"})
    assert bad.status_code == 400 and "bad date" in bad.text


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/articles/{article_id}", "/api/articles/{article_id}/raw", "/api/timeline",
            "/api/runs"} <= set(paths)


def test_the_served_connection_cannot_write(web_archive: WebArchive) -> None:
    engine = get_engine(open_read_only(web_archive.url))
    try:
        with engine.connect() as conn, pytest.raises(Exception, match="read-only|readonly"):
            conn.execute(text("DELETE FROM crawl_runs"))
            conn.commit()
    finally:
        engine.dispose()
