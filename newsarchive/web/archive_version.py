"""A value that changes whenever something the web explorer shows is committed to the archive, read
before every cached answer (response_cache.py), so a cached page is never older than the archive it was
read from.

SQLite: `PRAGMA data_version` on a connection of our own. It changes when any other connection, in this
process or another, commits to the database file (a run's heartbeat too); it costs microseconds, so it is
read on every request and the cache is exact.

PostgreSQL: the archive's own counter (storage/version_counter.py, migration 0012), bumped at the commit
of every transaction that changes a table the pages read, by a deferred constraint trigger, in that
transaction: the new value becomes visible to a new request exactly when the change does, commits to the
server's other databases leave it alone, and a heartbeat that moves nothing else does not count. One round
trip per request, as before. The version is read before the page's data (each in its own snapshot, later
than the version's), so a page can only be newer than the version it is kept under, never older: the next
request reads the newer version and drops it.

Why a counter bumped at commit rather than the alternatives: the server's snapshot
(`pg_current_snapshot()`, used before) changes with every commit anywhere on the server, and on the
shared server the cache was emptied almost continuously. The statistics views (`pg_stat_database`'s
tuple counts) are per database but are flushed by the writers up to a second late, so a page could be
served after the commit that changed it. A sequence is not transactional (a reader would see the next
value before the commit's data, and keep an old page under it). Reading the version and the data in one
REPEATABLE READ snapshot would make the two agree, but still needs a per-archive value to read, and
would thread one session through every page. The counter's cost on the write path: one UPDATE and one
trigger call per transaction plus one comparison per changed row (about a microsecond); the row lock it
takes is the last lock of the transaction, held through the commit's WAL flush, so it cannot close a
cycle of waits, and the count is spread over 16 rows (one per connection's pid modulo 16) so that
concurrent writers' commits need not take turns (docs/benchmarks.md, "On the web figure").
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import uuid
from typing import Any

from sqlalchemy.engine import make_url

from storage import version_counter

log = logging.getLogger("newsarchive.web")


class ArchiveVersion:
    """`current()`: the archive's version now, or None when it cannot be read (the cache is then bypassed)."""

    def __init__(self, db_url: str) -> None:
        self.url = db_url
        self.sqlite = make_url(db_url).get_backend_name() == "sqlite"
        self._conn: Any = None
        self._lock = threading.Lock()
        # data_version counts per connection: the same number in another server process (or after a
        # restart) may stand for another state of the archive, and versions make ETags (SQLite only).
        self.process = uuid.uuid4().hex[:12]

    def current(self) -> str | None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                if self.sqlite:
                    return f"{self.process}:{self._conn.execute('PRAGMA data_version').fetchone()[0]}"
                # the same for every server process: a browser revalidates with whichever it reaches
                return str(self._conn.execute(version_counter.READ).fetchone()[0])
            except Exception as exc:  # the cache steps aside; the request itself reports the error
                log.warning("archive version unreadable, not caching: %s", exc)
                self.close_locked()
                return None

    def _connect(self) -> Any:
        if self.sqlite:
            # the served URL is already a `file:` URI with mode=ro (database.read_only_url)
            parsed = make_url(self.url)
            query = "&".join(f"{k}={v}" for k, v in parsed.query.items() if k != "uri")
            return sqlite3.connect(f"{parsed.database}?{query}", uri=True, check_same_thread=False,
                                   isolation_level=None)
        from storage.db import get_engine

        proxied = get_engine(self.url).raw_connection()
        proxied.detach()  # ours for good: the pool neither recycles nor hands it out
        conn: Any = proxied.dbapi_connection
        conn.autocommit = True  # each read its own snapshot, no transaction left open
        return conn

    def close_locked(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # already broken
                self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self.close_locked()
