"""A distributed run's workers on the runs page and /api/runs (both backends), as `newsarchive runs ID`
shows them in the terminal: host, pid, start, heartbeat, status and counters of each."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from storage import repository as repo
from storage.db import transaction
from storage.runparts import open_part, record_part
from tests.web_archive import WebArchive


def distributed_run(db_url: str) -> int:
    """A run of two workers on two machines: one finished, one still running."""
    with transaction(db_url) as session:
        run = repo.create_run(session, "korea_kr").id
        first = open_part(session, run, 4101, host="crawler-a")
        second = open_part(session, run, 4102, host="crawler-b")
        record_part(session, first, counts={"listed": 10, "fetched": 8, "stored": 7, "failed": 1},
                    reasons={"http 404": 1}, status="finished", finished=True)
        record_part(session, second, counts={"listed": 5, "fetched": 2, "stored": 2})
    return run


def test_api_runs_lists_the_workers_of_a_distributed_run(client: TestClient, web_archive: WebArchive) -> None:
    run = distributed_run(web_archive.url)
    runs = {r["id"]: r for r in client.get("/api/runs").json()["runs"]}
    parts = runs[run]["parts"]
    assert [(p["host"], p["pid"], p["status"]) for p in parts] == [("crawler-a", 4101, "finished"),
                                                                   ("crawler-b", 4102, "running")]
    assert [p["stored"] for p in parts] == [7, 2] and runs[run]["stored"] == 9  # the run is their sum
    assert parts[0]["reasons"] == {"http 404": 1} and parts[0]["finished_at"].endswith("+09:00")
    assert parts[1]["heartbeat_at"].endswith("+09:00") and parts[1]["finished_at"] is None
    assert all(r["parts"] == [] for r in runs.values() if r["id"] != run)  # runs of one process


def test_runs_page_shows_the_workers_under_their_run(client: TestClient, web_archive: WebArchive) -> None:
    run = distributed_run(web_archive.url)
    page = client.get("/runs")
    assert page.status_code == 200
    table = html.unescape(page.text.split(f'<table class="parts" id="parts-{run}">')[1].split("</table>")[0])
    assert "crawler-a pid 4101" in table and "crawler-b pid 4102" in table
    assert "<td>finished</td>" in table and "<td>running</td>" in table and "http 404: 1" in table
    assert table.count(" KST</td>") == 4  # each worker's start and heartbeat
    assert page.text.count('<table class="parts"') == 1
