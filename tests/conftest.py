"""Shared fixtures: a migrated database on SQLite and on the real PostgreSQL server.

PostgreSQL tests create a database of their own (so parallel runs never collide) on the server named
by $NEWSARCHIVE_TEST_PG_URL (default: the local server). In CI ($CI set) an unreachable server fails
the run instead of skipping."""

from __future__ import annotations

import compileall
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from storage.db import get_engine, migrate
from tests.web_archive import WebArchive, build_web_archive
from tests.web_client import web_client

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


def _require_pg() -> None:
    problem = _pg_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL required in CI but unreachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")


def create_pg_database() -> str:
    _require_pg()
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


_templates: dict[str, str] = {}
"""Per test process: a migrated archive per backend that the tests' archives are copied from (running the
migrations for every test cost a second or more of each on PostgreSQL)."""


def _sqlite_template() -> Path:
    if "sqlite" not in _templates:
        directory = Path(tempfile.mkdtemp(prefix="newsarchive-template-"))
        url = f"sqlite:///{directory / 'archive.db'}"
        migrate(url)  # ends with a checkpoint: the schema is all in the file
        get_engine(url).dispose()
        _templates["sqlite"] = str(directory / "archive.db")
    return Path(_templates["sqlite"])


def _pg_template() -> str:
    if "postgresql" not in _templates:
        url = create_pg_database()
        migrate(url)
        get_engine(url).dispose()
        _templates["postgresql"] = str(make_url(url).database)
    return _templates["postgresql"]


def _create_pg_copy(template: str) -> str:
    name = f"newsarchive_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(50):  # the template's last session may still be ending after dispose()
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
                break
            except OperationalError as exc:
                if "is being accessed by other users" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)
    finally:
        admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


_dropping = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drop-test-database")
"""Drops the tests' PostgreSQL databases while the next test runs (a DROP DATABASE waits for the server's
checkpoint: up to two seconds on the loaded machine)."""
_drops: list[Future[None]] = []


def shared_temp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary directory common to all pytest-xdist workers (or the only one without)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def drop_at_session_end(tmp_path_factory: pytest.TempPathFactory, url: str) -> None:
    """A PostgreSQL database shared by the workers: the process that ends the session (the controller
    under pytest-xdist) drops it."""
    (shared_temp_root(tmp_path_factory) / f"drop-{uuid.uuid4().hex}.url").write_text(url, encoding="utf-8")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per CPU. Most of a test's time is spent in the commands it starts (crawls,
    the CLI, browsers, servers) or waiting for them, so one worker per CPU left half the CPUs idle."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cpus


SLOW_FIRST = {"test_distributed.py", "test_distributed_faults.py", "test_demo.py", "test_readme_examples.py",
              "test_crawl_cli.py", "test_schedule_shipped.py", "test_schedule_e2e.py", "test_clusters_e2e.py",
              "test_cli_interrupt.py", "test_ministry_crawls.py", "test_web_browser.py"}
"""Files of the longest tests and groups (`--durations`), beside tests/faults/."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests start first: pytest-xdist hands tests out in this order, and a long group handed
    out last kept one worker busy for a minute after the others had finished. Stable: a file keeps its order."""
    items.sort(key=lambda item: item.path.name not in SLOW_FIRST and item.path.parent.name != "faults")


def pytest_configure(config: pytest.Config) -> None:
    """Let the run cache bytecode, and byte-compile the project once before the workers start. Where
    PYTHONDONTWRITEBYTECODE is set (as on the CI machine), each of the several hundred processes the tests
    start would compile every module it imports from source again; the README's test command installs
    without compiling all of site-packages (20 s), so what the processes import is compiled once, when
    first imported. The workers and every process they start inherit this environment."""
    if hasattr(config, "workerinput"):
        return
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
    for package in ("core", "crawler", "newsarchive", "pipelines", "sites", "storage"):
        compileall.compile_dir(REPO_ROOT / package, quiet=1)
    compileall.compile_file(REPO_ROOT / "scheduler.py", quiet=1)


def pytest_sessionfinish(session: pytest.Session) -> None:
    _dropping.shutdown(wait=True)
    for drop in _drops:
        drop.result()  # a database that could not be dropped fails the session here, as its teardown did
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        for shared in shared_temp_root(session.config._tmp_path_factory).glob("drop-*.url"):  # type: ignore[attr-defined]
            drop_pg_database(shared.read_text(encoding="utf-8"))
            shared.unlink()
    if "sqlite" in _templates:
        shutil.rmtree(Path(_templates.pop("sqlite")).parent, ignore_errors=True)
    if "postgresql" in _templates:
        drop_pg_database(make_url(PG_ADMIN_URL).set(database=_templates.pop("postgresql"))
                         .render_as_string(hide_password=False))


@contextmanager
def migrated_archive(backend: str, directory: Path, name: str = "archive.db") -> Iterator[str]:
    """A freshly migrated, empty archive: a SQLite file `name` in `directory` (with the lock file its
    migrations leave beside it), or a PostgreSQL database of its own (dropped afterwards). Both are copies
    of an archive this test process migrated once."""
    if backend == "sqlite":
        shutil.copyfile(_sqlite_template(), directory / name)
        (directory / f"{name}-migrate.lock").touch()
        url = f"sqlite:///{directory / name}"
        yield url
        get_engine(url).dispose()
    else:
        _require_pg()
        url = _create_pg_copy(_pg_template())
        try:
            yield url
        finally:
            get_engine(url).dispose()
            _drops.append(_dropping.submit(drop_pg_database, url))


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
    root = shared_temp_root(tmp_path_factory)
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


@pytest.fixture
def web_archive(db_url: str) -> WebArchive:
    """The web explorer's test archive (tests/web_archive.py) on each backend."""
    return build_web_archive(db_url)


@pytest.fixture
def client(web_archive: WebArchive) -> Iterator[TestClient]:
    """The web explorer over `web_archive`, driven in this process (tests/web_client.py)."""
    with web_client(web_archive.url) as c:
        yield c
