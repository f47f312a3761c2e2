"""The program `bot.charts.sandbox` runs inside the sandbox; it reads one job and writes one PNG.

Started as `python -I sandbox_runner.py` by `unshare` (new network, IPC, UTS, PID and mount
namespaces) and `prlimit` (rlimits), as root, with an empty environment. It is standalone: the
standard library, then matplotlib and numpy. Stdin carries one JSON job from the trusted
parent; stdout carries MAGIC once the process is confined, then one result: b"P" + PNG bytes,
or b"E" + a short UTF-8 message.

Setup, before any model-written code exists in the process:

1. check it really is in namespaces other than the parent's, that only loopback exists and
   that prlimit applied the expected limits (it refuses to go on otherwise);
2. build a new root on a small tmpfs: read-only, nosuid bind mounts of /usr, the /lib dirs,
   the Python installation and its site-packages only (no /etc, /home, /root, /proc, /tmp,
   no project directory, so no `.env`, no sockets, no other process's files), plus /dev/null,
   /dev/zero, /dev/urandom and a size-capped, noexec tmpfs at /sandbox (cwd, HOME, MPLCONFIGDIR);
3. chroot into it, drop to uid/gid 65534 with no groups (RLIMIT_NPROC now applies),
   set no_new_privs and install a seccomp filter that refuses new processes and exec, sockets,
   ptrace, mount, namespaces, bpf, io_uring, userfaultfd, perf events, keyrings and modules.

Then, as defence in depth only: an import allow-list (a guarded `__import__` plus a meta-path
hook), builtins without `open`/`exec`/`eval`/`compile`/`input`, and matplotlib/numpy file
functions replaced by stubs. The user code sees `table`, `fig`, `ax`, `np`, `plt` and `math`;
afterwards the final value of `fig` is saved as PNG.
"""

from __future__ import annotations

import builtins
import ctypes
import io
import json
import math
import os
import resource
import shutil
import signal
import socket
import struct
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from types import FrameType, ModuleType, TracebackType
from typing import Any, NoReturn

MAGIC = b"REPLOT-SANDBOX-1\n"
RESULT_PNG = b"P"
RESULT_ERROR = b"E"
EXIT_SETUP_FAILED = 70

WORK_DIR = "/sandbox"
CODE_NAME = "<chart code>"
MAX_JOB_BYTES = 16 * 1024 * 1024
MAX_CODE_BYTES = 20_000
MAX_MESSAGE_CHARS = 300
DPI = 120
FIGSIZE = (10.0, 6.0)
MAX_SIDE_PX = 4000
NAMESPACES = ("net", "ipc", "uts", "pid", "mnt")
PROBE_HIDDEN = ("/etc/passwd", "/etc/shadow", "/proc/self/environ")
"""Host files the probe expects not to see from inside (besides the parent's markers)."""
DEVICES = ("null", "zero", "urandom")

ALLOWED_IMPORTS = frozenset({
    "matplotlib", "mpl_toolkits", "numpy", "math", "cmath", "statistics", "datetime",
    "calendar", "collections", "itertools", "functools", "operator", "re", "random", "decimal",
    "fractions", "string", "textwrap", "numbers", "heapq", "bisect", "copy", "json",
    "dataclasses", "typing", "enum", "colorsys",
})
"""Top-level modules chart code may import."""

LIBRARY_IMPORTS = frozenset({
    "PIL", "kiwisolver", "pyparsing", "cycler", "dateutil", "packaging", "contourpy",
    "fontTools", "six", "encodings", "unicodedata", "locale", "zoneinfo", "_strptime",
    "warnings", "weakref", "inspect", "ast", "dis", "opcode", "token", "tokenize", "linecache",
    "struct", "array", "binascii", "zlib", "base64", "hashlib", "pprint", "difflib", "gettext",
    "contextvars", "_decimal", "_pydecimal", "_datetime", "_json", "_random", "_bisect",
    "_heapq", "_statistics", "_contextvars", "_struct", "_sha2", "_md5", "_blake2", "secrets",
    "hmac", "_hashlib", "_sha1", "_sha3",
})
"""Further top-level modules matplotlib and numpy may load lazily while drawing."""

