"""`python -m bot check`: an operator checks the whole set-up before going live."""

import asyncio
import os
import sys
from pathlib import Path

from tests.fakes.fixtures import FAKE_LLM_KEY


async def check(tmp_path, **env):
    """Run `python -m bot check` with `env` as its only settings; (exit code, lines)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
             "PYTHONPATH": str(Path(__file__).resolve().parent.parent), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode().splitlines(), err.decode()


async def test_a_working_set_up_passes_every_check(fake_telegram, fake_llm, redis_url,
                                                   tmp_path):
    code, lines, err = await check(
        tmp_path, TELEGRAM_BOT_TOKEN=fake_telegram.token,
        TELEGRAM_API_URL=fake_telegram.root_url, LLM_BASE_URL=fake_llm.base_url,
        LLM_API_KEY=FAKE_LLM_KEY, REDIS_URL=redis_url)
    assert code == 0, err
    assert [line.split()[:2] for line in lines] == [
        ["ok", "Telegram"], ["ok", "Model"], ["ok", "Store"], ["ok", "Voice"], ["ok", "Fonts"]]
    assert f"@{fake_telegram.bot_username}" in lines[0]
    assert "meta/llama-3.1-70b-instruct" in lines[1]
    assert fake_telegram.sent == [] and fake_llm.model_calls() == []


async def test_each_broken_part_is_named(fake_telegram, fake_llm, tmp_path):
    code, lines, _ = await check(
        tmp_path, TELEGRAM_BOT_TOKEN="123:not-the-token", TELEGRAM_API_URL=fake_telegram.root_url,
        LLM_BASE_URL=fake_llm.base_url, LLM_API_KEY=FAKE_LLM_KEY,
        VISION_MODEL="acme/retired-vision", REDIS_URL="redis://127.0.0.1:9/0",
        WEBHOOK_URL="https://replot.example.com/hook", WEBHOOK_SECRET="short")
    assert code == 1
    telegram, model, store, webhook = lines[:4]
    assert telegram.startswith("FAIL  Telegram") and "refused TELEGRAM_BOT_TOKEN" in telegram
    assert model.startswith("warn  Model API") and "'acme/retired-vision'" in model
    assert store.startswith("FAIL  Store")
    assert webhook.startswith("FAIL  Webhook") and "WEBHOOK_SECRET" in webhook
    assert FAKE_LLM_KEY not in "\n".join(lines)
