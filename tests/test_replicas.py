"""Webhook replicas on one real redis-server: every chat ends as if applied one by one, a
/cancel or a newer photo reaches the replica doing the work, a dead replica's chats go on."""

import asyncio
import os
import signal
import socket
import sys
from collections import defaultdict
from pathlib import Path

import aiohttp
import pytest

from bot.charts.spec import ChartSpec
from tests.bot_harness import ChartModel, chart_photo, csv_rows
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import images_in

SECRET = "replica-test-secret_0123456789"
PUBLIC_URL = "https://replot.example.com/telegram"
CHATS = list(range(9001, 9007))
EDITS = 5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start_replica(port, fake_telegram, fake_llm, redis_url, tmp_path, **settings):
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.root_url,
        "LLM_BASE_URL": fake_llm.base_url, "LLM_API_KEY": FAKE_LLM_KEY,
        "REDIS_URL": redis_url, "WEBHOOK_URL": PUBLIC_URL, "WEBHOOK_SECRET": SECRET,
        "PORT": str(port), "RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
        "RENDER_WORKERS": "1",  # three replicas share this machine's two cores
        **settings,
    }
    # A file, not a pipe: nobody drains a pipe while the replica runs, and a full one would
    # stall it; an undrained pipe also outlives the test's event loop.
    with (tmp_path / f"replica-{port}.log").open("wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "webhook", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log, start_new_session=True)


async def wait_healthy(session, port, process, tmp_path):
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError((tmp_path / f"replica-{port}.log").read_text())
        try:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"replica on port {port} never became healthy")


@pytest.fixture
async def replicas(fake_telegram, fake_llm, redis_url, tmp_path):
    ports = [free_port() for _ in range(3)]
    processes = [await start_replica(p, fake_telegram, fake_llm, redis_url, tmp_path)
                 for p in ports]
    try:
        async with aiohttp.ClientSession() as session:
            for port, process in zip(ports, processes, strict=True):
                await wait_healthy(session, port, process, tmp_path)
        yield ports, processes
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(p.wait(), timeout=30) for p in processes]
        assert codes == [0, 0, 0]


async def refuses_requests_without_the_secret(port):
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{port}/telegram"
        async with session.post(url, json={"update_id": 1}) as response:
            assert response.status == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
        async with session.post(url, json={"update_id": 1}, headers=headers) as response:
            assert response.status == 403
        async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200 and (await response.json())["ok"] is True


async def test_three_replicas_on_one_redis(fake_telegram, fake_llm, replicas):
    """One set of replicas (they take seconds to start) serves each story in turn."""
    ports, _ = replicas
    await refuses_requests_without_the_secret(ports[0])
    assert fake_telegram.webhook_url == PUBLIC_URL and fake_telegram.webhook_secret == SECRET
    fake_telegram.route_webhooks([f"http://127.0.0.1:{p}/telegram" for p in ports])
    await every_chat_keeps_its_order(fake_telegram, fake_llm)
    await cancel_reaches_the_replica_doing_the_work(fake_telegram, fake_llm)


async def every_chat_keeps_its_order(fake_telegram, fake_llm):
    # Some answers are slow, so a later message reaching a free replica would overtake.
    fake_llm.responder = ChartModel(delays={f"add R1 = {c}": 0.4 for c in CHATS})
    for chat in CHATS:
        fake_telegram.send_photo(chat, chart_photo())
    await asyncio.gather(*(fake_telegram.wait_for(chat, timeout=30) for chat in CHATS))
    for chat in CHATS:
        for i in range(EDITS):
            fake_telegram.send_text(chat, f"add R{i} = {chat}")
    replies = await asyncio.gather(*(fake_telegram.wait_for(chat, EDITS, timeout=60)
                                     for chat in CHATS))
    for chat, sent in zip(CHATS, replies, strict=True):
        assert [r.plain_text.split("\n")[0] for r in sent] == [
            f"Added R{i}." for i in range(EDITS)], chat
    for chat in CHATS:
        fake_telegram.send_text(chat, "/csv")
    documents = await asyncio.gather(*(fake_telegram.wait_for(chat, timeout=30)
                                       for chat in CHATS))

    for chat, [document] in zip(CHATS, documents, strict=True):
        rows = csv_rows(document.file)
        assert [row[0] for row in rows[4:]] == [f"R{i}" for i in range(EDITS)], chat
    # The load balancer turns round-robin per update, so each chat's consecutive messages
    # landed on different replicas.
    per_target = defaultdict(int)
    for _update_id, target, status in fake_telegram.deliveries:
        assert status == 200
        per_target[target] += 1
    assert len(per_target) == 3 and min(per_target.values()) >= len(CHATS)


