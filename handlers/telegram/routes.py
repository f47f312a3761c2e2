"""python-telegram-bot handlers: each turns an Update into an engine call and sends the Reply.

Every handler is registered in `all_handlers`; delivery lives in delivery.py, statuses and
"still working" notes in progress.py, what an update is in updates.py.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import timedelta
from typing import Any

from telegram import (
    Document as TelegramDocument,
)
from telegram import (
    Message,
    PhotoSize,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.conversation import timings
from bot.conversation.engine import Charge, Engine
from bot.conversation.reply import Reply, clip
from bot.library.entries import OPEN_PREFIX
from bot.library.pdf_pages import PdfRejected, check_declared_pdf, is_pdf
from bot.llm.images import ImageLimits, ImageRejected, check_declared
from bot.sessions.cancellation import Cancels, Stopped, checkpoint
from bot.sessions.store import Source
from bot.tables.files import TableFileRejected, check_declared_table_file, is_table_file
from bot.words.wording import t
from handlers.common import (
    FILES_UNDERSTOOD,
    NOT_UNDERSTOOD,
    SOMETHING_WRONG,
    STILL_READING,
    STILL_WORKING,
    Gate,
    origin,
)
from handlers.telegram.delivery import (
    TELEGRAM_LIMITS,
    apply_tap,
    send_reply,
    send_voice_note,
)
from handlers.telegram.progress import PdfProgress, showing
from handlers.telegram.updates import (
    ADDRESSED,
    STOP_DATA,
    conversation_of,
    person_of,
    without_mention,
)

log = logging.getLogger(__name__)

# Photos are downscaled for the model anyway; a size just above this is the useful one.
USEFUL_PHOTO_SIDE = 1344
MAX_VOICE_MESSAGE_BYTES = 5 * 1024 * 1024  # a voice message the person sends us
MAX_VOICE_MESSAGE_SECONDS = 120

Context = ContextTypes.DEFAULT_TYPE


def engine_of(context: Context) -> Engine:
    engine: Engine = context.bot_data["services"].engine
    return engine


def charge_for(update: Update, context: Context) -> Charge:
    """A charge that counts one model call against the sender's daily budget."""
    person = person_of(update)
    gate: Gate = context.bot_data["gate"]
    if person is None:
        async def free() -> None:
            return None
        return free
    return gate.charge_for(person)


async def start(update: Update, context: Context) -> None:
    """Tell the person what Replot does, with an example."""
    await _answer(update, context, engine_of(context).help(conversation_of(update)))


async def show_table(update: Update, context: Context) -> None:
    """Show the session's table."""
    await _answer(update, context, engine_of(context).show_table(conversation_of(update)))


async def send_csv(update: Update, context: Context) -> None:
    """Send the table as a CSV file."""
    await _answer(update, context, engine_of(context).table_csv(conversation_of(update)))


async def send_xlsx(update: Update, context: Context) -> None:
    """Send the table as an Excel workbook."""
    await _answer(update, context, engine_of(context).table_xlsx(conversation_of(update)))


async def export(update: Update, context: Context) -> None:
    """Send the chart as files to keep: a print-size PNG and an editable SVG."""
    await _answer(update, context, engine_of(context).export(conversation_of(update)))


async def charts(update: Update, context: Context) -> None:
    """List the chat's charts, with buttons to pick the one to work on."""
    await _answer(update, context, engine_of(context).show_library(conversation_of(update)))


async def on_open(update: Update, context: Context) -> None:
    """Make the chart an "open" button names the current one, and show it."""
    query = update.callback_query
    if query is None:
        return
    tapped = await engine_of(context).on_open(conversation_of(update), query.data)
    await query.answer(clip(tapped.notice, TELEGRAM_LIMITS.toast_chars) or None)
    if tapped.follow_up is not None:
        await _send(update, context, tapped.follow_up)


async def undo(update: Update, context: Context) -> None:
    """Step back one change."""
    await _answer(update, context, engine_of(context).undo(conversation_of(update)))


