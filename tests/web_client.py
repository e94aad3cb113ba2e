"""The web explorer in-process over a test archive: the app `newsarchive serve` runs, on the read-only
URL it serves from, driven through HTTP by Starlette's test client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from newsarchive.web.app import create_app
from newsarchive.web.database import open_read_only
from storage.db import get_engine


@contextmanager
def web_client(db_url: str, cache: bool = True) -> Iterator[TestClient]:
    ro_url = open_read_only(db_url)
    try:
        with TestClient(create_app(ro_url, cache=cache)) as client:
            yield client
    finally:
        get_engine(ro_url).dispose()