class SlowImages(ChartModel):
    """ChartModel that also reads chart images slowly while `image_delay` is set."""

    image_delay = 0.0

    def __call__(self, body):
        answer = super().__call__(body)
        if images_in(body):
            answer.delay = self.image_delay
        return answer


async def cancel_reaches_the_replica_doing_the_work(fake_telegram, fake_llm):
    model = SlowImages(delays={"add 2024 = 50": 20.0})
    fake_llm.responder = model
    chat = 9200
    fake_telegram.send_photo(chat, chart_photo())
    await fake_telegram.wait_for(chat, timeout=30)

    delivered = len(fake_telegram.deliveries)
    fake_telegram.send_text(chat, "add 2024 = 50")  # slow, on one replica
    fake_telegram.send_text(chat, "add 2025 = 60")  # queued behind it, via the next
    async with asyncio.timeout(10):
        while model.seen != ["add 2024 = 50"]:
            await asyncio.sleep(0.02)
    fake_telegram.send_text(chat, "/cancel")  # on the third
    [stopped] = await fake_telegram.wait_for(chat, timeout=5)
    assert stopped.plain_text == "Stopped. Your table and chart are as they were."
    assert len({target for _, target, _ in fake_telegram.deliveries[delivered:]}) == 3

    fake_telegram.send_text(chat, "/csv")
    [document] = await fake_telegram.wait_for(chat, timeout=10)
    assert [row[0] for row in csv_rows(document.file)] == ["Year", "2021", "2022", "2023"]
    assert model.seen == ["add 2024 = 50"]

    # A newer photo does not stop one still being read: each becomes a library entry.
    model.image_delay = 1.0
    asked = len(fake_llm.chat_requests)
    fake_telegram.send_photo(chat, chart_photo(spec=ChartSpec(type="line")))
    async with asyncio.timeout(10):
        while len(fake_llm.chat_requests) == asked:
            await asyncio.sleep(0.02)
    model.image_delay = 0.0
    fake_telegram.send_photo(chat, chart_photo(spec=ChartSpec(type="pie")))
    charts = await fake_telegram.wait_for(chat, 2, timeout=15)
    assert [c.method for c in charts] == ["sendPhoto", "sendPhoto"]
    await fake_telegram.expect_no_reply(chat, within=0.5)


async def test_a_replica_killed_mid_update_leaves_nothing_behind(
        fake_telegram, fake_llm, redis_url, tmp_path):
    ports = [free_port(), free_port()]
    doomed, survivor = [
        await start_replica(port, fake_telegram, fake_llm, redis_url, tmp_path,
                            CHAT_LOCK_TTL_S="2")
        for port in ports]
    chat = 9100
    try:
        async with aiohttp.ClientSession() as session:
            for port, process in zip(ports, (doomed, survivor), strict=True):
                await wait_healthy(session, port, process, tmp_path)
        model = ChartModel()
        fake_llm.responder = model
        fake_telegram.route_webhooks([f"http://127.0.0.1:{ports[0]}/telegram"])
        fake_telegram.send_photo(chat, chart_photo())
        await fake_telegram.wait_for(chat, timeout=30)

        model.delays["add R9 = 1"] = 60.0  # the doomed replica waits for this answer...
        fake_telegram.send_text(chat, "add R9 = 1")
        for _ in range(200):
            if "add R9 = 1" in model.seen:
                break
            await asyncio.sleep(0.05)
        os.killpg(doomed.pid, signal.SIGKILL)  # ...and dies, with its render workers
        await doomed.wait()
        model.delays.clear()

        # No new message comes for the chat: the survivor finds the queued update by itself.
        [reply] = await fake_telegram.wait_for(chat, timeout=30)
        assert reply.plain_text.split("\n")[0] == "Added R9."
        fake_telegram.route_webhooks([f"http://127.0.0.1:{ports[1]}/telegram"])
        fake_telegram.send_text(chat, "/csv")
        [document] = await fake_telegram.wait_for(chat, timeout=30)
        assert [row[0] for row in csv_rows(document.file)[4:]] == ["R9"]
        assert model.seen.count("add R9 = 1") == 2
    finally:
        for process in (doomed, survivor):
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(survivor.wait(), timeout=30) == 0
