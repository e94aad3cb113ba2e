"""A value that changes whenever anything is committed to the archive, read before every cached answer
(response_cache.py), so a cached page is never older than the archive it was read from.

SQLite: `PRAGMA data_version` on a connection of our own. It changes when any other connection, in this
process or another, commits to the database file; it costs microseconds, so it is read on every request
and the cache is exact.

PostgreSQL has no such counter per database. The server's current snapshot (`pg_current_snapshot()`:
the oldest running transaction id, the next id to be assigned and the ids in progress) changes whenever a
transaction that writes starts or ends anywhere on the server, so it changes on every commit to the
archive, and also on commits to the server's other databases (the cache is then emptied for nothing, never
served stale). One round trip per request.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import uuid
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger("newsarchive.web")


class ArchiveVersion:
    """`current()`: the archive's version now, or None when it cannot be read (the cache is then bypassed)."""

    def __init__(self, db_url: str) -> None:
        self.url = db_url
        self.sqlite = make_url(db_url).get_backend_name() == "sqlite"
        self._conn: Any = None
        self._lock = threading.Lock()
        # data_version counts per connection: the same number in another server process (or after a
        # restart) may stand for another state of the archive, and versions make ETags.
        self.process = uuid.uuid4().hex[:12]

    def current(self) -> str | None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self._connect()
                cursor = self._conn.execute("PRAGMA data_version" if self.sqlite
                                            else "SELECT CAST(pg_current_snapshot() AS text)")
                return f"{self.process}:{cursor.fetchone()[0]}" if self.sqlite else str(cursor.fetchone()[0])
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
