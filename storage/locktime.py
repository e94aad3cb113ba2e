"""How long the archive's writer lock (storage.db.write_transaction) is waited for and held.

Every write transaction of this process is kept here (the last MAX_KEPT): the wait for the lock, the time
from taking it to the end of the commit (when the lock is released), and how many items (pages) its caller
said it stored. With $NEWSARCHIVE_LOCK_LOG set to a file, every process also appends one line per
transaction to it, so that a benchmark can read the figures of workers it cannot reach (read_log).

The lock serialises every writer of an archive, however many machines crawl into it: its hold time per
article bounds the articles per second of the whole archive (bench/ingest.py)."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LOG_ENV = "NEWSARCHIVE_LOCK_LOG"
MAX_KEPT = 100_000


@dataclass(frozen=True)
class Hold:
    """One write transaction: seconds waiting for the writer lock, seconds holding it, items stored."""

    waited: float
    held: float
    items: int

    @property
    def per_item(self) -> float:
        return self.held / max(self.items, 1)


@dataclass(frozen=True)
class Summary:
    """Hold time per item in milliseconds over some transactions (each transaction's hold divided by its
    items, so a batch of 64 counts as 64 items of equal share)."""

    transactions: int
    items: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    waited_s: float
    held_s: float

    def __str__(self) -> str:
        return (f"writer lock per article p50 {self.p50_ms:.2f} ms, p95 {self.p95_ms:.2f} ms "
                f"({self.transactions} transactions, {self.items} articles)")


_kept: deque[Hold] = deque(maxlen=MAX_KEPT)


def record(waited: float, held: float, items: int) -> None:
    hold = Hold(waited, held, items)
    _kept.append(hold)
    path = os.environ.get(LOG_ENV)
    if path:
        # one short write to a file opened for appending: lines from several processes do not interleave
        with open(path, "a", encoding="ascii") as log:
            log.write(f"{waited:.6f} {held:.6f} {items}\n")


def holds() -> list[Hold]:
    """This process's write transactions, oldest first."""
    return list(_kept)


def clear() -> None:
    _kept.clear()


def read_log(path: str | Path) -> list[Hold]:
    """The transactions a $NEWSARCHIVE_LOCK_LOG file recorded, from every process that wrote to it."""
    out = []
    for line in Path(path).read_text(encoding="ascii").splitlines():
        waited, held, items = line.split()
        out.append(Hold(float(waited), float(held), int(items)))
    return out


def summarise(kept: Iterable[Hold] | None = None) -> Summary:
    """Per-item hold times of these transactions (default: this process's) in milliseconds."""
    chosen = [hold for hold in (holds() if kept is None else kept) if hold.items > 0]
    per_item = sorted(ms for hold in chosen for ms in [hold.per_item * 1000] * hold.items)
    if not per_item:
        return Summary(0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    n = len(per_item)  # sorted: the median without importing statistics, a tenth of every command's start
    return Summary(len(chosen), n, (per_item[(n - 1) // 2] + per_item[n // 2]) / 2,
                   per_item[int(0.95 * (n - 1))], sum(per_item) / n,
                   sum(hold.waited for hold in chosen), sum(hold.held for hold in chosen))