async def redo(update: Update, context: Context) -> None:
    """Step forward again after an undo."""
    await _answer(update, context, engine_of(context).redo(conversation_of(update)))


async def reset(update: Update, context: Context) -> None:
    """Forget the table and chart (undo brings them back)."""
    await _answer(update, context, engine_of(context).reset(conversation_of(update)))


async def voice(update: Update, context: Context) -> None:
    """Turn voice-note replies on or off."""
    await _answer(update, context, engine_of(context).toggle_voice(conversation_of(update)))


async def usage(update: Update, context: Context) -> None:
    """Show usage: everyone's for admins, one's own for everybody else."""
    person = person_of(update)
    if person is None:
        return
    gate: Gate = context.bot_data["gate"]
    await context.bot.send_message(person.chat_id, await gate.usage(person))


async def cancel(update: Update, context: Context) -> None:
    """Stop what I'm working on for this chat; the table stays as it was."""
    cancels: Cancels = context.bot_data["cancels"]
    done = await cancels.cancel(conversation_of(update), update.update_id)
    await _send(update, context, Reply.text(done.message()))


async def on_stop(update: Update, context: Context) -> None:
    """Stop the work a "still working" note is about (its Stop button)."""
    query = update.callback_query
    if query is None:
        return
    cancels: Cancels = context.bot_data["cancels"]
    done = await cancels.cancel(conversation_of(update), update.update_id)
    await query.answer(clip(done.message(), TELEGRAM_LIMITS.toast_chars))


async def on_button(update: Update, context: Context) -> None:
    """Apply a quick action from the buttons under a chart, with no model call."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if not isinstance(message, Message):
        await query.answer(t("That button doesn't work any more."))
        return
    tapped = await engine_of(context).on_action(conversation_of(update), query.data)
    await query.answer(clip(tapped.notice, TELEGRAM_LIMITS.toast_chars) or None)
    await apply_tap(context, message, tapped)


async def on_text(update: Update, context: Context) -> None:
    """Change the chart or data as the person asks, or answer their question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = without_mention(message.text, context.bot.username)
    replied = message.reply_to_message
    with showing(context, message.chat_id, ChatAction.TYPING, STILL_WORKING):
        reply = await engine_of(context).on_text(
            conversation_of(update), text, charge=charge_for(update, context),
            reply_to=replied.message_id if replied is not None else None)
    await _deliver(update, context, reply)


async def on_photo(update: Update, context: Context) -> None:
    """Read the chart in a photo and send it back as data and a fresh chart."""
    message = update.effective_message
    if message is None or not message.photo:
        return
    size = pick_photo_size(message.photo, engine_of(context).image_limits)
    await _read_image(update, context, size, size.width, size.height)


async def on_image_document(update: Update, context: Context) -> None:
    """Read the chart in an image sent as a file."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    doc = message.document
    try:
        check_declared(file_size=doc.file_size, mime_type=doc.mime_type,
                       file_name=doc.file_name, limits=engine_of(context).image_limits)
    except ImageRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    await _read_image(update, context, doc, None, None)


async def on_anything_else(update: Update, context: Context) -> None:
    """Stickers, voice, locations…: say what the bot understands."""
    await _send(update, context, Reply.text(t(NOT_UNDERSTOOD)))


async def on_edited(update: Update, context: Context) -> None:
    """An edit of a message sent earlier: the bot acts on new messages only, and says so, so
    the person doesn't wait for a change that will not come."""
    await _send(update, context, Reply.text(t(
        "I only act on new messages, so editing one changes nothing. Send the corrected "
        "request as a new message (/undo takes back what the first one did).")))


