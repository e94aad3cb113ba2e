"""Every search, show and export example of the README's "Everyday use" and "Searching" sections, copied
from the README's text, returns something on the demo archive (`newsarchive demo`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.readme import README, code_blocks, commands, section

READS = ("search", "show", "export")
EXAMPLES = [argv for title in ("Everyday use", "Searching") for argv in commands(section(title))
            if argv[1] in READS]

pytestmark = pytest.mark.xdist_group("demo")


def test_the_examples_are_found_in_the_readme() -> None:
    assert len(EXAMPLES) >= 12, EXAMPLES
    assert ["newsarchive", "search", '"디지털정부 혁신"'] in EXAMPLES
    assert ["newsarchive", "export", "--format", "jsonl"] in EXAMPLES  # the redirection is the shell's


@pytest.mark.parametrize("argv", EXAMPLES, ids=" ".join)
def test_readme_example_returns_something_on_the_demo_archive(
        argv: list[str], demo_archive: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    url, _ = demo_archive
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")},
           "NEWSARCHIVE_DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", *argv], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), f"{' '.join(argv)} printed nothing; stderr: {result.stderr}"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's last line is the test command of the README's first block, so the two stay in sync."""
    first_block = code_blocks(README.read_text(encoding="utf-8"), "sh")[0]
    readme_test = first_block.splitlines()[1].rsplit("&& ", 1)[1]
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert readme_test.startswith("python -m pytest ") and ci_lines[-1] == readme_test
