"""The archive opened read-only: a URL whose connections cannot write, and a schema check instead of a
migration (a browser must never change the archive it shows)."""

from __future__ import annotations

from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from storage.db import HEAD, DatabaseError, get_engine, normalise_url, redact, schema_revision


def read_only_url(url: str) -> str:
    """The same database, read-only at the connection: SQLite opened with `mode=ro`, PostgreSQL with
    every transaction read-only. A different URL from the writers', so get_engine() keeps it apart."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if not path or path == ":memory:" or path.startswith("file:"):
            raise DatabaseError(f"cannot serve {redact(url)}: give the SQLite archive as a file path")
        return f"sqlite:///file:{quote(path, safe='/:')}?mode=ro&uri=true"
    options = parsed.query.get("options", "")
    extra = "-c default_transaction_read_only=on"
    joined = f"{options} {extra}".strip() if isinstance(options, str) else extra
    return parsed.update_query_dict({"options": joined}).render_as_string(hide_password=False)


def open_read_only(url: str) -> str:
    """Check the archive can be read and its schema is current; returns the read-only URL. Raises
    DatabaseError (one line) otherwise: serving does not migrate."""
    ro_url = read_only_url(url)
    engine = get_engine(ro_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open {redact(url)} read-only: {reason}") from exc
    revision = schema_revision(engine)
    if revision is None:
        raise DatabaseError(f"{redact(url)} holds no archive (no schema): run a crawl or "
                            "`newsarchive runs` against it first to create it")
    if revision != HEAD:
        raise DatabaseError(f"the archive's schema is at revision {revision}, this version needs {HEAD}: "
                            "run any other newsarchive command once to upgrade it")
    return ro_url
