"""The shell completion README.md documents: the installed `newsarchive` script answers click's protocol."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawl_helpers import REPO_ROOT


def completion(**env: str) -> str:
    script = Path(sys.executable).with_name("newsarchive")
    if not script.exists():
        found = shutil.which("newsarchive")
        if found is None:
            pytest.skip("the newsarchive script is not installed (pip install -e .)")
        script = Path(found)
    result = subprocess.run([str(script)], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT,
                            env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_documented_completion_scripts_are_produced(shell: str) -> None:
    assert "_newsarchive_completion" in completion(_NEWSARCHIVE_COMPLETE=f"{shell}_source")
    readme = (Path(REPO_ROOT) / "README.md").read_text(encoding="utf-8")
    assert f"_NEWSARCHIVE_COMPLETE={shell}_source newsarchive" in readme


def test_commands_and_options_complete() -> None:
    assert completion(_NEWSARCHIVE_COMPLETE="bash_complete", COMP_WORDS="newsarchive sea",
                      COMP_CWORD="1").split() == ["plain,search"]
    assert "plain,--ministry" in completion(_NEWSARCHIVE_COMPLETE="bash_complete",
                                            COMP_WORDS="newsarchive search --mini", COMP_CWORD="2").split()
