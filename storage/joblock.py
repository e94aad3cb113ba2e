"""A lock per scheduled job that holds across processes and machines: two schedule services sharing an
archive start each crawl once. PostgreSQL: a session-level advisory lock, held on a connection of its
own for as long as the job runs (released by the server if the holder dies). SQLite, whose archive has
one machine: an exclusive flock on a file beside the database (`archive.db-job-etoday.lock`)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import get_engine, normalise_url

JOB_LOCK_CLASS = 0x6A6F6273  # the advisory lock's first key ("jobs"); write_transaction's lock is a single key


def _job_key(name: str) -> int:
    """A stable signed 32-bit key for the job name (the two-key advisory lock form takes int4 keys)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big", signed=True)


@contextlib.contextmanager
def job_lock(url: str, name: str) -> Iterator[bool]:
    """Try to take the lock of job `name` without waiting; yields whether it was taken, and holds it
    until the block ends."""
    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            args = {"cls": JOB_LOCK_CLASS, "key": _job_key(name)}
            taken = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:cls, :key)"), args))
            conn.commit()  # the lock is the session's, not the transaction's: end the transaction at once
            try:
                yield taken
            finally:
                if taken:
                    conn.execute(text("SELECT pg_advisory_unlock(:cls, :key)"), args)
                    conn.commit()
        return
    path = _lock_path(url, name)
    try:
        import fcntl
    except ImportError:  # Windows: one service per archive is the user's to ensure
        fcntl = None  # type: ignore[assignment]
    if path is None or fcntl is None:  # an in-memory database lives in one process
        yield True
        return
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path(url: str, name: str) -> Path | None:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        return None
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    return Path(database).with_name(f"{Path(database).name}-job-{safe}.lock")
