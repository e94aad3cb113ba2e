"""Revisions of an archived article: what counts as a change, what is kept, and the word-level diff."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select

from core.article import Article as Record
from core.timewindow import KST
from newsarchive.demo.site.content_etoday import STORIES
from pipelines import revisions
from pipelines.revisions import Change, Fetch, format_history, history, revise, word_diff
from storage import clusters, repository
from storage.db import transaction
from storage.models import Article

STORY = next(s for s in STORIES if s.id == 2572248)  # 기재부 "환율 변동성 확대 땐 시장안정조치"
OTHER = next(s for s in STORIES if s.id == 2572431)
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=KST)
URL = "https://www.etoday.co.kr/news/view/2572248"


def record(paragraphs: tuple[str, ...] | list[str], title: str = STORY.title, hours: int = 0,
           url: str = URL) -> Record:
    return Record(url=url, canonical_url=url, title=title, body="\n\n".join(paragraphs), source="etoday",
                  published_at=NOON, modified_at=NOON + timedelta(hours=hours) if hours else None,
                  fetched_at=NOON + timedelta(hours=hours))


def store(url: str, rec: Record, etag: str | None = '"a1"') -> int:
    with transaction(url) as session:
        row = repository.add_article(session, rec, b"<html>first</html>", "utf-8")
        clusters.set_validators(session, row.id, etag, "Mon, 02 Mar 2026 03:00:00 GMT", rec.fetched_at)
        return row.id


def revisit(url: str, article_id: int, rec: Record, html: bytes = b"<html>again</html>") -> Change:
    with transaction(url) as session:
        row = session.get(Article, article_id)
        assert row is not None
        return revise(session, row, rec, Fetch(html, "utf-8", '"b2"', None))


def test_word_diff_marks_removed_and_added_words_with_context() -> None:
    old = STORY.paragraphs[0]
    words = old.split()
    new = " ".join([*words[:3], "긴급", *words[3:-1]])
    lines = word_diff(old, new, context=2)
    assert len(lines) == 2
    assert lines[0].endswith(" …") and "{+긴급+}" in lines[0] and " ".join(words[1:3]) in lines[0]
    assert lines[1].startswith("… ") and f"[-{words[-1]}-]" in lines[1]
    assert word_diff(old, old) == []
    assert word_diff(old, "\n".join(old.split())) == [], "whitespace alone is no change"


def test_unchanged_page_only_updates_validators(db_url: str) -> None:
    article_id = store(db_url, record(STORY.paragraphs))
    assert revisit(db_url, article_id, record(STORY.paragraphs, hours=5)) is Change.UNCHANGED
    with transaction(db_url) as session:
        assert clusters.revisions(session, article_id) == []
        validators = clusters.validators(session, article_id)
        assert validators is not None and validators.etag == '"b2"'
        row = session.get(Article, article_id)
        assert row is not None and repository.raw_html(row) == b"<html>first</html>"


def test_changes_become_numbered_revisions_and_the_row_shows_the_latest(db_url: str) -> None:
    article_id = store(db_url, record(STORY.paragraphs))
    changed = [STORY.paragraphs[0].replace("점검했다고", "긴급 점검했다고"), *STORY.paragraphs[1:]]
    assert revisit(db_url, article_id, record(changed, hours=3)) is Change.REVISED
    retitled = STORY.title.replace("적극", "즉각")
    assert revisit(db_url, article_id, record(changed, title=retitled, hours=6)) is Change.REVISED
    with transaction(db_url) as session:
        row = session.get(Article, article_id)
        assert row is not None
        assert row.title == retitled and "긴급 점검" in row.body
        assert row.modified_at == NOON + timedelta(hours=6)
        assert repository.raw_html(row) == b"<html>again</html>"
        revs = clusters.revisions(session, article_id)
        assert [r.number for r in revs] == [1, 2, 3]
        assert revs[0].body == "\n\n".join(STORY.paragraphs) and revs[0].etag == '"a1"'
        assert revs[1].title == STORY.title and revs[2].title == retitled
        text = format_history(history(session, row))
    assert text.count("revision ") == 3
    assert "body change: " in text and "{+긴급+} 점검했다고" in text
    assert "title change: " in text and "[-적극-] {+즉각+}" in text


def test_a_body_already_archived_elsewhere_is_a_conflict_and_changes_nothing(db_url: str) -> None:
    article_id = store(db_url, record(STORY.paragraphs))
    store(db_url, record(OTHER.paragraphs, title=OTHER.title, url="https://www.etoday.co.kr/news/view/2572431"))
    assert revisit(db_url, article_id, record(OTHER.paragraphs, hours=2)) is Change.CONFLICT
    with transaction(db_url) as session:
        row = session.get(Article, article_id)
        assert row is not None and row.title == STORY.title
        assert clusters.revisions(session, article_id) == []


def test_history_of_an_article_never_changed_is_its_current_version(sqlite_url: str) -> None:
    article_id = store(sqlite_url, record(STORY.paragraphs))
    with transaction(sqlite_url) as session:
        row = session.scalars(select(Article).where(Article.id == article_id)).one()
        versions = history(session, row)
    assert [(v.number, v.title) for v in versions] == [(1, STORY.title)]
    assert "revision 1" in format_history(versions)
    assert dataclasses.is_dataclass(versions[0]) and revisions.CONTEXT_WORDS > 0
