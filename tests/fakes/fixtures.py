"""Fixtures: fake Telegram, Discord and OpenAI-compatible APIs, one of each per test.

- `fake_telegram`: a started `FakeTelegram` (token `fake_telegram.token`, root
  `fake_telegram.root_url`).
- `fake_discord`: a started `FakeDiscord` (token `fake_discord.token`) with discord.py pointed
  at it (`handlers.discord.endpoints`) for the test, and back afterwards.
- `fake_llm`: a started `FakeLLM` requiring `Authorization: Bearer <fake_llm.api_key>`
  (`FAKE_LLM_KEY`), at `fake_llm.base_url`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from handlers.discord.endpoints import point_discord_at
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.llm_api import FakeLLM
from tests.fakes.telegram_api import FakeTelegram

FAKE_LLM_KEY = "test-llm-key"


@pytest_asyncio.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def fake_llm() -> AsyncIterator[FakeLLM]:
    fake = FakeLLM(api_key=FAKE_LLM_KEY)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    previous = point_discord_at(fake.api_url, fake.gateway_url)
    try:
        yield fake
    finally:
        point_discord_at(previous.api_url, previous.gateway_url)
        await fake.stop()
