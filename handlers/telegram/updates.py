"""What a Telegram update is, in the core's terms: its conversation, who sent it, whether it
is addressed to the bot, and the `Arrival` its turn runs as (bot/conversation/turn.py)."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.conversation.turn import Arrival
from bot.sessions.access import Person
from bot.sessions.conversations import TELEGRAM, conversation_id

STOP_DATA = "stop"  # the callback data of a "still working" note's Stop button


class AddressedToBot(filters.MessageFilter):
    """Private chats always; in groups only messages that mention the bot or reply to it.

    Works with Telegram's privacy mode, which delivers exactly such messages to bots.
    """

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        text = message.text or message.caption or ""
        return bool(bot.username) and f"@{bot.username}".lower() in text.lower()


ADDRESSED = AddressedToBot()


def without_mention(text: str, username: str | None) -> str:
    """The message with the bot's @mention taken out."""
    if not username:
        return text.strip()
    return re.sub(rf"@{re.escape(username)}\b", "", text, flags=re.IGNORECASE).strip()


def person_of(update: Update) -> Person | None:
    chat = update.effective_chat
    if chat is None:
        return None
    user = update.effective_user
    return Person(user.id if user else None, user.username if user else None, chat.id)


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


def conversation_of(update: Update) -> str:
    """The namespaced conversation id of an update's chat."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update has no chat")
    return conversation_id(TELEGRAM, chat.id)


def words_of(update: object) -> str | None:
    """What the person wrote, to tell their language: a message's text, or its caption unless
    forwarded. A tap carries no words: the tapped message is the bot's own."""
    if not isinstance(update, Update):
        return None
    message = update.message or update.edited_message
    if message is None:
        return None
    return message.text or (message.caption if message.forward_origin is None else None)


def arrival_of(update: object) -> Arrival | None:
    """The update in the core's terms, or None for updates without a chat (run unordered)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    chat = update.effective_chat
    user = update.effective_user
    return Arrival(
        conversation=conversation_id(TELEGRAM, chat.id), sequence=update.update_id,
        kind=update_kind(update), words=words_of(update),
        app_language=user.language_code if user is not None else None,
        private=chat.type == chat.PRIVATE,
        cancels=is_cancel(update))


def chat_key(update: object) -> int | None:
    """The Telegram chat an update belongs to, or None for updates without one."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


