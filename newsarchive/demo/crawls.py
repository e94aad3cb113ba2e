"""Crawl the demo's local sites into an archive: one `newsarchive crawl` process per spider, all at
once, each told to send its requests to the local servers (--mirror) over every day they publish."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date

from newsarchive.config import CONFIG_ENV, DATABASE_ENV, MIRROR_ENV

FAST = ("--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "NEWSARCHIVE_EXTRACT_WORKERS=0",
        "--no-progress")
"""Local servers need no politeness, and a few dozen pages no worker processes (extraction in the crawl)."""


@dataclass(frozen=True)
class CrawlResult:
    spider: str
    exit_code: int
    summary: str
    """The crawl's summary line (or, when it failed to start, its last line on stderr)."""
    stderr: str


def mirror_args(mirrors: Mapping[str, str], hosts: Sequence[str] | None = None) -> list[str]:
    """`--mirror HOST=BASE` for `hosts` (default: every mirrored host)."""
    return [arg for host in (hosts or list(mirrors)) for arg in ("--mirror", f"{host}={mirrors[host]}")]


def crawl_all(db_url: str, mirrors: Mapping[str, str], spiders: Sequence[str], since: date,
              until: date) -> list[CrawlResult]:
    """Run the crawls side by side and wait for all of them; results in `spiders` order."""
    env = {k: v for k, v in os.environ.items() if k not in (DATABASE_ENV, MIRROR_ENV, CONFIG_ENV)}
    results = []
    with ExitStack() as logs:
        running = []
        for spider in spiders:
            argv = [sys.executable, "-m", "newsarchive", "crawl", spider, "--db", db_url,
                    "--since", since.isoformat(), "--until", until.isoformat(), *mirror_args(mirrors), *FAST]
            # a file, not a pipe: a pipe could fill while we wait on another crawl
            log = logs.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8"))
            running.append((spider, subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                     stderr=log, env=env), log))
        try:
            for spider, proc, log in running:
                code = proc.wait()
                log.seek(0)
                text = log.read()
                lines = [line for line in text.splitlines() if line.strip()]
                summary = next((line for line in reversed(lines) if line.startswith("run ")),
                               lines[-1] if lines else "")
                results.append(CrawlResult(spider, code, summary, text))
        finally:
            for _, proc, _ in running:
                if proc.poll() is None:  # interrupted: the crawls got the same Ctrl-C; give them a moment
                    try:
                        proc.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        proc.kill()
    return results
