"""The gate every update passes first: who may use the bot, and how often.

Refused people get one polite answer and cause no model call; the per-person model-call
budget is charged right before each model call through `charge_for`.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.conversation.engine import Charge, OverBudget
from bot.sessions.access import AccessPolicy, Person, Quotas
from bot.sessions.store import SessionStore, StoreUnavailable
from bot.words.wording import noop, t

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
NOT_ALLOWED = noop("Sorry, this bot is private. Ask its owner for access.")
NOTICE_TTL_S = 24 * 3600  # tell a refused person once a day, not on every message


def person_of(update: Update) -> Person | None:
    chat = update.effective_chat
    if chat is None:
        return None
    user = update.effective_user
    return Person(user.id if user else None, user.username if user else None, chat.id)


async def gate(update: Update, context: Context) -> None:
    """Stop updates from people not allowed in, or over their message rate."""
    person = person_of(update)
    if person is None:
        return
    policy: AccessPolicy = context.bot_data["policy"]
    quotas: Quotas = context.bot_data["quotas"]
    if not policy.allows(person):
        log.info("refused user=%s chat=%s", person.user_id, person.chat_id)
        await _tell_once(update, context, f"denied:{person.user_id or person.chat_id}",
                         t(NOT_ALLOWED), NOTICE_TTL_S)
        raise ApplicationHandlerStop
    verdict = await quotas.check_message(person)
    if not verdict.allowed:
        window = max(1.0, verdict.retry_after_s)
        await _tell_once(update, context, f"slowed:{person.user_id or person.chat_id}",
                         verdict.reason, window)
        raise ApplicationHandlerStop


def charge_for(update: Update, context: Context) -> Charge:
    """A charge that counts one model call against the person's daily budget."""
    person = person_of(update)
    quotas: Quotas = context.bot_data["quotas"]

    async def charge() -> None:
        if person is None:
            return
        verdict = await quotas.charge_model_call(person)
        if not verdict.allowed:
            raise OverBudget(verdict.reason)

    return charge


async def usage(update: Update, context: Context) -> None:
    """Show usage: everyone's for admins, one's own for everybody else."""
    person = person_of(update)
    if person is None:
        return
    policy: AccessPolicy = context.bot_data["policy"]
    quotas: Quotas = context.bot_data["quotas"]
    try:
        if policy.is_admin(person):
            text = await quotas.usage_report(policy.listed_user_ids)
        else:
            mine = await quotas.usage(person)
            if mine.model_calls_per_day:
                text = t("Today you have used {used} of {limit} model calls.",
                         used=mine.model_calls_today, limit=mine.model_calls_per_day)
            else:
                text = t("Today you have used {used} of unlimited model calls.",
                         used=mine.model_calls_today)
    except StoreUnavailable:
        text = t("Usage figures are unavailable right now; please try again soon.")
    await context.bot.send_message(person.chat_id, text)


async def _tell_once(update: Update, context: Context, key: str, text: str,
                     ttl_s: float) -> None:
    store: SessionStore = context.bot_data["services"].store
    try:
        first = await store.incr(f"notice:{key}", ttl_s) == 1
    except StoreUnavailable:
        first = True
    if not first:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(text[:190], show_alert=True)
    elif update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text)
