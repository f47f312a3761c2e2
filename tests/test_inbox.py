"""The shared per-chat inbox on a real redis-server: order, re-deliveries, orphaned chats."""

import asyncio

import pytest
import redis.asyncio as redis

from bot.inbox import RedisInbox


@pytest.fixture
async def client(redis_url):
    connection = redis.Redis.from_url(redis_url)
    yield connection
    await connection.aclose()


@pytest.fixture
async def inbox(client):
    return RedisInbox(client, prefix="t:", lock_ttl_s=1.0)


async def test_updates_are_handled_in_id_order_and_only_once(inbox):
    handled = []

    async def handle(payload):
        handled.append(payload)

    for update_id in (12, 10, 11):
        assert await inbox.add(7, update_id, f"u{update_id}".encode())
    assert not await inbox.add(7, 11, b"u11")  # Telegram delivered it again
    await inbox.drain(7, handle)
    assert handled == [b"u10", b"u11", b"u12"]
    assert await inbox.orphans() == []


async def test_a_chat_left_by_a_dead_replica_is_found_once_its_lock_expires(inbox, client):
    await inbox.add(7, 20, b"u20")
    await inbox.add(8, 21, b"u21")
    # Chat 7's holder died mid-update: its lock outlives it until the TTL runs out.
    await client.set("t:lock:7", "dead-replica", px=300)
    # Chat 8's update was just added; the replica that took it is about to drain it.
    assert await inbox.orphans() == [8]
    await asyncio.sleep(0.4)
    assert await inbox.orphans() == [7, 8]

    handled = []

    async def handle(payload):
        handled.append(payload)

    for chat in await inbox.orphans():
        await inbox.drain(chat, handle)
    assert handled == [b"u20", b"u21"]
    assert await inbox.orphans() == []
    assert await client.smembers("t:inboxes") == set()


async def test_a_live_holder_keeps_its_chat(inbox):
    started, release = asyncio.Event(), asyncio.Event()

    async def slow(payload):
        started.set()
        await release.wait()

    await inbox.add(9, 30, b"u30")
    drain = asyncio.create_task(inbox.drain(9, slow))
    await started.wait()
    await asyncio.sleep(1.5)  # longer than the lock's TTL: the holder renews it
    assert await inbox.orphans() == []
    release.set()
    await drain
    assert await inbox.orphans() == []
