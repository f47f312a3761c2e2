"""Fixtures: a fake Telegram Bot API and a fake OpenAI-compatible API, one pair per test.

- `fake_telegram`: a started `FakeTelegram` (token `fake_telegram.token`, root
  `fake_telegram.root_url`).
- `fake_llm`: a started `FakeLLM` requiring `Authorization: Bearer <fake_llm.api_key>`
  (`FAKE_LLM_KEY`), at `fake_llm.base_url`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

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
