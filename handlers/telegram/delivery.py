"""Replies to Telegram messages: text as escaped HTML in chunks under the message limit,
charts with their buttons, files, voice notes, and a tapped chart replaced in place."""

from __future__ import annotations

import contextlib
import html

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.conversation import timings
from bot.conversation.reply import (
    Action,
    Document,
    Limits,
    Photo,
    Reply,
    Tapped,
    Text,
    split_lines,
)
from bot.words.speech import Speaker, SpeechUnavailable
from handlers.telegram.progress import showing

Context = ContextTypes.DEFAULT_TYPE

TELEGRAM_LIMITS = Limits(
    message_chars=4096,
    caption_chars=1024,
    toast_chars=200,  # a callback query's answer
    upload_bytes=50 * 1024 * 1024,
    voice_note_bytes=1_000_000,  # Telegram shows larger audio/ogg as a file, not a voice note
)


async def send_reply(context: Context, chat_id: int, reply: Reply) -> list[Message]:
    """Send each part of a Reply in order, escaping text and keeping within Telegram's limits."""
    bot = context.bot
    sent: list[Message] = []
    with timings.phase("send"):
        for part in reply.parts:
            if isinstance(part, Text):
                chunks = html_chunks(part.text, part.monospace)
                for i, chunk in enumerate(chunks):
                    buttons = keyboard(part.actions) if i == len(chunks) - 1 else None
                    sent.append(await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML,
                                                       reply_markup=buttons))
            elif isinstance(part, Photo):
                sent.append(await bot.send_photo(
                    chat_id, photo=part.png, caption=caption(part.caption, part.table),
                    parse_mode=ParseMode.HTML, reply_markup=keyboard(part.actions)))
            elif isinstance(part, Document):
                sent.append(await bot.send_document(
                    chat_id, document=InputFile(part.data, filename=part.file_name),
                    caption=caption(part.caption), parse_mode=ParseMode.HTML))
    return sent


async def send_voice_note(context: Context, chat_id: int, text: str) -> None:
    """Speak the answer as a voice note, after the text and images have gone out."""
    speaker: Speaker = context.bot_data["services"].speaker
    try:
        with showing(context, chat_id, ChatAction.RECORD_VOICE):
            note = await speaker.synthesize(text)
    except SpeechUnavailable as exc:
        await context.bot.send_message(chat_id, str(exc))
        return
    await context.bot.send_voice(chat_id, voice=InputFile(note.ogg_opus, filename="answer.ogg"),
                                 duration=max(1, round(note.duration_s)))


async def apply_tap(context: Context, message: Message, tapped: Tapped) -> None:
    """Replace the tapped chart (or just its buttons), then send any follow-up."""
    if tapped.chart is not None:
        chart = tapped.chart
        media = InputMediaPhoto(chart.png, caption=caption(chart.caption, chart.table),
                                parse_mode=ParseMode.HTML)
        with timings.phase("send"):
            await message.edit_media(media, reply_markup=keyboard(chart.actions))
    elif tapped.actions is not None:
        with contextlib.suppress(BadRequest):  # "message is not modified" is fine
            await message.edit_reply_markup(keyboard(tapped.actions))
    if tapped.follow_up is not None:
        await send_reply(context, message.chat.id, tapped.follow_up)


def keyboard(actions: tuple[tuple[Action, ...], ...]) -> InlineKeyboardMarkup | None:
    if not actions:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(a.label, callback_data=a.data) for a in row] for row in actions])


def html_chunks(text: str, monospace: bool) -> list[str]:
    """Escaped HTML messages under Telegram's length limit, split on line breaks."""
    wrap = ("<pre>", "</pre>") if monospace else ("", "")
    budget = TELEGRAM_LIMITS.message_chars - len(wrap[0]) - len(wrap[1])
    lines = (html.escape(line, quote=False) for line in text.splitlines(keepends=True))
    return [f"{wrap[0]}{piece}{wrap[1]}" for piece in split_lines(lines, budget)]


def caption(text: str, table: str = "") -> str | None:
    """Escaped HTML caption; a table goes under the text as a monospace block."""
    limit = TELEGRAM_LIMITS.caption_chars
    escaped = html.escape(text, quote=False)
    if len(escaped) > limit:
        escaped = html.escape(text[: limit // 2], quote=False) + "…"
    if table:
        block = f"<pre>{html.escape(table, quote=False)}</pre>"
        escaped = f"{escaped}\n\n{block}" if escaped else block
    return escaped or None
