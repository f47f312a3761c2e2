"""A turn: how every front end hands the core one thing a person did.

A front end turns each platform event (a message, a command, a button tap) into an
`Arrival` and runs its handling inside `Turns.take`. That one call does what the engine
relies on, so no front end can forget a part of it:

- order: one conversation's arrivals are handled one after another, in arrival order;
  different conversations run at once. A /cancel (or a Stop button) alone skips the line:
  it is meant to stop what is ahead of it;
- cancellation: the arrival is tracked from the moment it arrives (bot/sessions/
  cancellation.py), so a /cancel or a newer chart image can reach it, queued or running;
- language: everything said while handling it is in the person's language (the words they
  wrote, else their app's language; the engine may recall the conversation's);
- timings: the phases of its handling are collected and logged on one line.

python-telegram-bot's concurrent mode and discord.py's event dispatch both start handlers
at once, with no ordering; asyncio locks wake waiters in arrival order, which is why a FIFO
lock per conversation is enough.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from bot.conversation.timings import collecting, describe
from bot.sessions.cancellation import ChatWork
from bot.words.wording import heard, speaking

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Arrival:
    """One thing a person did, in platform-neutral terms.

    `conversation` is the namespaced id (bot/sessions/conversations.py); `sequence` orders
    a conversation's arrivals (Telegram's update id, a Discord snowflake); `kind` is a word
    for the log line; `words` is what the person wrote, to tell their language, and
    `app_language` their app's language (an IETF tag as the platform gives it); `private`:
    a one-person conversation, whose remembered language is theirs; `cancels`: a /cancel or
    a Stop tap, which skips the line.
    """

    conversation: str
    sequence: int
    kind: str
    words: str | None = None
    app_language: str | None = None
    private: bool = True
    cancels: bool = False


class Turns:
    """Runs each arrival's handling as one turn of its conversation."""

    def __init__(self, work: ChatWork) -> None:
        self.work = work
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    async def take(self, arrival: Arrival, handling: Awaitable[Any]) -> None:
        """Run `handling` (an un-awaited coroutine) as `arrival`'s turn; tasks it starts (a
        status, a progress note) share its language and timings."""
        language, told = heard(arrival.words, arrival.app_language)
        with speaking(language, told=told, personal=arrival.private):
            await self._ordered(arrival, handling)

    async def _ordered(self, arrival: Arrival, handling: Awaitable[Any]) -> None:
        key = arrival.conversation
        arrived = time.monotonic()
        if arrival.cancels:
            with collecting() as phases:
                await handling
            self._log(arrival, arrived, arrived, phases, "")
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        outcome = ""
        try:
            with self.work.arrived(key, arrival.sequence) as work:
                async with lock:
                    started = time.monotonic()
                    ran = not work.stopped
                    with collecting() as phases:
                        if ran:
                            with self.work.running(work):
                                await handling
                        else:
                            _drop(handling)
                    if work.stopped:
                        outcome = " outcome=stopped" if ran else " outcome=dropped"
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]
        self._log(arrival, arrived, started, phases, outcome)

    @staticmethod
    def _log(arrival: Arrival, arrived: float, started: float, phases: dict[str, float],
             outcome: str) -> None:
        log.info("update=%s chat=%s kind=%s queued_ms=%d handled_ms=%d%s%s",
                 arrival.sequence, arrival.conversation, arrival.kind,
                 (started - arrived) * 1000, (time.monotonic() - started) * 1000,
                 describe(phases), outcome)


def _drop(handling: Awaitable[Any]) -> None:
    """Close a handling that a /cancel stopped before it ran."""
    if asyncio.iscoroutine(handling):
        handling.close()
