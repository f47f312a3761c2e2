"""python-telegram-bot handlers: translate Updates into engine calls and Replies into messages."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from telegram import (
    Document as TelegramDocument,
)
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
    PhotoSize,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import timings
from bot.cancellation import Cancels, Stopped, checkpoint, stoppable_wait_s
from bot.engine import Engine
from bot.images import ImageLimits, ImageRejected, check_declared
from bot.library import OPEN_PREFIX
from bot.pdf_pages import PdfRejected, check_declared_pdf, is_pdf
from bot.reply import Action, Document, Photo, Reply, Tapped, Text, clip
from bot.session import Source
from bot.speech import Speaker, SpeechUnavailable
from bot.table_files import TableFileRejected, check_declared_table_file, is_table_file
from bot.wording import noop, t
from handlers.gate import charge_for

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4096
MAX_CAPTION_CHARS = 1024
# Photos are downscaled for the model anyway; a size just above this is the useful one.
USEFUL_PHOTO_SIDE = 1344
MAX_VOICE_BYTES = 5 * 1024 * 1024
MAX_VOICE_SECONDS = 120
STATUS_REFRESH_S = 4.0  # Telegram shows a chat action for 5 s
STATUS_MAX_REPEATS = 60
PROGRESS_AFTER_S = 12.0  # a model wait this long gets a "still working" note with Stop
# At most one such note per chat in this long: when a model is slow for everyone, notes and
# their removal must not eat the bot's 30-messages-a-second budget.
PROGRESS_NOTE_EVERY_S = 600.0
STOP_DATA = "stop"
PDF_PROGRESS_EVERY_S = 5.0  # a PDF's progress note is edited at most this often
MAX_CALLBACK_ANSWER_CHARS = 200
MAX_NOTED_CHATS = 10_000
STILL_WORKING = noop("Still working on it — the model is taking its time. /cancel stops it.")
STILL_READING = noop(
    "Still reading your chart — the model is taking its time. /cancel stops it.")
SOMETHING_WRONG = noop(
    "Sorry, something went wrong on my side. Your data is safe; please try again.")

Context = ContextTypes.DEFAULT_TYPE


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


def engine_of(context: Context) -> Engine:
    engine: Engine = context.bot_data["engine"]
    return engine


async def start(update: Update, context: Context) -> None:
    """Tell the person what Replot does, with an example."""
    await _answer(update, context, engine_of(context).help(_chat_id(update)))


async def show_table(update: Update, context: Context) -> None:
    """Show the session's table."""
    await _answer(update, context, engine_of(context).show_table(_chat_id(update)))


async def send_csv(update: Update, context: Context) -> None:
    """Send the table as a CSV file."""
    await _answer(update, context, engine_of(context).table_csv(_chat_id(update)))


async def send_xlsx(update: Update, context: Context) -> None:
    await _answer(update, context, engine_of(context).table_xlsx(_chat_id(update)))


async def export(update: Update, context: Context) -> None:
    """Send the chart as files to keep: a print-size PNG and an editable SVG."""
    await _answer(update, context, engine_of(context).export(_chat_id(update)))


async def charts(update: Update, context: Context) -> None:
    """List the chat's charts, with buttons to pick the one to work on."""
    await _answer(update, context, engine_of(context).show_library(_chat_id(update)))


async def on_open(update: Update, context: Context) -> None:
    """Make the chart an "open" button names the current one, and show it."""
    query = update.callback_query
    if query is None:
        return
    tapped = await engine_of(context).on_open(_chat_id(update), query.data)
    await query.answer(clip(tapped.notice, MAX_CALLBACK_ANSWER_CHARS) or None)
    if tapped.follow_up is not None:
        await _send(update, context, tapped.follow_up)


async def undo(update: Update, context: Context) -> None:
    """Step back one change."""
    await _answer(update, context, engine_of(context).undo(_chat_id(update)))


async def redo(update: Update, context: Context) -> None:
    """Step forward again after an undo."""
    await _answer(update, context, engine_of(context).redo(_chat_id(update)))


async def reset(update: Update, context: Context) -> None:
    """Forget the table and chart (undo brings them back)."""
    await _answer(update, context, engine_of(context).reset(_chat_id(update)))


