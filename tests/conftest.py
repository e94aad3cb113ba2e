"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL server.

PostgreSQL tests create a database of their own (so parallel runs never collide) on the server named
by $NEWSARCHIVE_TEST_PG_URL (default: the local server). In CI ($CI set) an unreachable server fails
the run instead of skipping."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import get_engine, migrate

PG_ADMIN_URL = os.environ.get("NEWSARCHIVE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_PAGES = REPO_ROOT / "tests" / "fixtures" / "extraction" / "corpus"
"""Real pages saved from the web (copies of the shared corpus: tests read nothing outside the repository)."""


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        return str(exc).splitlines()[0]


def create_pg_database() -> str:
    problem = _pg_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL required in CI but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"newsarchive_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    get_engine(url).dispose()
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def migrated_archive(backend: str, directory: Path, name: str = "archive.db") -> Iterator[str]:
    """A freshly migrated, empty archive: a SQLite file `name` in `directory`, or a PostgreSQL database
    of its own (dropped afterwards)."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / name}"
        migrate(url)
        yield url
        get_engine(url).dispose()
    else:
        url = create_pg_database()
        try:
            migrate(url)
            yield url
        finally:
            drop_pg_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty archive on each backend."""
    with migrated_archive(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """A freshly migrated archive on PostgreSQL only (for behaviour that exists only there)."""
    with migrated_archive("postgresql", tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    with migrated_archive("sqlite", tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, subprocess.CompletedProcess[str]]:
    """A demo archive made once by the real `newsarchive demo`, run from an empty directory with ephemeral
    ports: its URL and the command's output. Under pytest-xdist the workers share one, made by whichever
    needs it first (the others wait on a lock), in the session's common temporary directory."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    cwd, record = root / "demo", root / "demo.json"
    with open(root / "demo.lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.exists():
            cwd.mkdir(exist_ok=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
            made = subprocess.run([sys.executable, "-m", "newsarchive", "demo", "--port", "0"], cwd=cwd, env=env,
                                  capture_output=True, text=True, timeout=600)
            record.write_text(json.dumps([made.returncode, made.stdout, made.stderr]), encoding="utf-8")
    code, out, err = json.loads(record.read_text(encoding="utf-8"))
    assert code == 0, out + err
    return f"sqlite:///{cwd / 'demo.db'}", subprocess.CompletedProcess(["newsarchive", "demo"], code, out, err)
