"""Load benchmark: what the bot adds on top of model latency.

Runs the real bot (`python -m bot`) as a child process against a fake Bot API and a fake
OpenAI-compatible endpoint with a fixed latency, drives K chats through a scripted session
(a chart photo, edits, button taps, a question, the same photo again, a burst of edits) and
reports figures, not pass/fail: bot overhead (end-to-end time minus the injected model
latency), end-to-end times per kind, chart render time, peak memory, Redis bytes per session,
model calls, prompt sizes and lost or reordered replies.

    python -m bench.load --chats 50 --vision-ms 800 --instruct-ms 400 --think-ms 500 \
        [--redis] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from PIL import Image

from bench import renders
from bench.baseline import DEFAULT_REF
from bench.renders import chat_rows, chat_table
from bot.charts.render import render_png
from bot.charts.spec import ChartSpec
from bot.llm.read_check import CHECK_PROMPT, CHECK_SCALE_DOWN, CHECK_SCALE_UP
from bot.sessions.store import decode_session
from bot.tables.table import Table
from tests.bot_harness import VISION_ANSWER, ChartModel
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse, images_in, prompt_text
from tests.fakes.telegram_api import (
    QUIET_METHODS,
    ChatId,
    FakeTelegram,
    FileInfo,
    Params,
    Sent,
    check_photo,
    image_size,
)

REPO = Path(__file__).resolve().parent.parent
FIRST_CHAT_ID = 7_000_001
KINDS = ("photo", "edit", "tap", "question", "repeat_photo", "burst")
OVERHEAD_KINDS = frozenset(KINDS) - {"burst"}  # burst replies also wait for each other
TARGETS = {"overhead_p50_x_k1": 1.2, "overhead_p99_x_k1": 2.0, "session_bytes": 8192}
"""How much load may cost: overhead p50 and p99 as multiples of the same build's K = 1 run on
the same machine (given with --k1), and the session size."""
BOT_UPDATE_LOG = re.compile(
    r"update=(\d+) chat=\S+ kind=(\w+) queued_ms=(\d+) handled_ms=(\d+)((?: \w+_ms=\d+)*)")
PHASE = re.compile(r"(\w+)_ms=(\d+)")
PHASES = ("drawing", "render_wait", "send", "store", "model_beyond_latency", "image", "rest")
"""How handling time beyond the model latency splits: drawing the chart (in a worker), waiting
for a worker, Bot API sends, Redis, the model client's own time, downloading and preparing a
photo, and everything else (parsing, validating, building the reply, the event loop)."""


# --- the chats and what the fake model answers ------------------------------------------------

@dataclass(frozen=True)
class ChatData:
    """One simulated person: a chart with its own data, photographed with a unique height."""

    index: int
    chat_id: int
    table: Table
    photo: bytes
    size: tuple[int, int]
    vision_answer: str


def vision_answer(index: int) -> str:
    rows = "\n".join(f"| {year} | {value} |" for year, value in chat_rows(index))
    return (f"| Year | Sales |\n|------|-------|\n{rows}\n\n"
            f"Title: Sales by year, shop {index}\nChart type: bar")


PADS_PER_ROW = 16


def make_chat(index: int) -> ChatData:
    """The chat's chart photo, padded with white so the fake model can tell it apart by its
    size (the bot keeps the pixel size when it sends the image on). Sizes step by 4 pixels,
    so the read check's copies at 3/4 and 5/4 scale stay apart too."""
    table = chat_table(index)
    png = render_png(table, ChartSpec(type="bar"))
    pad_x, pad_y = 4 * (index % PADS_PER_ROW), 4 * (index // PADS_PER_ROW + 1)
    with Image.open(io.BytesIO(png)) as chart:
        photo = Image.new("RGB", (chart.width + pad_x, chart.height + pad_y), "white")
        photo.paste(chart.convert("RGB"), (0, 0))
    out = io.BytesIO()
    photo.save(out, format="PNG")
    return ChatData(index, FIRST_CHAT_ID + index, table, out.getvalue(), photo.size,
                    vision_answer(index))


def sample_renders(render_ms: list[float], sessions: int = 8, baseline: str = ""
                   ) -> dict[str, Any]:
    """Time one render: the charts a session draws (its photo's chart, then with an added row
    as bar, pie, line and sorted line) for the first `sessions` chats, the same set whatever
    K is, each drawn by today's renderer and by the `baseline` build's (a git ref; '' for
    none) in turn (bench.renders). Today's wall-clock times go into `render_ms`; returns the
    figures of both."""
    renderers = {"today": renders.this_renderer()}
    if baseline:
        renderers[baseline] = renders.baseline_renderer(baseline)
    samples = renders.compare(renderers, sessions, rounds=1)
    render_ms += [wall for values in samples["today"].values() for wall, _ in values]
    return renders.figures(samples)


@dataclass
class BenchModel(ChartModel):
    """ChartModel with fixed latencies and one table per chat, told apart by photo size."""

    answers: dict[tuple[int, int], str] = field(default_factory=dict)
    vision_s: float = 0.0
    instruct_s: float = 0.0
    unknown_images: int = 0

    def __call__(self, body: dict[str, Any]) -> FakeLLMResponse:
        images = images_in(body)
        if images:
            size = image_size(images[0]) or (0, 0)
            answer = self.answers.get(size)
            if answer is None and is_check_read(body):  # the read check's rescaled image
                answer = next((a for (w, h), a in self.answers.items()
                               if size in ((round(w * k), round(h * k))
                                           for k in (CHECK_SCALE_DOWN, CHECK_SCALE_UP))), None)
            if answer is None:
                self.unknown_images += 1
            return FakeLLMResponse(answer or VISION_ANSWER, delay=self.vision_s)
        response = super().__call__(body)
        response.delay = self.instruct_s
        return response


def is_check_read(body: dict[str, Any]) -> bool:
    """Whether a vision request is the read check's second read (READ_CHECK=on)."""
    return CHECK_PROMPT.split("\n", 1)[0] in prompt_text(body)


# --- a Bot API fake that timestamps replies ----------------------------------------------------

@dataclass(frozen=True)
class Arrival:
    at: float  # time.monotonic() when the fake recorded it
    sent: Sent


class TimedTelegram(FakeTelegram):
    """FakeTelegram that puts every reply, timestamped, on a per-chat queue.

    Photos the bot sends are stored as one size only (no thumbnails) so the benchmark process
    spends its CPU on serving, not on making JPEGs the bot never reads back.
    """

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: defaultdict[ChatId, asyncio.Queue[Arrival]] = defaultdict(asyncio.Queue)
        self.last_update_id = 0
        self.last_reply_at = 0.0
        self.chat_sends: list[float] = []  # when each call PTB's AIORateLimiter counts arrived
        self.chat_methods: Counter[str] = Counter()

    def send_rate(self) -> dict[str, Any]:
        """Bot API calls carrying a chat_id (what PTB's limiter caps at 30/s): count, mean
        rate and the busiest second."""
        times = self.chat_sends
        busiest, first = 0, 0
        for last, at in enumerate(times):
            while at - times[first] >= 1.0:
                first += 1
            busiest = max(busiest, last - first + 1)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        return {"chat_calls": len(times), "per_s_mean": round(len(times) / span, 1) if span
                else math.nan, "per_s_busiest_second": busiest,
                "by_method": dict(self.chat_methods.most_common())}

    def _record(self, method: str, params: Params, chat_id: ChatId | None, *,
                message: dict[str, Any] | None = None, file: FileInfo | None = None) -> Sent:
        record = super()._record(method, params, chat_id, message=message, file=file)
        record.file = None  # nobody reads it; keeps the benchmark's memory flat
        if chat_id is not None and method != "answerCallbackQuery":
            self.chat_sends.append(time.monotonic())
            self.chat_methods[method] += 1
        if chat_id is not None and method not in QUIET_METHODS:
            self.last_reply_at = time.monotonic()
            self.arrivals[chat_id].put_nowait(Arrival(self.last_reply_at, record))
        return record

    def _photo_content(self, value: Any, p: Params) -> tuple[dict[str, Any], FileInfo]:
        upload = self._incoming_file(value, p, "photo")
        check_photo(upload[0])
        width, height = image_size(upload[0]) or (1, 1)
        return {"photo": self._photo_sizes([(width, height, upload[0])])}, upload

    def _enqueue(self, update: dict[str, Any]) -> int:
        self.last_update_id = super()._enqueue(update)
        return self.last_update_id


# --- the session script ------------------------------------------------------------------------

@dataclass(frozen=True)
class Expect:
    """One message of a reply: its Bot API method and pieces of its text."""

    method: str
    text: str
    also: str = ""  # e.g. the table's header, shown under a chart's caption


@dataclass(frozen=True)
class Step:
    kind: str
    action: str  # "photo", a message text, or "tap:<button label>"
    expect: tuple[Expect, ...]
    model_s: float  # injected model latency for this step


def session_script(chat: ChatData, opts: Options) -> list[list[Step]]:
    """Rounds of steps; the steps of one round are sent back to back (a burst)."""
    vision, instruct = opts.vision_ms / 1000, opts.instruct_ms / 1000
    photo = (Expect("sendPhoto", f"shop {chat.index}", also="Year"),)

    def edit(text: str, *expect: Expect) -> Step:
        return Step("edit", text, expect, instruct)

    def tap(label: str, caption: str, method: str = "editMessageMedia") -> Step:
        return Step("tap", f"tap:{label}", (Expect(method, caption),), 0.0)

    rounds = [
        Step("photo", "photo", photo, vision),
        edit("add 2024 = 99", Expect("sendPhoto", "Added 2024.", also="2024")),
        tap("Pie", "Pie chart"),
        edit("make it a line chart", Expect("sendPhoto", "Now a line chart.")),
        Step("question", "what is the highest year?", (Expect("sendMessage", "2024"),),
             instruct),
        edit("sort descending", Expect("sendPhoto", "Sorted.")),
        tap("Sort", "Sorted"),
        tap("Table", "Year", "sendMessage"),
        Step("repeat_photo", "photo", photo, 0.0),
    ]
    script = [[step] for step in rounds]
    years = [str(2025 + j) for j in range(opts.burst)]
    if years:
        script.append([Step("burst", f"add {y} = {j + 1}",
                            (Expect("sendPhoto", f"Added {y}.", also=y),), instruct)
                       for j, y in enumerate(years)])
    return script


# --- running one chat --------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    status: str  # ok | lost | wrong
    e2e_ms: float = math.nan
    model_ms: float = 0.0
    update_id: int = 0
    detail: str = ""
    sent: bool = True  # False when the step was never sent (an earlier one was lost)


@dataclass
class Options:
    chats: int
    vision_ms: float
    instruct_ms: float
    think_ms: float
    ramp_s: float
    burst: int
    redis: bool
    timeout_s: float
    seed: int
    json_path: Path | None
    bot_log: Path | None
    render_sessions: int = 8
    baseline: str = ""
    k1: Path | None = None
    read_check: str = "on"


class ChatRunner:
    """Plays one chat's script against the bot and checks every reply."""

    def __init__(self, telegram: TimedTelegram, chat: ChatData, opts: Options) -> None:
        self.telegram = telegram
        self.chat = chat
        self.opts = opts
        self.random = random.Random(opts.seed * 100_003 + chat.index)
        self.latest_chart: Sent | None = None
        self.outcomes: list[Outcome] = []

    async def run(self) -> list[Outcome]:
        await asyncio.sleep(self.random.uniform(0, self.opts.ramp_s))
        script = session_script(self.chat, self.opts)
        for number, round_ in enumerate(script):
            if number:
                await asyncio.sleep(self.opts.think_ms / 1000 * self.random.uniform(0.5, 1.5))
            if not await self.play(round_):
                left = [step for later in script[number + 1:] for step in later]
                self.outcomes += [Outcome(s.kind, "lost", detail="not sent", sent=False)
                                  for s in left]
                break
        return self.outcomes

    async def play(self, round_: list[Step]) -> bool:
        """Send the round's steps, then collect their replies in order; False if one is lost."""
        sent_at: list[tuple[float, int]] = []
        for step in round_:
            try:
                self.send(step)
            except AssertionError as exc:  # e.g. no such button on the latest chart
                self.outcomes.append(Outcome(step.kind, "wrong", detail=str(exc)[:200],
                                             sent=False))
                return False
            sent_at.append((time.monotonic(), self.telegram.last_update_id))
        for step, (started, update_id) in zip(round_, sent_at, strict=True):
            outcome = await self.collect(step, started)
            outcome.update_id = update_id
            self.outcomes.append(outcome)
            if outcome.status == "lost":
                return False
        return True

    def send(self, step: Step) -> None:
        chat_id = self.chat.chat_id
        if step.action == "photo":
            self.telegram.send_photo(chat_id, self.chat.photo, sizes=[self.chat.size])
        elif step.action.startswith("tap:"):
            chart = self.latest_chart
            if chart is None:
                raise AssertionError("no chart to tap yet")
            data = chart.button_data(step.action.removeprefix("tap:"))
            self.telegram.press_button(chat_id, chart.message_id or 0, data)
        else:
            self.telegram.send_text(chat_id, step.action)

    async def collect(self, step: Step, started: float) -> Outcome:
        """Wait for the step's reply messages, in order, and check each is the expected one."""
        queue = self.telegram.arrivals[self.chat.chat_id]
        last = started
        wrong = ""
        for expected in step.expect:
            try:
                arrival = await asyncio.wait_for(queue.get(), self.opts.timeout_s)
            except TimeoutError:
                return Outcome(step.kind, "lost", detail=f"{step.action!r}: no {expected}")
            last = arrival.at
            got = arrival.sent
            if got.method in ("sendPhoto", "editMessageMedia"):
                self.latest_chart = got
            text = got.plain_text or ""
            if not wrong and (got.method != expected.method or expected.text not in text
                              or expected.also not in text):
                wrong = f"{step.action!r}: wanted {expected}, got {got.method} {text[:80]!r}"
        return Outcome(step.kind, "wrong" if wrong else "ok", (last - started) * 1000,
                       step.model_s * 1000, detail=wrong)


# --- the bot process ---------------------------------------------------------------------------

@dataclass
class ProcessPeak:
    role: str  # bot | render worker | resource tracker | other
    hwm_kb: int = 0  # VmHWM: peak resident set
    cpu_s: float = 0.0  # user + system CPU time so far


class BotProcess:
    """`python -m bot` in a child process; its and its children's memory and CPU sampled."""

    def __init__(self, env: dict[str, str], log_path: Path, workdir: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.peaks: dict[int, ProcessPeak] = {}
        self.last_seen: set[int] = set()  # the processes alive at the latest sample
        self.most_workers = 0  # the most render workers alive at one sample

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "bot"], env=self.env,
                                            cwd=self.workdir, stdout=log,
                                            stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def sample(self) -> None:
        """Remember each process's VmHWM and CPU time: the bot and its children."""
        if not self.alive():
            return
        self.last_seen = set()
        for pid in [self.pid, *descendants(self.pid)]:
            kb, cpu = vm_hwm_kb(pid), cpu_seconds(pid)
            if kb is None or cpu is None:
                continue
            self.last_seen.add(pid)
            peak = self.peaks.setdefault(
                pid, ProcessPeak("bot" if pid == self.pid else process_role(pid)))
            peak.hwm_kb, peak.cpu_s = max(peak.hwm_kb, kb), max(peak.cpu_s, cpu)
        self.most_workers = max(self.most_workers, sum(
            self.peaks[pid].role == "render worker" for pid in self.last_seen))

    def stop(self) -> int | None:
        """SIGINT (a clean PTB shutdown), then SIGKILL if it hangs; returns the exit code."""
        if self.process is None:
            return None
        if self.alive():
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def cpu_by_role(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for peak in self.peaks.values():
            totals[peak.role] += peak.cpu_s
        return dict(totals)

    def figures(self) -> dict[str, Any]:
        """Peak RSS (VmHWM) of the bot process, of its render workers (the sum of the largest
        peaks, as many as were ever alive at once: workers are recycled) and of the others
        (multiprocessing's resource tracker)."""
        bot = sum(p.hwm_kb for p in self.peaks.values() if p.role == "bot")
        worker_peaks = sorted((p.hwm_kb for p in self.peaks.values()
                               if p.role == "render worker"), reverse=True)
        workers = sum(worker_peaks[:self.most_workers])
        others = sum(p.hwm_kb for p in self.peaks.values()
                     if p.role not in ("bot", "render worker"))
        return {"bot_kb": bot, "render_workers_kb": workers, "render_workers": self.most_workers,
                "render_workers_started": len(worker_peaks),
                "render_workers_alive_at_end": sum(self.peaks[pid].role == "render worker"
                                                   for pid in self.last_seen),
                "other_children_kb": others, "total_kb": bot + workers + others}


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                children = [int(c) for c in task.read_text().split()]
            except OSError:
                continue
            found += children
            pending += children
    return found


def vm_hwm_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_role(pid: int) -> str:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"
    if "resource_tracker" in cmdline:
        return "resource tracker"
    return "render worker" if "spawn_main" in cmdline else "other"


def bot_env(telegram: FakeTelegram, llm: FakeLLM, redis_url: str | None,
            read_check: str = "on") -> dict[str, str]:
    """A clean environment: only what the bot needs, limits off, nothing inherited from .env;
    `read_check` is READ_CHECK (builds before the read check ignore it)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL",
                                                         "TMPDIR", "MPLCONFIGDIR")}
    env.update(PYTHONPATH=str(REPO), TELEGRAM_BOT_TOKEN=telegram.token,
               TELEGRAM_API_URL=telegram.root_url, LLM_BASE_URL=llm.base_url,
               LLM_API_KEY=FAKE_LLM_KEY, RATE_LIMIT_PER_MINUTE="0", DAILY_MODEL_CALLS="0",
               LOG_LEVEL="INFO", READ_CHECK=read_check)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


async def wait_until_polling(telegram: FakeTelegram, bot: BotProcess, limit_s: float) -> None:
    """Until the bot's first getUpdates (it has warmed its render workers by then)."""
    deadline = time.monotonic() + limit_s
    while not any(call.method == "getUpdates" for call in telegram.requests):
        if not bot.alive():
            raise RuntimeError(f"the bot exited at start-up:\n{tail(bot.log_path)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start polling in {limit_s}s:\n"
                               f"{tail(bot.log_path)}")
        await asyncio.sleep(0.05)


def tail(path: Path, chars: int = 2000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"


async def sample_until(bot: BotProcess, done: asyncio.Event) -> None:
    while not done.is_set():
        bot.sample()
        try:
            await asyncio.wait_for(done.wait(), 0.5)
        except TimeoutError:
            continue


# --- figures -----------------------------------------------------------------------------------

def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def spread(values: Sequence[float], pcts: Sequence[int] = (50, 95, 99)) -> dict[str, float]:
    figures = {f"p{p}": round(percentile(values, p), 1) for p in pcts}
    figures["n"] = len(values)
    return figures


def model_call_figures(llm: FakeLLM, outcomes: Sequence[Outcome], chats: int
                       ) -> dict[str, Any]:
    """Model calls per session, and whether repeat photos and taps cost none."""
    requests = llm.chat_requests
    checks = [r for r in requests if images_in(r) and is_check_read(r.json)]
    vision = [r for r in requests if images_in(r) and not is_check_read(r.json)]
    instruct = [r for r in requests if not images_in(r)]
    prompts = [len(prompt_text(r)) for r in instruct]
    sent: Counter[str] = Counter(o.kind for o in outcomes if o.sent)
    texts = sent["edit"] + sent["question"] + sent["burst"]
    return {
        "total": len(requests), "vision": len(vision), "instruct": len(instruct),
        "check_reads": len(checks),
        "per_session": round(len(requests) / chats, 2),
        "extra_vision_calls": len(vision) - sent["photo"],  # >0: a repeat photo cost a call
        "extra_instruct_calls": len(instruct) - texts,  # >0: a tap or a re-ask cost a call
        "prompt_chars_per_edit": {"p50": percentile(prompts, 50),
                                  "max": max(prompts, default=0)},
    }


def bot_log_figures(log_path: Path, outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Split each reply's time using the bot's own per-update log line: time before the bot
    started on it (Bot API delivery + waiting behind the chat's earlier update) and time
    handling it beyond the model latency."""
    logged = {int(m.group(1)): (int(m.group(3)), int(m.group(4)),
                                {k: int(v) for k, v in PHASE.findall(m.group(5))})
              for m in BOT_UPDATE_LOG.finditer(log_path.read_text(errors="replace"))}
    delivery, queued, handling = [], [], []
    phases: dict[str, list[float]] = {name: [] for name in PHASES}
    for o in outcomes:
        if o.status != "ok" or o.update_id not in logged or o.kind not in OVERHEAD_KINDS:
            continue
        wait_ms, handled_ms, timed = logged[o.update_id]
        delivery.append(o.e2e_ms - wait_ms - handled_ms)
        queued.append(wait_ms)
        handling.append(handled_ms - o.model_ms)
        split = {
            "drawing": timed.get("render", 0) - timed.get("render_wait", 0),
            "render_wait": timed.get("render_wait", 0),
            "send": timed.get("send", 0),
            "store": timed.get("store", 0),
            "model_beyond_latency": max(0.0, timed.get("model", 0) - o.model_ms),
            "image": timed.get("download", 0) + timed.get("image", 0),
        }
        split["rest"] = max(0.0, handled_ms - o.model_ms - sum(split.values()))
        for name, ms in split.items():
            phases[name].append(ms)
    return {"delivery_ms": spread(delivery), "chat_queue_ms": spread(queued),
            "handling_minus_model_ms": spread(handling),
            "phases_ms": {name: {**spread(values), "mean": round(statistics.fmean(values), 1)
                                 if values else 0.0}
                          for name, values in phases.items()},
            "updates_logged": len(logged)}


def redis_figures(url: str, chats: Sequence[ChatData]) -> dict[str, Any]:
    """MEMORY USAGE of each session hash, its compressed payload and its decoded size."""
    from redis import Redis

    client = Redis.from_url(url)
    usage, payload, history = [], [], []
    try:
        for chat in chats:
            key = f"replot:session:telegram:{chat.chat_id}"
            used = cast(int | None, client.memory_usage(key, samples=0))
            data = cast(bytes | None, client.hget(key, "d"))  # a sync client: no awaitables
            if used is None or data is None:
                continue
            usage.append(int(used))
            payload.append(len(data))
            history.append(len(decode_session(f"telegram:{chat.chat_id}", 0, data).undo))
    finally:
        client.close()
    return {"sessions": len(usage), "memory_usage_bytes_avg": mean(usage),
            "memory_usage_bytes_max": max(usage, default=0), "payload_bytes_avg": mean(payload),
            "undo_steps_avg": mean(history)}


def mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 1) if values else math.nan


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    per_s = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - idle) / per_s, sum(ticks) / per_s


@dataclass
class CpuWindow:
    """CPU seconds used during the load phase: the bot, its workers, this process, everyone."""

    bot: dict[str, float]
    own: float
    machine: tuple[float, float]

    @classmethod
    def now(cls, bot: BotProcess) -> CpuWindow:
        bot.sample()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return cls(bot.cpu_by_role(), usage.ru_utime + usage.ru_stime, machine_cpu_s())

    def since(self, start: CpuWindow) -> dict[str, float]:
        def used(role: str) -> float:
            return round(self.bot.get(role, 0.0) - start.bot.get(role, 0.0), 1)

        busy = self.machine[0] - start.machine[0]
        total = self.machine[1] - start.machine[1]
        mine = used("bot") + used("render worker") + self.own - start.own
        return {"bot_s": used("bot"), "render_workers_s": used("render worker"),
                "benchmark_s": round(self.own - start.own, 1),
                "machine_busy_pct": round(100 * busy / total, 1) if total else math.nan,
                "others_s": round(max(0.0, busy - mine), 1)}


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return {"cpu": model.group(1).strip() if model else platform.processor(),
            "cores": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "load_avg_1m_before": round(os.getloadavg()[0], 2)}


def summarise(state: RunState) -> dict[str, Any]:
    outcomes, render_ms = state.outcomes, state.render_ms
    ok = [o for o in outcomes if o.status == "ok"]
    overhead = [o.e2e_ms - o.model_ms for o in ok if o.kind in OVERHEAD_KINDS]
    render_p50 = percentile(render_ms, 50)
    k1 = state.k1_overhead_ms
    return {
        "replies": {"total": len(ok), "per_s": round(len(ok) / state.busy_s, 2),
                    "busy_s": round(state.busy_s, 1), "wall_s": round(state.wall_s, 1),
                    "lost": sum(o.status == "lost" and o.sent for o in outcomes),
                    "not_sent": sum(not o.sent for o in outcomes),
                    "wrong_or_reordered": sum(o.status == "wrong" for o in outcomes),
                    "problems": [o.detail for o in outcomes if o.status != "ok"][:10]},
        "overhead_ms": spread(overhead),
        "e2e_ms": {kind: spread([o.e2e_ms for o in ok if o.kind == kind]) for kind in KINDS},
        "render_ms": spread(render_ms, (50, 95)),
        "overhead_x_render_p50": {
            "p50": round(percentile(overhead, 50) / render_p50, 2),
            "p99": round(percentile(overhead, 99) / render_p50, 2)},
        "overhead_x_k1": {
            "p50": round(percentile(overhead, 50) / k1["p50"], 2) if k1 else None,
            "p99": round(percentile(overhead, 99) / k1["p99"], 2) if k1 else None},
        "renders": state.renders,
    }


def judge(report: dict[str, Any]) -> dict[str, bool | None]:
    """Which targets the run met (None: not measured in this run)."""
    load_cost = report["overhead_x_k1"]
    calls = report["model_calls"]
    redis = report.get("redis")
    replies = report["replies"]
    return {
        "overhead_p50_le_1.2x_k1": (load_cost["p50"] <= TARGETS["overhead_p50_x_k1"]
                                    if load_cost["p50"] is not None else None),
        "overhead_p99_le_2x_k1": (load_cost["p99"] <= TARGETS["overhead_p99_x_k1"]
                                  if load_cost["p99"] is not None else None),
        "no_lost_or_reordered": not (replies["lost"] or replies["wrong_or_reordered"]
                                     or replies["not_sent"]),
        "repeat_photo_zero_model_calls": calls["extra_vision_calls"] == 0,
        "taps_zero_model_calls": calls["extra_instruct_calls"] == 0,
        "session_le_8kb_in_redis": (redis["memory_usage_bytes_avg"] <= TARGETS["session_bytes"]
                                    if redis else None),
    }


def format_report(report: dict[str, Any]) -> str:
    cfg, mach, rep = report["config"], report["machine"], report["replies"]
    over, ratio, render = report["overhead_ms"], report["overhead_x_render_p50"], \
        report["render_ms"]
    mem, calls, split = report["memory"], report["model_calls"], report["bot_log"]
    api, cpu = report["bot_api"], report["cpu_s"]
    lines = [
        f"Replot load benchmark: {cfg['chats']} chats, vision {cfg['vision_ms']:g} ms, "
        f"instruct {cfg['instruct_ms']:g} ms, think {cfg['think_ms']:g} ms, "
        f"burst {cfg['burst']}, store {'redis' if cfg['redis'] else 'memory'}, "
        f"read check {cfg.get('read_check', 'on')}",
        f"machine: {mach['cores']} cores, {mach['cpu']}, Python {mach['python']}, "
        f"load {mach['load_avg_1m_before']} before / {mach['load_avg_1m_after']} after",
        f"replies: {rep['total']} in {rep['busy_s']} s = {rep['per_s']}/s; lost {rep['lost']}, "
        f"wrong or reordered {rep['wrong_or_reordered']}, not sent after a loss "
        f"{rep['not_sent']}",
        f"bot overhead (e2e - model latency): p50 {over['p50']} ms, p95 {over['p95']} ms, "
        f"p99 {over['p99']} ms (n={over['n']})",
        f"chart render in-process: p50 {render['p50']} ms, p95 {render['p95']} ms "
        f"(n={render['n']}); overhead = {ratio['p50']}x (p50), {ratio['p99']}x (p99) "
        "of render p50",
        renders.format_figures(report["renders"]),
        "load cost: overhead = " + (
            f"{report['overhead_x_k1']['p50']}x (p50), {report['overhead_x_k1']['p99']}x (p99) "
            "of the K = 1 run's" if report["overhead_x_k1"]["p50"] is not None
            else "n/a (give the K = 1 run's --json report with --k1)"),
        "end-to-end by kind (ms):",
    ]
    for kind, figures in report["e2e_ms"].items():
        lines.append(f"  {kind:<13} p50 {figures['p50']:>8}  p95 {figures['p95']:>8}  "
                     f"p99 {figures['p99']:>8}  n={figures['n']}")
    lines += [
        "where the overhead goes (bot log, ms, p50/p99): "
        f"delivery {split['delivery_ms']['p50']}/{split['delivery_ms']['p99']}, "
        f"chat queue {split['chat_queue_ms']['p50']}/{split['chat_queue_ms']['p99']}, "
        f"handling - model {split['handling_minus_model_ms']['p50']}/"
        f"{split['handling_minus_model_ms']['p99']}",
        "  of which (ms, mean p50/p99): " + ", ".join(
            f"{name.replace('_', ' ')} {f['mean']} {f['p50']}/{f['p99']}"
            for name, f in split["phases_ms"].items()),
        f"Bot API calls with a chat_id (PTB's AIORateLimiter allows 30/s): "
        f"{api['chat_calls']}, {api['per_s_mean']}/s mean, {api['per_s_busiest_second']} in the "
        "busiest second; " + ", ".join(f"{m} {n}" for m, n in api["by_method"].items()),
        f"CPU seconds over the {rep['wall_s']} s load phase: bot {cpu['bot_s']}, render workers "
        f"{cpu['render_workers_s']}, this benchmark (fakes) {cpu['benchmark_s']}, other processes"
        f" {cpu['others_s']}; machine {cpu['machine_busy_pct']}% busy",
        f"peak RSS (VmHWM): bot {mem['bot_kb'] / 1024:.0f} MB + {mem['render_workers']} render "
        f"workers {mem['render_workers_kb'] / 1024:.0f} MB (sum) + resource tracker "
        f"{mem['other_children_kb'] / 1024:.0f} MB = {mem['total_kb'] / 1024:.0f} MB "
        f"({mem['render_workers_started']} workers started in all, "
        f"{mem['render_workers_alive_at_end']} alive at the end)",
        f"model calls: {calls['total']} ({calls['vision']} vision, "
        f"{calls['check_reads']} read checks, {calls['instruct']} "
        f"instruct) = {calls['per_session']}/session; extra vision {calls['extra_vision_calls']},"
        f" extra instruct {calls['extra_instruct_calls']}",
        f"prompt per edit: p50 {calls['prompt_chars_per_edit']['p50']} chars, "
        f"max {calls['prompt_chars_per_edit']['max']}",
    ]
    redis = report.get("redis")
    if redis:
        lines.append(f"redis per session: MEMORY USAGE {redis['memory_usage_bytes_avg']} B avg "
                     f"(max {redis['memory_usage_bytes_max']}), compressed payload "
                     f"{redis['payload_bytes_avg']} B, {redis['undo_steps_avg']} undo steps")
    lines.append("targets: " + ", ".join(
        f"{name} {'met' if met else 'NOT met' if met is False else 'n/a'}"
        for name, met in report["targets"].items()))
    return "\n".join(lines)


# --- the run -----------------------------------------------------------------------------------

@dataclass
class Fakes:
    telegram: TimedTelegram
    llm: FakeLLM
    model: BenchModel


@dataclass
class RunState:
    chats: list[ChatData]
    render_ms: list[float]
    workdir: Path
    redis_url: str | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    renders: dict[str, Any] = field(default_factory=dict)  # today's and the baseline's
    k1_overhead_ms: dict[str, float] | None = None  # the --k1 report's overhead p50, p99
    wall_s: float = 0.0  # the load phase, waits for lost replies included
    busy_s: float = 0.0  # from the load phase's start to the last reply


async def start_fakes(state: RunState, opts: Options) -> Fakes:
    telegram = TimedTelegram()
    llm = FakeLLM(api_key=FAKE_LLM_KEY)
    model = BenchModel(answers={c.size: c.vision_answer for c in state.chats},
                       vision_s=opts.vision_ms / 1000, instruct_s=opts.instruct_ms / 1000)
    llm.responder = model
    await telegram.start()
    await llm.start()
    return Fakes(telegram, llm, model)


async def drive(fakes: Fakes, state: RunState, opts: Options, bot: BotProcess) -> None:
    """Start the bot, play every chat (timing the load phase), stop the bot."""
    bot.start()
    done = asyncio.Event()
    sampler = asyncio.create_task(sample_until(bot, done))
    try:
        await wait_until_polling(fakes.telegram, bot, limit_s=90)
        started, cpu = time.monotonic(), CpuWindow.now(bot)
        runners = [ChatRunner(fakes.telegram, chat, opts) for chat in state.chats]
        results = await asyncio.gather(*(runner.run() for runner in runners))
        state.wall_s = time.monotonic() - started
        state.busy_s = max(fakes.telegram.last_reply_at - started, 1e-3)
        state.cpu = CpuWindow.now(bot).since(cpu)
        state.outcomes = [o for chat_outcomes in results for o in chat_outcomes]
    finally:
        done.set()
        await sampler
        await asyncio.to_thread(bot.stop)


async def run(opts: Options) -> dict[str, Any]:
    """The whole benchmark; returns the report (also printed by main)."""
    mach = machine()
    render_ms: list[float] = []
    chats = [make_chat(i) for i in range(opts.chats)]
    rendered = sample_renders(render_ms, opts.render_sessions, opts.baseline)
    k1 = json.loads(opts.k1.read_text())["overhead_ms"] if opts.k1 else None
    with tempfile.TemporaryDirectory(prefix="replot-bench-") as tmp, redis_server(
            opts.redis, Path(tmp)) as redis_url:
        state = RunState(chats, render_ms, Path(tmp), redis_url, renders=rendered,
                         k1_overhead_ms=k1)
        fakes = await start_fakes(state, opts)
        bot = BotProcess(bot_env(fakes.telegram, fakes.llm, redis_url, opts.read_check),
                         Path(tmp) / "bot.log", Path(tmp))
        try:
            await drive(fakes, state, opts, bot)
        finally:
            await fakes.llm.stop()
            await fakes.telegram.stop()
        mach["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
        report = build_report(opts, mach, state, fakes, bot)
        if opts.bot_log is not None:
            shutil.copyfile(bot.log_path, opts.bot_log)
    return report


def build_report(opts: Options, mach: dict[str, Any], state: RunState, fakes: Fakes,
                 bot: BotProcess) -> dict[str, Any]:
    report: dict[str, Any] = {
        "config": {"chats": opts.chats, "vision_ms": opts.vision_ms, "baseline": opts.baseline,
                   "k1": str(opts.k1) if opts.k1 else None,
                   "instruct_ms": opts.instruct_ms, "think_ms": opts.think_ms,
                   "ramp_s": opts.ramp_s, "burst": opts.burst, "redis": opts.redis,
                   "read_check": opts.read_check,
                   "seed": opts.seed},
        "machine": mach,
        **summarise(state),
        "bot_log": bot_log_figures(bot.log_path, state.outcomes),
        "memory": bot.figures(),
        "cpu_s": state.cpu,
        "bot_api": fakes.telegram.send_rate(),
        "model_calls": model_call_figures(fakes.llm, state.outcomes, opts.chats),
        "unknown_images": fakes.model.unknown_images,
        "redis": redis_figures(state.redis_url, state.chats) if state.redis_url else None,
    }
    report["targets"] = judge(report)
    return report


@contextmanager
def redis_server(wanted: bool, workdir: Path) -> Iterator[str | None]:
    """A throwaway redis-server (as tests/redis_fixture.py runs it); None when not wanted."""
    if not wanted:
        yield None
        return
    from tests.redis_fixture import RedisServer, free_port

    executable = shutil.which("redis-server")
    if executable is None:
        raise SystemExit("--redis needs redis-server on PATH")
    server = RedisServer(executable, free_port(), workdir)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=10, help="simultaneous chats (K)")
    parser.add_argument("--vision-ms", type=float, default=800, help="vision model latency")
    parser.add_argument("--instruct-ms", type=float, default=400, help="instruct model latency")
    parser.add_argument("--think-ms", type=float, default=500,
                        help="mean pause between a reply and the next message (±50%%)")
    parser.add_argument("--ramp-s", type=float, default=2.0,
                        help="chats start at random moments within this many seconds")
    parser.add_argument("--burst", type=int, default=3,
                        help="edits sent back to back at the end (checks per-chat order)")
    parser.add_argument("--redis", action="store_true", help="sessions in a throwaway Redis")
    parser.add_argument("--timeout-s", type=float, default=120,
                        help="a reply message later than this counts as lost")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, dest="json_path", help="also write figures here")
    parser.add_argument("--bot-log", type=Path, help="keep the bot's log here")
    parser.add_argument("--render-sessions", type=int, default=8,
                        help="sessions whose 5 charts time one render (the yardstick)")
    parser.add_argument("--baseline", default=DEFAULT_REF,
                        help="git ref of the build whose renderer is timed beside today's "
                             "('' for none)")
    parser.add_argument("--read-check", choices=("on", "off"), default="on",
                        help="the bot's second read of each new chart (READ_CHECK)")
    parser.add_argument("--k1", type=Path,
                        help="the --json report of this build's K = 1 run on this machine, "
                             "for the load-cost target")
    args = parser.parse_args(argv)
    if args.chats < 1 or args.render_sessions < 1:
        parser.error("--chats and --render-sessions must be at least 1")
    return Options(**vars(args))


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    report = asyncio.run(run(opts))
    print(format_report(report))
    if opts.json_path is not None:
        opts.json_path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
