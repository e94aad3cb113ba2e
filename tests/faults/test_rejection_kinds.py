"""Rejection kinds: which pages are written off for good, on real pages and in an upgraded archive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import column, insert, select, table, text

from core.article import NotAnArticle
from core.rejections import Kind
from newsarchive.demo.site.korea_kr_view import error_html
from pipelines.extract import extract
from storage import repository
from storage.db import alembic_config, get_engine, migrate, transaction
from storage.models import RejectedPage
from storage.types import UTCDateTime

KOREA = "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156741199"


def _kind(html: str) -> Kind:
    with pytest.raises(NotAnArticle) as info:
        extract(html.encode(), KOREA, source="korea_kr")
    return info.value.kind


def test_a_page_not_found_is_permanent_and_a_site_under_maintenance_is_not() -> None:
    assert _kind(error_html()) is Kind.ERROR_PAGE and Kind.ERROR_PAGE.permanent
    maintenance = error_html().replace("요청하신 페이지를 찾을 수 없습니다.", "서비스 점검 중입니다.").replace(
        "삭제되었거나 주소가 잘못 입력되었습니다. 입력하신 주소를 다시 확인해 주세요.", "잠시 후 다시 이용해 주세요.")
    assert _kind(maintenance) is Kind.UNAVAILABLE and not Kind.UNAVAILABLE.permanent
    assert _kind("") is Kind.EMPTY_PAGE and not Kind.EMPTY_PAGE.permanent


def test_upgrading_an_archive_keeps_only_certain_rejections_permanent(db_url: str) -> None:
    """Rows written before migration 0006 get their flag from their reason: an empty or truncated page,
    which the old rule wrote off, is fetched again after the upgrade; a list page still is not."""
    migrate(db_url)
    command.downgrade(alembic_config(db_url), "0005")  # the downgrade works, and gives an archive as at 0005
    reasons = {"https://a/1": "not an article: empty page", "https://a/2": "not an article: no body",
               "https://a/3": "not an article: list page", "https://a/4": "no ministry named",
               "https://a/5": "duplicate of an archived article: https://a/5", "https://a/6": "http_503",
               "https://a/7": "not an article: error page"}
    before = table("rejected_pages", column("url"), column("reason"), column("at", UTCDateTime()))  # as at 0005
    with get_engine(db_url).begin() as connection:
        connection.execute(insert(before), [{"url": url, "reason": reason, "at": datetime(2026, 1, 1, tzinfo=UTC)}
                                            for url, reason in reasons.items()])
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0005"
    migrate(db_url)
    with transaction(db_url) as session:
        permanent = {row.url for row in session.scalars(select(RejectedPage)) if row.permanent}
        assert permanent == {"https://a/3", "https://a/4", "https://a/5", "https://a/7"}
        assert repository.known_urls(session, list(reasons)) == permanent