async def voice(update: Update, context: Context) -> None:
    """Turn voice-note replies on or off."""
    await _answer(update, context, engine_of(context).toggle_voice(_chat_id(update)))


async def cancel(update: Update, context: Context) -> None:
    """Stop what I'm working on for this chat; the table stays as it was."""
    cancels: Cancels = context.bot_data["cancels"]
    done = await cancels.cancel(_chat_id(update), update.update_id)
    await _send(update, context, Reply.text(done.message()))


async def on_button(update: Update, context: Context) -> None:
    """Apply a quick action from the buttons under a chart, with no model call."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if not isinstance(message, Message):
        await query.answer(t("That button doesn't work any more."))
        return
    tapped = await engine_of(context).on_action(message.chat.id, query.data)
    await query.answer(clip(tapped.notice, MAX_CALLBACK_ANSWER_CHARS) or None)
    await apply_tap(context, message, tapped)


async def apply_tap(context: Context, message: Message, tapped: Tapped) -> None:
    """Replace the tapped chart (or just its buttons), then send any follow-up."""
    if tapped.chart is not None:
        chart = tapped.chart
        media = InputMediaPhoto(chart.png, caption=_caption(chart.caption, chart.table),
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


async def on_text(update: Update, context: Context) -> None:
    """Change the chart or data as the person asks, or answer their question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    text = without_mention(message.text, context.bot.username)
    replied = message.reply_to_message
    with _showing(context, _chat_id(update), ChatAction.TYPING, STILL_WORKING):
        reply = await engine_of(context).on_text(
            _chat_id(update), text, charge_for(update, context),
            reply_to=replied.message_id if replied is not None else None)
    await _deliver(update, context, reply)


async def on_photo(update: Update, context: Context) -> None:
    """Read the chart in a photo and send it back as data and a fresh chart."""
    message = update.effective_message
    if message is None or not message.photo:
        return
    engine = engine_of(context)
    size = pick_photo_size(message.photo, engine.image_limits)
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
    await _send(update, context, Reply.text(t(
        "I work with charts: send me a photo or screenshot of one, then tell me what to "
        "change. /help shows examples.")))


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
        await _send(update, context, Reply.text(t(
            "I can read charts from photos and image files (PNG, JPEG, WebP, GIF, BMP), and "
            "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.")))
        return
    try:
        check_declared_table_file(doc.file_size)
    except TableFileRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    data = await _download(update, context, doc.file_id)
    if data is not None:
        await _answer(update, context, engine_of(context).on_table_file(
            _chat_id(update), data, doc.file_name, doc.mime_type,
            request=_words_with(update, context), charge=charge_for(update, context),
            origin=_origin(update, doc.file_name)))


async def _read_pdf(update: Update, context: Context, doc: TelegramDocument) -> None:
    """Read every chart in a PDF into the library, showing progress; one summary at the end."""
    try:
        check_declared_pdf(doc.file_size)
    except PdfRejected as exc:
        await _send(update, context, Reply.text(str(exc)))
        return
    chat_id = _chat_id(update)
    progress = _PdfProgress(context, chat_id, doc.file_name or "PDF")
    try:
        with _showing(context, chat_id, ChatAction.TYPING):
            data = await _download(update, context, doc.file_id)
            if data is None:
                return
            reply = await engine_of(context).on_pdf(chat_id, data, doc.file_name,
                                                    charge_for(update, context), progress)
    finally:
        await progress.remove()
    await _deliver(update, context, reply)


class _PdfProgress:
    """One "page 12 of 31…" note per PDF, edited at most every PDF_PROGRESS_EVERY_S (flood
    control), with a Stop button; removed when the summary is ready."""

    def __init__(self, context: Context, chat_id: int, file_name: str) -> None:
        self._context = context
        self._chat_id = chat_id
        self._file_name = file_name[:60]
        self._note: Message | None = None
        self._edited = 0.0

    async def __call__(self, page: int, pages: int) -> None:
        text = t("Reading {file}: page {page} of {pages}…", file=self._file_name, page=page,
                 pages=pages)
        now = time.monotonic()
        try:
            if self._note is None:
                self._note = await self._context.bot.send_message(
                    self._chat_id, text, reply_markup=stop_keyboard())
                self._edited = now
            elif now - self._edited >= PDF_PROGRESS_EVERY_S:
                self._edited = now
                await self._note.edit_text(text, reply_markup=stop_keyboard())
        except TelegramError as exc:
            log.debug("pdf progress not shown in chat %s: %s", self._chat_id, exc)

    async def remove(self) -> None:
        if self._note is not None:
            with contextlib.suppress(TelegramError):
                await self._note.delete()


