"""Runs the real bot (python-telegram-bot polling, engine, stores, renderer) against the fakes.

`start_bot(...)` builds the Application exactly as `python -m bot` does, but with settings
pointing at the fake Bot API and the fake model API; `ChartModel` is a scripted stand-in for
the models that answers the way real ones do (a markdown table for an image, a JSON object
for an instruction).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.charts.render import render_png
from bot.charts.spec import ChartSpec
from bot.config import Settings
from bot.services import Services
from bot.tables.table import Table
from handlers.common import NoteCadence
from handlers.telegram.app import ALLOWED_UPDATES, build_application, create_services
from handlers.telegram.progress import ProgressTiming
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse, images_in, prompt_text
from tests.fakes.telegram_api import FakeTelegram

SALES = Table.build(["Year", "Sales"], [["2021", 10], ["2022", 12], ["2023", 15]],
                    title="Sales by year")
VISION_ANSWER = """Here is the data from the chart:

| Year | Sales |
|------|-------|
| 2021 | 10 |
| 2022 | 12 |
| 2023 | 15 |

Title: Sales by year
Chart type: bar"""


def chart_photo(table: Table = SALES, spec: ChartSpec | None = None) -> bytes:
    """A real chart image, as a person would photograph or screenshot it."""
    return render_png(table, spec or ChartSpec(type="bar"))


@dataclass
class RunningBot:
    telegram: FakeTelegram
    llm: FakeLLM
    services: Services
    app: Application  # type: ignore[type-arg]


@asynccontextmanager
async def start_bot(telegram: FakeTelegram, llm: FakeLLM, *, redis_url: str | None = None,
                    render_workers: int | None = 0, progress: ProgressTiming | None = None,
                    notes: NoteCadence | None = None, read_check: str = "off", **overrides: Any
                    ) -> AsyncIterator[RunningBot]:
    """The bot, running. `read_check` is off unless asked for: most stories script one
    vision answer per photo (tests/test_read_check.py tells the read check's own);
    `progress` and `notes` replace the "still working" note's timing (tests shorten it)."""
    settings = Settings(
        read_check=read_check,
        _env_file=None,
        telegram_bot_token=telegram.token,
        telegram_api_url=telegram.root_url,
        llm_base_url=overrides.pop("llm_base_url", llm.base_url),
        llm_api_key=FAKE_LLM_KEY,
        redis_url=redis_url,
        llm_timeout=overrides.pop("llm_timeout", 5),
        **overrides,
    )
    services = create_services(settings, render_workers=render_workers)
    app = build_application(settings, services)
    if progress is not None:
        app.bot_data["progress"] = progress
    if notes is not None:
        app.bot_data["notes"] = notes
    await app.initialize()
    assert app.post_init is not None
    try:
        await app.post_init(app)
    except BaseException:
        await app.shutdown()
        await services.close()
        raise
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1,
                                    allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield RunningBot(telegram, llm, services, app)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


@dataclass
class ChartModel:
    """Answers like the configured models: tables for images, JSON objects for instructions.

    Understands "make it a <type> chart", "add <label> = <number>" (answered with an add_row
    edit, or with the whole new table when `whole_tables`, as models that ignore "edits" do),
    "sort descending", "what is the highest?"; anything else gets `fallback`. `delays` slows
    chosen messages.
    """

    vision_answer: str = VISION_ANSWER
    whole_tables: bool = False
    fallback: str = '{"reply": "I did not understand.", "table": null, "chart": null}'
    delays: dict[str, float] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def __call__(self, body: dict[str, Any]) -> FakeLLMResponse:
        if images_in(body):
            return FakeLLMResponse(self.vision_answer)
        text = prompt_text(body)
        message = text.rsplit("Message: ", 1)[-1].strip()
        self.seen.append(message)
        answer = self.answer(message, _table_in(text) or [_columns_in(text)])
        return FakeLLMResponse(json.dumps(answer), delay=self.delays.get(message, 0.0))

    def answer(self, message: str, rows: list[list[str]]) -> dict[str, Any] | str:
        chart = re.match(r"make it an? (\w+)", message)
        if chart:
            return {"reply": f"Now a {chart.group(1)} chart.", "table": None,
                    "chart": {"type": chart.group(1)}}
        add = re.match(r"add (?:a )?(?:row )?(\S+) = (\S+)", message)
        if add:
            header, *data = rows
            if self.whole_tables:
                return {"reply": f"Added {add.group(1)}.", "table": {
                    "columns": header, "rows": [*data, [add.group(1), add.group(2)]]},
                    "chart": None}
            return {"reply": f"Added {add.group(1)}.", "edits": [{"op": "add_row", "values": {
                header[0]: add.group(1), header[1]: add.group(2)}}], "chart": None}
        if message == "sort descending":
            return {"reply": "Sorted.", "table": None, "chart": {"sort": "value_desc"}}
        if message.startswith("what is the highest"):
            return {"reply": "2023 is the highest, at 16.", "table": None, "chart": None,
                    "query": {"op": "max"}}
        if message == "what is the capital of France?":
            return {"reply": "Paris — but I only know about your chart.", "table": None,
                    "chart": None}
        return json.loads(self.fallback)  # type: ignore[no-any-return]


def _table_in(prompt: str) -> list[list[str]]:
    match = re.search(r"Table \(CSV\):\n(.*?)\nChart:", prompt, re.DOTALL)
    return list(csv.reader(io.StringIO(match.group(1)))) if match else []


def _columns_in(prompt: str) -> list[str]:
    """The column names a big table's overview lists ("- Name: kind")."""
    match = re.search(r"\nColumns:\n(.*?)\nRow labels", prompt, re.DOTALL)
    lines = match.group(1).splitlines() if match else []
    return [line[2:].split(": ", 1)[0] for line in lines if line.startswith("- ")]


def csv_rows(document: bytes) -> list[list[str]]:
    """The rows of a CSV document the bot sent (BOM and all)."""
    return list(csv.reader(io.StringIO(document.decode("utf-8-sig"))))
