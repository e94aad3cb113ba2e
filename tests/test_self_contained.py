"""The suite runs in a fresh clone: no test module or helper reads a path outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO_ROOT

# A path that climbs out of the repository (../shared, REPO_ROOT.parent, ...), or an absolute path on the
# machine the suite was written on.
ESCAPES = re.compile(r"""\.\./|["']shared["']|\bshared/corpus|ROOT\.parent\b|\.parents\[[2-9]\]|["']/work/""")
# Maintenance scripts that copy fixtures in from the shared corpus; pytest never runs them.
MAKERS = {"make_corpus_fixtures.py", "make_site_fixtures.py"}


def test_no_test_reads_outside_the_repository() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "tests").rglob("*.py")):
        if path.name in MAKERS or path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ESCAPES.search(line):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` installs and tests exactly as the README's second command does, after making its own venv."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    steps = block[1].split(" && ")
    assert steps[:2] == ["python3 -m venv .venv", ". .venv/bin/activate"], block[1]
    ci = [step.strip() for line in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.lstrip().startswith("#") for step in line.split(" && ")]
    remaining = iter(ci)
    missing = [step for step in steps[2:] if step not in remaining]  # in order, each once
    assert not missing, f".ci/run lacks these steps of the README's test command: {missing}"
