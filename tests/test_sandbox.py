"""Code mode's sandbox: chart code draws a PNG; every classic escape is stopped by a layer.

Most attacks first break the in-process filters on purpose (ESCAPE walks
`().__class__.__mro__[-1].__subclasses__()` to os's globals, removes the import hook and gets
the real `__import__`), so the assertions are about what the outer layers still stop.
Needs root, util-linux and Linux namespaces; skipped without them, failed under CI=true.
"""

from __future__ import annotations

import asyncio
import io
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.charts import sandbox
from bot.charts.sandbox import (
    SandboxError,
    SandboxLimits,
    SandboxUnavailable,
    check_isolation,
    run_chart_code,
)
from bot.tables.table import Table

MIB = 1024 * 1024
FAST = SandboxLimits(
    cpu_seconds=2, wall_seconds=6, output_bytes=1 * MIB, max_processes=16, max_file_bytes=4 * MIB
)
TABLE = Table.build(
    ["Year", "Sales"], [["2019", 10], ["2020", 12], ["2021", 15], ["2022", 14], ["2023", 19]],
    title="Sales by year",
)
REGRESSION = """
xs = np.array(table.numbers("Year"))
ys = np.array(table.numbers("Sales"))
ax.scatter(xs, ys, label="sales")
slope, intercept = np.polyfit(xs, ys, 1)
ax.plot(xs, slope * xs + intercept, color="red", linewidth=4, label="trend")
ax.set_title(table.title)
ax.legend()
"""
ESCAPE = """
G = None
for cls in ().__class__.__mro__[-1].__subclasses__():
    g = getattr(cls.__dict__.get("__init__"), "__globals__", None)
    if g is not None and "fork" in g and "system" in g and "execv" in g:
        G = g
        break
sys = G["sys"]
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "ImportGate"]
imp = sys.modules["builtins"].__import__
"""
TRY_PATHS = ESCAPE + """
results = []
for index, (path, flags) in enumerate(PATHS):
    try:
        fd = G["open"](path, flags, 0o644)
        data = G["read"](fd, 4096) if not flags else G["write"](fd, b"pwned")
        results.append(f"{index}=ok:{data!r}")
    except OSError as exc:
        results.append(f"{index}=no:{type(exc).__name__}")
"""
REPORT = 'raise RuntimeError(" ".join(results))\n'


pytestmark = pytest.mark.usefixtures("sandbox_available")


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """A fake secret in the bot's environment; no sandbox output may ever contain it."""
    value = "sk-" + secrets.token_hex(16)
    monkeypatch.setenv("REPLOT_TEST_SECRET", value)
    return value


@pytest.fixture
def host_dir(secret: str) -> Iterator[Path]:
    """A world-writable dir right under /tmp with a world-readable secret file: only the
    sandbox's own root, not file permissions, keeps the sandbox user out of it."""
    path = Path(tempfile.mkdtemp(prefix="replot-host-", dir="/tmp"))
    path.chmod(0o777)
    (path / "secret.txt").write_text(secret)
    (path / "secret.txt").chmod(0o644)
    yield path
    shutil.rmtree(path)


def sandbox_pids() -> list[int]:
    """Processes of the sandbox uid anywhere on the machine."""
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            uid_line = next(x for x in status.read_text().splitlines() if x.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if uid_line.split()[1] == str(sandbox.SANDBOX_UID):
            pids.append(int(status.parent.name))
    return pids


def assert_no_sandbox_processes_left() -> None:
    deadline = time.monotonic() + 3
    while sandbox_pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox_pids() == []


def assert_clean(message: str, secret: str) -> None:
    """Short, one line, no secret, no host installation paths."""
    assert secret not in message and "REPLOT_TEST_SECRET" not in message
    assert "\n" not in message and len(message) <= 360
    assert sys.prefix not in message and sys.base_prefix not in message


async def failure(code: str, limits: SandboxLimits = FAST) -> str:
    with pytest.raises(SandboxError) as info:
        await run_chart_code(code, TABLE, limits)
    return str(info.value)


async def failures(codes: list[str], limits: SandboxLimits = FAST) -> list[str]:
    return list(await asyncio.gather(*(failure(code, limits) for code in codes)))


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png), formats=["PNG"])
    image.load()
    return image


# ---------------------------------------------------------------- what must work


def test_check_isolation_passes() -> None:
    check_isolation()


async def test_regression_line_returns_a_png() -> None:
    started = time.monotonic()
    png = await run_chart_code(REGRESSION, TABLE, FAST)
    elapsed = time.monotonic() - started
    image = decode(png)
    assert image.size == (1200, 720)
    r, g, b = np.asarray(image.convert("RGB")).astype(int).transpose(2, 0, 1)
    assert ((r > 200) & (g < 60) & (b < 60)).sum() > 500, "the regression line is missing"
    assert elapsed < 5


