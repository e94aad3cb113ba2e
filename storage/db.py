"""Engines, sessions and schema upgrades. Nothing here knows about Scrapy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class DatabaseError(RuntimeError):
    """The database cannot be reached or used; the message is one readable line."""


def normalise_url(url: str) -> str:
    """Let users write postgresql:// and get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 64 MiB of page cache (default 2 MiB): index inserts with random keys (canonical URL, content hash,
    # LSH bands) and the FTS segments stop re-reading pages as the archive grows
    cursor.execute("PRAGMA cache_size=-65536")
    # Checkpoint the WAL every 10,000 pages (default 1,000): each checkpoint writes back and syncs every
    # page the batches since the last one touched, and in a large archive a batch touches many (random
    # index keys, full-text segments); it was the part of storing that grew with the archive (bench/dedup.py)
    cursor.execute("PRAGMA wal_autocheckpoint=10000")
    cursor.close()


def _register_search_functions(dbapi_connection: Any, _record: Any) -> None:
    # The search index triggers (storage/search/schema*.py, migrations 0002 and 0004) call these on
    # every article insert/update/delete, so every SQLite connection must have them.
    from storage.search.facets import facet_text
    from storage.search.tokens import bigram_text

    dbapi_connection.create_function("ko_bigrams", 1, bigram_text, deterministic=True)
    dbapi_connection.create_function("ko_facets", 4, facet_text, deterministic=True)


CONNECT_HOOKS: list[Any] = [_register_search_functions]
"""Extra per-connection setup for SQLite (e.g. SQL functions the search triggers call)."""


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _on_sqlite_connect)
            for hook in CONNECT_HOOKS:
                event.listen(engine, "connect", hook)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"bad database URL {redact(url)}: {exc}") from exc
    return engine


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def check_connection(url: str) -> Engine:
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot reach database {redact(url)}: {reason}") from exc
    return engine


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


HEAD = "0008"  # the newest migration's revision (tests/test_search_schema.py checks it against the scripts)


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`; safe to call at every start. A schema that is current is
    recognised without loading Alembic and its scripts, which took a third of a second of every crawl's
    start."""
    engine = check_connection(url)
    if revision == "head" and schema_revision(engine) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def schema_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before its first migration."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


WRITER_LOCK = 0x6E657773  # PostgreSQL advisory lock key of write_transaction ("news")


@contextmanager
def write_transaction(url: str) -> Iterator[Session]:
    """A transaction that holds the archive's single-writer lock from its first statement, so that what
    it reads (is this URL archived? which articles are near?) is what its writes build on, even with
    several processes storing at once. SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped
    advisory lock."""
    with transaction(url) as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
        yield session


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on any error."""
    session = session_factory(url)()
    try:
        with session.begin():
            yield session
    finally:
        session.close()
