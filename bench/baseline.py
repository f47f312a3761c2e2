"""An earlier build of Replot to measure beside this one, in the same run.

`module_at(ref, name)` loads one module as it was at a git ref into this process (the chart
renderer, whose timing is then interleaved with today's); `tree_at(ref, into)` writes the whole
repository as it was, to run that build's bot as a second process.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import tarfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REF = "4d2dfc2"
"""The build before the faster renderer and photo path (issue 17)."""


def _git(*args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
    return done.stdout


# Where the modules an earlier build's renderer imports live since bot/ was grouped by concern
# (2026-12): its imports are pointed at today's modules when it is loaded.
MOVED = {
    "from bot import timings": "from bot.conversation import timings",
    "from bot.chart_spec import": "from bot.charts.spec import",
    "from bot.render_cache import": "from bot.charts.cache import",
    "from bot.table import": "from bot.tables.table import",
    "from bot.wording import": "from bot.words.wording import",
}


def has_module(ref: str, name: str) -> bool:
    """Whether module `name` existed at `ref`."""
    path = name.replace(".", "/") + ".py"
    done = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{ref}:{path}"],
                          capture_output=True, check=False)
    return done.returncode == 0


def module_at(ref: str, name: str) -> ModuleType:
    """Module `name` (e.g. "bot.chart") as it was at `ref`, under the name "baseline_<ref>_…".

    It imports today's versions of the modules it uses (see MOVED).
    """
    path = name.replace(".", "/") + ".py"
    source = _git("show", f"{ref}:{path}").decode()
    for old, new in MOVED.items():
        source = source.replace(old, new)
    alias = f"baseline_{ref}_{name.replace('.', '_')}"
    spec = importlib.util.spec_from_loader(alias, loader=None, origin=f"{ref}:{path}")
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module  # dataclasses look their module up while it executes
    exec(compile(source, f"{ref}:{path}", "exec"), module.__dict__)
    return module


def tree_at(ref: str, into: Path) -> Path:
    """The repository's tracked files at `ref`, written under `into`; returns `into`."""
    archive = _git("archive", "--format=tar", ref)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into
