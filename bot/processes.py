"""Ending child processes started with asyncio.create_subprocess_exec cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable


def _kill(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


async def reap(
    proc: asyncio.subprocess.Process,
    kill: Callable[[asyncio.subprocess.Process], None] = _kill,
    grace_s: float = 2.0,
) -> None:
    """Kill `proc` if it still runs, wait for it, and read its pipes to EOF.

    A pipe left unread after a timeout or an early return keeps its file descriptor and its
    transport until garbage collection, which may come after the event loop has closed.
    """
    if proc.returncode is None:
        kill(proc)
    await proc.wait()
    streams = [s for s in (proc.stdout, proc.stderr) if s is not None]
    if proc.stdin is not None:
        proc.stdin.close()
    with contextlib.suppress(TimeoutError, OSError):
        async with asyncio.timeout(grace_s):
            for stream in streams:
                while await stream.read(1 << 16):
                    pass
