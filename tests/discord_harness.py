"""Runs the real Discord front end (discord.py client, engine, stores, renderer) against the
fake Discord and the fake model API, as `python -m bot discord` does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.config import Settings
from handlers.discord.app import ReplotClient, create_services
from tests.fakes.discord_api import FakeDiscord
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
