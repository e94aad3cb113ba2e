"""The search index schema: migration 0002, tokenisation parity between backends, schema drift, and how
migrate() knows the schema is current."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import HEAD, alembic_config, get_engine, migrate, schema_revision
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
    command.downgrade(alembic_config(db_url), "0001")  # no search index
    assert schema_revision(get_engine(db_url)) == "0001"
    migrate(db_url)
    assert {hit.id for hit in search(db_url, "재난")} == {by["disaster"], by["particle"]}


def test_alembic_check(db_url: str) -> None:
    """Models and migrations do not drift (the search tables are raw DDL, left out by env.py)."""
    command.check(alembic_config(db_url))


def test_a_current_schema_is_known_by_head_without_alembic(db_url: str) -> None:
    """migrate() skips Alembic when the database is at HEAD, so HEAD must be the scripts' newest revision."""
    assert ScriptDirectory.from_config(alembic_config(db_url)).get_current_head() == HEAD
    assert schema_revision(get_engine(db_url)) == HEAD
    command.downgrade(alembic_config(db_url), "0004")
    assert schema_revision(get_engine(db_url)) == "0004"
    migrate(db_url)  # not current: Alembic upgrades it
    assert schema_revision(get_engine(db_url)) == HEAD