async def on_voice_message(update: Update, context: Context) -> None:
    """Listen to a voice message and handle its words like a typed message."""
    message = update.effective_message
    audio = (message.voice or message.audio) if message is not None else None
    if audio is None:
        return
    duration = audio.duration
    seconds = duration.total_seconds() if isinstance(duration, timedelta) else duration
    if (audio.file_size or 0) > MAX_VOICE_BYTES or seconds > MAX_VOICE_SECONDS:
        await _send(update, context, Reply.text(t(
            "That voice message is too long for me; please keep it under two minutes.")))
        return
    with _showing(context, _chat_id(update), ChatAction.TYPING, STILL_WORKING):
        data = await _download(update, context, audio.file_id)
        if data is None:
            return
        reply = await engine_of(context).on_voice(_chat_id(update), data, "voice.ogg",
                                                  charge_for(update, context))
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
    with _showing(context, _chat_id(update), ChatAction.UPLOAD_PHOTO, STILL_READING):
        # The same file again: no download and no vision call (a caption may still ask one).
        reply = await engine.on_known_image(_chat_id(update), file.file_unique_id,
                                            request=request, charge=charge_for(update, context),
                                            origin=origin)
        if reply is None:
            data = await _download(update, context, file.file_id)
            if data is None:
                return
            reply = await engine.on_image(_chat_id(update), data, charge_for(update, context),
                                          source_id=file.file_unique_id, request=request,
                                          origin=origin)
    await _deliver(update, context, reply)


def _origin(update: Update, file_name: str | None) -> Source:
    """Where a new library entry comes from: this message (a photo, or a named file)."""
    message = update.effective_message
    message_id = message.message_id if message is not None else None
    if file_name:
        return Source(kind="file", file_name=file_name[:80], message_id=message_id)
    return Source(kind="photo", message_id=message_id)


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
    if reply.speak:
        await send_voice_note(context, _chat_id(update), reply.speak)


async def send_voice_note(context: Context, chat_id: int, text: str) -> None:
    """Speak the answer as a voice note, after the text and images have gone out."""
    speaker: Speaker = context.bot_data["speaker"]
    try:
        with _showing(context, chat_id, ChatAction.RECORD_VOICE):
            note = await speaker.synthesize(text)
    except SpeechUnavailable as exc:
        await context.bot.send_message(chat_id, str(exc))
        return
    await context.bot.send_voice(chat_id, voice=InputFile(note.ogg_opus, filename="answer.ogg"),
                                 duration=max(1, round(note.duration_s)))


async def _send(update: Update, context: Context, reply: Reply) -> None:
    sent = await send_reply(context, _chat_id(update), reply)
    if reply.entry is not None:
        for message in sent:
            if message.photo:
                await engine_of(context).remember_chart(_chat_id(update), message.message_id,
                                                        reply.entry)


async def send_reply(context: Context, chat_id: int, reply: Reply) -> list[Message]:
    """Send each part of a Reply in order, escaping text and keeping within Telegram's limits."""
    bot = context.bot
    sent: list[Message] = []
    with timings.phase("send"):
        for part in reply.parts:
            if isinstance(part, Text):
                chunks = _html_chunks(part.text, part.monospace)
                for i, chunk in enumerate(chunks):
                    buttons = keyboard(part.actions) if i == len(chunks) - 1 else None
                    sent.append(await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML,
                                                       reply_markup=buttons))
            elif isinstance(part, Photo):
                sent.append(await bot.send_photo(
                    chat_id, photo=part.png, caption=_caption(part.caption, part.table),
                    parse_mode=ParseMode.HTML, reply_markup=keyboard(part.actions)))
            elif isinstance(part, Document):
                sent.append(await bot.send_document(
                    chat_id, document=InputFile(part.data, filename=part.file_name),
                    caption=_caption(part.caption), parse_mode=ParseMode.HTML))
    return sent


