"""Per-chat ordering: one chat's updates run one after another; different chats run at once.

python-telegram-bot's concurrent mode gives no ordering, so a quick "add row A" then
"add row B" could be applied B-first. Each chat gets a FIFO lock; asyncio locks wake
waiters in arrival order and PTB starts update tasks in update order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.timings import collecting, describe

log = logging.getLogger(__name__)


def update_kind(update: object) -> str:
    """A short word for what an update carries, for the per-update log line."""
    if not isinstance(update, Update):
        return type(update).__name__
    if update.callback_query is not None:
        return "button"
    message = update.effective_message
    if message is None:
        return "other"
    if message.text:
        return "command" if message.text.startswith("/") else "text"
    for kind in ("photo", "document", "voice"):
        if getattr(message, kind):
            return kind
    return "other"


def chat_key(update: object) -> int | None:
    """The chat an update belongs to, or None for updates without one (run unordered)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        arrived = time.monotonic()
        try:
            async with lock:
                started = time.monotonic()
                with collecting() as phases:
                    await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]
        done = time.monotonic()
        log.info("update=%s chat=%s kind=%s queued_ms=%d handled_ms=%d%s",
                 getattr(update, "update_id", "?"), key, update_kind(update),
                 (started - arrived) * 1000, (done - started) * 1000, describe(phases))

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the locks go with their last waiter."""
