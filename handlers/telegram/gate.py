"""The gate every Telegram update passes first: who may use the bot, and how often
(handlers/common.py decides; this tells the person and stops the update)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.common import Gate
from handlers.telegram.delivery import TELEGRAM_LIMITS
from handlers.telegram.updates import person_of

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


async def gate(update: Update, context: Context) -> None:
    """Stop updates from people not allowed in, or over their message rate."""
    person = person_of(update)
    if person is None:
        return
    checks: Gate = context.bot_data["gate"]
    refusal = await checks.refusal(person)
    if refusal is None:
        return
    log.info("refused user=%s chat=%s", person.user_id, person.chat_id)
    if refusal.tell:
        if update.callback_query is not None:
            await update.callback_query.answer(refusal.text[:TELEGRAM_LIMITS.toast_chars],
                                               show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, refusal.text)
    raise ApplicationHandlerStop
