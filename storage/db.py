"""Engines, sessions and schema upgrades. Nothing here knows about Scrapy."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from storage import locktime
from storage.faults import fatal_reason, first_line
from storage.filelock import flock_beside

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
    # FULL: in WAL mode each commit syncs the log before it returns, so a committed batch survives an OS
    # crash or a power cut (NORMAL only syncs at checkpoints, and lost a whole new archive that way).
    # $NEWSARCHIVE_SQLITE_SYNCHRONOUS lets bench/crawl.py measure what that costs.
    cursor.execute(f"PRAGMA synchronous={sqlite_synchronous()}")
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
    from storage.search.entries import cached_bigram_text
    from storage.search.facets import facet_text

    dbapi_connection.create_function("ko_bigrams", 1, cached_bigram_text, deterministic=True)
    dbapi_connection.create_function("ko_facets", 4, facet_text, deterministic=True)


SYNCHRONOUS_MODES = ("FULL", "EXTRA", "NORMAL", "OFF")


def sqlite_synchronous() -> str:
    mode = os.environ.get("NEWSARCHIVE_SQLITE_SYNCHRONOUS", "FULL").strip().upper()
    if mode not in SYNCHRONOUS_MODES:
        raise DatabaseError(f"NEWSARCHIVE_SQLITE_SYNCHRONOUS must be one of {', '.join(SYNCHRONOUS_MODES)}, "
                            f"not {mode!r}")
    return mode


# PostgreSQL waits are bounded so that a hung server or a held lock ends a crawl instead of stalling it
# (the writer lock, pg_advisory_xact_lock, is a lock wait too). An `options` query in the URL comes after
# these and wins: postgresql://host/db?options=-c%20lock_timeout%3D5000
PG_OPTIONS = "-c statement_timeout=300000 -c lock_timeout=60000"
PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 10,
    # a server that vanishes without closing the connection is noticed within about a minute
    "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
}

CONNECT_HOOKS: list[Any] = [_register_search_functions]
"""Extra per-connection setup for SQLite (e.g. SQL functions the search triggers call)."""


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _on_sqlite_read_connect if is_read_only(url) else _on_sqlite_connect)
            for hook in CONNECT_HOOKS:
                event.listen(engine, "connect", hook)
        else:
            from sqlalchemy.engine import make_url

            given = make_url(url).query.get("options") or ()
            options = " ".join([PG_OPTIONS, *([given] if isinstance(given, str) else given)])
            engine = create_engine(url, pool_pre_ping=True, connect_args={**PG_CONNECT_ARGS, "options": options})
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(_unusable_url(url, exc)) from exc
    return engine


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def check_connection(url: str, shown: str | None = None) -> Engine:
    """The engine for `url`, once it has answered; errors name the database as `shown` (default: url)."""
    engine = get_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        raise DatabaseError(f"cannot reach database {redact(shown or url)}: {first_line(exc)}") from exc
    except SQLDatabaseError as exc:  # e.g. SQLite's "file is not a database"
        raise DatabaseError(f"not a newsarchive archive: {redact(shown or url)}: {first_line(exc)}") from exc
    return engine


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


HEAD = "0016"  # the newest migration's revision (tests/test_search_schema.py checks it against the scripts)


def migrate(url: str, revision: str = "head") -> None:
    """Bring the schema up to `revision`; safe to call at every start. A schema that is current is
    recognised without loading Alembic and its scripts, which took a third of a second of every crawl's
    start."""
    engine = check_connection(url)
    try:
        if revision == "head" and schema_revision(engine) == HEAD:
            return
    except SQLAlchemyError as exc:
        raise DatabaseError(f"cannot read the schema of {redact(url)}: {first_line(exc)}") from exc
    from alembic import command

    with _migration_lock(engine):  # two first crawls at once must not both create the tables
        try:
            command.upgrade(alembic_config(url), revision)
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot upgrade the schema of {redact(url)}: {first_line(exc)}") from exc
        if engine.dialect.name == "sqlite":
            # the schema goes into the database file itself, not only into its write-ahead log
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


MIGRATION_LOCK = 0x6E657775  # PostgreSQL advisory lock key of migrate()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migration at a time per database. PostgreSQL: a session advisory lock (a migration that
    waits may wait for a long one, up to ten minutes). SQLite: flock on `<file>-migrate.lock` beside the
    database (storage/filelock.py)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("SET lock_timeout = '10min'")
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()
            try:
                yield
            finally:
                with suppress(SQLAlchemyError):
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                    conn.exec_driver_sql("RESET lock_timeout")
                    conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with flock_beside(database, "migrate"):
        yield


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
def write_transaction(url: str, items: int = 1,
                      unlocked: Callable[[Session], None] | None = None) -> Iterator[Session]:
    """A transaction that holds the archive's single-writer lock from its first statement, so that what
    it reads (is this URL archived? which articles are near?) is what its writes build on, even with
    several processes storing at once. SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped
    advisory lock. The wait and the hold (until the commit released it) are kept by storage.locktime,
    with `items`, how many pages the caller stores in it.

    PostgreSQL: `unlocked` runs first in the same transaction, before the lock is taken, for writes that
    no other writer reads before they are committed (pipelines.ingest: the batch's search index rows)."""
    started = time.perf_counter()
    acquired: float | None = None
    try:
        with transaction(url) as session:
            connection = session.connection()
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                if unlocked is not None:
                    unlocked(session)
                    started = time.perf_counter()
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})
            acquired = time.perf_counter()
            yield session
    finally:
        if acquired is not None:
            locktime.record(acquired - started, time.perf_counter() - acquired, items)


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """One short unit of work: commit on success, roll back on any error. An error that makes the database
    unusable (storage.faults) is raised as DatabaseError, one readable line."""
    session = session_factory(url)()
    try:
        with session.begin():
            yield session
    except SQLAlchemyError as exc:
        reason = fatal_reason(exc)
        if reason is None:
            raise
        raise DatabaseError(reason) from exc
    finally:
        session.close()


def _unusable_url(url: str, exc: Exception) -> str:
    if isinstance(exc, ImportError) and "psycopg" in str(exc):
        return 'PostgreSQL needs psycopg: pip install "newsarchive[postgres]"'
    return f"bad database URL {redact(url)}: {exc}"


def _on_sqlite_read_connect(dbapi_connection: Any, _record: Any) -> None:
    """A reader's connection: no journal-mode switch (a write, which a read-only archive refuses) and none
    of the writer's checkpoint and sync tuning."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def is_read_only(url: str) -> bool:
    """A SQLite URL that opens its file read-only (mode=ro or immutable=1)."""
    return url.startswith("sqlite") and ("mode=ro" in url or "immutable=1" in url)
