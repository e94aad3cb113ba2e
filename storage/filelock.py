"""An exclusive flock on a file beside a SQLite archive (`archive.db-SUFFIX.lock`): how processes on the
archive's one machine take turns (migrations, scheduled jobs). A flock, not a POSIX lock: SQLite's own
locks on the database file are POSIX locks, which any descriptor of that file this process closed would
release. Without fcntl (Windows) the lock is not taken and the block runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def flock_beside(database: str, suffix: str, wait: bool = True) -> Iterator[bool]:
    """Hold the lock for the block; yields whether it was taken (always, when `wait`)."""
    try:
        import fcntl
    except ImportError:
        yield True
        return
    with open(f"{database}-{suffix}.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
