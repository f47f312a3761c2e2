"""Code mode's sandbox: model-written matplotlib code runs in a throw-away, isolated process.

Only a PNG comes back. Every in-process filter has been broken before (PandasAI, LangChain's
PALChain and PythonREPL, LlamaIndex, Vanna and smolagents all had CVEs for escapes from
deny-lists, trimmed builtins and AST checks, usually through
`().__class__.__mro__[-1].__subclasses__()`), so the boundary is the process and the
kernel, in layers, each of which holds on its own:

- `unshare --net --ipc --uts --pid --mount --fork --kill-child`: no network at all (only a
  down loopback; host services on 127.0.0.1 and abstract Unix sockets are out of reach), no
  shared IPC, its own PID 1 so every process it starts dies with it and no host process can be
  seen or signalled, and its own mounts. If namespaces cannot be created, code mode refuses:
  there is no fallback.
- `prlimit` (an exec wrapper, since the parent is threaded and `preexec_fn` is unsafe): CPU
  seconds, address space, file size, open files, process count and no core dumps.
- The runner, still root but not yet holding any model text as code, checks it is in new
  namespaces, mounts a read-only root holding only /usr, the /lib dirs, the Python installation
  and its site-packages (no /etc, /root, /home, /proc or /tmp, no project directory and so no
  `.env`, no Unix sockets), a size-capped noexec tmpfs as cwd and HOME, and chroots into it.
- It then becomes uid/gid 65534 with no groups (nothing outside its tmpfs is writable, and
  RLIMIT_NPROC, which root ignores, now caps its threads and processes), sets no_new_privs and
  installs a seccomp filter refusing new processes and exec (threads stay possible), sockets,
  ptrace, mount, namespaces, bpf, io_uring, userfaultfd, perf events, keyrings and modules.
- It gets an empty environment (never the bot's: keys live there) and `python -I`.
- This side kills the whole process group at a wall-clock deadline, stops reading stdout at a
  cap, deletes the temp dir, and accepts the result only if Pillow decodes it as a sane PNG.
- The start-up probe (`check_isolation`) proves the layers from inside: no socket, no fork, no
  write outside the tmpfs, and no host file beyond the mounted installation (marker files
  this side writes in the host's /tmp, /home, /var, /run and /root stay invisible, and the
  directories leading to the mounts list nothing else).
- Inside, as defence in depth only: an import allow-list, builtins without `open`/`eval`/
  `exec`, and matplotlib/numpy file functions replaced by stubs.

The runner switches uid itself, after building the new root (which needs root), instead of
through `setpriv`; it also refuses to continue unless its namespaces differ from this
process's and its rlimits are exactly the ones asked for. Needs Linux, root (in a container:
CAP_SYS_ADMIN and a seccomp profile allowing unshare/mount) and util-linux's `unshare` and
`prlimit`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bot.charts.sandbox_runner import (
    MAGIC,
    MAX_CODE_BYTES,
    MAX_MESSAGE_CHARS,
    NAMESPACES,
    RESULT_ERROR,
    RESULT_PNG,
    WORK_DIR,
)
from bot.processes import reap
from bot.tables.table import Table
from bot.words.wording import later

__all__ = [
    "SandboxError",
    "SandboxLimits",
    "SandboxUnavailable",
    "check_isolation",
    "run_chart_code",
]

UNSHARE = "unshare"
PRLIMIT = "prlimit"
TOOL_PATH = "/usr/bin:/bin:/usr/sbin:/sbin"
RUNNER = Path(__file__).with_name("sandbox_runner.py")
SANDBOX_UID = 65534
SANDBOX_GID = 65534
MIB = 1024 * 1024
MAX_PNG_PIXELS = 16_000_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PROBE_CODE = "ax.plot([0, 1, 2], [1, 3, 2])"
PROBE_TIMEOUT = 60.0
MARKER_DIRS = ("/tmp", "/home", "/var", "/run", "/root")  # noqa: S108
"""Host directories the probe proves hidden: a marker file written in each must not show."""
STDERR_KEEP = 4096

_CHILD_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": WORK_DIR,
    "TMPDIR": WORK_DIR,
    "MPLCONFIGDIR": f"{WORK_DIR}/.matplotlib",
    "MPLBACKEND": "Agg",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
_PATH = re.compile(r"(?<![\w/.])/(?!sandbox\b)(?:[^\s/'\"():,]+/)+[^\s/'\"():,]*")


class SandboxUnavailable(Exception):
    """Isolation cannot be guaranteed on this machine; code mode must stay off.

    Raised by a run too, so its message is a Phrase said in the person's language when shown
    (English at start-up, where the operator reads it)."""


class SandboxError(Exception):
    """The chart code failed, was stopped or broke a limit; the text is safe to show, and is
    a Phrase said in the person's language when shown."""


