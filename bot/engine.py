"""One step of the conversation: (chat, input) → Reply. No Telegram types here.

The engine loads the chat's session, asks the models, validates their answers, renders charts
with trusted code, and commits the new session with a version check. Any front end (Telegram,
a command line, Discord) turns a Reply into messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.chart import ChartRenderer
from bot.chart_spec import ChartSpec, ChartSpecError
from bot.images import ImageLimits, ImageRejected, PreparedImage, prepare_image
from bot.instruction import (
    ANSWER_SCHEMA,
    Instruction,
    InvalidAnswer,
    build_messages,
    parse_answer,
    reask_messages,
)
from bot.models import ModelClient, ModelError
from bot.session import (
    Session,
    SessionStore,
    StoreUnavailable,
    VersionConflict,
    update_session,
)
from bot.table import Table
from bot.table_parsing import NoTableFound, parse_table

log = logging.getLogger(__name__)

EXTRACTION_CACHE_TTL_S = 7 * 24 * 3600  # a week: the same chart sent again costs no model call
MAX_TABLE_TEXT_CHARS = 3000
MAX_TABLE_TEXT_WIDTH = 72
COMMIT_ATTEMPTS = 3

HELP_TEXT = """\
I turn a photo of a chart into data you can edit.

1. Send me a chart: a photo, a screenshot, or an image file.
2. I read its data table and draw the chart again.
3. Tell me what to change, in your own words:
   • “make it a pie chart”
   • “sort descending”
   • “add 2024 = 50”
   • “what grew fastest?”