async def on_other_document(update: Update, context: Context) -> None:
    """Take a CSV or XLSX file as the table; explain which other files are understood."""
    message = update.effective_message
    doc = message.document if message is not None else None
    if doc is not None and is_pdf(doc.file_name, doc.mime_type):
        await _read_pdf(update, context, doc)
        return
    if doc is None or not is_table_file(doc.file_name, doc.mime_type):
        await _send(update, context, Reply.text(t(FILES_UNDERSTOOD)))
        return
    try:
        check_declared_table_file(doc.file_size)
    except TableFileRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    data = await _download(update, context, doc.file_id)
    if data is not None:
        await _answer(update, context, engine_of(context).on_table_file(
            conversation_of(update), data, doc.file_name, doc.mime_type,
            request=_words_with(update, context), charge=charge_for(update, context),
            origin=_origin(update, doc.file_name)))


async def _read_pdf(update: Update, context: Context, doc: TelegramDocument) -> None:
    """Read every chart in a PDF into the library, showing progress; one summary at the end."""
    try:
        check_declared_pdf(doc.file_size)
    except PdfRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    progress = PdfProgress(context, chat_id, doc.file_name or "PDF")
    try:
        with showing(context, chat_id, ChatAction.TYPING):
            data = await _download(update, context, doc.file_id)
            if data is None:
                return
            reply = await engine_of(context).on_pdf(
                conversation_of(update), data, doc.file_name,
                charge=charge_for(update, context), progress=progress)
    finally:
        await progress.remove()
    await _deliver(update, context, reply)


async def on_voice_message(update: Update, context: Context) -> None:
    """Listen to a voice message and handle its words like a typed message."""
    message = update.effective_message
    audio = (message.voice or message.audio) if message is not None else None
    if message is None or audio is None:
        return
    duration = audio.duration
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
    if (audio.file_size or 0) > MAX_VOICE_MESSAGE_BYTES or seconds > MAX_VOICE_MESSAGE_SECONDS:
        await _send(update, context, Reply.text(t(
            "That voice message is too long for me; please keep it under two minutes.")))
        return
    with showing(context, message.chat_id, ChatAction.TYPING, STILL_WORKING):
        data = await _download(update, context, audio.file_id)
        if data is None:
            return
        reply = await engine_of(context).on_voice(conversation_of(update), data, "voice.ogg",
                                                  charge=charge_for(update, context))
    await _deliver(update, context, reply)


async def _read_image(update: Update, context: Context, file: PhotoSize | TelegramDocument,
                      width: int | None, height: int | None) -> None:
    engine = engine_of(context)
    try:
        check_declared(file_size=file.file_size, width=width, height=height,
                       limits=engine.image_limits)
    except ImageRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    request = _words_with(update, context)
    origin = _origin(update, getattr(file, "file_name", None))
    conversation = conversation_of(update)
    charge = charge_for(update, context)
    assert update.effective_chat is not None
    with showing(context, update.effective_chat.id, ChatAction.UPLOAD_PHOTO, STILL_READING):
        # The same file again: no download and no vision call (a caption may still ask one).
        reply = await engine.on_known_image(conversation, file.file_unique_id,
                                            request=request, charge=charge, origin=origin)
        if reply is None:
            data = await _download(update, context, file.file_id)
            if data is None:
                return
            reply = await engine.on_image(conversation, data, charge=charge,
                                          source_id=file.file_unique_id,
                                          request=request, origin=origin)
    await _deliver(update, context, reply)


def _origin(update: Update, file_name: str | None) -> Source:
    """Where a new library entry comes from: this message (a photo, or a named file)."""
    message = update.effective_message
    return origin(message.message_id if message is not None else None, file_name)


def _words_with(update: Update, context: Context) -> str:
    """What the person wrote with a photo or file (its caption), without the bot's @name.

    A forwarded post's caption is the post's text, not a request, and is left alone.
    """
    message = update.effective_message
    if message is None or message.forward_origin is not None:
        return ""
    return without_mention(message.caption or "", context.bot.username)


async def _download(update: Update, context: Context, file_id: str) -> bytes | None:
    """The file's bytes, or None after telling the person Telegram refused it."""
    try:
        with timings.phase("download"):
            file = await context.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
    except BadRequest as exc:
        log.warning("download refused: %s", exc.message)
        await _send(update, context, Reply.text(t(
            "Telegram wouldn't let me download that file (it may be too big). "
            "Send a smaller one.")))
        return None


