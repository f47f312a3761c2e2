"""While the bot works on a chat's request: "typing…" (or similar) statuses, and a "still
working" note with a Stop button when a model keeps the person waiting."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.sessions.cancellation import stoppable_wait_s
from bot.sessions.conversations import TELEGRAM, conversation_id
from bot.words.wording import t
from handlers.common import PROGRESS_AFTER_S, NoteCadence, PdfProgressNote
from handlers.telegram.updates import STOP_DATA

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

STATUS_REFRESH_S = 4.0  # Telegram shows a chat action for 5 s
STATUS_MAX_REPEATS = 60


class _Progress:
    """The "still working" note of one update, once it is being sent."""

    def __init__(self) -> None:
        self.sending: asyncio.Task[Message] | None = None


@contextmanager
def showing(context: Context, chat_id: int, action: str, progress: str = "") -> Iterator[None]:
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
    cadence: NoteCadence = context.bot_data["notes"]
    settings: ProgressTiming = context.bot_data["progress"]
    for _ in range(STATUS_MAX_REPEATS):
        if (progress and note.sending is None
                and (stoppable_wait_s() or 0) >= settings.after_s
                and cadence.due(conversation_id(TELEGRAM, chat_id))):
            # Its own task: cancelling the status must not lose track of a note half sent.
            note.sending = asyncio.create_task(context.bot.send_message(
                chat_id, t(progress), reply_markup=stop_keyboard()))
        else:
            try:
                await context.bot.send_chat_action(chat_id, action)
            except TelegramError as exc:
                log.debug("chat action not shown in chat %s: %s", chat_id, exc)
        await asyncio.sleep(settings.refresh_s)


def stop_keyboard() -> InlineKeyboardMarkup:
    """The Stop button under a "still working" note, labelled in the current language."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("⏹ Stop"), callback_data=STOP_DATA)]])


class ProgressTiming:
    """How often the status is refreshed and when a note is due (tests shorten them)."""

    def __init__(self, refresh_s: float = STATUS_REFRESH_S,
                 after_s: float = PROGRESS_AFTER_S) -> None:
        self.refresh_s = refresh_s
        self.after_s = after_s


async def _remove(sending: asyncio.Task[Message]) -> None:
    try:
        await (await sending).delete()
    except TelegramError as exc:
        log.debug("progress note not removed: %s", exc)


class PdfProgress(PdfProgressNote):
    """A PDF's "page 12 of 31…" note in a Telegram chat (handlers/common.py says when)."""

    def __init__(self, context: Context, chat_id: int, file_name: str) -> None:
        super().__init__(file_name)
        self._context = context
        self._chat_id = chat_id
        self._note: Message | None = None

    async def post(self, text: str) -> None:
        try:
            self._note = await self._context.bot.send_message(
                self._chat_id, text, reply_markup=stop_keyboard())
        except TelegramError as exc:
            log.debug("pdf progress not shown in chat %s: %s", self._chat_id, exc)

    async def edit(self, text: str) -> None:
        if self._note is not None:
            try:
                await self._note.edit_text(text, reply_markup=stop_keyboard())
            except TelegramError as exc:
                log.debug("pdf progress not shown in chat %s: %s", self._chat_id, exc)

    async def delete(self) -> None:
        if self._note is not None:
            with contextlib.suppress(TelegramError):
                await self._note.delete()
