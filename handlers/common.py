"""What every front end shares: the access gate's verdicts, model-call charges, /usage,
when a slow answer earns a "still working" note, a PDF's progress note, and where a new
library entry comes from. Plain values in and out, no chat library."""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

from bot.conversation.engine import Charge, OverBudget
from bot.sessions.access import AccessPolicy, Person, Quotas
from bot.sessions.store import SessionStore, Source, StoreUnavailable
from bot.words.wording import noop, t

NOT_ALLOWED = noop("Sorry, this bot is private. Ask its owner for access.")
NOTICE_TTL_S = 24 * 3600  # tell a refused person once a day, not on every message
PROGRESS_AFTER_S = 12.0  # a model wait this long gets a "still working" note with Stop
# At most one such note per conversation in this long: when a model is slow for everyone,
# notes and their removal must not eat the bot's message budget.
PROGRESS_NOTE_EVERY_S = 600.0
MAX_NOTED_CONVERSATIONS = 10_000
STILL_WORKING = noop("Still working on it — the model is taking its time. /cancel stops it.")
STILL_READING = noop(
    "Still reading your chart — the model is taking its time. /cancel stops it.")
SOMETHING_WRONG = noop(
    "Sorry, something went wrong on my side. Your data is safe; please try again.")
PDF_PROGRESS_EVERY_S = 5.0  # a PDF's progress note is edited at most this often (flood control)
MAX_SOURCE_FILE_NAME = 80
FILES_UNDERSTOOD = noop(
    "I can read charts from photos, image files (PNG, JPEG, WebP, GIF, BMP) and PDFs, and "
    "tables from CSV or XLSX files. Send a screenshot or a photo of the chart.")
NOT_UNDERSTOOD = noop(
    "I work with charts: send me a photo or screenshot of one, then tell me what to "
    "change. /help shows examples.")


@dataclass(frozen=True)
class Refusal:
    """Why a person is turned away; `tell` is False when they were told so recently."""

    text: str
    tell: bool


class Gate:
    """Who may use the bot and how often, for every front end; refused people cause no model
    call and are told once per window, not on every message."""

    def __init__(self, policy: AccessPolicy, quotas: Quotas, store: SessionStore) -> None:
        self.policy = policy
        self.quotas = quotas
        self._store = store

    async def refusal(self, person: Person) -> Refusal | None:
        """None when the person may go ahead (this counts their message), else why not."""
        if not self.policy.allows(person):
            return await self._refused(f"denied:{person.key}", t(NOT_ALLOWED), NOTICE_TTL_S)
        verdict = await self.quotas.check_message(person)
        if verdict.allowed:
            return None
        return await self._refused(f"slowed:{person.key}", verdict.reason,
                                   max(1.0, verdict.retry_after_s))

    def charge_for(self, person: Person) -> Charge:
        """A charge that counts one model call against the person's daily budget."""
        async def charge() -> None:
            verdict = await self.quotas.charge_model_call(person)
            if not verdict.allowed:
                raise OverBudget(verdict.reason)
        return charge

    async def usage(self, person: Person) -> str:
        """/usage: everyone's figures for admins, one's own for everybody else."""
        try:
            if self.policy.is_admin(person):
                return await self.quotas.usage_report(self.policy.listed_people)
            mine = await self.quotas.usage(person)
        except StoreUnavailable:
            return t("Usage figures are unavailable right now; please try again soon.")
        if mine.model_calls_per_day:
            return t("Today you have used {used} of {limit} model calls.",
                     used=mine.model_calls_today, limit=mine.model_calls_per_day)
        return t("Today you have used {used} of unlimited model calls.",
                 used=mine.model_calls_today)

    async def _refused(self, key: str, text: str, ttl_s: float) -> Refusal:
        try:
            first = await self._store.incr(f"notice:{key}", ttl_s) == 1
        except StoreUnavailable:
            first = True
        return Refusal(text, tell=first)


class NoteCadence:
    """Whether a conversation may get a "still working" note now: at most one per
    PROGRESS_NOTE_EVERY_S, remembered for a bounded number of conversations."""

    def __init__(self, every_s: float = PROGRESS_NOTE_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.every_s = every_s
        self._clock = clock
        self._last: dict[str, float] = {}

    def due(self, conversation: str) -> bool:
        """Whether a note may go out now (and, if so, count it as sent)."""
        now = self._clock()
        if now - self._last.get(conversation, -self.every_s) < self.every_s:
            return False
        if len(self._last) >= MAX_NOTED_CONVERSATIONS:
            for key, when in list(self._last.items()):
                if now - when >= self.every_s:
                    del self._last[key]
        self._last[conversation] = now
        return True


def origin(message_id: int | None, file_name: str | None = None,
           link: str | None = None) -> Source:
    """Where a new library entry comes from: a message with a photo, or with a named file;
    `link` opens that message where the platform has such links."""
    if file_name:
        return Source(kind="file", file_name=file_name[:MAX_SOURCE_FILE_NAME],
                      message_id=message_id, link=link)
    return Source(kind="photo", message_id=message_id, link=link)


class PdfProgressNote(ABC):
    """One "Reading report.pdf: page 12 of 31…" note per PDF, with a Stop button: posted at
    the first report, edited in place at most every `every_s` (flood control), removed when
    the summary is ready. A report that comes while the note is being posted or edited is
    skipped, not queued: the next one says more.

    A front end says how to post, edit and delete the note on its platform; those log and
    swallow the platform's errors, since a note not shown must never stop the reading."""

    def __init__(self, file_name: str, every_s: float = PDF_PROGRESS_EVERY_S) -> None:
        self._file_name = file_name[:60]
        self._every_s = every_s
        self._posted = False
        self._edited = 0.0
        self._busy = asyncio.Lock()
        self._removed = False

    async def __call__(self, page: int, pages: int) -> None:
        if self._busy.locked() or self._removed:
            return
        text = t("Reading {file}: page {page} of {pages}…", file=self._file_name, page=page,
                 pages=pages)
        now = time.monotonic()
        async with self._busy:
            if not self._posted:
                self._posted = True
                self._edited = now
                await self.post(text)
            elif now - self._edited >= self._every_s:
                self._edited = now
                await self.edit(text)

    async def remove(self) -> None:
        """Take the note away (once the summary, or the /cancel's answer, is there)."""
        self._removed = True
        async with self._busy:
            if self._posted:
                await self.delete()

    @abstractmethod
    async def post(self, text: str) -> None:
        """Send the note, with a Stop button."""

    @abstractmethod
    async def edit(self, text: str) -> None:
        """Change the note's text in place (keeping its Stop button)."""

    @abstractmethod
    async def delete(self) -> None:
        """Delete the note."""
