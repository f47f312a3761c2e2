"""A throwaway redis-server on loopback for the whole test session, stoppable and restartable.

Fixtures:
- `redis_server`: a `RedisServer` (`.url`, `.port`, `.stop()`, `.start()`, `.running`).
- `redis_url`: the server's URL with its database flushed (and the server running) first.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class RedisServer:
    """One redis-server process on a fixed loopback port; `stop()`/`start()` keep the port."""

    def __init__(self, executable: str, port: int, workdir: Path) -> None:
        self.executable = executable
        self.port = port
        self.workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the server (no persistence) and wait until it answers PING."""
        if self.running:
            return
        log = (self.workdir / "redis.log").open("ab")
        command = [
            self.executable,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.workdir),
        ]  # fmt: skip
        with log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_ready()

    def stop(self) -> None:
        """Stop the server; connections to it break and new ones are refused."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def command(self, *parts: str) -> bytes:
        """Send one command over a raw socket and return the first reply line."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            request = f"*{len(parts)}\r\n" + "".join(f"${len(p)}\r\n{p}\r\n" for p in parts)
            sock.sendall(request.encode())
            return sock.recv(4096).split(b"\r\n", 1)[0]

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.running:
                break
            try:
                if self.command("PING") == b"+PONG":
                    return
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}: {self._log_tail()}")

    def _log_tail(self) -> str:
        log = self.workdir / "redis.log"
        return log.read_text(errors="replace")[-500:] if log.exists() else "(no log)"


def free_port() -> int:
    """A loopback TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_executable() -> str:
    """The redis-server path; skips the test without one, but fails it under CI=true."""
    executable = shutil.which("redis-server")
    if executable is None:
        message = "redis-server is not installed (needed for the Redis store tests)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return executable


def _start_on_free_port(executable: str, workdir: Path, tries: int = 3) -> RedisServer:
    """Start a server, trying again elsewhere if another process grabbed the port first."""
    error = ""
    for _ in range(tries):
        server = RedisServer(executable, free_port(), workdir)
        try:
            server.start()
        except RuntimeError as exc:
            error = str(exc)
            continue
        return server
    pytest.fail(f"could not start redis-server: {error}")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server for the test session, stopped at the end."""
    executable = _redis_executable()
    workdir = tmp_path_factory.mktemp("redis")
    server = _start_on_free_port(executable, workdir)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of a running, empty Redis database."""
    redis_server.start()
    reply = redis_server.command("FLUSHALL")
    assert reply == b"+OK", reply
    return redis_server.url