async def test_pyplot_style_code_and_a_new_figure_work() -> None:
    pyplot_style = "plt.bar(table.column('Year'), table.numbers('Sales'))\nplt.title('hi')"
    own_figure = "fig, ax = plt.subplots(figsize=(4, 3))\nax.pie([1, 2, 3])"
    first, second = await asyncio.gather(
        run_chart_code(pyplot_style, TABLE, FAST), run_chart_code(own_figure, TABLE, FAST)
    )
    assert decode(first).size == (1200, 720)
    assert decode(second).size == (480, 360)


async def test_runs_leave_no_temp_dirs_mounts_or_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    await run_chart_code("ax.plot([1, 2])", TABLE, FAST)
    await failure("raise ValueError('x')")
    assert list(tmp_path.iterdir()) == []
    assert str(tmp_path) not in Path("/proc/self/mountinfo").read_text()
    assert_no_sandbox_processes_left()


IN_VENV = """
import asyncio, sys
from bot.charts.sandbox import SandboxError, check_isolation, run_chart_code
from bot.tables.table import Table

check_isolation()
try:
    asyncio.run(run_chart_code(sys.argv[1], Table.build(["Year", "Sales"], [["2023", 1]])))
except SandboxError as exc:
    print(exc)
"""


@pytest.fixture
def clone_under_tmp(secret: str) -> Iterator[Path]:
    """A checkout right under /tmp with its venv inside and a `.env` beside it, as
    `git clone` into /tmp and `python -m venv .venv` give (issue 17). The venv reaches this
    environment's packages through a .pth file; the bot's code comes from the working dir."""
    clone = Path(tempfile.mkdtemp(prefix="replot-clone-", dir="/tmp"))
    try:
        venv = clone / ".venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                       check=True, timeout=120)
        [site] = venv.glob("lib/python*/site-packages")
        packages = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
        (site / "outer-packages.pth").write_text("\n".join(packages) + "\n")
        (clone / ".env").write_text(f"LLM_API_KEY={secret}\n")
        yield clone
    finally:
        shutil.rmtree(clone)


def test_a_python_installed_under_tmp_passes_and_hides_the_rest_of_tmp(
    clone_under_tmp: Path, secret: str
) -> None:
    """The probe must not take the mount point's parents for a leak, and nothing beside the
    installation (the clone's `.env`, the rest of /tmp) may be reachable from inside."""
    env_file = str(clone_under_tmp / ".env")
    code = f"PATHS = {[(env_file, os.O_RDONLY)]!r}\n" + TRY_PATHS + (
        f"results.append(repr(G['listdir']({str(clone_under_tmp)!r})))\n"
        "results.append(repr(G['listdir']('/tmp')))\n" + REPORT)
    done = subprocess.run(
        [str(clone_under_tmp / ".venv" / "bin" / "python"), "-c", IN_VENV, code],
        cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
        timeout=120, env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")},
        check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    message = done.stdout
    assert "0=no:" in message, "the clone's .env is unreachable"
    assert "['.venv']" in message, "beside the venv, nothing of the clone is listable"
    # Of /tmp, only the way to the venv, and to this environment's own packages when they
    # live there too (a CI venv under /tmp): the installation is what is mounted.
    installed = {Path(p).resolve().relative_to("/tmp").parts[0] for p in sys.path
                 if Path(p).name in ("site-packages", "dist-packages")
                 and Path(p).resolve().is_relative_to("/tmp")}
    assert repr(sorted({clone_under_tmp.name} | installed)) in message, message
    assert secret not in message


@pytest.mark.parametrize(("change", "reason"), [
    (('paths = {"/usr",', 'paths = {"/tmp", "/usr",'), "files in the host's /tmp are visible"),
    (('os.mkdir(root + "/dev", 0o755)',
      'os.mkdir(root + "/dev", 0o755); open(root + "/dev/stray", "x").close()'),
     "unexpected files are visible: stray in /dev"),
])
def test_the_probe_refuses_a_root_that_shows_more_than_the_installation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: tuple[str, str], reason: str
) -> None:
    """A runner that builds a leakier root (all of /tmp mounted; a stray entry): refused."""
    source = Path(sandbox.RUNNER).read_text()
    assert source.count(change[0]) == 1
    leaky = tmp_path / "sandbox_runner.py"
    leaky.write_text(source.replace(*change))
    monkeypatch.setattr(sandbox, "RUNNER", leaky)
    with pytest.raises(SandboxUnavailable, match=reason):
        check_isolation()


