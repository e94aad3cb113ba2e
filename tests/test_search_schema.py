"""The search index schema: migration 0002, tokenisation parity between backends, schema drift."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from storage.db import alembic_config, get_engine, migrate
from storage.search import search
from storage.search.tokens import tokens
from tests.search_fixtures import ARTICLES, build_archive

SAMPLES = [body for _, _, body, *_ in ARTICLES] + [
    "ＡＩ·빅데이터 2024年 國家 재난-안전 e-Gov 3.0 ㄱㄴ カタカナ 한", "", "!!!", "가나다라마바사" * 3000]


def test_postgres_tokens_match_python(pg_url: str) -> None:
    """ko_tokens is the PostgreSQL twin of tokens.tokens."""
    with get_engine(pg_url).connect() as conn:
        for sample in SAMPLES:
            assert conn.scalar(text("SELECT ko_tokens(:t)"), {"t": sample}) == tokens(sample)


def test_downgrade_and_upgrade_rebuild_the_index(db_url: str) -> None:
    by = build_archive(db_url)
    migrate(db_url, "0001")
    migrate(db_url, "head")
    assert {hit.id for hit in search(db_url, "재난")} == {by["disaster"], by["particle"]}


def test_alembic_check(db_url: str) -> None:
    """Models and migrations do not drift (the search tables are raw DDL, left out by env.py)."""
    command.check(alembic_config(db_url))
