"""Photo capacity: how many new chart photos a second the bot serves at overhead p99 <= 1 s.

Today's build and a baseline build (a git ref, written out with `git archive`) run at once
as two bot processes, each with its own fake Bot API, fake model endpoint and Redis
database, both idle but for the one being measured. Photos come from new chats at a rate
that ramps up by a factor each step; at each rate both builds get the same photos at the same
moments (a Poisson arrival sequence), one after the other, the first alternating, so a machine
whose speed drifts slows both alike. Every photo is a different picture with its own table,
so neither the extraction cache nor the render cache can serve it; the fake model answers
after `--vision-ms`. Overhead is a reply's time minus that delay. A build's capacity is the
highest rate at which its overhead p99 stayed within the bound with nothing lost; it stops
at its first rate over the bound (after --min-steps), and the CPU
the bot and its render workers spent per photo is reported too: it holds when other
processes share the cores.

    python -m bench.capacity [--baseline 4d2dfc2] [--start 2] [--factor 1.25] [--step-s 10]
        [--read-check off]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bench.baseline import DEFAULT_REF, tree_at
from bench.load import (
    REPO,
    BenchModel,
    BotProcess,
    CpuWindow,
    TimedTelegram,
    bot_env,
    percentile,
    redis_server,
    wait_until_polling,
)
from bench.renders import chat_rows
from bot.charts.render import render_png
from bot.charts.spec import ChartSpec
from bot.tables.table import Table
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM

FIRST_CHAT_ID = 8_000_001
PHOTO_COLUMNS = 60  # photo i is its base picture plus i % 60 + 1 rows and i // 60 columns


@dataclass(frozen=True)
class Photo:
    data: bytes
    size: tuple[int, int]
    answer: str


class Photos:
    """Distinct chart photos, as phones send them (JPEG), each with its own table: the same
    chart, padded to a size no other photo has, so the fake model can tell which it is."""

    def __init__(self) -> None:
        table = Table.build(["Year", "Sales"], chat_rows(0), title="Sales by year")
        with Image.open(io.BytesIO(render_png(table, ChartSpec(type="bar")))) as chart:
            self.base = chart.convert("RGB")
        self.made: list[Photo] = []

    def get(self, index: int) -> Photo:
        while len(self.made) <= index:
            self.made.append(self._make(len(self.made)))
        return self.made[index]

    def _make(self, index: int) -> Photo:
        size = (self.base.width + index // PHOTO_COLUMNS,
                self.base.height + index % PHOTO_COLUMNS + 1)
        photo = Image.new("RGB", size, "white")
        photo.paste(self.base, (0, 0))
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=85)
        rows = "\n".join(f"| {year} | {value + index % 7} |" for year, value in chat_rows(index))
        answer = (f"| Year | Sales |\n|------|-------|\n{rows}\n\n"
                  f"Title: Sales by year, photo {index}\nChart type: bar")
        return Photo(out.getvalue(), size, answer)


@dataclass
class Build:
    """One build's bot process and its own fakes."""

    name: str
    repo: Path
    telegram: TimedTelegram
    llm: FakeLLM
    model: BenchModel
    bot: BotProcess
    next_chat: int = FIRST_CHAT_ID
    capacity: float = 0.0
    stopped: bool = False
    over: bool = False  # a rate so far was over the bound
    steps: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Options:
    baseline: str
    start: float
    factor: float
    max_rate: float
    min_steps: int
    step_s: float
    vision_ms: float
    bound_ms: float
    redis: bool
    seed: int
    timeout_s: float
    json_path: Path | None
    read_check: str = "on"


async def start_build(name: str, repo: Path, redis_url: str | None, workdir: Path,
                      photos: Photos, opts: Options) -> Build:
    telegram = TimedTelegram()
    llm = FakeLLM(api_key=FAKE_LLM_KEY)
    model = BenchModel(answers=_AnswerBySize(photos), vision_s=opts.vision_ms / 1000)
    llm.responder = model
    await telegram.start()
    await llm.start()
    env = bot_env(telegram, llm, redis_url, opts.read_check)
    env["PYTHONPATH"] = str(repo)
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    bot = BotProcess(env, workdir / "bot.log", workdir)
    bot.start()
    await wait_until_polling(telegram, bot, limit_s=120)
    return Build(name, repo, telegram, llm, model, bot)


