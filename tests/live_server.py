"""Real servers for the web tests: the app under uvicorn on 127.0.0.1, in a thread or as a process.

Nothing here is a stand-in: requests cross a real socket, briefings land in a
real SQLite file in a temp folder, and ``ServerProcess`` is the ``storybrief
serve`` command itself, which a test may kill with SIGKILL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from storybrief.config import Options

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ARTICLES = sorted((ROOT / "examples" / "harbour-fire" / "articles").glob("*.txt"))
ARTIFACTS = ROOT / "artifacts"

# These tests check the web layer, not summary quality (tests/test_briefing.py and the evaluation do
# that), so they pin the fastest fully deterministic method instead of tracking the default's tuning.
WEB_METHOD = "lead"


def web_options(folder: Path) -> Options:
    return Options(cache_path=folder / "analysis.sqlite", method=WEB_METHOD)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, *, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode} before answering")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"server at {url} did not answer within {timeout:.0f} s")


class ThreadServer:
    """An ASGI app under a real uvicorn server on 127.0.0.1, in a background thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


class ServerProcess:
    """``storybrief serve`` as a child process on a free loopback port, with its log in ``folder``."""

    def __init__(self, folder: Path, db: Path) -> None:
        self.folder, self.db = folder, db
        self.config = folder / "serve.toml"
        self.config.write_text(
            f'method = "{WEB_METHOD}"\ncache_path = "{(folder / "analysis.sqlite").as_posix()}"\n',
            encoding="utf-8",
        )
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.starts = 0

    def start(self) -> ServerProcess:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.starts += 1
        log = open(self.folder / f"serve-{self.starts}.log", "wb")  # noqa: SIM115 - handed to the child, closed below
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "storybrief.cli",
                "serve",
                "--port",
                str(port),
                "--db",
                str(self.db),
                "--config",
                str(self.config),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )
        log.close()
        wait_until_up(self.url, process=self.process)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait for the start-up warm-up (NLP model load) to finish, so memory readings are steady."""
        deadline = time.monotonic() + timeout
        while httpx.get(f"{self.url}/api/health", timeout=5).json()["nlp"] != "ready":
            if time.monotonic() > deadline:
                pytest.fail("the NLP model did not load")
            time.sleep(0.1)

    def rss_kib(self) -> int:
        """The server's resident memory, from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS line")

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops it."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("serve-*.log")))


def example_multipart() -> list[tuple[str, tuple[str, bytes, str]]]:
    """The bundled example story as multipart ``files`` fields."""
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in EXAMPLE_ARTICLES]
