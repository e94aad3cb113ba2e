"""A lock per scheduled job that holds across processes and machines: two schedule services sharing an
archive start each crawl once. PostgreSQL: a session-level advisory lock, held on a connection of its
own for as long as the job runs (released by the server if the holder dies). SQLite, whose archive has
one machine: a flock beside the database (`archive.db-job-etoday.lock`, storage/filelock.py)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator

from sqlalchemy import text

from storage.db import get_engine
from storage.filelock import flock_beside
from storage.opening import sqlite_file

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
    path = sqlite_file(url)
    if path is None:  # an in-memory database lives in one process
        yield True
        return
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    with flock_beside(str(path), f"job-{safe}", wait=False) as taken:
        yield taken
