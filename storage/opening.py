"""How commands open an archive: writers may create it and bring its schema up to HEAD; readers never
create or write anything, so an archive can be read without write access."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DatabaseError as SQLDatabaseError

from storage.db import HEAD, DatabaseError, check_connection, is_read_only, migrate, redact, schema_revision
from storage.faults import first_line


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for another backend or an in-memory database."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return None
    if name.startswith("file:"):
        from urllib.parse import unquote

        name = unquote(name[len("file:"):].split("?")[0])
    return Path(name)


def reader_url(path: Path, parameter: str, value: str) -> str:
    """A SQLite URI URL for `path` with one open parameter (mode=ro, immutable=1)."""
    from urllib.parse import quote

    from sqlalchemy.engine import URL

    url = URL.create("sqlite", database=f"file:{quote(str(path.resolve()))}", query={parameter: value, "uri": "true"})
    return url.render_as_string(hide_password=False)


def open_archive(url: str, write: bool = False) -> str:
    """Check the archive at `url` can be used and return the URL to use it with.

    Writers may create it and bring its schema up to HEAD. Readers never create anything: no archive
    there is an error, and a SQLite file is opened read-only (immutable when its directory does not even
    allow the WAL's index file), so reading needs no write access."""
    if write:
        migrate(url)
        return url
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise DatabaseError(f"no archive at {redact(url)}")
    read_url = url
    if path is not None and not is_read_only(url):
        # mode=rw never creates the file, and its last connection tidies the WAL files away as a writer's
        # does; without write access, mode=ro. SQLite cannot create the WAL's shared-memory index beside a
        # file in a directory we may not write; that index exists while a writer has the archive open, so
        # none has: then the file is read as immutable.
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        modes = [("mode", "rw")] if writable else []
        for parameter, value in [*modes, ("mode", "ro")]:
            read_url = reader_url(path, parameter, value)
            try:
                check_connection(read_url, shown=url)
                break
            except DatabaseError as exc:
                if "readonly" not in str(exc) and "unable to open" not in str(exc):
                    raise
        else:
            read_url = reader_url(path, "immutable", "1")
    engine = check_connection(read_url, shown=url)
    try:
        revision = schema_revision(engine)
    except SQLDatabaseError as exc:
        raise DatabaseError(f"cannot read the archive at {redact(url)}: {first_line(exc)}") from exc
    if revision is None:
        raise DatabaseError(f"no archive at {redact(url)} (it has no newsarchive tables)")
    if revision != HEAD:
        if path is not None and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise DatabaseError(f"the archive at {redact(url)} has schema {revision}, this newsarchive needs "
                                f"{HEAD}, and it is read-only: open it once with write access to upgrade it")
        migrate(url)
    return read_url
