"""The end of a distributed crawl: closing its run once its last worker has left."""

from __future__ import annotations

from typing import Any

from crawler.cluster.keys import CrawlKeys, crawls_key
from crawler.cluster.listings import SharedListingStatus
from crawler.listing_status import listing_verdict
from storage import repository
from storage.db import transaction
from storage.runparts import end_parts, parts_of, record_part

LOST_REASON = "no sign of life from its worker (killed, or its machine stopped)"
ABANDONED = "the crawl cannot go on without it; the next crawl fetches what this one did not store"


def redis_ms(server: Any) -> int:
    """Now on the Redis server's clock: one clock for every machine of the cluster."""
    seconds, micros = server.time()
    return int(seconds) * 1000 + int(micros) // 1000


def live_workers(server: Any, keys: CrawlKeys) -> list[str]:
    now = redis_ms(server)
    return [worker.decode() for worker, until in server.hgetall(keys.workers).items() if int(until) > now]


def finish_crawl(server: Any, keys: CrawlKeys, db_url: str) -> tuple[str, str]:
    """Record the run's outcome: the listings judged for the crawl as a whole; a worker that failed fails
    the run; workers that vanished are named (their pages in flight were neither stored nor recorded, so
    the next crawl fetches them). The crawl's keys are removed from Redis."""
    status, why = listing_verdict(SharedListingStatus(server, keys).snapshot())
    notes = [why] if why else []
    with transaction(db_url) as session:
        lost = end_parts(session, keys.run_id, "lost", LOST_REASON)
        parts = parts_of(session, keys.run_id)
        failed = [part for part in parts if part.status == "failed"]
        if status == "finished" and failed:
            status = "failed"
            notes += [f"worker {part.host} pid {part.pid}: {part.reason}" for part in failed]
        elif status == "finished" and parts and all(part.status == "killed" for part in parts):
            status = "killed"
            notes.append("interrupted: every worker was stopped")
        if lost:
            notes.append(f"{len(lost)} of {len(parts)} workers lost; their pages in flight are fetched "
                         "again by the next crawl")
        repository.update_run(session, keys.run_id, status=status, reason="; ".join(notes), finished=True)
    remove_crawl(server, keys)
    return status, "; ".join(notes)


def remove_crawl(server: Any, keys: CrawlKeys) -> None:
    """Take the crawl out of Redis: first out of the open crawls (no worker joins it any more), then its keys."""
    server.zrem(crawls_key(keys.prefix), str(keys.run_id))
    server.delete(*keys.transient())


def abandon_crawl(keys: CrawlKeys, part_id: int, cause: str, db_url: str) -> None:
    """The crawl's Redis failed (`cause`): its queue and the workers' presence are out of reach, so no
    worker can close the run as finish_crawl does. This worker's part ends failed, and so does the run,
    unless it has ended already."""
    with transaction(db_url) as session:
        record_part(session, part_id, status="failed", reason=cause, finished=True)
        run = repository.get_run(session, keys.run_id)
        if run is not None and run.finished_at is None:
            repository.update_run(session, keys.run_id, status="failed", reason=f"{cause}; {ABANDONED}",
                                  finished=True)
