"""`newsarchive ARGS` in a process forked from tests/zygote.py instead of a new interpreter: the same
command, environment, directory and output, without importing Scrapy and the project anew each time."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def usable(env: dict[str, str]) -> bool:
    """Whether a child forked in REPO_ROOT starts as a new interpreter given `env` would: the variables
    Python reads at start-up (PYTHON*) are as the zygote had them."""
    started = _zygote.started_env if _zygote is not None else {**os.environ, "PYTHONPATH": REPO_ROOT}
    python_vars = {k for k in {*env, *started} if k.startswith("PYTHON")}
    return all(env.get(k) == started.get(k) for k in python_vars)


def run(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """As subprocess.run([python, -m, newsarchive, *args], capture_output=True, text=True, timeout=...)."""
    process = ForkedProcess(args, env)
    try:
        stdout, stderr = process.communicate(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise subprocess.TimeoutExpired(process.args, timeout, stdout, stderr) from None
    return subprocess.CompletedProcess(process.args, process.wait(), stdout, stderr)


class ForkedProcess:
    """What a test uses of subprocess.Popen([python, -m, newsarchive, *args], stdout=PIPE, stderr=PIPE,
    text=True), for a process whose output is read once it has ended."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.args = [sys.executable, "-m", "newsarchive", *args]
        self._directory = tempfile.TemporaryDirectory(prefix="forked-cli-")
        self._out = os.path.join(self._directory.name, "out")
        self._err = os.path.join(self._directory.name, "err")
        self._zygote = _running()
        self.pid = self._zygote.start({"args": args, "env": env, "cwd": REPO_ROOT, "stdout": self._out,
                                       "stderr": self._err})
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._zygote.status(self.pid, time.monotonic())
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            deadline = time.monotonic() + (timeout if timeout is not None else 86400)
            self.returncode = self._zygote.status(self.pid, deadline)
            if self.returncode is None:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        self.wait(timeout)
        return _text(self._out), _text(self._err)

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class _Zygote:
    def __init__(self) -> None:
        self.started_env = {**os.environ, "PYTHONPATH": REPO_ROOT}
        self.process = subprocess.Popen([sys.executable, "-m", "tests.zygote"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=self.started_env, cwd=REPO_ROOT)
        self._pending = bytearray()
        self._ended: dict[int, int] = {}

    def start(self, request: dict[str, object]) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + 60
        while True:
            reply = self._reply(deadline)
            if reply is None:
                raise RuntimeError("tests.zygote did not start the process within 60 s")
            if "status" not in reply:
                return reply["pid"]
            self._ended[reply["pid"]] = reply["status"]

    def status(self, pid: int, deadline: float) -> int | None:
        """The exit status of child `pid`, if it ends before `deadline`."""
        while pid not in self._ended:
            reply = self._reply(deadline)
            if reply is None:
                return None
            self._ended[reply["pid"]] = reply["status"]
        return self._ended[pid]

    def _reply(self, deadline: float) -> dict[str, int] | None:
        """The zygote's next line (None if none comes before `deadline`), read from its pipe without
        Python's buffering, so that select() sees every line that has not been read."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"tests.zygote ended (exit status {self.process.wait()})")
            self._pending.extend(chunk)
        line, _, rest = bytes(self._pending).partition(b"\n")
        self._pending[:] = rest
        reply: dict[str, int] = json.loads(line)
        return reply


_zygote: _Zygote | None = None


def _running() -> _Zygote:
    """This test process's zygote, started at its first use (it leaves when this process closes its stdin)."""
    global _zygote
    if _zygote is None or _zygote.process.poll() is not None:
        _zygote = _Zygote()
    return _zygote


def _text(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
