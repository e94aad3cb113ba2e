"""Which database errors end a crawl and which cost one page.

An error that will hit every statement whatever it stores (a full disk, a read-only or vanished file, a
lost or terminated connection, a timeout waiting for a lock or a statement) is fatal for the run: going on
would only count every remaining page as failed. Anything else (a value the schema refuses, a constraint)
belongs to the row being written and costs that page only."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

# SQLite primary result codes (https://www.sqlite.org/rescode.html) that no retry of the same batch cures
_SQLITE_FATAL = {
    3,   # SQLITE_PERM
    5,   # SQLITE_BUSY: busy_timeout ran out waiting for another writer
    6,   # SQLITE_LOCKED
    7,   # SQLITE_NOMEM
    8,   # SQLITE_READONLY
    10,  # SQLITE_IOERR
    11,  # SQLITE_CORRUPT
    13,  # SQLITE_FULL: "database or disk is full"
    14,  # SQLITE_CANTOPEN
    15,  # SQLITE_PROTOCOL
    26,  # SQLITE_NOTADB
}
# PostgreSQL SQLSTATE classes and codes (https://www.postgresql.org/docs/current/errcodes-appendix.html)
_PG_FATAL_PREFIXES = (
    "08",     # connection exception
    "28",     # invalid authorization
    "3D",     # the database does not exist (dropped)
    "53",     # insufficient resources: disk full, out of memory, too many connections
    "57",     # operator intervention: terminated backend, shutdown, statement_timeout (57014)
    "58",     # system error: I/O
    "XX",     # internal error, data corrupted
    "55P03",  # lock_not_available: lock_timeout
    "25006",  # read_only_sql_transaction
    "42P01",  # undefined_table: the schema is gone
)


def first_line(exc: BaseException) -> str:
    """The driver's message, first line only (SQLAlchemy appends the SQL and a link on further lines)."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def fatal_reason(exc: BaseException) -> str | None:
    """A one-line reason when `exc` means the database cannot be used for the rest of the run, else None."""
    from storage.db import DatabaseError  # storage.db imports this module

    if isinstance(exc, DatabaseError):
        return str(exc)
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return first_line(exc)
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        if code & 0xFF in _SQLITE_FATAL or "no such table" in str(orig):
            return first_line(exc)
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is None:
        # psycopg raises OperationalError, or a subclass (ConnectionTimeout when a connection attempt times
        # out on a loaded server), without a SQLSTATE when the connection is lost or cannot be made
        return first_line(exc) if isinstance(exc, OperationalError) else None
    return first_line(exc) if sqlstate.startswith(_PG_FATAL_PREFIXES) else None
