"""Reading the pages of a PDF that may hold charts into tables, a few pages at once.

Each page is drawn (bot/pdf_pages.py), then goes through the same image checks and the same
reading as a photo (the `read` callable: extraction cache, budget charge, vision model).
Progress is reported as the first page not yet done, so it only moves forward. A /cancel
stops every page at once (bot/cancellation.py: `stoppable_all`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.charts.spec import ChartSpec
from bot.library.pdf_pages import PageLook, PdfRejected, render_page
from bot.llm.client import ModelError
from bot.llm.images import ImageLimits, ImageRejected, PreparedImage, prepare_image
from bot.sessions.cancellation import stoppable_all
from bot.tables.table import Table
from bot.words.wording import t

log = logging.getLogger(__name__)

CONCURRENCY = 4  # vision calls at once for one PDF
Read = Callable[[PreparedImage], Awaitable[tuple[Table, ChartSpec] | str]]
Progress = Callable[[int, int], Awaitable[None]]  # (page, pages in all)
Found = tuple[PageLook, Table, ChartSpec, str]  # the page, its table and chart, image digest


class BudgetSpent(Exception):
    """The person's model budget is spent; str() says so (and when it renews)."""


class PdfReading:
    """The reading of one PDF's pages that may hold charts, a few at once, in page order
    for progress: rendering, the same image checks and vision prompt as a photo, and the
    extraction cache. Over budget, the pages after stay unread (and are named)."""

    def __init__(self, data: bytes, looks: list[PageLook], read: Read, limits: ImageLimits,
                 progress: Progress, concurrency: int = CONCURRENCY) -> None:
        self._data = data
        self._looks = looks
        self._read_image = read
        self._limits = limits
        self._progress = progress
        self._done: set[int] = {look.number for look in looks if not look.maybe_chart}
        self._reported = 0
        self._limit = asyncio.Semaphore(concurrency)
        self.over_budget: str | None = None
        self.unread: list[int] = []
        self.failed: list[int] = []

    async def run(self) -> list[Found]:
        await self._report()
        results = await stoppable_all([self._read(look) for look in self._looks
                                       if look.maybe_chart])
        return sorted((r for r in results if r is not None), key=lambda r: r[0].number)

    async def _read(self, look: PageLook) -> Found | None:
        async with self._limit:
            try:
                return await self._read_page(look)
            finally:
                self._done.add(look.number)
                await self._report()

    async def _read_page(self, look: PageLook) -> Found | None:
        if self.over_budget is not None:
            self.unread.append(look.number)
            return None
        try:
            png = await asyncio.to_thread(render_page, self._data, look.number)
            image = await asyncio.to_thread(prepare_image, png, self._limits)
            found = await self._read_image(image)
        except BudgetSpent as exc:
            self.over_budget = str(exc)
            self.unread.append(look.number)
            return None
        except (PdfRejected, ImageRejected, ModelError) as exc:
            log.info("pdf page %d not read: %s", look.number, type(exc).__name__)
            self.failed.append(look.number)
            return None
        if isinstance(found, str):
            return None  # no chart on that page after all
        table, spec = found
        if not table.title and look.text:
            table = table.model_copy(update={"title": look.text[:60]})
        return look, table, spec, image.digest

    async def _report(self) -> None:
        """Progress as the first page not yet done, when it moved on."""
        done = 0
        while done + 1 in self._done:
            done += 1
        if done > self._reported or self._reported == 0:
            self._reported = max(done, 1)
            with contextlib.suppress(Exception):
                await self._progress(min(done + 1, len(self._looks)), len(self._looks))

    def notes(self, text: str) -> str:
        """The summary with what was not read, and why."""
        lines = [text]
        too_big = [look.number for look in self._looks if look.too_big]
        if too_big:
            lines.append(t("Pages too large to draw, skipped: {pages}.",
                           pages=", ".join(map(str, too_big))))
        if self.failed:
            lines.append(t("Pages I couldn't read: {pages}.",
                           pages=", ".join(map(str, sorted(self.failed)))))
        if self.over_budget is not None:
            lines.append(t("{reason} Pages not read: {pages}.", reason=self.over_budget,
                           pages=", ".join(map(str, sorted(self.unread)))))
        return "\n".join(lines)
