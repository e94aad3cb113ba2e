"""ruff and mypy are part of the suite, so CI fails when either finds something."""

from __future__ import annotations

import subprocess
import sys

from tests.crawl_helpers import REPO_ROOT

CODE = ["core", "crawler", "pipelines", "storage", "sites", "newsarchive", "scheduler.py", "bench", "tests"]


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", *CODE], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]
