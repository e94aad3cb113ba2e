"""Reading an archive needs no write access: a file (and directory) the user may only read, as a user who
is not root (root writes anyway), and a SQLite URL opened read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import HEAD, get_engine, transaction
from tests.conftest import migrated_archive
from tests.crawl_helpers import REPO_ROOT, newsarchive
from tests.search_fixtures import build_archive

WRITTEN = ["archive.db", "archive.db-migrate.lock"]
"""What the writer that created the archive leaves: the file, and the lock its migrations take turns on."""


@pytest.fixture
def readonly_archive() -> Iterator[Path]:
    """A seeded archive in a directory that the test's user can read but not write (nor the file)."""
    directory = Path(tempfile.mkdtemp(prefix="newsarchive-ro-"))
    try:
        with migrated_archive("sqlite", directory) as url:
            build_archive(url)
            with transaction(url) as session:
                session.execute(text("SELECT 1"))
            get_engine(url).dispose()
        path = directory / "archive.db"
        for leftover in directory.iterdir():  # the WAL and its index go when the last connection closes
            assert leftover in (path, directory / "archive.db-migrate.lock"), leftover
        path.chmod(0o444)
        directory.chmod(0o555)
        yield path
    finally:
        directory.chmod(0o755)
        shutil.rmtree(directory)


def as_reader(*args: str) -> subprocess.CompletedProcess[str]:
    """`newsarchive ARGS` as a user without write access: root without its capabilities when the tests run as root."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop write access")
        # root without its capabilities obeys file modes like anyone else, and can still read the venv and
        # the checkout wherever they are (another user, such as nobody, may not)
        prefix = [setpriv, "--bounding-set=-all", "--inh-caps=-all"]
    return subprocess.run([*prefix, sys.executable, "-m", "newsarchive", *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO_ROOT,
                          env={**os.environ, "PYTHONPATH": REPO_ROOT, "PYTHONDONTWRITEBYTECODE": "1"})


def test_a_read_only_archive_can_be_searched_shown_and_exported(readonly_archive: Path) -> None:
    url = f"sqlite:///{readonly_archive}"
    result = as_reader("search", "재난", "--json", "--db", url)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and all("재난" in hit["snippet"] or "재난" in hit["title"] for hit in hits)
    assert as_reader("show", str(hits[0]["id"]), "--db", url).returncode == 0
    result = as_reader("export", "--db", str(readonly_archive))
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 4, result.stderr
    assert as_reader("runs", "--db", url).returncode == 0
    assert sorted(p.name for p in readonly_archive.parent.iterdir()) == WRITTEN


def test_an_old_schema_on_a_read_only_archive_is_one_line(tmp_path: Path) -> None:
    directory = Path(tempfile.mkdtemp(prefix="newsarchive-ro-"))
    try:
        from storage.db import migrate

        url = f"sqlite:///{directory / 'archive.db'}"
        migrate(url, "0004")
        get_engine(url).dispose()
        (directory / "archive.db").chmod(0o444)
        directory.chmod(0o555)
        result = as_reader("runs", "--db", url)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == [
            f"error: the archive at {url} has schema 0004, this newsarchive needs {HEAD}, and it is read-only: "
            "open it once with write access to upgrade it"]
    finally:
        directory.chmod(0o755)
        shutil.rmtree(directory)


def test_a_sqlite_url_opened_read_only_can_be_searched(tmp_path: Path) -> None:
    with migrated_archive("sqlite", tmp_path) as url:
        build_archive(url)
    for mode in ("mode=ro", "immutable=1"):
        ro_url = f"sqlite:///file:{tmp_path / 'archive.db'}?{mode}&uri=true"
        result = newsarchive("search", "교류", "--json", "--db", ro_url)
        assert result.returncode == 0, result.stderr
        assert len(json.loads(result.stdout)) == 2


def test_reading_an_archive_one_may_write_leaves_nothing_beside_it(tmp_path: Path) -> None:
    with migrated_archive("sqlite", tmp_path) as url:
        build_archive(url)
    assert sorted(p.name for p in tmp_path.iterdir()) == WRITTEN
    for args in (["search", "재난"], ["runs"], ["export"], ["schedule", "--list"]):
        assert newsarchive(*args, "--db", url).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == WRITTEN, "no -wal/-shm left behind"
