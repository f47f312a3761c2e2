"""Runs the real Discord front end (discord.py client, engine, stores, renderer) against the
fake Discord and the fake model API, as `python -m bot discord` does."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from PIL import Image

from bot.config import Settings
from handlers.discord.app import ReplotClient, create_services
from tests.fakes.discord_api import Channel, FakeDiscord, Sent
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM


@asynccontextmanager
async def start_discord_bot(discord: FakeDiscord, llm: FakeLLM, *,
                            redis_url: str | None = None, read_check: str = "off",
                            **overrides: Any) -> AsyncIterator[ReplotClient]:
    """The bot connected and its commands synced; closed (and its services) at the end.
    `read_check` is off unless asked for: the stories script one vision answer per image."""
    settings = Settings(
        _env_file=None,
        discord_bot_token=discord.token,
        discord_api_url=discord.api_url,
        discord_gateway_url=discord.gateway_url,
        llm_base_url=llm.base_url,
        llm_api_key=FAKE_LLM_KEY,
        redis_url=redis_url,
        read_check=read_check,
        llm_timeout=overrides.pop("llm_timeout", 5),
        **overrides,
    )
    client = ReplotClient(create_services(settings, render_workers=0), guild_ready_timeout=0.05)
    running = asyncio.create_task(client.start(settings.require_discord_token()))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 15)
        await discord.wait_for_request("PUT", r"/applications/\d+/commands")
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(running, 10)


async def answer(fake: FakeDiscord, channel: Channel, timeout: float = 10.0) -> Sent:
    """The bot's next message in the channel: a new one, or the follow-up that replaced a
    slash command's "thinking…" placeholder."""
    return await fake.wait_for_message(channel, lambda s: not _placeholder(s),
                                       kinds=("create", "edit"), timeout=timeout)


def _placeholder(sent: Sent) -> bool:
    """A deferred command's "thinking…" message, as created (its record's payload is the
    deferral's, with nothing to show)."""
    return (sent.kind == "create" and sent.via == "interaction" and not sent.files
            and not sent.payload.get("content") and not sent.payload.get("components"))


def is_chart(sent: Sent) -> bool:
    return any(a["filename"] == "chart.png" for a in sent.attachments)


def png_of(sent: Sent, fake: FakeDiscord) -> Image.Image:
    [stored] = [f for f in sent.files if f.filename == "chart.png"] or [
        fake.files[int(a["id"])] for a in sent.attachments if a["filename"] == "chart.png"]
    return Image.open(io.BytesIO(stored.data))
