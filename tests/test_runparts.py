"""Run parts: a distributed run's counters are the sum of its workers' parts, on both databases."""

from __future__ import annotations

from storage import repository
from storage.db import transaction
from storage.runparts import end_parts, open_part, part_counts, parts_of, record_part


def test_the_run_counts_are_the_sum_of_its_parts_never_one_parts_own(db_url: str) -> None:
    with transaction(db_url) as session:
        run_id = repository.create_run(session, "etoday").id
        first = open_part(session, run_id, pid=101, host="crawl-a")
        second = open_part(session, run_id, pid=202, host="crawl-b")
        third = open_part(session, run_id, pid=303, host="crawl-b")
    with transaction(db_url) as session:
        record_part(session, first, counts={"listed": 10, "fetched": 4, "stored": 3}, reasons={"archived": 2})
    with transaction(db_url) as session:
        record_part(session, second, counts={"fetched": 5, "stored": 4, "failed": 1},
                    reasons={"archived": 1, "http_500": 1}, status="failed", reason="database error")
    with transaction(db_url) as session:  # a later flush of the first part replaces only its own counts
        record_part(session, first, counts={"listed": 10, "fetched": 6, "stored": 5}, reasons={"archived": 2},
                    status="finished", finished=True)
    with transaction(db_url) as session:
        assert end_parts(session, run_id, "lost", "no sign of life") == [third]
    with transaction(db_url) as session:
        run = repository.get_run(session, run_id)
        assert run is not None
        assert (run.listed, run.fetched, run.stored, run.failed) == (10, 11, 9, 1)
        assert run.reasons == {"archived": 3, "http_500": 1}
        assert [(p.host, p.pid, p.status) for p in parts_of(session, run_id)] == [
            ("crawl-a", 101, "finished"), ("crawl-b", 202, "failed"), ("crawl-b", 303, "lost")]
        assert run.heartbeat_at is not None and run.heartbeat_at >= run.started_at
        assert part_counts(session, [run_id, run_id + 1]) == {run_id: 3}