BLOCKED_BUILTINS = frozenset({
    "open", "exec", "eval", "compile", "input", "breakpoint", "help", "exit", "quit",
    "copyright", "credits", "license", "globals", "locals", "vars", "__import__",
})

_NUMPY_FILE_FUNCTIONS = (
    "load", "save", "savez", "savez_compressed", "loadtxt", "savetxt", "genfromtxt",
    "fromfile", "fromregex", "memmap", "DataSource",
)
_PYPLOT_FILE_FUNCTIONS = ("savefig", "imread", "imsave", "rc_file")

# mount(2) flags
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000

# seccomp
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ERRNO, SECCOMP_RET_ALLOW = 0x80000000, 0x50000, 0x7FFF0000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JGE_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
X32_SYSCALL_BIT = 0x40000000
CLONE_THREAD = 0x10000
SECCOMP_DATA_ARG0 = 16
EPERM, ENOSYS = 1, 38

_DENIED_SYSCALLS = (
    "socket", "socketpair", "ptrace", "process_vm_readv", "process_vm_writev", "mount",
    "umount2", "pivot_root", "chroot", "unshare", "setns", "bpf", "userfaultfd",
    "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "syslog", "personality",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "name_to_handle_at", "open_by_handle_at", "quotactl", "lookup_dcookie", "vhangup",
    "memfd_create", "pidfd_getfd", "iopl", "ioperm", "modify_ldt", "fork", "vfork", "execve",
    "execveat",
)
_NEW_SYSCALLS = {
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
    "pidfd_getfd": 438, "mount_setattr": 442, "clone3": 435,
}
SYSCALLS: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (0xC000003E, _NEW_SYSCALLS | {
        "socket": 41, "socketpair": 53, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "mount": 165, "umount2": 166, "pivot_root": 155,
        "chroot": 161, "unshare": 272, "setns": 308, "bpf": 321, "userfaultfd": 323,
        "perf_event_open": 298, "keyctl": 250, "add_key": 248, "request_key": 249,
        "kexec_load": 246, "kexec_file_load": 320, "init_module": 175, "finit_module": 313,
        "delete_module": 176, "reboot": 169, "swapon": 167, "swapoff": 168, "acct": 163,
        "syslog": 103, "personality": 135, "name_to_handle_at": 303, "open_by_handle_at": 304,
        "quotactl": 179, "lookup_dcookie": 212, "vhangup": 153, "memfd_create": 319,
        "iopl": 172, "ioperm": 173, "modify_ldt": 154, "fork": 57, "vfork": 58, "execve": 59,
        "execveat": 322, "clone": 56,
    }),
    "aarch64": (0xC00000B7, _NEW_SYSCALLS | {
        "socket": 198, "socketpair": 199, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "unshare": 97, "setns": 268, "bpf": 280, "userfaultfd": 282, "perf_event_open": 241,
        "keyctl": 219, "add_key": 217, "request_key": 218, "kexec_load": 104,
        "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106,
        "reboot": 142, "swapon": 224, "swapoff": 225, "acct": 89, "syslog": 116,
        "personality": 92, "name_to_handle_at": 264, "open_by_handle_at": 265, "quotactl": 60,
        "lookup_dcookie": 18, "vhangup": 58, "memfd_create": 279, "execve": 221,
        "execveat": 281, "clone": 220,
    }),
}
"""Per machine: the seccomp audit arch and the numbers of the syscalls the filter refuses."""

Cell = float | str | None


class SetupError(Exception):
    """Confinement could not be completed; no model-written code has run."""


class ChartCodeError(Exception):
    """The chart code broke a rule the runner checks itself."""


class CpuLimit(BaseException):
    """The CPU soft limit (SIGXCPU) was reached."""


@dataclass(frozen=True)
class Job:
    """What the parent asks for; everything but `code` and `table` comes from trusted code."""

    code: str
    table: dict[str, Any]
    root: str
    uid: int
    gid: int
    work_bytes: int
    cpu_seconds: int
    rlimits: dict[str, tuple[int, int]]
    host_namespaces: dict[str, str]
    font_cache: str | None
    probe: bool
    markers: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: bytes) -> Job:
        data = json.loads(raw)
        return cls(
            code=str(data["code"]),
            table=dict(data["table"]),
            root=str(data["root"]),
            uid=int(data["uid"]),
            gid=int(data["gid"]),
            work_bytes=int(data["work_bytes"]),
            cpu_seconds=int(data["cpu_seconds"]),
            rlimits={str(k): (int(v[0]), int(v[1])) for k, v in data["rlimits"].items()},
            host_namespaces={str(k): str(v) for k, v in data["host_namespaces"].items()},
            font_cache=None if data.get("font_cache") is None else str(data["font_cache"]),
            probe=bool(data.get("probe", False)),
            markers=tuple(str(m) for m in data.get("markers", ())),
        )


