"""`newsarchive serve` started as a user starts it (the real CLI, in a subprocess) on a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.crawl_helpers import REPO_ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db_url: str, timeout: float = 60) -> Iterator[str]:
    """The server's base URL while it runs; stopped (SIGTERM, then SIGKILL) afterwards."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "newsarchive", "serve", "--db", db_url, "--port", str(port)],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                said = process.stderr.read() if process.stderr is not None else ""
                raise AssertionError(f"newsarchive serve exited {process.returncode}: {said}")
            try:
                with urllib.request.urlopen(f"{base}/api/runs?limit=1", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise AssertionError(f"newsarchive serve did not answer on {base} within {timeout}s") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
