"""Array parameters for PostgreSQL as one text literal each ('{1,2,3}', cast by the statement).

psycopg dumps a Python list element by element in Python: the few arrays of the crawl's store path (the
batch's band keys, ids, index texts) took a quarter of its client CPU inside the writer lock
(docs/benchmarks.md, "The writer lock"). One str is dumped in C and the server's array input reads it."""

from __future__ import annotations

from collections.abc import Iterable


def int_array(values: Iterable[int | None]) -> str:
    """None is NULL."""
    return "{" + ",".join(["NULL" if value is None else str(value) for value in values]) + "}"


def text_array(values: Iterable[str | None]) -> str:
    """Every element quoted, with its backslashes and double quotes escaped; None is NULL."""
    return "{" + ",".join(["NULL" if value is None else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                           for value in values]) + "}"
