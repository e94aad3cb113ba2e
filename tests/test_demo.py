"""`newsarchive demo` through the real CLI, from a directory outside the repository: it serves the four
bundled sites, crawls them into demo.db and prints next steps that work; `--serve-only` serves until
Ctrl-C and moves off a port that is taken."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsarchive.demo.sites import HOSTS
from storage.db import transaction
from storage.models import Article, CrawlRun
from tests.crawl_helpers import ctrl_c_reaches_children

pytestmark = pytest.mark.xdist_group("demo")


def user_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("NEWSARCHIVE_")}, **extra}


def test_demo_crawls_the_four_sites_and_its_next_steps_work(
        demo_archive: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    url, result = demo_archive
    out = result.stdout
    served = re.findall(r"^  (\S+)\s+http://127\.0\.0\.1:(\d+)$", out, re.M)
    assert [host for host, _ in served] == [host for hosts in HOSTS.values() for host in hosts]
    assert len({port for _, port in served}) == 5
    for spider in HOSTS:
        assert re.search(rf"^  run \d+ {spider}: finished in .*stored [1-9]", out, re.M), out
    with transaction(url) as session:
        sources = dict(session.execute(select(Article.source, func.count()).group_by(Article.source)).all())
        runs = session.scalars(select(CrawlRun)).all()
    assert set(sources) == set(HOSTS) and all(n > 0 for n in sources.values())
    assert f"The demo archive holds {sum(sources.values())} articles" in out
    assert sorted(run.status for run in runs) == ["finished"] * 4
    printed_url = re.search(r"^  export NEWSARCHIVE_DATABASE_URL=(\S+)$", out, re.M)
    assert printed_url and Path(printed_url.group(1).removeprefix("sqlite:///")) == Path(url.removeprefix("sqlite:///"))
    steps = re.findall(r"^  (newsarchive (?:search|show|export|runs) .*)$", out, re.M)
    assert len(steps) >= 5, out
    for step in steps:  # as the user would paste them, from another directory
        argv = shlex.split(step)
        env = user_env(NEWSARCHIVE_DATABASE_URL=printed_url.group(1))
        done = subprocess.run([sys.executable, "-m", *argv], env=env, cwd="/", capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0 and done.stdout.strip(), f"{step}: {done.stderr}"


def test_serve_only_moves_off_a_taken_port_serves_a_crawl_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with ctrl_c_reaches_children():
            proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "demo", "--serve-only", "--port", str(port)],
                                    cwd=tmp_path, env=user_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
        try:
            assert proc.stdout is not None
            lines: list[str] = []
            while not lines or not lines[-1].startswith("Press Ctrl-C"):
                line = proc.stdout.readline()
                assert line, f"demo exited early: {lines} {proc.stderr.read() if proc.stderr else ''}"
                lines.append(line.rstrip("\n"))
            out = "\n".join(lines)
            moved = re.search(rf"\(port {port} is taken: www\.etoday\.co\.kr is served on (\d+) instead\)", out)
            assert moved and int(moved.group(1)) != port, out
            crawl = next(line.strip() for line in lines if line.strip().startswith("newsarchive crawl msit "))
            db = f"sqlite:///{tmp_path / 'mine.db'}"
            done = subprocess.run([sys.executable, "-m", *shlex.split(crawl), "--db", db, "--no-progress"],
                                  env=user_env(), cwd=tmp_path, capture_output=True, text=True, timeout=180)
            assert done.returncode == 0, done.stderr
            with transaction(db) as session:
                assert session.scalar(select(func.count()).select_from(Article)) == 4
        finally:
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr
    assert stdout.strip().endswith("stopped") and "Traceback" not in stderr
