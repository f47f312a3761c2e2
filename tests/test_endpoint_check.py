"""At start-up the bot asks the model endpoint what it serves: a wrong URL or a refused key
stops it with one clear line; a model the endpoint does not list, or an endpoint that is not
up yet, is a warning in the log."""

import asyncio
import logging
import os
import socket
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.llm.client import ModelClient
from tests.bot_harness import SALES, chart_photo, start_bot
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM

VISION = "microsoft/phi-3-vision-128k-instruct"
CHAT = "meta/llama-3.1-70b-instruct"


def client(base_url: str, key: str = FAKE_LLM_KEY, **fields) -> ModelClient:
    return ModelClient(Settings(_env_file=None, llm_base_url=base_url, llm_api_key=key,
                                vision_model=VISION, chat_model=CHAT, **fields))


@pytest.fixture
async def llm_without_model_list():
    fake = FakeLLM(api_key=FAKE_LLM_KEY, lists_models=False)
    await fake.start()
    yield fake
    await fake.stop()


async def check(models: ModelClient) -> None:
    try:
        await models.check_endpoint()
    finally:
        await models.close()


async def test_an_endpoint_serving_both_models_passes_quietly(fake_llm, caplog):
    await check(client(fake_llm.base_url))
    assert [r.path for r in fake_llm.requests] == ["/v1/models"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_model_the_endpoint_does_not_list_is_a_warning(fake_llm, caplog):
    fake_llm.models = ("meta/llama-3.2-11b-vision-instruct", CHAT)
    await check(client(fake_llm.base_url))
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert f"VISION_MODEL '{VISION}' is not among the 2 models" in warning


async def test_a_url_without_v1_stops_start_up_with_one_clear_line(fake_llm):
    root = fake_llm.base_url.removesuffix("/v1")
    with pytest.raises(ConfigError, match=r"answered 404 .* usually end in /v1"):
        await check(client(root))
    assert [r.path for r in fake_llm.requests] == ["/models", "/chat/completions"]


async def test_a_refused_key_stops_start_up(fake_llm):
    with pytest.raises(ConfigError, match=r"LLM_API_KEY was refused .* \(401\)") as raised:
        await check(client(fake_llm.base_url, key="sk-wrong-key-0000"))
    assert "sk-wrong" not in str(raised.value)


async def test_an_endpoint_without_a_model_list_is_checked_through_chat_completions(
        llm_without_model_list, caplog):
    await check(client(llm_without_model_list.base_url))
    assert [r.path for r in llm_without_model_list.requests] == [
        "/v1/models", "/v1/chat/completions"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_an_endpoint_that_is_not_up_yet_is_only_a_warning(caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    await check(client(f"http://127.0.0.1:{closed}/v1"))
    [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "did not answer" in warning and "APIConnectionError" in warning


async def test_the_bot_does_not_start_on_a_wrong_url(fake_telegram, fake_llm):
    with pytest.raises(ConfigError, match="404"):
        async with start_bot(fake_telegram, fake_llm,
                             llm_base_url=fake_llm.base_url.removesuffix("/v1")):
            pass
    assert not fake_telegram.sent


async def test_extract_says_what_is_wrong_in_one_line(fake_llm, tmp_path):
    chart = tmp_path / "chart.png"
    chart.write_bytes(chart_photo(SALES))
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
           "LLM_BASE_URL": fake_llm.base_url.removesuffix("/v1"), "LLM_API_KEY": FAKE_LLM_KEY}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "extract", str(chart), cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2 and not out
    [line] = err.decode().splitlines()
    assert line.startswith("replot: LLM_BASE_URL http://127.0.0.1:") and "/v1" in line
    assert [r.path for r in fake_llm.requests] == ["/models", "/chat/completions"]


async def test_a_password_in_the_endpoint_url_never_shows(fake_llm, caplog):
    root = fake_llm.base_url.removesuffix("/v1").replace("http://", "http://gw:hunter2-pass@")
    with pytest.raises(ConfigError) as raised:
        await check(client(root))
    assert "hunter2" not in str(raised.value) and "gw:" not in str(raised.value)
    assert "gw:hunter2-pass" in Settings(_env_file=None, llm_base_url=root).secrets()
