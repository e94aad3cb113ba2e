"""`newsarchive schedule` as shipped: with no configuration at all, and with the README's sample
newsarchive.toml copied from the README's text. Both schedule revisits beside the crawls. The crawls go to
the local sites through $NEWSARCHIVE_MIRROR, which the service passes on to every crawl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsarchive.demo.site import build_site
from newsarchive.demo.site.server import RunningSite, serve
from storage.db import transaction
from storage.repository import list_runs
from tests.crawl_helpers import REPO_ROOT, kst_today
from tests.readme import code_blocks, section

JOBS = {"etoday": "30 2 * * *", "korea_kr": "0 3 * * *",
        "etoday-revisit": "15 */6 * * *", "korea_kr-revisit": "45 */6 * * *"}


@pytest.fixture(scope="module")
def site() -> Iterator[RunningSite]:
    with serve(build_site(kst_today())) as running:
        yield running


def user_env(site: RunningSite) -> dict[str, str]:
    """A user's shell: no database or config in the environment, the local sites as mirrors."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}
    return {**env, "PYTHONPATH": REPO_ROOT, "NEWSARCHIVE_MIRROR": site.mirror_env()}


def cli(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsarchive", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def run_service_until_catch_up(cwd: Path, env: dict[str, str]) -> tuple[str, list[str]]:
    """Start the service in `cwd`, wait until both catch-up crawls have started, check `schedule --list`
    against it, then stop it (twice: end the crawls now). Returns its stderr and the runs' statuses."""
    db = f"sqlite:///{cwd / 'archive.db'}"
    service = subprocess.Popen([sys.executable, "-m", "newsarchive", "schedule"], cwd=cwd, env=env,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        started: set[str] = set()
        while started != {"etoday", "korea_kr"}:
            assert service.poll() is None, "the service stopped on its own"
            assert time.monotonic() < deadline, "the catch-up crawls never started"
            time.sleep(0.5)
            log = cwd / "newsarchive.log"
            if log.exists() and "service started" in log.read_text(encoding="utf-8"):
                with transaction(db) as session:
                    started = {run.spider for spider in JOBS for run in list_runs(session, spider)
                               if run.pid is not None}
        listed = cli(cwd, env, "schedule", "--list")
    finally:
        service.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        service.send_signal(signal.SIGTERM)
        _, stderr = service.communicate(timeout=60)
    assert service.returncode == 0, stderr
    assert "Traceback" not in stderr
    for job, cron in JOBS.items():
        assert f"{job}: scheduled {cron!r}" in stderr
        assert any(line.split()[:1] == [job] and cron in line for line in listed.stdout.splitlines()), listed
    assert "service started: 4 job(s)" in stderr and listed.returncode == 0, listed.stderr
    with transaction(db) as session:
        runs = [run for spider in JOBS for run in list_runs(session, spider)]
    assert sorted(run.spider for run in runs) == ["etoday", "korea_kr"]  # revisits wait for their cron
    return stderr, [run.status for run in runs]


def test_schedule_with_no_configuration(tmp_path: Path, site: RunningSite) -> None:
    env = user_env(site)
    stderr, statuses = run_service_until_catch_up(tmp_path, env)
    assert set(statuses) <= {"finished", "killed"}, statuses
    assert (tmp_path / "newsarchive.log").read_text(encoding="utf-8").count(": scheduled '") == 4
    health = cli(tmp_path, env, "health", "--json")
    spiders = cli(tmp_path, env, "spiders")
    assert {entry["spider"] for entry in json.loads(health.stdout)} == set(JOBS), health.stdout
    assert spiders.returncode == 0, spiders.stderr
    for spider in ("etoday", "korea_kr"):
        assert f"revisit {JOBS[spider + '-revisit']}" in spiders.stdout, spiders.stdout


def test_schedule_with_the_readme_sample_config(tmp_path: Path, site: RunningSite) -> None:
    sample = code_blocks(section("Configuration (`newsarchive.toml`)"), "toml")
    assert len(sample) == 1
    (tmp_path / "newsarchive.toml").write_text(sample[0], encoding="utf-8")
    stderr, statuses = run_service_until_catch_up(tmp_path, user_env(site))
    assert set(statuses) <= {"finished", "killed"}, statuses
    assert "newsarchive.log" in sample[0] and (tmp_path / "newsarchive.log").exists()