Commands: /table shows the data, /csv sends it as a file, /undo and /redo step through your \
changes, /reset starts over."""

NO_TABLE_YET = "Send me a chart photo first — then tell me what to change about it."
STORE_DOWN = ("I can't reach my memory store right now, so I can't work on your chart. "
              "Nothing is lost — please try again in a minute.")


@dataclass(frozen=True)
class Text:
    text: str
    monospace: bool = False


@dataclass(frozen=True)
class Photo:
    png: bytes
    caption: str = ""


@dataclass(frozen=True)
class Document:
    file_name: str
    data: bytes
    caption: str = ""


Part = Text | Photo | Document


@dataclass(frozen=True)
class Reply:
    """What the person gets back, in order."""

    parts: tuple[Part, ...]

    @classmethod
    def text(cls, text: str) -> Reply:
        return cls((Text(text),))


class _Retry(Exception):
    """The session changed under us (another writer); redo the step on the fresh session."""


class Engine:
    def __init__(self, store: SessionStore, models: ModelClient, renderer: ChartRenderer,
                 *, image_limits: ImageLimits | None = None) -> None:
        self._store = store
        self._models = models
        self._renderer = renderer
        self._limits = image_limits or ImageLimits()

    @property
    def image_limits(self) -> ImageLimits:
        return self._limits

    async def on_image(self, chat_id: int, data: bytes) -> Reply:
        """A chart image arrived: read its table, draw it, make it the session's table."""
        try:
            image = await asyncio.to_thread(prepare_image, data, self._limits)
        except ImageRejected as exc:
            return Reply.text(str(exc))
        return await self._guarded(lambda: self._extract(chat_id, image))

    async def on_text(self, chat_id: int, text: str) -> Reply:
        """A message in words: change the table or chart, or answer a question about it."""
        return await self._guarded(lambda: self._instruct(chat_id, text.strip()))

    async def help(self) -> Reply:
        return Reply.text(HELP_TEXT)

    async def show_table(self, chat_id: int) -> Reply:
        async def step() -> Reply:
            session = await self._store.load(chat_id)
            if session.table is None:
                return Reply.text(NO_TABLE_YET)
            return Reply(table_parts(session.table))
        return await self._guarded(step)

    async def table_csv(self, chat_id: int) -> Reply:
        async def step() -> Reply:
            session = await self._store.load(chat_id)
            if session.table is None:
                return Reply.text(NO_TABLE_YET)
            return Reply((csv_document(session.table, session.table.summary()),))
        return await self._guarded(step)

    async def undo(self, chat_id: int) -> Reply:
        return await self._step_history(chat_id, Session.undone, "Nothing to undo.", "Undone.")

    async def redo(self, chat_id: int) -> Reply:
        return await self._step_history(chat_id, Session.redone, "Nothing to redo.", "Redone.")

    async def reset(self, chat_id: int) -> Reply:
        def clear(session: Session) -> Session | None:
            return None if session.table is None else session.cleared()

        async def step() -> Reply:
            if await self._change(chat_id, clear) is None:
                return Reply.text("There is nothing to reset. " + NO_TABLE_YET)
            return Reply.text("Cleared. Send a new chart photo (/undo brings the old one back).")
        return await self._guarded(step)

    async def _step_history(self, chat_id: int, move: Callable[[Session], Session | None],
                            nothing: str, done: str) -> Reply:
        async def step() -> Reply:
            moved = await self._change(chat_id, move)
            if moved is None:
                return Reply.text(nothing)
            if moved.table is None:
                return Reply.text(f"{done} There is no table now. " + NO_TABLE_YET)
            return await self._show(moved.table, moved.chart, done)
        return await self._guarded(step)

    async def _change(self, chat_id: int,
                      change: Callable[[Session], Session | None]) -> Session | None:
        """Apply a local change with a version-checked write; None when it changed nothing."""
        applied = False

        def tracked(session: Session) -> Session | None:
            nonlocal applied
            new = change(session)
            applied = new is not None
            return new

        session = await update_session(self._store, chat_id, tracked)
        return session if applied else None

    async def _extract(self, chat_id: int, image: PreparedImage) -> Reply:
        found = await self._read_table(image)
        if isinstance(found, str):
            return Reply.text(found)
        table, spec = found
        spec = await self._drawable(table, spec)
        png = await self._renderer.render(table, spec)
        await self._change(chat_id, lambda s: s.changed(table=table, chart=spec,
                                                        image_key=image.digest))
        caption = f"Here is your chart again: {table.summary()}. Tell me what to change."
        return Reply((Photo(png, caption), *table_parts(table)))

    async def _read_table(self, image: PreparedImage) -> tuple[Table, ChartSpec] | str:
        """The table behind an image (from the cache when seen before), or what went wrong."""
        cache_key = f"extract:{image.digest}"
        cached = await self._store.cache_get(cache_key)
        if cached is not None:
            try:
                data = json.loads(cached)
                return Table.model_validate(data["table"]), ChartSpec.model_validate(data["chart"])
            except (ValueError, KeyError, TypeError):
                log.warning("extraction cache entry unreadable; asking the model again")
        try:
            table, spec = await read_chart(self._models, image)
        except NoTableFound:
            return ("I couldn't find a chart with data in that picture. Send a clear, straight "
                    "photo or screenshot of a bar, line or pie chart.")
        payload = {"table": table.model_dump(mode="json"), "chart": spec.model_dump(mode="json")}
        await self._store.cache_put(cache_key, json.dumps(payload, ensure_ascii=False),
                                    EXTRACTION_CACHE_TTL_S)
        return table, spec

    async def _instruct(self, chat_id: int, text: str) -> Reply:
        if not text:
            return Reply.text(NO_TABLE_YET)
        for _ in range(COMMIT_ATTEMPTS):
            session = await self._store.load(chat_id)
            if session.table is None:
                return Reply.text(NO_TABLE_YET)
            try:
                return await self._apply_instruction(session, session.table, text)
            except _Retry:
                log.info("chat %s changed during an instruction; applying again", chat_id)
        return Reply.text("Your chart was being changed elsewhere at the same moment. "
                          "Please send that again.")

    async def _apply_instruction(self, session: Session, table: Table, text: str) -> Reply:
        answer = await self._ask(table, session.chart, text)
        if answer is None:
            return Reply.text("I couldn't turn that into a change to your chart. "
                              "Try saying it another way, e.g. “make it a line chart”.")
        new_table = answer.table or table
        if answer.table is None and answer.chart is None:
            return Reply.text(answer.reply)
        spec = answer.chart or session.chart or ChartSpec()
        try:
            spec.check(new_table)
        except ChartSpecError as exc:
            if answer.chart is not None:
                return Reply.text(f"I can't draw that: {exc}. Your chart is unchanged.")
            spec = await self._drawable(new_table, ChartSpec(type=spec.type))
        png = await self._renderer.render(new_table, spec)
        await self._commit(session, session.changed(table=new_table, chart=spec))
        caption = answer.reply or "Done."
        parts: list[Part] = [Photo(png, clip(caption, 1000))]
        if answer.table is not None:
            parts.extend(table_parts(new_table))
        return Reply(tuple(parts))

    async def _ask(self, table: Table, chart: ChartSpec | None, text: str) -> Instruction | None:
        """The model's validated answer, re-asking once with the error; None if still invalid."""
        messages = build_messages(table, chart, text)
        completion = await self._models.instruct(messages, ANSWER_SCHEMA)
        try:
            return parse_answer(completion.text, table, chart)
        except InvalidAnswer as exc:
            log.info("instruct answer invalid (%s); asking once more", exc)
            retry = reask_messages(messages, completion.text, exc)
            completion = await self._models.instruct(retry, ANSWER_SCHEMA)
        try:
            return parse_answer(completion.text, table, chart)
        except InvalidAnswer as exc:
            log.info("instruct answer invalid again (%s); giving up", exc)
            return None

    async def _show(self, table: Table, chart: ChartSpec | None, caption: str) -> Reply:
        spec = await self._drawable(table, chart or ChartSpec())
        png = await self._renderer.render(table, spec)
        return Reply((Photo(png, caption), *table_parts(table)))

    async def _drawable(self, table: Table, spec: ChartSpec) -> ChartSpec:
        """The spec if it fits the table, else the nearest one that does (a plain bar chart)."""
        for candidate in (spec, ChartSpec(type=spec.type), ChartSpec()):
            try:
                candidate.check(table)
                return candidate
            except ChartSpecError:
                continue
        return ChartSpec(type="bar")

    async def _commit(self, read: Session, new: Session) -> Session:
        try:
            return await self._store.save(new.model_copy(update={"version": read.version}))
        except VersionConflict:
            raise _Retry from None

    async def _guarded(self, step: Callable[[], Awaitable[Reply]]) -> Reply:
        """Turn the failures a person can hit into short, true replies; the session is intact."""
        try:
            return await step()
        except ModelError as exc:
            return Reply.text(str(exc))
        except StoreUnavailable:
            return Reply.text(STORE_DOWN)
        except ChartSpecError as exc:
            return Reply.text(f"I can't draw that: {exc}.")
        except _Retry:
            return Reply.text("Your chart was changed elsewhere at the same moment. "
                              "Please send that again.")


