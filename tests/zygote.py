"""A process that has imported what a crawl imports, and forks a `python -m newsarchive ARGS` from itself
for each request: `python -m tests.zygote`, started once per test process by tests/forked_cli.py.

A crawl cannot run in the test's own process (Scrapy's reactor cannot be restarted), and a new interpreter
spends about 0.8 s of CPU importing Scrapy, Twisted, SQLAlchemy and the project before it fetches
anything; the suite runs about a hundred crawls. A child forked from here starts with those modules
imported and nothing else: no thread, no reactor, no connection, no event loop (checked at start). It
then runs the `newsarchive` module as `python -m newsarchive` does, with the request's environment,
directory and arguments, its stdin /dev/null and its stdout and stderr files, and ends as that
interpreter would: the exit status of SystemExit, an escaping exception's traceback, atexit handlers and
the threads' shutdown. Its own processes (the fork server and the extraction workers) are started by the
crawl's code as always.

Protocol, on this process's stdin and stdout: a JSON line {"args", "env", "cwd", "stdout", "stderr"} in,
a line {"pid"} out as soon as that child runs; {"pid", "status"} (the exit code, or minus the signal)
whenever a child has ended. Several children may run at once."""

from __future__ import annotations

import importlib
import json
import os
import runpy
import select
import sys
import threading
from collections.abc import Mapping
from typing import Any

from tests.crawl_helpers import forget_site_files

ENTRY_MODULES = ("newsarchive.cli", "newsarchive.commands.crawl", "newsarchive.commands.revisit",
                 "newsarchive.commands.worker", "crawler.process", "crawler.settings", "scrapy.crawler",
                 "scrapy.core.engine", "scrapy.core.scraper", "scrapy.core.downloader", "scrapy.http",
                 "scrapy.logformatter", "scrapy.utils.log", "storage.db", "storage.repository")


def preload() -> None:
    """Import the entry modules, every spider, and each component the project's Scrapy settings name
    (middlewares, extensions, handlers, scheduler, queues): what a crawl would import as it starts."""
    for name in ENTRY_MODULES:
        importlib.import_module(name)
    from crawler.process import project_settings, spider_names

    spider_names()  # the spider loader imports every spider module
    for _, value in project_settings().items():
        for path in _dotted_paths(value):
            module = path.rpartition(".")[0]
            try:
                importlib.import_module(module)
            except ImportError:
                continue  # optional components (e.g. a handler whose library is not installed)
    if "twisted.internet.reactor" in sys.modules or threading.active_count() != 1:
        raise SystemExit("tests.zygote: a preloaded module installed a reactor or started a thread")


def _dotted_paths(value: Any) -> list[str]:
    if isinstance(value, str):
        candidates = [value]
    elif isinstance(value, Mapping):
        candidates = [item for pair in value.items() for item in pair if isinstance(item, str)]
    else:
        return []
    return [c for c in candidates if "." in c and c.split(".")[0] in ("scrapy", "crawler", "twisted")
            and c.replace(".", "").replace("_", "").isalnum() and not c.startswith("twisted.internet.reactor")]


def serve() -> None:
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    running: dict[int, int] = {}  # a pidfd (readable once its child has ended) -> the child's pid
    while True:
        for ready in select.select([requests.fileno(), *running], [], [])[0]:
            if ready == requests.fileno():
                line = requests.readline()
                if not line:
                    return  # the test process has gone
                pid = os.fork()
                if pid == 0:
                    requests.close()
                    for fd in (replies, *running):
                        os.close(fd)
                    run(json.loads(line))  # never returns: the child leaves the interpreter
                running[os.pidfd_open(pid)] = pid
                reply = {"pid": pid}
            else:
                pid = running.pop(ready)
                os.close(ready)
                reply = {"pid": pid, "status": os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}
            os.write(replies, json.dumps(reply).encode() + b"\n")


def run(request: dict[str, Any]) -> None:
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    forget_site_files()  # read at preload, from the zygote's environment: the child reads its own
    sys.argv = ["-m", *request["args"]]
    runpy.run_module("newsarchive", run_name="__main__", alter_sys=True)
    raise SystemExit(0)


if __name__ == "__main__":
    preload()
    serve()