@dataclass(frozen=True)
class SandboxLimits:
    """Per-run limits.

    `memory_bytes` is address space per process; `max_file_bytes` caps any one file (the
    sandbox's tmpfs holds that plus 4 MiB); `max_processes` is RLIMIT_NPROC for the sandbox
    uid, counted machine-wide over threads and processes of all runs at once.
    """

    cpu_seconds: int = 10
    wall_seconds: float = 15
    memory_bytes: int = 512 * MIB
    output_bytes: int = 5 * MIB
    max_processes: int = 16
    max_file_bytes: int = 16 * MIB
    max_open_files: int = 64

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"SandboxLimits.{name} must be positive")


DEFAULT_LIMITS = SandboxLimits()


@dataclass
class _Run:
    out: bytearray = field(default_factory=bytearray)
    err: bytearray = field(default_factory=bytearray)
    timed_out: bool = False
    overflow: bool = False


# ---------------------------------------------------------------- building the command


def _tool(name: str) -> str:
    path = shutil.which(name, path=TOOL_PATH)
    if path is None:
        raise SandboxUnavailable(
            later("{tool} is not installed (Debian package util-linux)", tool=name))
    return path


def _rlimits(limits: SandboxLimits) -> dict[str, tuple[int, int]]:
    """prlimit's resource names to (soft, hard); SIGXCPU at the soft CPU limit, SIGKILL later."""
    return {
        "cpu": (limits.cpu_seconds, limits.cpu_seconds + 1),
        "as": (limits.memory_bytes, limits.memory_bytes),
        "fsize": (limits.max_file_bytes, limits.max_file_bytes),
        "nproc": (limits.max_processes, limits.max_processes),
        "nofile": (limits.max_open_files, limits.max_open_files),
        "core": (0, 0),
    }


def _command(limits: SandboxLimits) -> list[str]:
    """The argument list: unshare, then prlimit, then the runner under `python -I`."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(later("code mode needs Linux namespaces"))
    if os.geteuid() != 0:
        raise SandboxUnavailable(later(
            "code mode needs root to create namespaces and switch to the sandbox user"
        ))
    if not sys.executable:
        raise SandboxUnavailable(later("the Python executable is unknown"))
    namespaces = ["--net", "--ipc", "--uts", "--pid", "--mount", "--fork", "--kill-child"]
    rlimits = [f"--{name}={soft}:{hard}" for name, (soft, hard) in _rlimits(limits).items()]
    return [
        _tool(UNSHARE), *namespaces, "--",
        _tool(PRLIMIT), *rlimits, "--",
        sys.executable, "-I", str(RUNNER),
    ]


def _host_namespaces() -> dict[str, str]:
    try:
        return {name: os.readlink(f"/proc/self/ns/{name}") for name in NAMESPACES}
    except OSError as exc:
        raise SandboxUnavailable(later("cannot read this process's namespaces: {reason}",
                                       reason=str(exc.strerror))) from None


def _font_cache() -> str | None:
    """matplotlib's font list from this process, so each run need not rebuild its own."""
    import matplotlib
    from matplotlib import font_manager

    version = getattr(font_manager.FontManager, "__version__", None)
    path = Path(matplotlib.get_cachedir(), f"fontlist-v{version}.json")
    return str(path) if version and path.is_file() else None


