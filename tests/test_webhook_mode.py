"""An operator with the production `.env` (WEBHOOK_URL set) on a laptop: `python -m bot` and
`python -m bot check` leave the webhook Telegram posts to alone."""

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.test_checkup import reads_the_check_chart

PUBLIC_URL = "https://replot.example.com/telegram"
SECRET = "production-secret_0123456789"
WEBHOOK_METHODS = {"deleteWebhook", "setWebhook"}


def production_env(fake_telegram, fake_llm, tmp_path):
    return {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.root_url,
        "LLM_BASE_URL": fake_llm.base_url, "LLM_API_KEY": FAKE_LLM_KEY,
        "WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": SECRET,
    }


def production_webhook(fake_telegram):
    """Telegram posts this bot's updates to the production replicas."""
    fake_telegram.webhook_url, fake_telegram.webhook_secret = PUBLIC_URL, SECRET


async def test_python_m_bot_with_webhook_url_refuses_in_one_line(fake_telegram, fake_llm,
                                                                  tmp_path):
    production_webhook(fake_telegram)
    log = tmp_path / "bot.log"
    with log.open("wb") as stderr:  # a file: a polling bot's render workers would hold a pipe
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path,
            env=production_env(fake_telegram, fake_llm, tmp_path),
            stdout=asyncio.subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    try:
        async with asyncio.timeout(60):
            # Until it exits, or (the defect) polling has removed the webhook.
            while bot.returncode is None and not webhook_calls(fake_telegram):
                await asyncio.sleep(0.05)
    finally:
        if bot.returncode is None:
            os.killpg(bot.pid, signal.SIGKILL)
        await bot.wait()
    assert webhook_calls(fake_telegram) == []
    assert fake_telegram.webhook_url == PUBLIC_URL
    assert bot.returncode == 2
    lines = log.read_text().strip().splitlines()
    assert len(lines) == 1 and "python -m bot webhook" in lines[0]
    assert "WEBHOOK_URL" in lines[0]


async def test_check_with_webhook_url_leaves_the_webhook_alone(fake_telegram, fake_llm,
                                                               tmp_path):
    production_webhook(fake_telegram)
    fake_llm.responder = reads_the_check_chart  # check makes one real round trip per model
    check = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=tmp_path,
        env=production_env(fake_telegram, fake_llm, tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(check.communicate(), timeout=60)
    assert check.returncode == 0, err.decode()
    assert any(line.startswith("ok    Webhook") for line in out.decode().splitlines())
    assert webhook_calls(fake_telegram) == []
    assert fake_telegram.webhook_url == PUBLIC_URL and fake_telegram.webhook_secret == SECRET
    assert {call.method for call in fake_telegram.requests} == {"getMe"}


def webhook_calls(fake_telegram):
    return [call.method for call in fake_telegram.requests if call.method in WEBHOOK_METHODS]
