"""Reading a chart off an image with the vision model: the first read, the read check's
second read beside it, and the table, title and chart type in a model's answer.

The engine reads every new chart through `read_checked`; `bot eval` and `bot check` use the
same functions, so what they measure is what a person gets.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.charts.spec import ChartSpec
from bot.conversation import timings
from bot.llm.client import VISION_PROMPT, ModelClient
from bot.llm.images import PreparedImage
from bot.llm.read_check import (
    CHECK_PROMPT,
    Flag,
    ReadCheck,
    check_image,
    compare,
    log_axis,
    values_printed,
)
from bot.sessions.cancellation import side_context, stoppable
from bot.tables.parsing import NoTableFound, parse_table
from bot.tables.table import Table

log = logging.getLogger(__name__)

Offload = Callable[[Callable[[PreparedImage], PreparedImage], PreparedImage],
                   Awaitable[PreparedImage]]
"""Runs blocking work on an image elsewhere (the bot's render workers) and awaits it."""

CHECK_GRACE_MIN_S = 2.0
CHECK_GRACE_SHARE = 0.5
"""A check read still out when the first read is back gets max(CHECK_GRACE_MIN_S,
CHECK_GRACE_SHARE × the first read's time) more; then the first read is shown unflagged."""


@dataclass(frozen=True)
class Reading:
    """A chart's table and chart spec as read, with the cells a second read disagreed on.

    `checked`: a second read came back; `single`: the first read's table when the one shown
    is the second's (it printed values the first estimated), for the evaluation.
    """

    table: Table
    spec: ChartSpec
    flags: tuple[Flag, ...] = ()
    checked: bool = False
    single: Table | None = None


@dataclass(frozen=True)
class _Read:
    table: Table
    spec: ChartSpec
    printed: bool  # the model said the chart prints its values
    seconds: float


async def _read(models: ModelClient, image: PreparedImage, prompt: str = VISION_PROMPT, *,
                model: str | None = None) -> _Read:
    completion = await models.read_chart(image, prompt, model=model)
    log.info("vision answer: %d chars in %.2fs", len(completion.text), completion.seconds)
    table = read_table_answer(completion.text)
    spec = ChartSpec(type=detected_chart_type(completion.text), log_y=log_axis(completion.text))
    return _Read(table, spec, values_printed(completion.text), completion.seconds)


async def read_checked(models: ModelClient, image: PreparedImage, check: ReadCheck | None,
                       *, wait_for_check: bool = False, offload: Offload | None = None
                       ) -> Reading:
    """The chart's table and spec, and with a `check` the cells a second read disagrees on.

    The second read starts with the first and never holds it up or breaks it: when it fails,
    or is still out CHECK_GRACE_* after the first is back (unless `wait_for_check`, as the
    evaluation does), the first read is returned unflagged and the log says why. A read that
    says the chart prints its values is preferred to one that estimated them. Raises
    NoTableFound when the first read finds no table. `offload` runs the blocking rescaling of
    the check's copy (the bot hands it to its render workers); else it runs in a thread.
    """
    if check is None:
        first = await _read(models, image)
        return Reading(first.table, first.spec)
    second = asyncio.create_task(_check_read(models, image, check, offload),
                                 context=side_context())
    second.add_done_callback(_retrieved)
    try:
        first = await _read(models, image)
        grace = None if wait_for_check else max(CHECK_GRACE_MIN_S,
                                                CHECK_GRACE_SHARE * first.seconds)
        done, _ = await stoppable(asyncio.wait({second}, timeout=grace))
    finally:
        if not second.done():
            second.cancel()
    unflagged = Reading(first.table, first.spec)
    if not done:
        log.warning("read check: the second read was not back %.1fs after the first; "
                    "the first read is shown unflagged", grace)
        return unflagged
    try:
        other = second.result()
    except Exception as exc:  # a failed check must never fail the read
        log.warning("read check: the second read failed (%s: %s); the first read is shown "
                    "unflagged", type(exc).__name__, exc)
        return unflagged
    timings.add("check_model", other.seconds * 1000)
    shown, alternative = (other, first) if other.printed and not first.printed else (first, other)
    comparison = compare(shown.table, alternative.table)
    if not comparison.comparable:
        log.info("read check: the reads differ in shape (%d of %d cells in both); nothing "
                 "flagged", comparison.aligned, comparison.cells)
    else:
        log.info("read check: %d of %d cells differ%s", len(comparison.flags), comparison.cells,
                 " (printed values preferred)" if shown is other else "")
    return Reading(shown.table, shown.spec, comparison.flags, checked=True,
                   single=first.table if shown is other else None)


async def _check_read(models: ModelClient, image: PreparedImage, check: ReadCheck,
                      offload: Offload | None = None) -> _Read:
    """The second read: another model with the bot's prompt, or the vision model asked
    another way about the image at another scale. Its time is not the update's model time."""
    with timings.collecting():
        if check.model:
            return await _read(models, image, model=check.model)
        rescaled = await (offload or _in_thread)(check_image, image)
        return await _read(models, rescaled, CHECK_PROMPT)


async def _in_thread(work: Callable[[PreparedImage], PreparedImage],
                     image: PreparedImage) -> PreparedImage:
    return await asyncio.to_thread(work, image)


def _retrieved(task: asyncio.Task[_Read]) -> None:
    """Mark a finished check's exception as seen (it is logged where it matters)."""
    if not task.cancelled():
        task.exception()


def read_table_answer(answer: str) -> Table:
    """The table in a vision model's answer, with its title line applied."""
    if answer.strip().upper().startswith("NO CHART"):
        raise NoTableFound("the model saw no chart")
    table = parse_table(answer)
    if not table.title:
        match = re.search(r"^\W*title\W*:\s*(.+)$", answer, re.IGNORECASE | re.MULTILINE)
        title = match.group(1).strip(" *_`\"'") if match else ""
        if title and title.lower() not in ("none", "empty", "n/a", "<empty>", "-"):
            table = table.model_copy(update={"title": title[:200]})
    return table


def detected_chart_type(answer: str) -> str:
    """The chart type the vision model named, if it is one we draw; else bar."""
    match = re.search(r"chart\s*type\W*:\s*([A-Za-z_ +-]+)", answer, re.IGNORECASE)
    if match:
        try:
            return ChartSpec(type=match.group(1).strip()).type
        except ValueError:
            pass
    return "bar"
