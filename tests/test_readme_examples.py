"""Every search, show and export example of the README's "Everyday use" and "Searching" sections, copied
from the README's text, returns something on the demo archive (`newsarchive demo`)."""

from __future__ import annotations

import os
import subprocess

import pytest
from click.testing import CliRunner

from newsarchive.cli import cli
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
        argv: list[str], demo_archive: tuple[str, subprocess.CompletedProcess[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process through the CLI's command tree (the demo itself was made by the real command): thirteen
    interpreters started only to read the archive would cost more than the rest of this file."""
    url, _ = demo_archive
    for name in [k for k in os.environ if k.startswith("NEWSARCHIVE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSARCHIVE_DATABASE_URL", url)
    result = CliRunner().invoke(cli, argv[1:])
    assert result.exit_code == 0, f"{result.output}{result.exception!r}"
    assert result.stdout.strip(), f"{' '.join(argv)} printed nothing: {result.output}"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run's last line is the test command of the README's first block, so the two stay in sync."""
    first_block = code_blocks(README.read_text(encoding="utf-8"), "sh")[0]
    readme_test = first_block.splitlines()[1].rsplit("&& ", 1)[1]
    ci_lines = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert readme_test.startswith("python -m pytest ") and ci_lines[-1] == readme_test
