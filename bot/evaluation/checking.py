"""`python -m bot eval --read-check`: how well the read check's flags point at misread cells.

Each chart of the set is read the way the bot reads a new chart with READ_CHECK=on
(`reading.read_checked`: the first read and the check read at once, printed values preferred),
except that the check read is always waited for. Then, against the known table:

* a cell of the table shown is **wrong** when its value differs from the true one by more than
  the check's own tolerance (2 %), or the truth has no such cell (rows by label and columns by
  name, as the check matches them; a read written the other way round is compared
  transposed); true cells the read left out entirely are not cells it shows, and not counted;
* flag **precision** = flagged cells that are wrong / flagged cells, **recall** = wrong cells
  flagged / wrong cells, both pooled over every cell of the set;
* RMS-F1 (`metric.score_table`) of the **single** read (the bot without the check), of the
  read **shown** with the check (where a printed-values read may replace an estimating one),
  and **resolved**: the shown read after the person has looked at each flagged cell and
  kept the reading nearer the truth — what one tap per flag can give.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import openai

from bot.config import Settings, shown_url
from bot.evaluation.chartset import ChartItem
from bot.evaluation.metric import score_table
from bot.evaluation.runner import (
    EvalOptions,
    RateLimiter,
    Status,
    model_image,
    say,
    write_text,
)
from bot.llm.client import ModelClient, ModelError
from bot.llm.images import ImageRejected
from bot.llm.read_check import ReadCheck, compare, key, with_other_reading
from bot.llm.reading import Reading, read_checked
from bot.tables.parsing import NoTableFound
from bot.tables.table import Cell, cell_number


@dataclass(frozen=True)
class CheckedItem:
    """What the two reads of one chart gave, against its true table."""

    id: str
    chart_type: str
    distortion: str
    status: Status
    checked: bool = False  # the check read came back with a table
    cells: int = 0  # cells of the table shown
    flagged: int = 0
    wrong: int = 0
    flagged_wrong: int = 0
    f1_single: float = 0.0
    f1_shown: float = 0.0
    f1_resolved: float = 0.0
    error: str = ""


@dataclass(frozen=True)
class CheckAggregate:
    n: int
    checks_lost: int
    cells: int
    flagged: int
    wrong: int
    flagged_wrong: int
    precision: float | None  # None: nothing was flagged
    recall: float | None  # None: nothing was wrong
    f1_single: float
    f1_shown: float
    f1_resolved: float


async def check_item(models: ModelClient, item: ChartItem, options: EvalOptions,
                     check: ReadCheck) -> CheckedItem:
    """One chart read twice and scored; failures become a failed item (scores 0)."""
    failed = CheckedItem(item.id, item.chart_type, item.distortion, "error")
    try:
        image = await asyncio.to_thread(model_image, item.image, options)
        reading = await read_checked(models, image, check, wait_for_check=True)
    except NoTableFound:
        return replace(failed, status="parse_failure")
    except (ModelError, ImageRejected, openai.OpenAIError) as exc:
        return replace(failed, error=f"{type(exc).__name__}: {exc}")
    return scored(item, reading)


def scored(item: ChartItem, reading: Reading) -> CheckedItem:
    """The flags of a reading against the chart's true table, and the three RMS-F1s."""
    shown = reading.table
    wrong = {(key(f.row), key(f.column)): f.other
             for f in compare(shown, item.truth, limit=None, whole=True).flags}
    flagged = {(key(f.row), key(f.column)) for f in reading.flags}
    resolved = shown
    for flag in reading.flags:
        place = (key(flag.row), key(flag.column))
        if place in wrong and _nearer(flag.other, flag.shown, wrong[place]):
            resolved = with_other_reading(resolved, flag) or resolved
    single = reading.single or shown
    cells = len(shown.rows) * (len(shown.columns) - 1)
    return CheckedItem(
        item.id, item.chart_type, item.distortion, "ok", checked=reading.checked,
        cells=cells, flagged=len(flagged), wrong=len(wrong),
        flagged_wrong=len(flagged & wrong.keys()),
        f1_single=score_table(single, item.truth).f1,
        f1_shown=score_table(shown, item.truth).f1,
        f1_resolved=score_table(resolved, item.truth).f1)


def _nearer(candidate: Cell, current: Cell, truth: Cell) -> bool:
    """Whether `candidate` is nearer the true value than `current` (a person would keep it)."""
    c, s, t = (cell_number(v) for v in (candidate, current, truth))
    if t is None:
        return candidate == truth and current != truth
    if c is None:
        return False
    return s is None or abs(c - t) < abs(s - t)


