"""The suite's xdist_group marks hold: tests that share a group run on one pytest-xdist worker under
`--dist loadgroup`, the README's test command (pytest 9 with pytest-xdist 3.8 spread them over all workers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GROUPED = '''
import os, pytest
pytestmark = pytest.mark.xdist_group("one")

@pytest.mark.parametrize("n", range(12))
def test_grouped(n):
    with open(os.environ["WORKERS_SEEN"], "a") as seen:
        seen.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
'''


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    seen = tmp_path / "seen"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path / "test_grouped.py")],
        cwd=tmp_path, env={"WORKERS_SEEN": str(seen), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    workers = seen.read_text().split()
    assert len(workers) == 12
    assert len(set(workers)) == 1, f"one group ran on {sorted(set(workers))}"
