"""Telegram webhook replicas: per-chat ordered processing shared by every replica, through Redis.

Behind a load balancer, one chat's updates can land on different replicas. Each update is
added to the chat's inbox (a sorted set scored by update_id) before the webhook is
acknowledged; whichever replica holds the chat's lock drains the inbox lowest id first, so
the chat's updates apply one at a time and in order, whichever replica received them.
An update is removed only after it was handled (at-least-once), and ids already handled are
remembered for a day so Telegram's re-deliveries are not applied twice.

A /cancel skips the inbox (`SharedCancels`): it drops the chat's queued updates and asks
every replica, over a pub/sub channel, to stop the chat's update it is running.

Chats with queued updates are also listed in one set. A replica that dies holding a chat's
lock leaves updates behind that no new update may come to collect; every replica looks for
such orphans (listed, no lock) now and then and drains them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import cast

import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.sessions.cancellation import Cancelled, ChatWork
from bot.sessions.conversations import TELEGRAM, conversation_id, local_id
from bot.sessions.store import StoreUnavailable

log = logging.getLogger(__name__)

LOCK_TTL_S = 30.0  # a crashed replica's lock frees itself after this
SEEN_TTL_S = 24 * 3600
KEY_TTL_S = 7 * 24 * 3600
CANCEL_ANSWER_WAIT_S = 1.0  # how long a /cancel waits for the replica running the update
CANCEL_ANSWER_TTL_S = 30
RESUBSCRIBE_MAX_PAUSE_S = 30.0
LISTEN_POLL_S = 1.0  # under the client's socket timeout: a quiet channel is not an error

# Release or extend the lock only if we still own it: a lock that expired and was taken by
# another replica must not be freed by the old owner.
_IF_OWNER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '0' then return redis.call('DEL', KEYS[1]) end
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

# Unlist a chat only when its inbox is empty: an update added meanwhile keeps it listed.
_UNLIST_IF_EMPTY = """
if redis.call('ZCARD', KEYS[1]) == 0 then return redis.call('SREM', KEYS[2], ARGV[1]) end
return 0
"""

Handler = Callable[[bytes], Awaitable[None]]


class RedisInbox:
    def __init__(self, client: redis.Redis, prefix: str = "replot:",
                 lock_ttl_s: float = LOCK_TTL_S) -> None:
        self._redis = client
        self._prefix = prefix
        self._lock_ttl_ms = int(lock_ttl_s * 1000)
        self._listed = f"{prefix}inboxes"
        self._if_owner = client.register_script(_IF_OWNER)
        self._unlist_if_empty = client.register_script(_UNLIST_IF_EMPTY)

    @classmethod
    def from_url(cls, url: str, lock_ttl_s: float = LOCK_TTL_S) -> RedisInbox:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5,
                                      health_check_interval=15)
        return cls(client, lock_ttl_s=lock_ttl_s)

    @property
    def check_interval_s(self) -> float:
        """A third of the lock's lifetime: how often an owner renews its lock, and how often
        replicas look for orphaned inboxes."""
        return self._lock_ttl_ms / 3000

    async def close(self) -> None:
        await self._redis.aclose()

    async def add(self, chat: int, update_id: int, payload: bytes) -> bool:
        """Queue an update for its chat; False when this update id was seen before."""
        try:
            if not await self.first_sight(update_id):
                return False
            inbox = self.key("inbox", chat)
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(inbox, {payload: update_id})
                pipe.expire(inbox, KEY_TTL_S)
                pipe.sadd(self._listed, chat)
                await pipe.execute()
            return True
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("the update queue is unavailable") from exc

    async def first_sight(self, update_id: int) -> bool:
        """True the first time an update id is seen (Telegram re-delivers on errors)."""
        try:
            return bool(await self._redis.set(self.key("seen", update_id), 1, nx=True,
                                              ex=SEEN_TTL_S))
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("the update queue is unavailable") from exc

    async def drop_before(self, chat: int, update_id: int) -> tuple[int, bool]:
        """Drop the chat's updates older than `update_id`; also say whether a replica holds
        the chat (is running one of its updates)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(self.key("inbox", chat), "-inf", f"({update_id}")
            pipe.exists(self.key("lock", chat))
            dropped, held = await pipe.execute()
        return int(dropped), bool(held)

    async def drain(self, chat: int, handle: Handler) -> None:
        """Handle the chat's queued updates in order, unless another replica already is."""
        while await self._pending(chat):
            token = secrets.token_hex(8)
            if not await self._redis.set(self.key("lock", chat), token, nx=True,
                                         px=self._lock_ttl_ms):
                return  # the owner drains it, including what we just added
            renew = asyncio.create_task(self._keep(chat, token))
            try:
                await self._drain_locked(chat, handle)
            finally:
                renew.cancel()
                await self._if_owner(keys=[self.key("lock", chat)], args=[token, 0])

    async def _drain_locked(self, chat: int, handle: Handler) -> None:
        inbox = self.key("inbox", chat)
        while True:
            first = await self._redis.zrange(inbox, 0, 0)
            if not first:
                await self._unlist(chat)
                return
            try:
                await handle(first[0])
            except Exception:
                log.exception("update for chat %s failed; dropping it", chat)
            await self._redis.zrem(inbox, first[0])

    async def _pending(self, chat: int) -> bool:
        return bool(await self._redis.zcard(self.key("inbox", chat)))

    async def orphans(self) -> list[int]:
        """Chats with queued updates that no replica holds (their holder died)."""
        try:
            members = await cast(Awaitable[set[bytes]], self._redis.smembers(self._listed))
            listed = sorted(int(raw) for raw in members)
            orphaned = []
            for chat in listed:
                if await self._redis.exists(self.key("lock", chat)):
                    continue
                if await self._pending(chat):
                    orphaned.append(chat)
                else:
                    await self._unlist(chat)
            return orphaned
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("the update queue is unavailable") from exc

    async def _unlist(self, chat: int) -> None:
        await self._unlist_if_empty(keys=[self.key("inbox", chat), self._listed], args=[chat])

    async def _keep(self, chat: int, token: str) -> None:
        while True:
            await asyncio.sleep(self.check_interval_s)
            await self._if_owner(keys=[self.key("lock", chat)],
                                 args=[token, self._lock_ttl_ms])

    @property
    def client(self) -> redis.Redis:
        return self._redis

    def key(self, kind: str, ident: int | None = None) -> str:
        """This inbox's Redis key of `kind` (for chat or update `ident`)."""
        return f"{self._prefix}{kind}" if ident is None else f"{self._prefix}{kind}:{ident}"