def _html_chunks(text: str, monospace: bool) -> list[str]:
    """Escaped HTML messages under Telegram's length limit, split on line breaks."""
    wrap = ("<pre>", "</pre>") if monospace else ("", "")
    budget = MAX_MESSAGE_CHARS - len(wrap[0]) - len(wrap[1])
    chunks: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        escaped = html.escape(line, quote=False)[:budget]
        if len(current) + len(escaped) > budget:
            chunks.append(current)
            current = ""
        current += escaped
    if current.strip():
        chunks.append(current)
    return [f"{wrap[0]}{c.rstrip()}{wrap[1]}" for c in chunks if c.strip()]


def _caption(text: str, table: str = "") -> str | None:
    """Escaped HTML caption; a table goes under the text as a monospace block."""
    escaped = html.escape(text, quote=False)
    if len(escaped) > MAX_CAPTION_CHARS:
        escaped = html.escape(text[: MAX_CAPTION_CHARS // 2], quote=False) + "…"
    if table:
        block = f"<pre>{html.escape(table, quote=False)}</pre>"
        escaped = f"{escaped}\n\n{block}" if escaped else block
    return escaped or None


class _Progress:
    """The "still working" note of one update, once it is being sent."""

    def __init__(self) -> None:
        self.sending: asyncio.Task[Message] | None = None


@contextmanager
def _showing(context: Context, chat_id: int, action: str, progress: str = "") -> Iterator[None]:
    """Show "typing…" (or similar) while the work inside runs; the work never waits for it.

    Telegram clears the status after about five seconds and a model can take far longer,
    so it is shown again every few seconds; it stops before the reply goes out, or it would
    linger after the reply it announced. When a model keeps the person waiting past
    PROGRESS_AFTER_S, `progress` (a noop() message, said in the update's language) is also
    sent, with a Stop button, and removed at the end.
    """
    note = _Progress()
    task = asyncio.create_task(_keep_showing(context, chat_id, action, progress, note),
                               name="chat-action")
    try:
        yield
    finally:
        task.cancel()
        if note.sending is not None:
            context.application.create_task(_remove(note.sending), name="progress-note")


async def _keep_showing(context: Context, chat_id: int, action: str, progress: str,
                        note: _Progress) -> None:
    for _ in range(STATUS_MAX_REPEATS):
        if (progress and note.sending is None
                and (stoppable_wait_s() or 0) >= PROGRESS_AFTER_S and _note_due(chat_id)):
            # Its own task: cancelling the status must not lose track of a note half sent.
            note.sending = asyncio.create_task(context.bot.send_message(
                chat_id, t(progress), reply_markup=stop_keyboard()))
        else:
            try:
                await context.bot.send_chat_action(chat_id, action)
            except TelegramError as exc:
                log.debug("chat action not shown in chat %s: %s", chat_id, exc)
        await asyncio.sleep(STATUS_REFRESH_S)


def stop_keyboard() -> InlineKeyboardMarkup:
    """The Stop button under a "still working" note, labelled in the current language."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("⏹ Stop"), callback_data=STOP_DATA)]])


_last_note: dict[int, float] = {}


def _note_due(chat_id: int) -> bool:
    """Whether the chat may get a "still working" note now (and, if so, count it as sent)."""
    now = time.monotonic()
    if now - _last_note.get(chat_id, -PROGRESS_NOTE_EVERY_S) < PROGRESS_NOTE_EVERY_S:
        return False
    if len(_last_note) >= MAX_NOTED_CHATS:
        for chat, when in list(_last_note.items()):
            if now - when >= PROGRESS_NOTE_EVERY_S:
                del _last_note[chat]
    _last_note[chat_id] = now
    return True


async def _remove(sending: asyncio.Task[Message]) -> None:
    try:
        await (await sending).delete()
    except TelegramError as exc:
        log.debug("progress note not removed: %s", exc)


async def on_stop(update: Update, context: Context) -> None:
    """Stop the work a "still working" note is about (its Stop button)."""
    query = update.callback_query
    if query is None:
        return
    cancels: Cancels = context.bot_data["cancels"]
    done = await cancels.cancel(_chat_id(update), update.update_id)
    await query.answer(clip(done.message(), MAX_CALLBACK_ANSWER_CHARS))


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update has no chat")
    return chat.id


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
