"""Per-chat ordered processing shared by every replica, through Redis.

Behind a load balancer, one chat's updates can land on different replicas. Each update is
added to the chat's inbox (a sorted set scored by update_id) before the webhook is
acknowledged; whichever replica holds the chat's lock drains the inbox lowest id first, so
the chat's updates apply one at a time and in order, whichever replica received them.
An update is removed only after it was handled (at-least-once), and ids already handled are
remembered for a day so Telegram's re-deliveries are not applied twice.

Chats with queued updates are also listed in one set. A replica that dies holding a chat's
lock leaves updates behind that no new update may come to collect; every replica looks for
such orphans (listed, no lock) now and then and drains them.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import cast

import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.session import StoreUnavailable

log = logging.getLogger(__name__)

LOCK_TTL_S = 30.0  # a crashed replica's lock frees itself after this
SEEN_TTL_S = 24 * 3600
KEY_TTL_S = 7 * 24 * 3600

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
            if not await self._redis.set(self._key("seen", update_id), 1, nx=True,
                                         ex=SEEN_TTL_S):
                return False
            inbox = self._key("inbox", chat)
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(inbox, {payload: update_id})
                pipe.expire(inbox, KEY_TTL_S)
                pipe.sadd(self._listed, chat)
                await pipe.execute()
            return True
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("the update queue is unavailable") from exc

    async def drain(self, chat: int, handle: Handler) -> None:
        """Handle the chat's queued updates in order, unless another replica already is."""
        while await self._pending(chat):
            token = secrets.token_hex(8)
            if not await self._redis.set(self._key("lock", chat), token, nx=True,
                                         px=self._lock_ttl_ms):
                return  # the owner drains it, including what we just added
            renew = asyncio.create_task(self._keep(chat, token))
            try:
                await self._drain_locked(chat, handle)
            finally:
                renew.cancel()
                await self._if_owner(keys=[self._key("lock", chat)], args=[token, 0])

    async def _drain_locked(self, chat: int, handle: Handler) -> None:
        inbox = self._key("inbox", chat)
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
        return bool(await self._redis.zcard(self._key("inbox", chat)))

    async def orphans(self) -> list[int]:
        """Chats with queued updates that no replica holds (their holder died)."""
        try:
            members = await cast(Awaitable[set[bytes]], self._redis.smembers(self._listed))
            listed = sorted(int(raw) for raw in members)
            orphaned = []
            for chat in listed:
                if await self._redis.exists(self._key("lock", chat)):
                    continue
                if await self._pending(chat):
                    orphaned.append(chat)
                else:
                    await self._unlist(chat)
            return orphaned
        except (RedisError, OSError) as exc:
            raise StoreUnavailable("the update queue is unavailable") from exc

    async def _unlist(self, chat: int) -> None:
        await self._unlist_if_empty(keys=[self._key("inbox", chat), self._listed], args=[chat])

    async def _keep(self, chat: int, token: str) -> None:
        while True:
            await asyncio.sleep(self.check_interval_s)
            await self._if_owner(keys=[self._key("lock", chat)],
                                 args=[token, self._lock_ttl_ms])

    def _key(self, kind: str, ident: int) -> str:
        return f"{self._prefix}{kind}:{ident}"