class SharedCancels:
    """/cancel across replicas: drop the chat's queued updates from its inbox, and have the
    replica running one of them stop it and say how far it had got."""

    def __init__(self, inbox: RedisInbox, local: ChatWork) -> None:
        self._inbox = inbox
        self._redis = inbox.client
        self._local = local
        self._channel = inbox.key("cancel")

    async def cancel(self, conversation: str, update_id: int) -> Cancelled:
        """Stop the chat's work that arrived before update `update_id`, on any replica."""
        chat = int(local_id(conversation))
        answer_key = self._inbox.key("cancelled", update_id)
        try:
            dropped, held = await self._inbox.drop_before(chat, update_id)
            await self._publish({"chat": chat, "before": update_id, "answer": answer_key})
            answer = Cancelled()
            if held:
                popped = await cast(Awaitable[list[bytes] | None], self._redis.blpop(
                    [answer_key], timeout=CANCEL_ANSWER_WAIT_S))
                if popped:
                    answer = _answer_of(popped[1])
        except (RedisError, OSError):
            log.warning("update queue unreachable; /cancel stops this replica's work only")
            return self._local.stop(conversation, update_id)
        # The running update is still in the inbox until it is done: it was counted in both.
        running = answer.stopped + answer.finishing
        return answer + Cancelled(stopped=max(0, dropped - running))

    async def listen(self) -> None:
        """Forever: stop this replica's work as any replica asks; while Redis is away, try
        again after 1, 2, 4 … 30 s, saying so once."""
        pause = 0.0
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    if pause:
                        log.info("/cancel channel back")
                    pause = 0.0
                    while True:
                        # Not listen(): it reads with the client's socket timeout, so a quiet
                        # channel raised a timeout every few seconds and requests published
                        # while it subscribed again were lost.
                        message = await pubsub.get_message(ignore_subscribe_messages=True,
                                                           timeout=LISTEN_POLL_S)
                        if message is not None:
                            await self._on_request(message["data"])
            except (RedisError, OSError):
                if not pause:
                    log.warning("lost the /cancel channel; subscribing again when Redis is back")
                pause = min(max(pause * 2, 1.0), RESUBSCRIBE_MAX_PAUSE_S)
                await asyncio.sleep(pause)

    async def _publish(self, request: dict[str, object]) -> None:
        await self._redis.publish(self._channel, json.dumps(request))

    async def _on_request(self, raw: bytes) -> None:
        try:
            request = json.loads(raw)
            chat, before = int(request["chat"]), int(request["before"])
            album, answer_key = request.get("album"), str(request.get("answer", ""))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring a malformed stop request (%d bytes)", len(raw))
            return
        if isinstance(album, str):
            return  # an earlier release's "a newer image supersedes": each is read now
        conversation = conversation_id(TELEGRAM, chat)
        done = self._local.stop(conversation, before)
        if answer_key and (done.stopped or done.finishing):
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.rpush(answer_key, json.dumps(
                    {"stopped": done.stopped, "finishing": done.finishing}))
                pipe.expire(answer_key, CANCEL_ANSWER_TTL_S)
                await pipe.execute()


def _answer_of(raw: bytes) -> Cancelled:
    """A replica's answer to a /cancel; nothing stopped when it cannot be read."""
    try:
        answer = json.loads(raw)
        return Cancelled(int(answer["stopped"]), int(answer["finishing"]))
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring an unreadable /cancel answer (%d bytes)", len(raw))
        return Cancelled()
