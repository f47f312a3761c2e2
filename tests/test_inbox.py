"""The shared per-chat inbox on a real redis-server: order, re-deliveries, orphaned chats."""

import asyncio
import json

import pytest
import redis.asyncio as redis

from bot.sessions.cancellation import Cancelled, ChatWork, Stopped, stoppable
from handlers.telegram.inbox import RedisInbox, SharedCancels


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
    await client.set("t:lock:7", "dead-replica", px=60_000)
    # Chat 8's update was just added; the replica that took it is about to drain it.
    assert await inbox.orphans() == [8]
    await client.pexpire("t:lock:7", 1)  # the TTL runs out
    async with asyncio.timeout(5):
        while await client.exists("t:lock:7"):
            await asyncio.sleep(0.01)
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


async def _replica(redis_url, **client_options):
    """One replica's side of /cancel: its own Redis client, work and channel listener."""
    client = redis.Redis.from_url(redis_url, **client_options)
    work = ChatWork()
    shared = SharedCancels(RedisInbox(client, prefix="t:", lock_ttl_s=1.0), work)
    listening = await _listeners(client)
    listener = asyncio.create_task(shared.listen())
    async with asyncio.timeout(5):
        while await _listeners(client) == listening:  # until Redis counts it subscribed
            await asyncio.sleep(0.01)
    return client, work, shared, listener


async def _listeners(client):
    [(_, count)] = await client.pubsub_numsub("t:cancel")
    return count


async def _model_wait(work, chat, update_id, release, arrived=None):
    with work.arrived(chat, update_id) as mine, work.running(mine):
        if arrived is not None:
            arrived.set()
        try:
            await stoppable(release.wait())
        except Stopped:
            return "stopped"
        return "answered"


async def test_a_cancel_taken_by_one_replica_stops_the_work_of_another(redis_url):
    one, two = await _replica(redis_url), await _replica(redis_url)
    try:
        _, work, _, _ = two
        inbox = RedisInbox(two[0], prefix="t:", lock_ttl_s=1.0)
        for update_id in (40, 41):  # 40 runs on replica two; 41 waits behind it
            await inbox.add(9, update_id, f"u{update_id}".encode())
        await two[0].set("t:lock:9", "two", px=2000)
        arrived = asyncio.Event()
        running = asyncio.create_task(_model_wait(work, "telegram:9", 40, asyncio.Event(), arrived))
        await arrived.wait()

        done = await one[2].cancel("telegram:9", 42)
        assert done == Cancelled(stopped=2)  # the model wait, and the queued message
        assert await running == "stopped"
        assert await two[0].zcard("t:inbox:9") == 0
        await two[0].delete("t:lock:9")  # replica two is done with the chat
        assert await one[2].cancel("telegram:9", 43) == Cancelled()
    finally:
        for client, _, _, listener in (one, two):
            listener.cancel()
            await client.aclose()


async def test_the_cancel_channel_stays_subscribed_through_quiet_times(redis_url):
    """A quiet channel is not an error: the listener used to time out with the client's
    socket timeout and miss the requests published while it subscribed again."""
    one = await _replica(redis_url, socket_timeout=0.2)
    try:
        loop = asyncio.get_running_loop()
        quiet_until = loop.time() + 1.5  # several socket timeouts with nothing published
        while loop.time() < quiet_until:
            assert await _listeners(one[0]) == 1
            await asyncio.sleep(0.05)
        arrived = asyncio.Event()
        running = asyncio.create_task(
            _model_wait(one[1], "telegram:9", 60, asyncio.Event(), arrived))
        await arrived.wait()
        await one[0].publish("t:cancel", json.dumps({"chat": 9, "before": 61}))
        async with asyncio.timeout(5):
            assert await running == "stopped"
    finally:
        one[3].cancel()
        await one[0].aclose()


async def test_an_earlier_releases_supersede_request_stops_nothing(redis_url):
    """Replicas of a release before the library asked the others to stop an image still being
    read when a newer one came; now each image is read, so such a request is ignored (a
    /cancel of another chat after it, heard in order, shows it was heard)."""
    one, two = await _replica(redis_url), await _replica(redis_url)
    try:
        work = two[1]
        with work.arrived("telegram:9", 50) as reading, work.arrived("telegram:8", 50) as other:
            await one[0].publish("t:cancel", json.dumps({"chat": 9, "before": 52, "album": ""}))
            await one[0].publish("t:cancel", json.dumps({"chat": 8, "before": 52}))
            async with asyncio.timeout(5):
                while not other.stopped:  # until replica two has heard both, in order
                    await asyncio.sleep(0.01)
            assert not reading.stopped
    finally:
        for client, _, _, listener in (one, two):
            listener.cancel()
            await client.aclose()


async def test_the_cancel_channel_comes_back_with_redis(redis_server, redis_url):
    one, two = await _replica(redis_url), await _replica(redis_url)
    try:
        redis_server.command("SAVE")
        redis_server.stop()
        try:
            await asyncio.sleep(0.5)
            assert await one[2].cancel("telegram:9", 60) == Cancelled()  # only its own work: none
        finally:
            redis_server.start()
            (redis_server.workdir / "dump.rdb").unlink()
        release = asyncio.Event()
        running = asyncio.create_task(_model_wait(two[1], "telegram:9", 61, release))
        async with asyncio.timeout(10):
            while not running.done():  # until replica two listens again
                await two[0].set("t:lock:9", "two", px=1000)
                if (await one[2].cancel("telegram:9", 62)).stopped:
                    break
                await asyncio.sleep(0.2)
        assert await running == "stopped"
    finally:
        for client, _, _, listener in (one, two):
            listener.cancel()
            await client.aclose()