def _to_float(cell: Cell) -> float:
    if isinstance(cell, float | int):
        return float(cell)
    try:
        return float(cell) if cell is not None else math.nan
    except ValueError:
        return math.nan


class ChartTable:
    """The chat's table as chart code sees it: `columns`, `rows` (lists), `title`, `units`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.columns: list[str] = [str(c) for c in data.get("columns", [])]
        self.rows: list[list[Cell]] = [list(r) for r in data.get("rows", [])]
        self.title: str = str(data.get("title", ""))
        self.units: dict[str, str] = {str(k): str(v) for k, v in data.get("units", {}).items()}

    def column(self, name: str) -> list[Cell]:
        """One column's cells, top to bottom."""
        index = self.columns.index(name)
        return [row[index] if index < len(row) else None for row in self.rows]

    def numbers(self, name: str) -> list[float]:
        """One column as floats ("2021" counts); other text and empty cells become NaN."""
        return [_to_float(cell) for cell in self.column(name)]

    def __repr__(self) -> str:
        return f"<table {self.title!r}: {len(self.rows)} rows × columns {self.columns}>"


# ---------------------------------------------------------------- confinement (as root)


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong,
                           ctypes.c_char_p]
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                           ctypes.c_ulong]
    return libc


def _mount(libc: ctypes.CDLL, source: str | None, target: str, fstype: str | None,
           flags: int, data: str | None = None) -> None:
    def enc(text: str | None) -> bytes | None:
        return None if text is None else os.fsencode(text)

    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        errno = ctypes.get_errno()
        raise SetupError(f"mount {target}: {os.strerror(errno)}")


def _check_limits(expected: dict[str, tuple[int, int]]) -> None:
    for name, limit in expected.items():
        if resource.getrlimit(getattr(resource, f"RLIMIT_{name.upper()}")) != limit:
            raise SetupError(f"RLIMIT_{name.upper()} is not applied")


def _check_namespaces(host: dict[str, str]) -> None:
    for name in NAMESPACES:
        if os.readlink(f"/proc/self/ns/{name}") == host.get(name):
            raise SetupError(f"still in the parent's {name} namespace")
    interfaces = {name for _, name in socket.if_nameindex()}
    if interfaces - {"lo"}:
        raise SetupError("network interfaces other than loopback are present")


def _host_paths() -> list[str]:
    """Host paths the new root shows: system libraries and the Python installation."""
    paths = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache"}
    paths.update({sys.base_prefix, sys.prefix, sys.base_exec_prefix, sys.exec_prefix})
    paths.update(
        p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")
    )
    return sorted((p for p in paths if p and os.path.lexists(p)),
                  key=lambda p: (os.path.islink(p), p.count("/"), p))


def _bind(libc: ctypes.CDLL, source: str, target: str, flags: int) -> None:
    if os.path.isdir(source):
        os.makedirs(target, mode=0o755, exist_ok=True)
    elif not os.path.exists(target):
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    _mount(libc, source, target, None, MS_BIND)
    _mount(libc, None, target, None, MS_REMOUNT | MS_BIND | flags)


@dataclass
class Exposed:
    """What the new root shows of the host: read-only bind mounts and copied symlinks."""

    bound: set[str]
    links: set[str]

    def expected_entries(self) -> dict[str, set[str]]:
        """Each directory the new root was given, outside the bind mounts, and its entries."""
        entries: dict[str, set[str]] = {}
        devices = (f"/dev/{device}" for device in DEVICES)
        for path in (*self.bound, *self.links, *devices, WORK_DIR):
            parent, name = os.path.split(path)
            while name:
                entries.setdefault(parent, set()).add(name)
                parent, name = os.path.split(parent)
        return {directory: names for directory, names in entries.items()
                if not any(directory == b or directory.startswith(b + "/") for b in self.bound)}