async def check_all(models: ModelClient, items: Sequence[ChartItem], options: EvalOptions,
                    check: ReadCheck, progress: Callable[[str], None] = lambda _: None
                    ) -> list[CheckedItem]:
    """Every chart read twice, with the run's concurrency and request rate (a chart's two
    requests start together: each start counts once against the rate)."""
    gate = asyncio.Semaphore(max(1, options.concurrency))
    limiter = RateLimiter(options.rate)
    done = 0

    async def one(item: ChartItem) -> CheckedItem:
        nonlocal done
        async with gate:
            await limiter.wait()
            result = await check_item(models, item, options, check)
        done += 1
        outcome = (f"flagged {result.flagged}, wrong {result.wrong}" if result.status == "ok"
                   else result.status)
        progress(f"[{done}/{len(items)}] {item.chart_type}/{item.distortion} {outcome}")
        return result

    return list(await asyncio.gather(*(one(item) for item in items)))


def aggregate(results: Sequence[CheckedItem]) -> CheckAggregate:
    n = len(results)
    flagged = sum(r.flagged for r in results)
    wrong = sum(r.wrong for r in results)
    hits = sum(r.flagged_wrong for r in results)

    def mean(values: Sequence[float]) -> float:
        return sum(values) / n if n else 0.0

    return CheckAggregate(
        n=n, checks_lost=sum(r.status == "ok" and not r.checked for r in results),
        cells=sum(r.cells for r in results), flagged=flagged, wrong=wrong, flagged_wrong=hits,
        precision=hits / flagged if flagged else None, recall=hits / wrong if wrong else None,
        f1_single=mean([r.f1_single for r in results]),
        f1_shown=mean([r.f1_shown for r in results]),
        f1_resolved=mean([r.f1_resolved for r in results]))


def report(results: Sequence[CheckedItem]) -> str:
    """Per chart type, per distortion and in total: flags against wrong cells, and F1s."""
    header = (f"{'':<14}{'n':>4}{'cells':>7}{'flagged':>9}{'wrong':>7}{'flag P':>8}"
              f"{'flag R':>8}{'F1 single':>11}{'F1 shown':>10}{'F1 resolved':>13}")
    lines: list[str] = []
    for title, field in (("chart type", "chart_type"), ("distortion", "distortion")):
        groups: dict[str, list[CheckedItem]] = {}
        for result in results:
            groups.setdefault(getattr(result, field), []).append(result)
        lines += [f"by {title}", header]
        lines += [_row(name, aggregate(members)) for name, members in groups.items()]
        lines.append("")
    total = aggregate(results)
    lines += [header, _row("total", total),
              f"(flag P/R pooled over cells; F1 means over all charts, a failed read counts as "
              f"0; check reads lost: {total.checks_lost})"]
    return "\n".join(lines)


def _row(name: str, agg: CheckAggregate) -> str:
    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.1%}"

    return (f"{name[:13]:<14}{agg.n:>4}{agg.cells:>7}{agg.flagged:>9}{agg.wrong:>7}"
            f"{share(agg.precision):>8}{share(agg.recall):>8}{agg.f1_single:>11.3f}"
            f"{agg.f1_shown:>10.3f}{agg.f1_resolved:>13.3f}")


async def run_check_eval(settings: Settings, args: argparse.Namespace,
                         items: Sequence[ChartItem], options: EvalOptions) -> int:
    """The read-check evaluation of `python -m bot eval --read-check`; 1 when every read
    failed."""
    check = ReadCheck(settings.read_check_model)
    models = ModelClient(settings)
    started = time.monotonic()
    try:
        await models.check_endpoint()
        results = await check_all(models, items, options, check, progress=say)
    finally:
        await models.close()
    second = settings.read_check_model or f"{settings.vision_model} (check prompt, rescaled)"
    print(f"{len(items)} charts read twice: {settings.vision_model} and {second}\n")
    print(report(results))
    if args.json is not None:
        run = {"vision_model": settings.vision_model, "read_check_model": second,
               "llm_base_url": shown_url(settings.llm_base_url), "seed": args.seed,
               "count": len(items),
               "max_side": options.max_side, "jpeg_quality": options.jpeg_quality,
               "seconds": round(time.monotonic() - started, 2)}
        data: dict[str, Any] = {"run": run, "total": asdict(aggregate(results)),
                                "items": [asdict(r) for r in results]}
        text = json.dumps(data, ensure_ascii=False, indent=2)
        await asyncio.to_thread(write_text, args.json, text + "\n")
    return 1 if all(r.status == "error" for r in results) else 0