async def read_chart(models: ModelClient, image: PreparedImage) -> tuple[Table, ChartSpec]:
    """Ask the vision model for the chart's table and type; raises NoTableFound."""
    completion = await models.read_chart(image)
    log.info("vision answer: %d chars in %.2fs", len(completion.text), completion.seconds)
    table = read_table_answer(completion.text)
    return table, ChartSpec(type=detected_chart_type(completion.text))


def read_table_answer(answer: str) -> Table:
    """The table in a vision model's answer, with its title line applied."""
    if answer.strip().upper().startswith("NO CHART"):
        raise NoTableFound("the model saw no chart")
    table = parse_table(answer)
    if not table.title:
        match = re.search(r"^\W*title\W*:\s*(.+)$", answer, re.IGNORECASE | re.MULTILINE)
        title = match.group(1).strip(" *_`\"'") if match else ""
        if title and title.lower() not in ("none", "empty", "n/a", "<empty>", "-"):
            table = table.model_copy(update={"title": title[:200]})
    return table


def detected_chart_type(answer: str) -> str:
    """The chart type the vision model named, if it is one we draw; else bar."""
    match = re.search(r"chart\s*type\W*:\s*([A-Za-z_ +-]+)", answer, re.IGNORECASE)
    if match:
        try:
            return ChartSpec(type=match.group(1).strip()).type
        except ValueError:
            pass
    return "bar"


def table_parts(table: Table) -> tuple[Part, ...]:
    """The table as monospace text when it fits a phone screen, else as a CSV file."""
    text = table.to_text()
    width = max(len(line) for line in text.splitlines())
    if len(text) <= MAX_TABLE_TEXT_CHARS and width <= MAX_TABLE_TEXT_WIDTH:
        return (Text(text, monospace=True),)
    return (csv_document(table, f"The table is too big for a message: {table.summary()}"),)


def csv_document(table: Table, caption: str) -> Document:
    name = re.sub(r"[^\w-]+", "_", table.title).strip("_")[:40] or "table"
    return Document(f"{name}.csv", table.to_csv().encode("utf-8-sig"), clip(caption, 1000))


def clip(text: str, limit: int) -> str:
    """Cut text at a word boundary so it fits a Telegram limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