class _AnswerBySize(dict[tuple[int, int], str]):
    """The vision answer for a photo, found by its size (BenchModel looks answers up so)."""

    def __init__(self, photos: Photos) -> None:
        super().__init__()
        self.photos = photos

    def get(self, size: tuple[int, int], default: Any = None) -> Any:  # type: ignore[override]
        width, height = size
        index = (width - self.photos.base.width) * PHOTO_COLUMNS \
            + height - self.photos.base.height - 1
        if index < 0 or index >= len(self.photos.made):
            return default
        return self.photos.made[index].answer


async def serve(build: Build, photo: Photo, timeout_s: float) -> float:
    """Send one photo from a new chat; the milliseconds to its chart, or inf when lost."""
    chat_id = build.next_chat
    build.next_chat += 1
    queue = build.telegram.arrivals[chat_id]
    started = time.monotonic()
    build.telegram.send_photo(chat_id, photo.data, sizes=[photo.size])
    try:
        while True:
            arrival = await asyncio.wait_for(queue.get(), timeout_s)
            if arrival.sent.method == "sendPhoto":
                return (arrival.at - started) * 1000
    except TimeoutError:
        return math.inf


async def play(build: Build, photos: Photos, first: int, times: list[float],
               opts: Options) -> list[float]:
    """Photos first.. sent at `times` (seconds from now); their overheads in ms."""
    began = time.monotonic()

    async def one(k: int, at: float) -> float:
        await asyncio.sleep(max(0.0, began + at - time.monotonic()))
        return await serve(build, photos.get(first + k), opts.timeout_s) - opts.vision_ms

    return list(await asyncio.gather(*(one(k, at) for k, at in enumerate(times))))


def arrivals(rate: float, seconds: float, rng: random.Random) -> list[float]:
    """Poisson arrival times at `rate` per second over `seconds`."""
    times, now = [], rng.expovariate(rate)
    while now < seconds:
        times.append(now)
        now += rng.expovariate(rate)
    return times


def bot_cpu_s(bot: BotProcess) -> tuple[float, float]:
    """CPU seconds the bot and its render workers have used so far."""
    bot.sample()
    used = bot.cpu_by_role()
    return used.get("bot", 0.0), used.get("render worker", 0.0)


def step_figures(rate: float, overheads: list[float], cpu: dict[str, float],
                 cpu_s: tuple[float, float]) -> dict[str, Any]:
    """One build's figures at one rate; `cpu_s`: the bot's and its workers' CPU seconds."""
    served = [ms for ms in overheads if math.isfinite(ms)]
    photos = max(1, len(overheads))
    return {"rate_per_s": round(rate, 2), "photos": len(overheads),
            "lost": len(overheads) - len(served),
            "overhead_p50_ms": round(percentile(served, 50), 1),
            "overhead_p99_ms": round(percentile(served, 99), 1),
            "cpu_ms_per_photo": round(1000 * sum(cpu_s) / photos, 1),
            "bot_cpu_ms_per_photo": round(1000 * cpu_s[0] / photos, 1),
            "render_workers_cpu_ms_per_photo": round(1000 * cpu_s[1] / photos, 1),
            "machine_busy_pct": cpu.get("machine_busy_pct", math.nan)}


async def ramp(builds: list[Build], photos: Photos, opts: Options) -> None:
    """Raise the rate step by step until every build is over the bound (or at max_rate)."""
    rng = random.Random(opts.seed)
    for build in builds:  # a few untimed photos first: the first of anything is slower
        await play(build, photos, 0, [0.5 * k for k in range(4)], opts)
    next_photo = 4
    rate, step = opts.start, 0
    while rate <= opts.max_rate and not all(b.stopped for b in builds):
        times = arrivals(rate, opts.step_s, rng)
        photos.get(next_photo + len(times))  # made beforehand: the benchmark's CPU stays free
        order = builds if step % 2 == 0 else builds[::-1]
        for build in order:
            if build.stopped:
                continue
            window, used = CpuWindow.now(build.bot), bot_cpu_s(build.bot)
            overheads = await play(build, photos, next_photo, times, opts)
            after = bot_cpu_s(build.bot)
            used = (after[0] - used[0], after[1] - used[1])
            figures = step_figures(rate, overheads, CpuWindow.now(build.bot).since(window), used)
            build.steps.append(figures)
            print(f"  {rate:6.2f}/s  {build.name:<10} p50 {figures['overhead_p50_ms']:>8} ms"
                  f"  p99 {figures['overhead_p99_ms']:>8} ms  lost {figures['lost']}  "
                  f"CPU {figures['cpu_ms_per_photo']} ms/photo (bot "
                  f"{figures['bot_cpu_ms_per_photo']})  "
                  f"machine {figures['machine_busy_pct']}% busy", file=sys.stderr)
            if figures["lost"] or figures["overhead_p99_ms"] > opts.bound_ms:
                build.over = True
            elif not build.over:
                build.capacity = rate
            build.stopped = build.over and step + 1 >= opts.min_steps
        next_photo += len(times) + 1
        rate *= opts.factor
        step += 1


