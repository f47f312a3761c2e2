"""Per-chat ordering: one chat's updates run one after another; different chats run at once.

python-telegram-bot's concurrent mode gives no ordering, so a quick "add row A" then
"add row B" could be applied B-first. Each chat gets a FIFO lock; asyncio locks wake
waiters in arrival order and PTB starts update tasks in update order. /cancel (and the Stop
button of a "still working" note) alone skips the line: it is meant to stop what is ahead of
it. Each update is tracked in `ChatWork` from its arrival, so a /cancel or a newer chart
photo can reach it (bot/cancellation.py).

Every update is also handled in the language the bot answers it in (`speech_of`): all the
bot says while handling it, error apology and "still working" note included, is in it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.cancellation import ChatWork
from bot.timings import collecting, describe
from bot.wording import heard, speaking
from handlers.telegram import STOP_DATA

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


def is_cancel(update: object) -> bool:
    """Whether the update is a /cancel command (to this bot or without a bot name) or a tap
    on a "still working" note's Stop button."""
    if isinstance(update, Update) and update.callback_query is not None:
        return update.callback_query.data == STOP_DATA
    message = update.effective_message if isinstance(update, Update) else None
    if message is None or not message.text:
        return False
    words = message.text.split(maxsplit=1)
    if not words:
        return False
    command, _, bot_name = words[0].partition("@")
    if command.lower() != "/cancel":
        return False
    return not bot_name or bot_name.lower() == (message.get_bot().username or "").lower()


def new_table_album(update: object) -> str | None:
    """What a new table supersedes: nothing, now that each chart image or table file becomes
    its own entry in the chat's library rather than replacing the table (so an earlier one
    still being read must be read too). Always None; the supersede path in bot.cancellation
    and bot.inbox stays for work that would be replaced."""
    return None


def speech_of(update: object) -> tuple[str, bool]:
    """The language to answer an update in, and whether the person's words told it: that of
    what they wrote (a message's text, or its caption unless forwarded), else their Telegram
    app's language, else English. A tap carries no words: the tapped message is the bot's own.
    The engine may then recall the chat's language from its session (bot/wording.py)."""
    if not isinstance(update, Update):
        return heard(None, None)
    message = update.message or update.edited_message
    words = None
    if message is not None:
        words = message.text or (message.caption if message.forward_origin is None else None)
    user = update.effective_user
    return heard(words, user.language_code if user is not None else None)


def chat_key(update: object) -> int | None:
    """The chat an update belongs to, or None for updates without one (run unordered)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, work: ChatWork, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._work = work
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Tasks the handling starts (status, progress note, error handler) inherit it.
        language, told = speech_of(update)
        chat = update.effective_chat if isinstance(update, Update) else None
        with speaking(language, told=told, personal=chat is None or chat.type == chat.PRIVATE):
            await self._ordered(update, coroutine)

    async def _ordered(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            await coroutine
            return
        arrived = time.monotonic()
        if is_cancel(update):
            with collecting() as phases:
                await coroutine
            self._log(update, key, arrived, arrived, phases, "")
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        outcome = ""
        try:
            with self._work.arrived(key, getattr(update, "update_id", 0),
                                    new_table_album(update)) as work:
                async with lock:
                    started = time.monotonic()
                    ran = not work.stopped
                    with collecting() as phases:
                        if ran:
                            with self._work.running(work):
                                await coroutine
                        else:
                            _drop(coroutine)
                    if work.stopped:
                        outcome = (" outcome=superseded" if work.superseded
                                   else " outcome=stopped" if ran else " outcome=dropped")
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]
        self._log(update, key, arrived, started, phases, outcome)

    @staticmethod
    def _log(update: object, chat: int, arrived: float, started: float,
             phases: dict[str, float], outcome: str) -> None:
        log.info("update=%s chat=%s kind=%s queued_ms=%d handled_ms=%d%s%s",
                 getattr(update, "update_id", "?"), chat, update_kind(update),
                 (started - arrived) * 1000, (time.monotonic() - started) * 1000,
                 describe(phases), outcome)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the locks go with their last waiter."""


def _drop(coroutine: Awaitable[Any]) -> None:
    """Close an update's handling that a /cancel stopped before it ran."""
    if asyncio.iscoroutine(coroutine):
        coroutine.close()