def _expose(libc: ctypes.CDLL, path: str, root: str, shown: Exposed, depth: int = 0) -> None:
    """Make `path` resolve in `root` as on the host: symlinks copied, the end bound read-only."""
    if depth > 20:
        raise SetupError("too many symbolic links")
    parts = [p for p in os.path.normpath(path).split("/") if p]
    current = ""
    for index, part in enumerate(parts):
        current += "/" + part
        if current in shown.bound:
            return
        inner = root + current
        if os.path.islink(current):
            link = os.readlink(current)
            if not os.path.lexists(inner):
                os.symlink(link, inner)
                shown.links.add(current)
            rest = parts[index + 1:]
            resolved = os.path.join(os.path.dirname(current), link, *rest)
            _expose(libc, resolved, root, shown, depth + 1)
            return
        if index == len(parts) - 1:
            _bind(libc, current, inner, MS_RDONLY | MS_NOSUID | MS_NODEV)
            shown.bound.add(current)
        elif not os.path.isdir(inner):
            os.mkdir(inner, 0o755)


def _build_root(libc: ctypes.CDLL, job: Job) -> Exposed:
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    root = job.root
    _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV,
           "size=1m,nr_inodes=4096,mode=0755")
    shown = Exposed(set(), set())
    for path in _host_paths():
        _expose(libc, path, root, shown)
    os.mkdir(root + "/dev", 0o755)
    for device in DEVICES:
        _bind(libc, f"/dev/{device}", f"{root}/dev/{device}", MS_NOSUID | MS_NOEXEC)
    work = root + WORK_DIR
    os.mkdir(work, 0o700)
    _mount(libc, "tmpfs", work, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
           f"size={job.work_bytes},nr_inodes=1024,mode=0700,uid={job.uid},gid={job.gid}")
    if job.font_cache and os.path.isfile(job.font_cache):
        config = work + "/.matplotlib"
        os.mkdir(config, 0o700)
        name = os.path.basename(job.font_cache)
        copy = shutil.copyfile(job.font_cache, os.path.join(config, name))
        for owned in (config, copy):
            os.chown(owned, job.uid, job.gid)
    _mount(libc, None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return shown


def _drop_privileges(uid: int, gid: int) -> None:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid) or os.getgroups():
        raise SetupError("could not switch to the sandbox user")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise SetupError("the sandbox user can become root again")


def seccomp_program(machine: str) -> bytes:
    """A classic-BPF seccomp filter for the chart code.

    Other architectures (and x32 calls) are killed; the listed syscalls, `clone` without
    CLONE_THREAD (a new process) fail with EPERM; `clone3` fails with ENOSYS so that threads
    fall back to `clone`, whose flags the filter can see. Threads stay possible.
    """
    if machine not in SYSCALLS:
        raise SetupError(f"no seccomp syscall table for {machine}")
    audit_arch, numbers = SYSCALLS[machine]
    deny = (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM)
    allow = (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW)
    code: list[tuple[int, int, int, int]] = [
        (BPF_LD_W_ABS, 0, 0, 4),
        (BPF_JEQ_K, 1, 0, audit_arch),
        (BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        (BPF_LD_W_ABS, 0, 0, 0),
    ]
    if machine == "x86_64":
        code += [(BPF_JGE_K, 0, 1, X32_SYSCALL_BIT), (BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS)]
    for name in _DENIED_SYSCALLS:
        if name in numbers:
            code += [(BPF_JEQ_K, 0, 1, numbers[name]), deny]
    code += [
        (BPF_JEQ_K, 0, 1, numbers["clone3"]),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS),
        (BPF_JEQ_K, 0, 3, numbers["clone"]),
        (BPF_LD_W_ABS, 0, 0, SECCOMP_DATA_ARG0),
        (BPF_JSET_K, 1, 0, CLONE_THREAD),
        deny,
        allow,
    ]
    return b"".join(struct.pack("=HBBI", *op) for op in code)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _restrict_syscalls(libc: ctypes.CDLL) -> None:
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SetupError("could not set no_new_privs")
    program = seccomp_program(os.uname().machine)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise SetupError(f"could not install seccomp: {os.strerror(ctypes.get_errno())}")


