"""Every Telegram update runs as its chat's turn (bot/conversation/turn.py).

python-telegram-bot's concurrent mode gives no ordering, so a quick "add row A" then
"add row B" could be applied B-first; PTB starts update tasks in update order, and the turn's
per-conversation FIFO lock keeps them so.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.conversation.turn import Turns
from bot.words.wording import heard, speaking
from handlers.telegram.updates import arrival_of


class ChatOrderedProcessor(BaseUpdateProcessor):
    """PTB's concurrent update processing, each update run as a core turn (its chat's
    updates in order, cancellable, in the person's language, timed)."""

    def __init__(self, turns: Turns, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._turns = turns

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        arrival = arrival_of(update)
        if arrival is None:
            language, _ = heard(None, None)
            with speaking(language):
                await coroutine
            return
        await self._turns.take(arrival, coroutine)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: the turns' locks go with their last waiter."""