async def run(opts: Options) -> dict[str, Any]:
    photos = Photos()
    load_before = os.getloadavg()[0]
    builds: list[Build] = []
    with tempfile.TemporaryDirectory(prefix="replot-capacity-") as tmp, redis_server(
            opts.redis, Path(tmp)) as redis_url:
        wanted = [("today", REPO)]
        if opts.baseline:
            wanted.append((opts.baseline, tree_at(opts.baseline, Path(tmp) / "baseline")))
        try:
            for number, (name, repo) in enumerate(wanted):
                url = redis_url[:-1] + str(number) if redis_url else None  # own database
                builds.append(await start_build(name, repo, url, Path(tmp) / f"run{number}",
                                                photos, opts))
            await ramp(builds, photos, opts)
        finally:
            for build in builds:
                await asyncio.to_thread(build.bot.stop)
                await build.llm.stop()
                await build.telegram.stop()
    report: dict[str, Any] = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(opts).items()},
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "capacity_per_s": {b.name: round(b.capacity, 2) for b in builds},
        "steps": {b.name: b.steps for b in builds},
    }
    report["cpu_ms_per_photo"] = {b.name: round(statistics.median(
        step["cpu_ms_per_photo"] for step in b.steps), 1) if b.steps else math.nan
        for b in builds}
    if len(builds) == 2 and builds[1].capacity:
        report["ratio"] = round(builds[0].capacity / builds[1].capacity, 2)
    return report


def format_report(report: dict[str, Any]) -> str:
    capacity = report["capacity_per_s"]
    line = ", ".join(f"{name} {rate}/s" for name, rate in capacity.items())
    if "ratio" in report:
        line += f" = {report['ratio']}x"
    cfg = report["config"]
    cpu = report["cpu_ms_per_photo"]
    return "\n".join([
        f"photo capacity at overhead p99 <= {cfg['bound_ms']:g} ms (rate x{cfg['factor']:g} "
        f"every {cfg['step_s']:g} s from {cfg['start']:g}/s, vision {cfg['vision_ms']:g} ms): "
        + line,
        "CPU per photo, bot and render workers (median of the steps): "
        + ", ".join(f"{name} {ms} ms" for name, ms in cpu.items()),
        f"load {report['load_avg_1m_before']} before / {report['load_avg_1m_after']} after",
    ])


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=DEFAULT_REF,
                        help="git ref of the build to compare with ('' for none)")
    parser.add_argument("--start", type=float, default=1.0, help="first rate, photos/s")
    parser.add_argument("--factor", type=float, default=1.25, help="rate increase per step")
    parser.add_argument("--max-rate", type=float, default=60.0)
    parser.add_argument("--step-s", type=float, default=10.0, help="seconds of photos per step")
    parser.add_argument("--min-steps", type=int, default=3,
                        help="steps each build plays even past the bound (for CPU per photo)")
    parser.add_argument("--vision-ms", type=float, default=800)
    parser.add_argument("--bound-ms", type=float, default=1000, help="the overhead p99 bound")
    parser.add_argument("--redis", action="store_true", help="sessions in a throwaway Redis")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--read-check", choices=("on", "off"), default="on",
                        help="today's second read of each photo (the baseline has none)")
    parser.add_argument("--timeout-s", type=float, default=30,
                        help="a chart later than this counts as lost")
    parser.add_argument("--json", type=Path, dest="json_path", help="also write figures here")
    args = parser.parse_args(argv)
    if args.factor <= 1 or args.start <= 0:
        parser.error("--factor must be above 1 and --start above 0")
    return Options(**vars(args))


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    report = asyncio.run(run(opts))
    print(format_report(report))
    if opts.json_path is not None:
        opts.json_path.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