def confine(job: Job) -> tuple[int, Exposed]:
    """Namespaces and rlimits checked, new root, chroot, unprivileged, seccomp; the result fd
    and what the new root shows of the host."""
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    _check_namespaces(job.host_namespaces)
    _check_limits(job.rlimits)
    libc = _libc()
    shown = _build_root(libc, job)
    out_fd = os.dup(1)
    devnull = os.open("/dev/null", os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    os.chroot(job.root)
    os.chdir(WORK_DIR)
    _drop_privileges(job.uid, job.gid)
    _restrict_syscalls(libc)
    return out_fd, shown


# ---------------------------------------------------------------- chart code (unprivileged)


class ImportGate:
    """Meta-path hook: modules outside the allow-lists cannot be loaded any more."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        top = fullname.partition(".")[0]
        if top in ALLOWED_IMPORTS or top in LIBRARY_IMPORTS:
            return None
        raise ImportError(f"import of {fullname!r} is not allowed in chart code")


def guarded_import(name: str, globals: dict[str, Any] | None = None,
                   locals: dict[str, Any] | None = None,
                   fromlist: Sequence[str] = (), level: int = 0) -> ModuleType:
    """`__import__` for chart code: absolute imports of allow-listed modules only."""
    if level != 0 or name.partition(".")[0] not in ALLOWED_IMPORTS:
        raise ImportError(f"import of {name!r} is not allowed in chart code")
    return builtins.__import__(name, globals, locals, fromlist, level)


def safe_builtins() -> dict[str, Any]:
    names = vars(builtins)
    allowed = {k: v for k, v in names.items() if k not in BLOCKED_BUILTINS}
    allowed["__import__"] = guarded_import
    return allowed


def _blocked(name: str) -> Callable[..., NoReturn]:
    reason = "the chart is saved for you" if name == "savefig" else "no file access"

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise PermissionError(f"{name}() is not available in chart code: {reason}")

    return refuse


def _disable_file_access(numpy: ModuleType, pyplot: ModuleType, figure_class: type) -> None:
    """Stub out the file readers and writers chart code could reach through the libraries."""
    import matplotlib
    import matplotlib.image
    import matplotlib.style

    stubs: list[tuple[object, str]] = [
        *((numpy, name) for name in _NUMPY_FILE_FUNCTIONS if hasattr(numpy, name)),
        *((pyplot, name) for name in _PYPLOT_FILE_FUNCTIONS),
        (matplotlib.image, "imread"), (matplotlib, "rc_file"), (figure_class, "savefig"),
    ]
    for owner, name in stubs:
        setattr(owner, name, _blocked(name))
    setattr(pyplot, "show", lambda *args, **kwargs: None)  # noqa: B010 - mypy: typed attribute
    style_use = matplotlib.style.use
    available = {*matplotlib.style.available, "default"}

    def use_style(style: Any) -> None:
        names = style if isinstance(style, list | tuple) else [style]
        for item in names:
            if not (isinstance(item, dict) or item in available):
                raise PermissionError(f"unknown style {item!r}; use one of style.available")
        style_use(style)

    setattr(matplotlib.style, "use", use_style)  # noqa: B010 - mypy: typed attribute


def _on_cpu_limit(signum: int, frame: FrameType | None) -> None:
    raise CpuLimit


def _user_line(tb: TracebackType | None) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == CODE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.filename == CODE_NAME:
        return f"line {exc.lineno}: SyntaxError: {exc.msg}"
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    line = _user_line(exc.__traceback__)
    return f"line {line}: {text}" if line else text


def _truncate(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def draw(job: Job) -> tuple[bytes, bytes]:
    """Run the chart code on a fresh figure; (RESULT_PNG, png) or (RESULT_ERROR, message)."""
    signal.signal(signal.SIGXCPU, _on_cpu_limit)
    namespace: dict[str, Any] = {}
    try:
        if len(job.code.encode()) > MAX_CODE_BYTES:
            raise ChartCodeError(f"the code is longer than {MAX_CODE_BYTES // 1000} KB")
        import matplotlib

        matplotlib.use("Agg")
        matplotlib.rcParams["text.usetex"] = False
        import numpy
        from matplotlib import pyplot
        from matplotlib.figure import Figure

        save = Figure.savefig
        fig = pyplot.figure(figsize=FIGSIZE, dpi=DPI)
        ax = fig.add_subplot()
        _disable_file_access(numpy, pyplot, Figure)
        compiled = compile(job.code, CODE_NAME, "exec", dont_inherit=True)
        namespace.update({
            "__builtins__": safe_builtins(), "__name__": "chart_code",
            "table": ChartTable(job.table), "fig": fig, "ax": ax, "np": numpy, "plt": pyplot,
            "math": math,
        })
        sys.meta_path.insert(0, ImportGate())
        exec(compiled, namespace)  # noqa: S102 - the sandbox exists to run exactly this
        figure = namespace.get("fig")
        if not isinstance(figure, Figure):
            raise ChartCodeError("`fig` must still be a matplotlib Figure when the code ends")
        matplotlib.rcParams["text.usetex"] = False
        width, height = figure.get_size_inches()
        if max(width, height) * DPI > MAX_SIDE_PX:
            raise ChartCodeError(f"the figure is larger than {MAX_SIDE_PX} pixels on a side")
        buffer = io.BytesIO()
        save(figure, buffer, format="png", dpi=DPI)
        return RESULT_PNG, buffer.getvalue()
    except MemoryError:
        namespace.clear()
        return RESULT_ERROR, b"it ran out of memory"
    except CpuLimit:
        namespace.clear()
        return RESULT_ERROR, f"it used more than {job.cpu_seconds} s of CPU time".encode()
    except ChartCodeError as exc:
        return RESULT_ERROR, _truncate(str(exc)).encode()
    except BaseException as exc:
        return RESULT_ERROR, _truncate(_describe(exc)).encode()


def _fork_and_reap() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def _listing(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError as exc:  # every directory the runner made is listable
        raise ChartCodeError(f"cannot list {directory}: {exc.strerror}") from None


def self_test(job: Job, shown: Exposed) -> None:
    """Probe mode: confirm from inside that the confinement holds.

    What matters is that no host file is visible beyond the mounted installation, not whether
    a path name exists: an installation under /tmp or /home needs its mount point's parents.
    So the parent's marker files in the host's /tmp, /home, /var, /run and /root must be
    absent, and every directory on the way to a mount may list only that way."""
    if os.getuid() != job.uid or os.getgid() != job.gid:
        raise ChartCodeError("not running as the sandbox user")
    for denied in (lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
                   lambda: os.open("/probe", os.O_CREAT | os.O_WRONLY, 0o600),
                   _fork_and_reap):
        try:
            denied()
        except OSError:
            continue
        raise ChartCodeError("a forbidden operation succeeded")
    for hidden in PROBE_HIDDEN:
        if os.path.lexists(hidden):
            raise ChartCodeError(f"{hidden} is visible")
    for marker in job.markers:
        if os.path.lexists(marker):
            raise ChartCodeError(f"files in the host's {os.path.dirname(marker)} are visible")
    unexpected = [f"{name} in {directory}"
                  for directory, names in sorted(shown.expected_entries().items())
                  for name in sorted(set(_listing(directory)) - names)]
    if unexpected:
        raise ChartCodeError(f"unexpected files are visible: {', '.join(unexpected[:3])}")


def _read_job() -> Job:
    raw = sys.stdin.buffer.read(MAX_JOB_BYTES + 1)
    if len(raw) > MAX_JOB_BYTES:
        raise SetupError("the job is too large")
    return Job.parse(raw)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def main() -> int:
    """Confine, report MAGIC, run the chart code, report its result."""
    try:
        job = _read_job()
        out_fd, shown = confine(job)
    except Exception as exc:
        sys.stderr.write(f"sandbox setup failed: {type(exc).__name__}: {exc}\n")
        return EXIT_SETUP_FAILED
    _write_all(out_fd, MAGIC)
    if job.probe:
        try:
            self_test(job, shown)
        except ChartCodeError as exc:
            _write_all(out_fd, RESULT_ERROR + str(exc).encode())
            return 1
    kind, body = draw(job)
    _write_all(out_fd, kind + body)
    return 0 if kind == RESULT_PNG else 1


if __name__ == "__main__":
    sys.exit(main())
