"""Per-update phase timings: collected inside an update, ignored outside one."""

import asyncio
import logging
import re

from bot.conversation import timings
from tests.bot_harness import ChartModel, chart_photo, start_bot

CHAT = 4242


async def test_phases_add_up_within_an_update_and_its_tasks():
    with timings.collecting() as phases:
        with timings.phase("model"):
            await asyncio.sleep(0.02)
        timings.add("render", 5.0)
        timings.add("render", 7.0)

        async def spawned():
            with timings.phase("send"):
                await asyncio.sleep(0.01)

        await asyncio.create_task(spawned())
    assert list(phases) == ["model", "render", "send"]
    assert phases["model"] >= 20 and phases["render"] == 12.0 and phases["send"] >= 10
    assert timings.describe({"model": 812.4, "render": 61.6}) == " model_ms=812 render_ms=62"


async def test_nothing_is_collected_outside_an_update():
    with timings.phase("model"):
        pass
    timings.add("render", 1.0)
    with timings.collecting() as phases:
        pass
    assert phases == {}
    assert timings.describe({}) == ""


async def test_concurrent_updates_keep_their_own_phases():
    async def update(name, delay):
        with timings.collecting() as phases, timings.phase(name):
            await asyncio.sleep(delay)
        return phases

    first, second = await asyncio.gather(update("model", 0.02), update("render", 0.01))
    assert list(first) == ["model"] and list(second) == ["render"]


async def test_each_update_logs_where_its_time_went(fake_telegram, fake_llm, redis_url, caplog):
    caplog.set_level(logging.INFO, logger="bot.conversation.turn")
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, redis_url=redis_url, render_workers=1):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a line chart")
        await fake_telegram.wait_for(CHAT)
    photo, edit = [r.getMessage() for r in caplog.records if r.name == "bot.conversation.turn"]
    for line in (photo, edit):
        phases = dict(re.findall(r"(\w+)_ms=(\d+)", line))
        assert {"model", "render", "render_wait", "send", "store"} <= set(phases), line
        assert int(phases["model"]) + int(phases["render"]) <= int(phases["handled"]), line
    assert "image_ms=" in photo and "download_ms=" in photo
    assert "image_ms=" not in edit