def pick_photo_size(sizes: Sequence[PhotoSize], limits: ImageLimits) -> PhotoSize:
    """The smallest size that is big enough for the model, else the largest allowed one."""
    ordered = sorted(sizes, key=lambda s: s.width * s.height)
    allowed = [s for s in ordered if (s.file_size or 0) <= limits.max_bytes] or ordered[:1]
    for size in allowed:
        if max(size.width, size.height) >= USEFUL_PHOTO_SIDE:
            return size
    return allowed[-1]


async def on_error(update: object, context: Context) -> None:
    """Log the failure for the operator and tell the person something short and true."""
    chat = update.effective_chat if isinstance(update, Update) else None
    log.error("update %s in chat %s failed", getattr(update, "update_id", "?"),
              chat.id if chat else "?", exc_info=context.error)
    if chat is not None:
        try:
            await context.bot.send_message(chat.id, t(SOMETHING_WRONG))
        except TelegramError:
            log.warning("could not tell chat %s about the failure", chat.id)


async def _answer(update: Update, context: Context, work: Awaitable[Reply]) -> None:
    await _deliver(update, context, await work)


async def _deliver(update: Update, context: Context, reply: Reply) -> None:
    try:
        checkpoint()  # a /cancel after this point is too late: the answer goes out
    except Stopped:
        return
    await _send(update, context, reply)
    if reply.speak and update.effective_chat is not None:
        await send_voice_note(context, update.effective_chat.id, reply.speak)


async def _send(update: Update, context: Context, reply: Reply) -> None:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update has no chat")
    sent = await send_reply(context, chat.id, reply)
    if reply.entry is not None:  # a reply to this chart message works on its entry
        for message in sent:
            if message.photo:
                await engine_of(context).remember_chart(conversation_of(update),
                                                        message.message_id, reply.entry)


IMAGE_DOCUMENTS = filters.Document.IMAGE | filters.Document.FileExtension("png") | \
    filters.Document.FileExtension("jpg") | filters.Document.FileExtension("jpeg") | \
    filters.Document.FileExtension("webp")


def all_handlers() -> list[BaseHandler[Update, Context, None]]:
    """Every handler, in the order PTB tries them."""
    new = filters.UpdateType.MESSAGE  # not edits (on_edited) nor channel posts

    def command(name: str, callback: Callable[[Update, Context], Coroutine[Any, Any, None]]
                ) -> BaseHandler[Update, Context, None]:
        return CommandHandler(name, callback, filters=new)

    return [
        command("start", start),
        command("help", start),
        command("table", show_table),
        command("csv", send_csv),
        command("xlsx", send_xlsx),
        command("export", export),
        command("undo", undo),
        command("redo", redo),
        command("reset", reset),
        command("voice", voice),
        command("cancel", cancel),
        command("usage", usage),
        command("charts", charts),
        CallbackQueryHandler(on_stop, pattern=f"^{STOP_DATA}$"),
        CallbackQueryHandler(on_open, pattern=f"^{OPEN_PREFIX}"),
        CallbackQueryHandler(on_button),
        MessageHandler(new & ADDRESSED & filters.PHOTO, on_photo),
        MessageHandler(new & ADDRESSED & IMAGE_DOCUMENTS, on_image_document),
        MessageHandler(new & ADDRESSED & filters.Document.ALL, on_other_document),
        MessageHandler(new & ADDRESSED & filters.TEXT & ~filters.COMMAND, on_text),
        MessageHandler(new & ADDRESSED & (filters.VOICE | filters.AUDIO), on_voice_message),
        MessageHandler(new & filters.ChatType.PRIVATE & ~filters.COMMAND, on_anything_else),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & ADDRESSED
                       & (filters.TEXT | filters.CAPTION), on_edited),
    ]
