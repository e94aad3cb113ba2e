"""A crawl's workers are children of its multiprocessing fork server, which outlives the crawl process by a
moment and is not waited for by it. A bench that makes itself their subreaper (Linux) reaps them, so
their CPU time and memory count in RUSAGE_CHILDREN and no zombie is left."""

from __future__ import annotations

import ctypes
import os
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def adopt_descendants() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_descendants(timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)
