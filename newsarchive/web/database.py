"""The archive opened read-only: a URL whose connections cannot write, and a schema check instead of a
migration (a browser must never change the archive it shows)."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from storage.db import HEAD, DatabaseError, check_connection, normalise_url, redact, schema_revision
from storage.opening import reader_url, sqlite_file


def read_only_url(url: str) -> str:
    """The same database, read-only at the connection: SQLite opened with `mode=ro`, PostgreSQL with
    every transaction read-only. A different URL from the writers', so get_engine() keeps it apart."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is None:
            raise DatabaseError(f"cannot serve {redact(url)}: give the SQLite archive as a file path")
        if not path.is_file():
            raise DatabaseError(f"no archive at {redact(url)}")
        return reader_url(path, "mode", "ro")
    options = parsed.query.get("options", "")
    extra = "-c default_transaction_read_only=on"
    joined = f"{options} {extra}".strip() if isinstance(options, str) else extra
    return parsed.update_query_dict({"options": joined}).render_as_string(hide_password=False)


def open_read_only(url: str) -> str:
    """Check the archive can be read and its schema is current; returns the read-only URL. Raises
    DatabaseError (one line) otherwise: serving does not migrate."""
    ro_url = read_only_url(url)
    revision = schema_revision(check_connection(ro_url, shown=url))
    if revision is None:
        raise DatabaseError(f"{redact(url)} holds no archive (no schema): run a crawl or "
                            "`newsarchive runs` against it first to create it")
    if revision != HEAD:
        raise DatabaseError(f"the archive's schema is at revision {revision}, this version needs {HEAD}: "
                            "run any other newsarchive command once to upgrade it")
    return ro_url