# ---------------------------------------------------------------- in-process filters


async def test_imports_outside_the_allow_list_are_refused(secret: str) -> None:
    codes = [
        "import os", "import subprocess", "import socket", "import ctypes",
        "__import__('os')", "import multiprocessing", "from os import system",
        "import importlib",
    ]
    for message in await failures(codes):
        assert "is not allowed in chart code" in message
        assert_clean(message, secret)


async def test_open_eval_and_library_file_functions_are_gone(secret: str) -> None:
    messages = await failures([
        "open('/etc/passwd').read()",
        "eval('1 + 1')",
        "np.load('/etc/passwd')",
        "np.savetxt('/sandbox/x.txt', [1])",
        "plt.imread('/etc/passwd')",
        "fig.savefig('/sandbox/x.png')",
    ])
    assert "NameError" in messages[0] and "NameError" in messages[1]
    for message in messages[2:]:
        assert "not available in chart code" in message
        assert_clean(message, secret)


async def test_messages_are_short_and_free_of_host_paths(secret: str) -> None:
    long_path, not_a_figure, bad_syntax = await failures([
        "import matplotlib\nraise ValueError(matplotlib.__file__ + ' ' + 'x' * 5000)",
        "fig = None",
        "ax.plot([1, 2]\n",
    ])
    assert "line 2: ValueError: …" in long_path
    assert "must still be a matplotlib Figure" in not_a_figure
    assert "SyntaxError" in bad_syntax
    for message in (long_path, not_a_figure, bad_syntax):
        assert_clean(message, secret)


async def test_oversized_code_is_refused_without_running() -> None:
    with pytest.raises(SandboxError, match="longer than 20 KB"):
        await run_chart_code("#" * 30_000, TABLE, FAST)


# ---------------------------------------------------------------- escapes past the filters


async def test_subclass_walk_reaches_os_but_cannot_start_a_command(secret: str) -> None:
    message = await failure(ESCAPE + """
errors = []
for attempt in (lambda: imp("subprocess").run(["/bin/sh", "-c", "id"]),
                lambda: G["system"]("id"),
                lambda: G["execv"]("/bin/sh", ["sh", "-c", "id"])):
    try:
        errors.append(repr(attempt()))
    except OSError as exc:
        errors.append(exc.strerror)
raise RuntimeError(f"uid={G['getuid']()} groups={G['getgroups']()} {errors}")
""")
    # os.system: glibc reports the refused spawn as "shell exited with 127" (127 << 8).
    denied = "['Operation not permitted', '32512', 'Operation not permitted']"
    assert f"uid=65534 groups=[] {denied}" in message
    assert_clean(message, secret)


async def test_secrets_in_env_proc_and_files_are_unreachable(
    secret: str, host_dir: Path
) -> None:
    paths = [
        "/proc/self/environ", "/proc/1/environ", "/etc/passwd", "/etc/shadow",
        str(host_dir / "secret.txt"), str(Path(sandbox.__file__)), "/root/.bash_history",
    ]
    code = f"PATHS = {[(p, os.O_RDONLY) for p in paths]!r}\n" + TRY_PATHS
    message = await failure(code + "results.append(str(dict(G['environ'])))\n" + REPORT)
    assert "=ok" not in message
    assert message.count("=no:") == len(paths)
    assert_clean(message, secret)


async def test_writes_outside_the_sandbox_tmpfs_fail(host_dir: Path, secret: str) -> None:
    outside = [str(host_dir / "pwned"), "/pwned-by-replot", "/usr/pwned", "/etc/pwned"]
    targets = [*outside, "/sandbox/allowed.txt"]
    flags = os.O_WRONLY | os.O_CREAT
    message = await failure(f"PATHS = {[(p, flags) for p in targets]!r}\n" + TRY_PATHS + REPORT)
    for index in range(len(outside)):
        assert f"{index}=no:" in message
    assert f"{len(outside)}=ok:5" in message, "the sandbox's own tmpfs is writable"
    assert not (host_dir / "pwned").exists() and not Path("/pwned-by-replot").exists()
    assert_clean(message, secret)


async def test_no_network_even_to_a_server_on_loopback(secret: str) -> None:
    connections = 0

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        message = await failure(
            ESCAPE + "try:\n"
            f"    imp('socket').create_connection(('127.0.0.1', {port}), timeout=2)\n"
            "except OSError as exc:\n"
            "    raise RuntimeError(f'connect failed: {exc!r}') from None\n"
        )
    finally:
        server.close()
        await server.wait_closed()
    assert "connect failed" in message and "Operation not permitted" in message
    assert connections == 0
    assert_clean(message, secret)


