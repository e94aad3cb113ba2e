"""Running the real `newsarchive` CLI, as a user would, and finding the processes it starts."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from datetime import date, datetime

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from core import urls
from core.timewindow import KST
from sites import registry
from tests import forked_cli

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--no-progress"]


def kst_today() -> date:
    return datetime.now(KST).date()


def newsarchive(*args: str, env: dict[str, str] | None = None, timeout: float = 180, check: bool = False,
                cwd: str = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m newsarchive ARGS` with this environment (and `env`; the USER_SETTINGS only if `env` has
    them) in `cwd`: in this process for the IN_PROCESS commands, else forked from tests/zygote.py, else (a
    different directory or interpreter settings) a new interpreter; NEWSARCHIVE_TEST_SUBPROCESS=1 runs
    every command in a new interpreter."""
    full_env = command_env(env)
    own_process = bool(os.environ.get("NEWSARCHIVE_TEST_SUBPROCESS")) or cwd != REPO_ROOT
    in_this_process = bool(args) and args[0] in IN_PROCESS and "PYTHONPATH" not in (env or {})  # imports differ
    if in_this_process and not own_process:
        result = in_process(list(args), full_env)
    elif not own_process and forked_cli.usable(full_env):
        result = forked_cli.run(list(args), full_env, timeout)
    else:
        result = subprocess.run([sys.executable, "-m", "newsarchive", *args], capture_output=True, text=True,
                                env=full_env, timeout=timeout, cwd=cwd)
    if check and result.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


USER_SETTINGS = ("NEWSARCHIVE_MIRROR", "NEWSARCHIVE_SITES_DIR")
"""Settings a developer may have in their environment that change what a command reads (other hosts,
other site files): newsarchive() leaves them out unless a test gives them."""

def command_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a command a test runs: this one's without the USER_SETTINGS, the repository on
    PYTHONPATH, and `env`."""
    full_env = {key: value for key, value in os.environ.items() if key not in USER_SETTINGS}
    return {**full_env, "PYTHONPATH": REPO_ROOT, **(env or {})}


IN_PROCESS = {"search", "show", "runs", "export", "health", "reextract", "spiders", "extract"}
"""Commands that neither crawl, serve nor schedule (they start no reactor, process or thread that outlives
them): newsarchive() runs them in the test's own process, through the console script's own entry point
(newsarchive.cli.main), because a new process spends half a second of CPU importing what this one has
imported already, and the suite runs a hundred and fifty of them. Commands that crawl, serve or schedule
run in a process of their own, forked from tests/zygote.py (which has imported what a crawl imports), as
does a command given its own PYTHONPATH."""


def in_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`newsarchive ARGS` as a process would run it: that environment, argv and working directory, stdout and
    stderr captured as bytes and decoded as `text=True` does, the exit status from SystemExit, an escaping
    exception printed as a traceback with status 1. The engines it connected are disposed of afterwards,
    as a process's exit would close its connections (SQLite then removes its -wal and -shm files)."""
    from newsarchive.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    saved_env, saved_argv, saved_cwd = dict(os.environ), sys.argv, os.getcwd()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    engines: set[Engine] = set()

    def connected(connection: Connection) -> None:
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", connected)
    status = 0
    forget_site_files()  # a new process reads them anew, from its own environment and directory
    try:
        os.environ.clear()
        os.environ.update(env)
        sys.argv = ["newsarchive", *args]
        os.chdir(REPO_ROOT)
        stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
        stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
        with redirect_stdout(stdout), redirect_stderr(stderr), warnings.catch_warnings():
            # a new process's warning filters: pytest's own would record what a user sees on stderr
            warnings.resetwarnings()
            warnings.filterwarnings("default", category=DeprecationWarning, module="__main__", append=True)
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                warnings.filterwarnings("ignore", category=category, append=True)
            try:
                main()
            except SystemExit as exc:
                if isinstance(exc.code, int) or exc.code is None:
                    status = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    status = 1
            except Exception:  # noqa: BLE001 - what the interpreter does with an exception that escapes
                traceback.print_exc()
                status = 1
    finally:
        event.remove(Engine, "engine_connect", connected)
        for engine in engines:
            engine.dispose()
        os.environ.clear()
        os.environ.update(saved_env)
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        forget_site_files()
    return subprocess.CompletedProcess(["newsarchive", *args], status, _as_text(out), _as_text(err))


def forget_site_files() -> None:
    """Drop what this process read of the site files: the registry, and the canonical-URL rules and the
    spider classes (made when their module is imported) made of it."""
    registry.reload()
    urls._site_rules.cache_clear()
    sys.modules.pop("crawler.spiders.registered", None)


def _as_text(captured: io.BytesIO) -> str:
    return captured.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> list[int]:
    return [found for child in children(pid) for found in (child, *descendants(child))]


def worker_processes(pid: int) -> set[int]:
    """The crawl workers of process `pid`: they are the children of its fork server, not its own."""
    return set(descendants(pid)) - set(children(pid))


def kill_workers(pid: int) -> set[int]:
    """SIGKILL the crawl workers of process `pid`, as the kernel's out-of-memory killer would; their pids."""
    workers = worker_processes(pid)
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    return workers


@contextmanager
def ctrl_c_reaches_children() -> Iterator[None]:
    """Processes started in here get SIGINT's default action (Python's KeyboardInterrupt), as under a terminal,
    even when this one was started with SIGINT ignored (a non-interactive shell starts its background jobs
    so, and an ignored signal stays ignored across exec; one with a handler is reset to the default)."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
