"""Live crawl progress on stderr (rich), fed from the crawl's own counters, and the closing summary."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import click
from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from crawler import runstats


class CrawlProgress:
    def __init__(self, spider: str, enabled: bool):
        self.spider = spider
        self.enabled = enabled
        self.console = Console(stderr=True)
        self._live: Live | None = None
        self._crawler: Crawler | None = None
        self._loop: task.LoopingCall | None = None

    def __enter__(self) -> CrawlProgress:
        if self.enabled:
            self._live = Live(self._render({}), console=self.console, refresh_per_second=4, transient=True)
            self._live.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.__exit__(exc_type, exc, tb)
            self._live = None

    def attach(self, crawler: Crawler) -> None:
        self._crawler = crawler
        if self.enabled:
            crawler.signals.connect(self._start, signal=signals.engine_started)
            crawler.signals.connect(self._stop, signal=signals.engine_stopped)

    def _start(self) -> None:
        self._loop = task.LoopingCall(self._refresh)
        self._loop.start(0.25)

    def _stop(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()

    def _refresh(self) -> None:
        if self._live is not None and self._crawler is not None and self._crawler.stats is not None:
            counts, _ = runstats.snapshot(self._crawler.stats)
            self._live.update(self._render(counts))

    def _render(self, counts: dict[str, int]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_row(f"[bold]{self.spider}[/]", *(f"{name} [cyan]{counts.get(name, 0)}[/]"
                                                   for name in runstats.COUNTERS))
        return table

    def summary(self, run: dict[str, Any]) -> None:
        counts = ", ".join(f"{name} {run[name]}" for name in runstats.COUNTERS)
        line = f"run {run['id']} {run['spider']}: {run['status']} in {run['duration_s']}s — {counts}"
        if run["reason"]:
            line += f" — {run['reason']}"
        click.echo(line, err=True)
        reasons = run.get("reasons") or {}
        if reasons:
            click.echo("  reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())), err=True)
