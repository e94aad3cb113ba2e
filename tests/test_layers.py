"""The packages import in one direction only, bottom to top: sites, core, storage, pipelines, crawler,
newsarchive (and scheduler.py). import-linter checks the contracts in pyproject.toml against every import
statement, those inside functions too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawl_helpers import REPO_ROOT

PACKAGES = ("sites", "core", "storage", "pipelines", "crawler", "newsarchive")
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}, capture_output=True, text=True,
                          timeout=120)


def test_no_package_imports_a_layer_above_it() -> None:
    result = lint_imports(Path(REPO_ROOT))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "statement", "upward"), [
    ("storage/db.py", "\n\ndef _lazy() -> None:\n    from newsarchive.config import load_config  # noqa\n",
     "storage.db -> newsarchive.config"),
    ("pipelines/dedup.py", "\n\ndef _lazy() -> None:\n    import crawler.runstats  # noqa\n",
     "pipelines.dedup -> crawler.runstats"),
    ("core/timewindow.py", "\nimport storage.db  # noqa\n", "core.timewindow -> storage.db"),
    ("sites/model.py", "\n\ndef _lazy() -> None:\n    import core.urls  # noqa\n", "sites.model -> core.urls"),
    ("crawler/process.py", "\n\ndef _lazy() -> None:\n    import scheduler  # noqa\n", "crawler.process -> scheduler"),
])
def test_an_upward_import_breaks_the_contract(tmp_path: Path, module: str, statement: str, upward: str) -> None:
    for package in PACKAGES:
        shutil.copytree(Path(REPO_ROOT) / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.html", "*.css", "*.png"))
    shutil.copy(Path(REPO_ROOT) / "pyproject.toml", tmp_path)
    shutil.copy(Path(REPO_ROOT) / "scheduler.py", tmp_path)
    with (tmp_path / module).open("a", encoding="utf-8") as source:
        source.write(statement)
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert upward in result.stdout