async def test_fork_bomb_is_stopped_and_the_machine_is_unharmed() -> None:
    bomb = ESCAPE + "while True:\n    try:\n        G['fork']()\n    except OSError:\n        pass"
    pool = ESCAPE + "p = imp('multiprocessing').Process(target=print)\np.start()"
    started = time.monotonic()
    bomb_message, pool_message = await failures([bomb, pool])
    assert "CPU" in bomb_message  # the SIGXCPU message, or the generic one after SIGKILL
    assert "PermissionError" in pool_message
    assert time.monotonic() - started < 5
    assert_no_sandbox_processes_left()
    assert decode(await run_chart_code("ax.plot([1, 2])", TABLE, FAST))


async def test_thread_count_is_capped_by_the_process_limit() -> None:
    message = await failure(ESCAPE + """
threads = imp("_thread")
lock = threads.allocate_lock()
lock.acquire()
count = 0
try:
    while True:
        threads.start_new_thread(lock.acquire, ())
        count += 1
except RuntimeError as exc:
    raise RuntimeError(f"started {count}: {exc}") from None
""")
    started = int(message.split("started ")[1].split(":")[0])
    assert 0 < started < FAST.max_processes
    assert "can't start new thread" in message
    assert_no_sandbox_processes_left()


async def test_infinite_loop_is_stopped_by_the_cpu_limit() -> None:
    started = time.monotonic()
    message = await failure("while True:\n    pass")
    assert "used more than 2 s of CPU time" in message
    assert time.monotonic() - started < 5


async def test_code_that_blocks_without_cpu_is_killed_at_the_wall_clock_limit() -> None:
    limits = SandboxLimits(cpu_seconds=2, wall_seconds=2)
    started = time.monotonic()
    message = await failure(ESCAPE + "r, w = G['pipe']()\nG['read'](r, 1)", limits)
    assert "took longer than 2 s" in message
    assert time.monotonic() - started < 4
    assert_no_sandbox_processes_left()


async def test_huge_allocations_hit_the_memory_limit() -> None:
    for message in await failures([
        "x = bytearray(10**10)",
        "x = []\nwhile True:\n    x.append(bytearray(10**6))",
        "a = np.ones((10**5, 10**5))",
    ]):
        assert "ran out of memory" in message


async def test_huge_output_is_capped_and_print_goes_nowhere() -> None:
    flood = ESCAPE + """
chunk = b"x" * 2**20
for fd in range(3, 20):
    try:
        for _ in range(10**4):
            G["write"](fd, chunk)
    except OSError:
        pass
"""
    message, png = await asyncio.gather(
        failure(flood),
        run_chart_code("for _ in range(50):\n    print('x' * 10**6)\nax.plot([1, 2])", TABLE, FAST),
    )
    assert "more than 1 MB of output" in message
    assert decode(png).size == (1200, 720)


async def test_huge_file_is_stopped_by_the_file_size_limit() -> None:
    message = await failure(ESCAPE + """
fd = G["open"]("big.bin", G["O_WRONLY"] | G["O_CREAT"], 0o600)
for _ in range(64):
    G["write"](fd, b"x" * 2**20)
""")
    assert "File too large" in message


# ---------------------------------------------------------------- refusing to run unconfined


@pytest.mark.parametrize("tool", ["UNSHARE", "PRLIMIT"])
async def test_missing_tools_make_the_sandbox_unavailable(
    monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    monkeypatch.setattr(sandbox, tool, "replot-no-such-tool")
    with pytest.raises(SandboxUnavailable, match="util-linux"):
        await run_chart_code("ax.plot([1, 2])", TABLE, FAST)
    with pytest.raises(SandboxUnavailable):
        check_isolation()


@pytest.mark.parametrize(
    ("tool", "reason"), [("UNSHARE", "parent's net namespace"), ("PRLIMIT", "RLIMIT_CPU")]
)
async def test_without_namespaces_or_limits_the_runner_refuses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tool: str, reason: str
) -> None:
    """A stand-in that skips its options and just execs the rest: the runner must notice."""
    fake = tmp_path / "passthrough"
    fake.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift\nexec "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(sandbox, tool, str(fake))
    with pytest.raises(SandboxUnavailable, match=reason):
        await run_chart_code("ax.plot([1, 2])", TABLE, FAST)
    with pytest.raises(SandboxUnavailable, match=reason):
        check_isolation()


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="cpu_seconds"):
        SandboxLimits(cpu_seconds=0)
