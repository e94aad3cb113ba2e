"""The crawl's worker processes, which extract, dedup and store batches of pages (pipelines/ingest.py).

Workers are forked from a multiprocessing fork server that has imported the ingest code once: a worker
starts in milliseconds instead of importing trafilatura, SQLAlchemy and the rest again (about a second and
a half each), and it does not inherit the crawl process's reactor, threads or connections, as a plain fork
would. This module itself stays light, so that the crawl process does not import what only workers need."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from multiprocessing.connection import Connection

from core.items import PageItem
from pipelines.messages import Outcome, Policy

PRELOAD = ["pipelines.ingest", "pipelines.workers"]
log = logging.getLogger(__name__)


def _has_fork_server() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows: workers are spawned


def start_fork_server() -> None:
    """Start the fork server (a no-op when it runs). Called when a crawl first lets an article request
    through (crawler/middlewares.py), so that its imports overlap the page's download, and not before: a
    crawl that finds nothing new to fetch never pays for it (a second of CPU)."""
    if _has_fork_server():
        forkserver.set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()


class Workers:
    """Up to `count` worker processes, forked from the fork server as batches arrive.

    A worker that dies (killed, out of memory, a crash in a C extension) breaks the whole pool: the
    batches in flight fail, and the next batch gets a new pool, up to MAX_RESTARTS times per crawl;
    after that every batch fails at once, so the crawl ends instead of waiting for workers that are gone."""

    MAX_RESTARTS = 3

    def __init__(self, count: int):
        self._context = multiprocessing.get_context("forkserver" if _has_fork_server() else "spawn")
        self._count = count
        # Nothing is ever sent on the lifeline: the workers see it close when the crawl process is gone.
        self._worker_end, self._lifeline = self._context.Pipe(duplex=False)
        self._pool = self._new_pool()
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self._count, mp_context=self._context, initializer=_exit_with_crawl,
                                   initargs=(self._worker_end,))

    def submit(self, pages: Sequence[PageItem], policy: Policy) -> Future[list[Outcome]]:
        """Raises BrokenProcessPool when the workers died once too often."""
        start_fork_server()  # started already, unless the pages did not come through a listing
        try:
            return self._pool.submit(ingest, pages, policy)
        except BrokenProcessPool:
            if self.restarts >= self.MAX_RESTARTS:
                raise
        self.restarts += 1
        log.error("a worker process died; starting new workers (%d of at most %d restarts)",
                  self.restarts, self.MAX_RESTARTS)
        self._pool.shutdown(wait=True)
        self._pool = self._new_pool()
        return self._pool.submit(ingest, pages, policy)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._lifeline.close()


def ingest(pages: Sequence[PageItem], policy: Policy) -> list[Outcome]:
    """Runs in a worker: the batch through extraction, dedup and storage."""
    from pipelines.ingest import ingest as run  # imported already by the fork server

    return run(pages, policy)


def _exit_with_crawl(lifeline: Connection) -> None:
    """Worker start-up: a crawl process that is killed outright (SIGKILL) cannot shut its pool down, and
    its workers would wait for work forever. Each worker leaves when the crawl process's end of the
    lifeline closes (an open transaction is rolled back by the database); the fork server leaves once
    the crawl process and the workers are gone."""

    def watch() -> None:
        with contextlib.suppress(EOFError):
            lifeline.recv()
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-crawl", daemon=True).start()
