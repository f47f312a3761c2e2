"""Where one update's time goes: phases timed in the core, reported on the update's log line.

The ordering layer opens `collecting()` around each update; code anywhere below it wraps a
phase in `phase(name)` (or adds a measured span with `add`). Tasks spawned while handling
the update share its dict, so a phase is counted wherever it runs. Outside an update, the
calls do nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[dict[str, float] | None] = ContextVar("timings", default=None)


@contextmanager
def collecting() -> Iterator[dict[str, float]]:
    """Collect phase durations (ms) for the code run inside, into the dict yielded."""
    phases: dict[str, float] = {}
    token = _current.set(phases)
    try:
        yield phases
    finally:
        _current.reset(token)


def add(name: str, ms: float) -> None:
    phases = _current.get()
    if phases is not None:
        phases[name] = phases.get(name, 0.0) + ms


@contextmanager
def phase(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        add(name, (time.perf_counter() - started) * 1000)


def describe(phases: dict[str, float]) -> str:
    """` model_ms=812 render_ms=61` for the log line (each with a leading space)."""
    return "".join(f" {name}_ms={round(ms)}" for name, ms in phases.items())
