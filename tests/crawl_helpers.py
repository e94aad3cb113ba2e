"""Running the real `newsarchive` CLI in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

from newsarchive.timewindow import KST

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--no-progress"]


def kst_today() -> date:
    return datetime.now(KST).date()


def newsarchive(*args: str, env: dict[str, str] | None = None, timeout: float = 180,
                check: bool = False) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": REPO_ROOT, **(env or {})}
    full_env.pop("NEWSARCHIVE_MIRROR", None) if env is None or "NEWSARCHIVE_MIRROR" not in env else None
    result = subprocess.run([sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True,
                            env=full_env, timeout=timeout, cwd=REPO_ROOT)
    if check and result.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result
