"""Item 10 of issue 15: first crawls started together on one empty database must not race on the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import HEAD, get_engine, schema_revision
from tests.conftest import create_pg_database, drop_pg_database
from tests.crawl_helpers import REPO_ROOT

STARTS = 8


def migrate_at_once(url: str) -> list[subprocess.CompletedProcess[str]]:
    """STARTS processes that each import the code, wait for a go, and migrate `url` together (the wait
    makes them start migrating within milliseconds of one another, as the imports would not)."""
    script = ("import sys; from storage.db import migrate; sys.stdin.read(); "
              f"migrate({url!r})")
    env = {**os.environ, "PYTHONPATH": REPO_ROOT}
    procs = [subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
             for _ in range(STARTS)]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()  # the go
    results = []
    for proc in procs:
        assert proc.stderr is not None
        err = proc.stderr.read()
        results.append(subprocess.CompletedProcess(proc.args, proc.wait(timeout=120), "", err))
    return results


@pytest.fixture
def empty_pg() -> Iterator[str]:
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_eight_first_migrations_at_once_all_succeed(backend: str, tmp_path: Path,
                                                    request: pytest.FixtureRequest) -> None:
    url = f"sqlite:///{tmp_path / 'archive.db'}" if backend == "sqlite" else request.getfixturevalue("empty_pg")
    results = migrate_at_once(url)
    failures = [r.stderr.strip().splitlines()[-1] for r in results if r.returncode != 0]
    assert failures == [], f"{len(failures)} of {STARTS} starts failed"
    assert schema_revision(get_engine(url)) == HEAD