def _job(code: str, table: Table | None, limits: SandboxLimits, tmp: str, *,
         markers: list[str] | None = None) -> bytes:
    """The runner's job; with `markers` (host files it must not see) it is the probe."""
    root = os.path.join(tmp, "root")
    os.mkdir(root, 0o700)
    data: dict[str, Any] = {
        "code": code,
        "table": {
            "columns": list(table.columns),
            "rows": [list(row) for row in table.rows],
            "title": table.title,
            "units": dict(table.units),
        } if table is not None else {},
        "root": root,
        "uid": SANDBOX_UID,
        "gid": SANDBOX_GID,
        "work_bytes": limits.max_file_bytes + 4 * MIB,
        "cpu_seconds": limits.cpu_seconds,
        "rlimits": _rlimits(limits),
        "host_namespaces": _host_namespaces(),
        "font_cache": _font_cache(),
        "probe": markers is not None,
        "markers": markers or [],
    }
    return json.dumps(data, allow_nan=False).encode()


# ---------------------------------------------------------------- reading the result


def _scrub(text: str) -> str:
    """One line, no host paths, short."""
    text = " ".join(_PATH.sub("…", text).split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def _setup_reason(err: bytes, returncode: int | None) -> str:
    lines = [line for line in err.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip()[:MAX_MESSAGE_CHARS] if lines else f"exit status {returncode}"


def _outcome(run: _Run, returncode: int | None, limits: SandboxLimits) -> bytes:
    """The PNG the runner sent, or the right exception."""
    out = bytes(run.out)
    if not out.startswith(MAGIC):
        if run.timed_out:
            raise SandboxError(later("The sandbox did not start in time."))
        raise SandboxUnavailable(later(
            "the sandbox could not start: {reason}",
            reason=_setup_reason(bytes(run.err), returncode),
        ))
    body = out[len(MAGIC):]
    if run.overflow:
        raise SandboxError(later(
            "The chart code produced more than {size} MB of output.",
            size=f"{limits.output_bytes / MIB:g}",
        ))
    if run.timed_out:
        raise SandboxError(later("The chart code took longer than {seconds} s.",
                                 seconds=f"{limits.wall_seconds:g}"))
    kind, payload = body[:1], body[1:]
    if kind == RESULT_PNG and returncode == 0:
        return payload
    if kind == RESULT_ERROR:
        message = _scrub(payload.decode("utf-8", errors="replace"))
        if not message:
            raise SandboxError(later("The chart code failed: unknown error"))
        raise SandboxError(later("The chart code failed: {error}", error=message))
    raise SandboxError(later(
        "The chart code was stopped before it finished "
        "(it hit a CPU, memory, file or process limit)."
    ))


def _check_png(data: bytes, limits: SandboxLimits) -> bytes:
    """Accept only a PNG of sane size that Pillow decodes."""
    if len(data) > limits.output_bytes or not data.startswith(PNG_SIGNATURE):
        raise SandboxError(later("The chart code did not produce a PNG image."))
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if width * height > MAX_PNG_PIXELS:
                raise SandboxError(
                    later("The chart code produced an image that is too large."))
            image.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        raise SandboxError(later("The chart code produced a damaged PNG image.")) from None
    return data


# ---------------------------------------------------------------- running


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


async def _feed(proc: asyncio.subprocess.Process, job: bytes) -> None:
    assert proc.stdin is not None
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        proc.stdin.write(job)
        await proc.stdin.drain()
        proc.stdin.close()
        await proc.stdin.wait_closed()


async def _read_stdout(proc: asyncio.subprocess.Process, run: _Run, cap: int) -> None:
    assert proc.stdout is not None
    while chunk := await proc.stdout.read(1 << 16):
        run.out += chunk
        if len(run.out) > cap:
            run.overflow = True
            del run.out[cap:]
            _kill_group(proc)
            return


async def _read_stderr(proc: asyncio.subprocess.Process, run: _Run) -> None:
    assert proc.stderr is not None
    while chunk := await proc.stderr.read(1 << 16):
        run.err += chunk[: max(0, STDERR_KEEP - len(run.err))]


async def _execute(argv: list[str], job: bytes, tmp: str, limits: SandboxLimits) -> bytes:
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=tmp,
            env=dict(_CHILD_ENV),
            start_new_session=True,
        )
    except OSError as exc:
        raise SandboxUnavailable(later("could not start the sandbox: {reason}",
                                       reason=str(exc.strerror))) from None
    run = _Run()
    try:
        async with asyncio.timeout(limits.wall_seconds):
            await asyncio.gather(
                _feed(proc, job),
                _read_stdout(proc, run, len(MAGIC) + 1 + limits.output_bytes),
                _read_stderr(proc, run),
            )
            await proc.wait()
    except TimeoutError:
        run.timed_out = True
    finally:
        await reap(proc, _kill_group)
    return _outcome(run, proc.returncode, limits)


async def run_chart_code(
    code: str, table: Table, limits: SandboxLimits = DEFAULT_LIMITS
) -> bytes:
    """Run model-written matplotlib code on `table` in the sandbox; return the PNG it drew.

    The code sees `table` (columns, rows, title, units, column(), numbers()), a pre-made
    `fig` and `ax`, `np`, `plt` and `math`; the final `fig` is saved. Raises SandboxError for
    anything the code did wrong, SandboxUnavailable if isolation cannot be set up.
    """
    if len(code.encode("utf-8", errors="surrogatepass")) > MAX_CODE_BYTES:
        raise SandboxError(later("The chart code is longer than {size} KB.",
                                 size=MAX_CODE_BYTES // 1000))
    argv = _command(limits)
    tmp = tempfile.mkdtemp(prefix="replot-sandbox-")
    try:
        png = await _execute(argv, _job(code, table, limits, tmp), tmp, limits)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return await asyncio.to_thread(_check_png, png, limits)


@contextlib.contextmanager
def _host_markers() -> Iterator[list[str]]:
    """An empty, uniquely named file in each of MARKER_DIRS this process can write to."""
    markers: list[str] = []
    try:
        for directory in MARKER_DIRS:
            try:
                fd, path = tempfile.mkstemp(prefix=".replot-probe-", dir=directory)
            except OSError:
                continue
            os.close(fd)
            markers.append(path)
        yield markers
    finally:
        for path in markers:
            with contextlib.suppress(OSError):
                os.unlink(path)


def check_isolation() -> None:
    """Run a probe through the full sandbox; raise SandboxUnavailable with the reason if any layer
    is missing. Call at start-up when CODE_MODE=on."""
    limits = SandboxLimits()
    argv = _command(limits)
    with tempfile.TemporaryDirectory(prefix="replot-sandbox-") as tmp, _host_markers() as markers:
        try:
            done = subprocess.run(  # noqa: S603 - our own argument list
                argv,
                input=_job(PROBE_CODE, None, limits, tmp, markers=markers),
                capture_output=True,
                cwd=tmp,
                env=dict(_CHILD_ENV),
                timeout=PROBE_TIMEOUT,
                start_new_session=True,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxUnavailable(f"the sandbox probe did not run: {exc}") from None
    run = _Run(out=bytearray(done.stdout), err=bytearray(done.stderr[:STDERR_KEEP]))
    try:
        _check_png(_outcome(run, done.returncode, limits), limits)
    except SandboxError as exc:
        raise SandboxUnavailable(f"the sandbox probe failed: {exc}") from None
