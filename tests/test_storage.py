from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from core.article import Article as Record
from storage import repository as repo
from storage.db import transaction

KST = timezone(timedelta(hours=9))


def make_record(n: int, body: str | None = None) -> Record:
    return Record(url=f"https://www.etoday.co.kr/news/view/{n}?utm_source=x",
                  canonical_url=f"https://www.etoday.co.kr/news/view/{n}", source="etoday",
                  title=f"제목 {n}", body=body or f"과학기술정보통신부는 {n}일 발표했다.",
                  published_at=datetime(2024, 4, 2, 9, 30, tzinfo=KST), ministries=["과학기술정보통신부"],
                  fetched_at=datetime.now(UTC))


def test_article_round_trip_keeps_kst_minute(db_url: str) -> None:
    with transaction(db_url) as s:
        row = repo.add_article(s, make_record(1), b"<html>x</html>", "utf-8")
        article_id = row.id
    with transaction(db_url) as s:
        found = repo.find_article(s, str(article_id))
        assert found is not None
        record = repo.to_record(found)
        assert record.published_at is not None
        assert record.published_at.astimezone(KST).isoformat() == "2024-04-02T09:30:00+09:00"
        assert repo.raw_html(found) == b"<html>x</html>"
        assert [link.ministry for link in found.ministry_links] == ["과학기술정보통신부"]
        assert repo.is_archived(s, "https://www.etoday.co.kr/news/view/1")
        assert not repo.is_archived(s, "https://www.etoday.co.kr/news/view/2")


def test_same_body_cannot_be_stored_twice(db_url: str) -> None:
    with transaction(db_url) as s:
        repo.add_article(s, make_record(1, "같은 본문입니다."), b"a", None)
    with pytest.raises(IntegrityError), transaction(db_url) as s:
        repo.add_article(s, make_record(2, "같은  본문입니다!"), b"b", None)
    with transaction(db_url) as s:
        original = repo.article_by_hash(s, make_record(2, "같은 본문입니다.").content_hash)
        assert original is not None
        repo.add_duplicate(s, make_record(2, "같은 본문입니다."), original)
    with transaction(db_url) as s:
        assert repo.is_archived(s, "https://www.etoday.co.kr/news/view/2")
        found = repo.find_article(s, "https://etoday.co.kr/news/view/2?x=1")
        assert found is not None and found.canonical_url.endswith("/1")


def test_run_counters_and_status(db_url: str) -> None:
    with transaction(db_url) as s:
        run_id = repo.create_run(s, "etoday").id
    with transaction(db_url) as s:
        repo.update_run(s, run_id, counts={"listed": 5, "stored": 3}, reasons={"archived": 2},
                        status="finished", finished=True)
    with transaction(db_url) as s:
        run = repo.get_run(s, run_id)
        assert run is not None
        summary = repo.run_summary(run)
        assert summary["status"] == "finished" and summary["listed"] == 5 and summary["stored"] == 3
        assert summary["reasons"] == {"archived": 2}


def test_known_urls_checks_a_whole_listing_at_once(db_url: str) -> None:
    """Articles, duplicates and permanent rejections are known; a fetch error or an incomplete page is
    not (it is fetched again); more URLs than one statement takes are checked in chunks."""
    base = "https://www.etoday.co.kr/news/view/"
    with transaction(db_url) as s:
        original = repo.add_article(s, make_record(1), b"a", None)
        repo.add_article(s, make_record(repo.KNOWN_CHUNK + 7), b"b", None)
        repo.add_duplicate(s, make_record(2, "과학기술정보통신부는 1일 발표했다."), original)
        repo.record_rejection(s, None, f"{base}3", "not an article: list page", permanent=True)
        repo.record_rejection(s, None, f"{base}5", "not an article: no body")
        repo.record_rejection(s, None, f"{base}4", "fetch: TimeoutError")
    listing = [f"{base}{n}" for n in range(1, 2 * repo.KNOWN_CHUNK + 50)]
    with transaction(db_url) as s:
        assert repo.known_urls(s, listing) == {f"{base}1", f"{base}2", f"{base}3", f"{base}{repo.KNOWN_CHUNK + 7}"}
        assert repo.known_urls(s, listing, include_rejected=False) == {
            f"{base}1", f"{base}2", f"{base}{repo.KNOWN_CHUNK + 7}"}
        assert repo.known_urls(s, []) == set()
