"""What the extraction worker makes ready for storage (pipelines.store.make_ready, called by judge) is what
gets stored, and text that PostgreSQL's array literals must escape is stored as it was given."""

from __future__ import annotations

import zlib

from sqlalchemy import select, text

from pipelines.extract_stage import judge
from pipelines.ingest import store_all
from pipelines.messages import ExtractedItem, Policy
from pipelines.store import make_ready
from storage import repository
from storage.db import get_engine, transaction
from storage.models import Article, ArticleMinistry, ArticleValidator
from storage.search import entries
from tests.test_ingest import BASE, _page

QUOTED = 'a "quoted" back\\slash {brace},comma NULL'


def test_judge_makes_the_article_ready_to_store(db_url: str) -> None:
    page = _page(0, 501)
    item = judge(page, Policy(db_url))
    assert isinstance(item, ExtractedItem) and item.ready is not None and item.fingerprint is not None
    assert zlib.decompress(item.ready.html_zlib) == page.html
    record, dialect = item.article, get_engine(db_url).dialect.name
    assert item.ready.search == entries.entry(dialect, record.title, record.subtitle, record.body, record.source,
                                              record.section, record.ministries, record.published_at)
    revisit = judge(page, Policy(db_url, revisit=True))
    assert isinstance(revisit, ExtractedItem) and revisit.ready is None  # a revisit compares, it does not insert


def test_text_that_array_literals_escape_is_stored_as_given(db_url: str) -> None:
    page = _page(1, 502)
    page.etag, page.last_modified, page.ministries = QUOTED, None, [QUOTED, "기획재정부"]
    item = judge(page, Policy(db_url))
    assert isinstance(item, ExtractedItem)
    item.article.title = QUOTED
    item.ready = make_ready(item, get_engine(db_url).dialect.name)
    assert [o.counter for o in store_all([page], [item], Policy(db_url))] == ["stored"]
    with transaction(db_url) as session:
        article = session.scalars(select(Article)).one()
        assert article.canonical_url == f"{BASE}502" and article.title == QUOTED
        assert {QUOTED, "기획재정부"} <= set(session.scalars(select(ArticleMinistry.ministry)))
        validator = session.get(ArticleValidator, article.id)
        assert validator is not None and (validator.etag, validator.last_modified) == (QUOTED, None)
        assert repository.raw_html(article) == page.html
        if session.connection().dialect.name == "postgresql":
            stored = session.execute(text("SELECT title, doc::text FROM article_search")).one()
            assert stored.title == QUOTED
            # the trigger, made to write the row again from the article, writes the same tsvector
            session.execute(text("UPDATE articles SET title = title || '' WHERE id = :id"), {"id": article.id})
            assert session.scalar(text("SELECT doc::text FROM article_search")) == stored.doc
