"""One step of the conversation: (conversation, input) → Reply. No chat platform's types here.

The engine loads the chat's session, asks the models, validates their answers, renders charts
with trusted code, and commits the new session with a version check. Any front end (Telegram,
a command line, Discord) turns a Reply into messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable

from bot.charts.render import ChartRenderer
from bot.charts.sandbox import SandboxError, SandboxUnavailable, run_chart_code
from bot.charts.spec import ChartSpec, ChartSpecError, fit_chart, following
from bot.conversation import timings
from bot.conversation.quick_actions import QuickAction, actions_for, decode
from bot.conversation.reply import (
    Limits,
    Photo,
    Reply,
    Tapped,
    Text,
    chart_documents,
    chart_parts,
    clip,
    csv_document,
    table_parts,
    with_table_caption,
    xlsx_document,
)
from bot.library.entries import (
    COMBINE_SCHEMA,
    MAX_ASKED_ENTRIES,
    QUESTION_SCHEMA,
    CombineError,
    LibraryRequest,
    answer_text,
    citation,
    combine_messages,
    combined_table,
    library_note,
    library_request,
    listing,
    open_buttons,
    opened,
    parse_uses,
    question_messages,
    size_text,
    title_of,
)
from bot.library.pdf_pages import PdfRejected, survey
from bot.library.pdf_reading import BudgetSpent, PdfReading, Progress
from bot.library.retrieval import Embedder, rank
from bot.llm.client import ModelClient, ModelError
from bot.llm.images import ImageLimits, ImageRejected, PreparedImage, prepare_image
from bot.llm.instruction import (
    ANSWER_SCHEMA,
    Instruction,
    InvalidAnswer,
    build_messages,
    parse_answer,
    reask_messages,
)
from bot.llm.read_check import (
    Flag,
    ReadCheck,
    check_note,
    marked_cells,
    table_note,
    with_other_reading,
)
from bot.llm.reading import Reading, read_checked
from bot.sessions.cancellation import Stopped, checkpoint, stoppable
from bot.sessions.store import (
    EntryInfo,
    Session,
    SessionStore,
    Shelved,
    Source,
    StoreUnavailable,
    VersionConflict,
    update_session,
)
from bot.tables.files import TableFileRejected, read_table_file, write_xlsx
from bot.tables.parsing import NoTableFound
from bot.tables.queries import Query, QueryError, run_query
from bot.tables.table import Table, format_cell
from bot.words.wording import noop, recall, t, told

log = logging.getLogger(__name__)

EXTRACTION_CACHE_TTL_S = 7 * 24 * 3600  # a week: the same chart sent again costs no model call
COMMIT_ATTEMPTS = 3

HELP_TEXT = noop("""\
I turn a photo of a chart into data you can edit.

1. Send me a chart: a photo, a screenshot, or an image file.
2. I read its data table and draw the chart again.
3. Tell me what to change, in your own words (or in the photo's caption):
   • “make it a pie chart”
   • “sort descending”
   • “add 2024 = 50”
   • “what grew fastest?”

Commands: /table shows the data, /csv sends it as a file (/xlsx as an Excel workbook), \
/export sends the chart as PNG and SVG files, /undo and /redo step through your changes, \
/reset starts over, /cancel stops what I'm working on.""")

CHANGED_ELSEWHERE = noop("Your chart was changed elsewhere at the same moment. "
                         "Please try again.")
NO_TABLE_YET = noop("Send me a chart photo first — then tell me what to change about it.")
NOTHING_TO_DRAW = noop("I kept your table ({summary}), but it has no column of numbers to "
                       "draw. Tell me what to change, or /csv to get it back.")
NOTHING_LEFT_TO_DRAW = noop("There is no column of numbers left to draw; /table shows your "
                            "data.")
STORE_DOWN = noop("I can't reach my memory store right now, so I can't work on your chart. "
                  "Nothing is lost — please try again in a minute.")


# What a quick-action tap on a chart type says; the keys are ChartSpec types.
_CHART_NAMES = {
    "bar": noop("Bar chart"),
    "barh": noop("Horizontal bar chart"),
    "stacked_bar": noop("Stacked bar chart"),
    "line": noop("Line chart"),
    "area": noop("Area chart"),
    "stacked_area": noop("Stacked area chart"),
    "scatter": noop("Scatter chart"),
    "pie": noop("Pie chart"),
    "donut": noop("Donut chart"),
    "bar_line": noop("Bar and line chart"),
}

Charge = Callable[[], Awaitable[None]]
CHART_MESSAGE_TTL_S = 30 * 24 * 3600  # as long as a session: a reply to a chart finds its entry
PDF_READ_CONCURRENCY = 4  # vision calls at once for one PDF
LIBRARY_RANKED = 4  # best-ranked entries added to those the model named


class OverBudget(Exception):
    """The person may not make another model call now; str() says why and when."""


async def _free() -> None:
    return None


async def _no_progress(done: int, total: int) -> None:
    return None


class _Retry(Exception):
    """The session changed under us (another writer); redo the step on the fresh session."""


class Engine:
    def __init__(self, store: SessionStore, models: ModelClient, renderer: ChartRenderer,
                 limits: Limits, *, image_limits: ImageLimits | None = None,
                 code_mode: bool = False, read_check: ReadCheck | None = None,
                 embedder: Embedder | None = None) -> None:
        """`limits`: the front end's platform's; `code_mode`: model-written chart code may run,
        only ever in the isolated sandbox; `read_check`: how a new chart is read a second time
        (None: it is read once); `embedder`: ranks library entries by embeddings (None:
        lexically)."""
        self._code_mode = code_mode
        self._platform = limits
        self._check = read_check
        self._embedder = embedder
        self._store = store
        self._models = models
        self._renderer = renderer
        self._limits = image_limits or ImageLimits()

    @property
    def image_limits(self) -> ImageLimits:
        return self._limits

    async def on_image(self, conversation: str, data: bytes, *, charge: Charge = _free,
                       source_id: str | None = None, request: str = "",
                       origin: Source | None = None) -> Reply:
        """A chart image arrived: read its table, draw it, make it the session's table.

        `charge` is awaited right before any model call (it raises OverBudget to refuse).
        `source_id` names the file where it came from (Telegram's file_unique_id), so that
        `on_known_image` can answer for the same file later without fetching it.
        `request` is what the person wrote with the image ("make it a pie chart"): it is
        applied to the table just read, as if sent next. The table becomes a new library
        entry, cited by `origin`.
        """
        try:
            with timings.phase("image"):
                image = await asyncio.to_thread(prepare_image, data, self._limits)
        except ImageRejected as exc:
            return Reply.text(str(exc))

        async def step() -> Reply:
            found = await self._read_table(image, charge)
            if isinstance(found, str):
                return Reply.text(found)
            if source_id:
                await self._store.cache_put(_source_key(source_id), image.digest,
                                            EXTRACTION_CACHE_TTL_S)
            return await self._show_extracted(conversation, found, image.digest, origin)
        return await self._then(conversation, await self._guarded(step), request, charge)

    async def on_known_image(self, conversation: str, source_id: str, *, request: str = "",
                             charge: Charge = _free,
                             origin: Source | None = None) -> Reply | None:
        """The reply for a file whose table is already known, with no download, decoding or
        model call; None when it is not known (then fetch it and call `on_image`)."""
        try:
            digest = await self._store.cache_get(_source_key(source_id))
            found = await self._cached_extraction(digest) if digest else None
        except StoreUnavailable:
            return None
        if digest is None or found is None:
            return None
        shown = await self._guarded(lambda: self._show_extracted(conversation, found, digest,
                                                                 origin))
        return await self._then(conversation, shown, request, charge)

    async def on_table_file(self, conversation: str, data: bytes, file_name: str | None,
                            mime_type: str | None, *, request: str = "",
                            charge: Charge = _free, origin: Source | None = None) -> Reply:
        """A CSV or XLSX file arrived: it becomes the table directly, with no model call
        (unless it came with a `request`, applied as in `on_image`)."""
        try:
            table = await asyncio.to_thread(read_table_file, data, file_name, mime_type)
        except TableFileRejected as exc:
            return Reply.text(str(exc))

        shown = await self._guarded(lambda: self._show_new(
            conversation, table, ChartSpec(), None,
            noop("Here is your data as a chart: {summary}. Tell me what to change."),
            source=origin or Source(kind="file", file_name=file_name)))
        return await self._then(conversation, shown, request, charge)

    async def _then(self, conversation: str, shown: Reply, request: str, charge: Charge) -> Reply:
        """A new table's reply, followed by what the person asked for with it: one chart, the
        asked-for one, when the request changes the chart; else the new chart and the answer.
        """
        request = request.strip()
        if not request or not any(isinstance(part, Photo) for part in shown.parts):
            return shown
        followed = await self._guarded(
            lambda: self._instruct(conversation, request, charge, with_table=True))
        if any(isinstance(part, Photo) for part in followed.parts):
            return await self._with_check_note(conversation, followed)
        return Reply((*shown.parts, *followed.parts), speak=followed.speak or shown.speak)

    async def _with_check_note(self, conversation: str, reply: Reply) -> Reply:
        """A reply whose chart took the place of a new chart's: it names the cells the read
        check flagged, as the new chart's caption would have."""
        try:
            flags = (await self._load(conversation)).flags
        except StoreUnavailable:
            return reply
        if not flags:
            return reply
        return Reply((*reply.parts, Text(check_note(flags))), speak=reply.speak)

    async def on_voice(self, conversation: str, audio: bytes, file_name: str,
                       charge: Charge = _free) -> Reply:
        """A voice message: transcribe it (when STT is configured), then treat it as text."""
        async def step() -> Reply:
            await charge()
            text = await self._models.transcribe(audio, file_name)
            if not text:
                return Reply.text(t("I couldn't make out any words in that voice message."))
            reply = await self._instruct(conversation, text, charge)
            return Reply((Text(f"🎙 “{clip(text, 300)}”"), *reply.parts), speak=reply.speak)
        return await self._guarded(step)

    async def on_text(self, conversation: str, text: str, *, charge: Charge = _free,
                      reply_to: int | None = None) -> Reply:
        """A message in words: change the table or chart, or answer a question about it (or
        about the library). `reply_to`: the message it answers; a chart message (or the photo
        it was read from) makes that chart's entry the one worked on."""
        return await self._guarded(lambda: self._instruct(conversation, text.strip(), charge,
                                                          reply_to=reply_to))

    async def help(self, conversation: str | None = None) -> Reply:
        """The guide, in the chat's language when its session knows it."""
        if conversation is not None:
            with contextlib.suppress(StoreUnavailable):
                await self._load(conversation)
        return Reply.text(t(HELP_TEXT))

    async def show_table(self, conversation: str) -> Reply:
        """The table, its doubtful cells marked and named."""
        async def shown(session: Session, table: Table) -> Reply:
            return table_reply(session, table)
        return await self._with_table(conversation, shown)

    async def table_csv(self, conversation: str) -> Reply:
        async def csv_file(session: Session, table: Table) -> Reply:
            return Reply((csv_document(table, table.summary()),))
        return await self._with_table(conversation, csv_file)

    async def table_xlsx(self, conversation: str) -> Reply:
        """The table as an Excel workbook: numbers as numbers, with their units."""
        async def workbook(session: Session, table: Table) -> Reply:
            data = await asyncio.to_thread(write_xlsx, table)
            return Reply((xlsx_document(table, data, table.summary()),))
        return await self._with_table(conversation, workbook)

    async def export(self, conversation: str) -> Reply:
        """The chart as files to keep: a print-size PNG and an SVG with editable text."""
        async def files(session: Session, table: Table) -> Reply:
            spec, _ = fit_chart(table, session.chart or ChartSpec())
            png, svg = await self._renderer.render_files(table, spec)
            return Reply(chart_documents(table, png, svg))
        return await self._with_table(conversation, files)

    async def _with_table(self, conversation: str,
                          make: Callable[[Session, Table], Awaitable[Reply]]) -> Reply:
        """A reply made from the chat's table, or the guide when there is none yet."""
        async def step() -> Reply:
            session = await self._load(conversation)
            if session.table is None:
                return Reply.text(t(NO_TABLE_YET))
            return await make(session, session.table)
        return await self._guarded(step)

    async def undo(self, conversation: str) -> Reply:
        return await self._step_history(conversation, Session.undone, noop("Nothing to undo."),
                                       noop("Undone."))

    async def redo(self, conversation: str) -> Reply:
        return await self._step_history(conversation, Session.redone, noop("Nothing to redo."),
                                       noop("Redone."))

    async def reset(self, conversation: str) -> Reply:
        def clear(session: Session) -> Session | None:
            return None if session.table is None else session.cleared()

        async def step() -> Reply:
            if await self._change(conversation, clear) is None:
                return Reply.text(t("There is nothing to reset. {guide}", guide=t(NO_TABLE_YET)))
            return Reply.text(
                t("Cleared. Send a new chart photo (/undo brings the old one back)."))
        return await self._guarded(step)

    async def _step_history(self, conversation: str, move: Callable[[Session], Session | None],
                            nothing: str, done: str) -> Reply:
        async def step() -> Reply:
            moved = await self._change(conversation, move)
            if moved is None:
                return Reply.text(t(nothing))
            if moved.table is None:
                return Reply.text(t("{done} There is no table now. {guide}",
                                    done=t(done), guide=t(NO_TABLE_YET)))
            return self._chart_reply(moved, await self._render(moved), t(done), with_table=True)
        return await self._guarded(step)

    async def toggle_voice(self, conversation: str) -> Reply:
        """Turn voice replies on or off for the chat."""
        async def step() -> Reply:
            saved = await self._change(
                conversation, lambda s: s.with_prefs(voice=not s.prefs.voice))
            assert saved is not None
            if saved.prefs.voice:
                text = t("Voice replies are on: answers also come as a voice note. "
                         "/voice turns them off.")
                return Reply((Text(text),), speak=t("Voice replies are on."))
            return Reply.text(t("Voice replies are off."))
        return await self._guarded(step)

    async def on_action(self, conversation: str, data: str | None) -> Tapped:
        """A quick-action button was tapped: apply it locally, with no model call."""
        action = decode(data)
        if action is None:
            return Tapped(t("That button doesn't work any more."))
        try:
            return await self._tap(conversation, action)
        except Stopped:
            return Tapped(t("Stopped."))
        except _FAILURES as exc:
            return Tapped(clip(failure_message(exc), self._platform.toast_chars))

    async def _tap(self, conversation: str, action: QuickAction) -> Tapped:
        session = await self._load(conversation)
        table = session.table
        if table is None:
            return Tapped(t("There is no chart now. {guide}", guide=t(NO_TABLE_YET)))
        if action.kind == "table":
            return Tapped(follow_up=table_reply(session, table))
        if action.version != session.version:
            return Tapped(t("That chart is out of date; use the buttons under the newest one."))
        if action.kind == "keep":
            return await self._keep_other(session, table, action.arg)
        if action.kind == "voice":
            saved = await self._commit(session,
                                       session.with_prefs(voice=not session.prefs.voice))
            notice = t("Voice replies on.") if saved.prefs.voice else t("Voice replies off.")
            return Tapped(notice, actions=actions_for(saved))
        if action.kind == "undo":
            moved = session.undone()
            if moved is None or moved.table is None:
                return Tapped(t("Nothing to undo."))
            saved = await self._commit(session, moved)
            png = await self._render(saved)
            return Tapped(t("Undone."), chart=self._chart_photo(saved, png, t("Undone.")))
        field = "type" if action.kind == "type" else "sort"
        current = session.chart or ChartSpec()
        try:
            spec = ChartSpec.model_validate({**current.model_dump(), field: action.arg})
        except ValueError:
            return Tapped(t("That button doesn't work any more."))
        spec.check(table)
        png = await self._renderer.render(table, spec)
        saved = await self._commit(session, session.changed(table=table, chart=spec))
        notice = t(_CHART_NAMES.get(spec.type, noop("Chart"))) if field == "type" else t("Sorted")
        return Tapped(notice,
                      chart=self._chart_photo(saved, png, f"{notice} · {table.summary()}"))

    async def _keep_other(self, session: Session, table: Table, arg: str) -> Tapped:
        """Keep the other reading of a doubtful cell (the tapped button's)."""
        index = int(arg) if arg.isdigit() else -1
        flag = session.flags[index] if 0 <= index < len(session.flags) else None
        changed = with_other_reading(table, flag) if flag is not None else None
        if flag is None or changed is None:
            return Tapped(t("That button doesn't work any more."))
        spec, _ = fit_chart(changed, session.chart or ChartSpec())
        png = await self._renderer.render(changed, spec)
        saved = await self._commit(session, session.changed(
            table=changed, chart=session.chart,
            flags=tuple(f for f in session.flags if f != flag)))
        notice = t("Kept {value} for {row} · {column}.", value=format_cell(flag.other)
                   if flag.other is not None else "—", row=flag.row, column=flag.column)
        return Tapped(notice, chart=self._chart_photo(saved, png, f"{notice} {table_hint(saved)}"))


    # --- The library: several charts per chat ---

    async def show_library(self, conversation: str) -> Reply:
        """/charts: every entry (title, source, size), with buttons to make one current."""
        async def step() -> Reply:
            session = await self._load(conversation)
            if not session.entries():
                return Reply.text(t(NO_TABLE_YET))
            text, buttons = listing(session)
            return Reply((Text(text, actions=buttons),))
        return await self._guarded(step)

    async def on_open(self, conversation: str, data: str | None) -> Tapped:
        """An entry's "open" button: make it current and show its chart (no model call)."""
        entry_id = opened(data)
        if entry_id is None:
            return Tapped(t("That button doesn't work any more."))

        async def step() -> Reply:
            moved = await self._change(conversation, lambda s: s.switched(entry_id))
            if moved is None:
                loaded = await self._load(conversation)
                if loaded.current_id() != entry_id or loaded.table is None:
                    return Reply.text(t("That chart is no longer in your library."))
                moved = loaded
            if moved.table is None:
                return Reply.text(t(NO_TABLE_YET))
            caption = t("Now working on: {summary}", summary=moved.table.summary())
            return self._chart_reply(moved, await self._render(moved), caption, with_table=True)

        reply = await self._guarded(step)
        notice = reply.parts[0].text if len(reply.parts) == 1 and isinstance(
            reply.parts[0], Text) else ""
        return Tapped(clip(notice, self._platform.toast_chars), follow_up=None if notice else reply)

    async def remember_chart(self, conversation: str, message_id: int, entry_id: int) -> None:
        """Note which entry a sent chart message shows, so a reply to it works on that entry."""
        with contextlib.suppress(StoreUnavailable):
            await self._store.cache_put(_chart_message_key(conversation, message_id),
                                        str(entry_id),
                                        CHART_MESSAGE_TTL_S)

    async def _replied_entry(self, conversation: str, reply_to: int | None) -> int | None:
        """The entry a replied-to message shows: a chart the bot sent, or the photo read."""
        if reply_to is None:
            return None
        remembered = await self._store.cache_get(_chart_message_key(conversation, reply_to))
        if remembered is not None and remembered.isdigit():
            return int(remembered)
        session = await self._store.load(conversation)
        return next((e.info.id for e in session.entries()
                     if e.info.source.message_id == reply_to), None)

    async def _across_library(self, session: Session, request: LibraryRequest, text: str,
                              charge: Charge) -> Reply:
        """A question about (or a combination of) several entries: find the relevant ones,
        ask the model which computation each needs, compute, and cite each entry used."""
        entries = {e.info.id: e for e in session.entries()}
        chosen = [i for i in request.entries if i in entries]
        for entry_id in await self._ranked(session, text):
            if len(chosen) >= MAX_ASKED_ENTRIES:
                break
            if entry_id not in chosen and (len(chosen) < LIBRARY_RANKED or not request.entries):
                chosen.append(entry_id)
        if not chosen:
            return Reply.text(t("I found nothing about that in your {count} charts. /charts "
                                "lists them.", count=len(entries)))
        picked = [entries[i] for i in chosen[:MAX_ASKED_ENTRIES]]
        if request.combine:
            return await self._combine(session, picked, text, charge)
        await charge()
        completion = await self._models.instruct(question_messages(picked, text),
                                                 QUESTION_SCHEMA)
        try:
            reply, uses = parse_uses(completion.text, set(chosen))
        except ValueError:
            log.info("library answer invalid; giving up")
            uses, reply = (), ""
        if not uses:
            return Reply.text(t("None of your charts answers that, as far as I can tell. "
                                "/charts lists them."))
        answer = answer_text(reply, uses, entries)
        return Reply((Text(answer),), speak=answer if session.prefs.voice else "")

    async def _ranked(self, session: Session, text: str) -> list[int]:
        """Entry ids by relevance to `text` (bot/retrieval.py); new embeddings are kept."""
        ranked, made = await rank(session.entries(), text, self._embedder)
        if made:
            await self._keep_vectors(session.conversation, made)
        return ranked

    async def _keep_vectors(self, conversation: str, infos: dict[int, EntryInfo]) -> None:
        """Store new embeddings with the session; another writer winning only costs a
        recomputation next time."""
        def keep(session: Session) -> Session:
            current = {e.info.id: e.info for e in session.entries()}
            return session.with_entries({i: info for i, info in infos.items()
                                         if i in current and current[i].source == info.source})
        with contextlib.suppress(VersionConflict):
            await update_session(self._store, conversation, keep, attempts=2)

    async def _combine(self, session: Session, chosen: list[Shelved], text: str,
                       charge: Charge) -> Reply:
        """A new entry built from columns of several entries, drawn as one chart."""
        entries = {e.info.id: e for e in session.entries()}
        await charge()
        completion = await self._models.instruct(combine_messages(chosen, text), COMBINE_SCHEMA)
        try:
            reply, table = combined_table(completion.text, entries)
        except CombineError as exc:
            log.info("combine answer unusable (%s)", exc)
            return Reply.text(t("I couldn't put those charts together. Name the charts and "
                                "the columns, e.g. “put the 2023 columns of the sales and the "
                                "costs charts side by side”."))
        used = sorted({e.info.id for e in chosen})
        spec, _ = fit_chart(table, ChartSpec(type="bar"))
        png = await self._renderer.render(table, spec)
        source = Source(kind="combined", entries=tuple(used))
        saved = await self._change(session.conversation, lambda s: s.added(
            table=table, chart=spec, image_key=None, source=source))
        cited = t("Made from: {charts}.", charts="; ".join(citation(entries[i]) for i in used))
        caption = f"{reply or t('Done.')}\n{cited}"
        return self._chart_reply(saved, png, caption, with_table=True)

    async def on_pdf(self, conversation: str, data: bytes, file_name: str | None, *,
                     charge: Charge = _free, progress: Progress = _no_progress,
                     origin: Source | None = None) -> Reply:
        """A PDF: every page looked at; each chart found becomes a library entry cited by its
        page. Pages without a chart cost no model call; each page read is charged. One
        summary comes back, with buttons to open the entries. A /cancel stops it and saves
        nothing (pages already read are cached: sending the PDF again costs no model call
        for them). `origin`: the message the PDF came in; its link (if any) is cited with
        each page."""
        name = (file_name or "document.pdf")[:80]
        link = origin.link if origin is not None else None
        try:
            looks = await asyncio.to_thread(survey, data)
        except PdfRejected as exc:
            return Reply.text(str(exc))

        async def step() -> Reply:
            async def read(image: PreparedImage) -> tuple[Table, ChartSpec] | str:
                try:
                    found = await self._read_table(image, charge)
                except OverBudget as exc:
                    raise BudgetSpent(str(exc)) from None
                return found if isinstance(found, str) else (found.table, found.spec)
            reading = PdfReading(data, looks, read, self._limits, progress,
                                 PDF_READ_CONCURRENCY)
            found = await reading.run()
            pages = len(looks)
            if not found:
                return Reply.text(reading.notes(t(
                    "I looked at all {pages} pages of {file} and found no charts.",
                    pages=pages, file=name)))

            def add_all(session: Session) -> Session:
                for look, table, spec, key in found:
                    session = session.added(
                        table=table, chart=spec, image_key=key,
                        source=Source(kind="pdf", file_name=name, page=look.number,
                                      link=link),
                        context=look.text)
                return session
            saved = await self._change(conversation, add_all)
            assert saved is not None
            new = saved.entries()[-len(found):]
            lines = [t("{file}: {pages} pages read, {count} charts found and added to your "
                       "library:", file=name, pages=pages, count=len(found))]
            lines += [f"#{e.info.id} {title_of(e)} — "
                      f"{t('page {page}', page=e.info.source.page)} — "
                      f"{size_text(e.table) if e.table else ''}" for e in new]
            lines.append(t("The last one is the current chart. Tap a number to work on another, "
                           "or ask about all of them."))
            text = reading.notes("\n".join(lines))
            return Reply((Text(text, actions=open_buttons(new, saved.current_id())),))

        return await self._guarded(step)

    async def _change(self, conversation: str,
                      change: Callable[[Session], Session | None]) -> Session | None:
        """Apply a local change with a version-checked write; None when it changed nothing."""
        applied = False

        def tracked(session: Session) -> Session | None:
            nonlocal applied
            recall(session.prefs.language)
            new = change(session)
            applied = new is not None
            return None if new is None else _in_spoken_language(new)

        checkpoint()
        session = await update_session(self._store, conversation, tracked)
        return session if applied else None

    async def _show_extracted(self, conversation: str, reading: Reading, digest: str,
                              origin: Source | None = None) -> Reply:
        return await self._show_new(
            conversation, reading.table, reading.spec, digest,
            noop("Here is your chart again: {summary}. Tell me what to change."),
            source=origin or Source(kind="photo"), flags=reading.flags)

    async def _show_new(self, conversation: str, table: Table, spec: ChartSpec,
                        image_key: str | None, caption: str, *, source: Source,
                        flags: tuple[Flag, ...] = ()) -> Reply:
        """A new table becomes the conversation's, drawn as the chart that fits it. It is kept
        even when its chart cannot be drawn as read (a chart that fits is drawn, and the
        caption says which), or when no chart at all can be drawn from it. `flags` are the
        cells a second read disagreed on: named under the caption."""
        try:
            spec, note = fit_chart(table, spec)
        except ChartSpecError:
            await self._change(conversation, lambda s: s.added(
                table=table, chart=spec, image_key=image_key, source=source, flags=flags))
            return Reply((Text(t(NOTHING_TO_DRAW, summary=table.summary())),
                          *table_parts(table)))
        png = await self._renderer.render(table, spec)
        saved = await self._change(conversation, lambda s: s.added(
            table=table, chart=spec, image_key=image_key, source=source, flags=flags))
        text = t(caption, summary=table.summary())
        if spec.log_y:
            text += " " + t("Its value axis is logarithmic, so I drew it that way too.")
        if note:
            text += f"\n{note}"
        if flags:
            text += "\n\n" + check_note(flags)
        return self._chart_reply(saved, png, text, with_table=True)

    async def _cached_extraction(self, digest: str) -> Reading | None:
        cached = await self._store.cache_get(_extraction_key(digest))
        if cached is None:
            return None
        try:
            data = json.loads(cached)
            return Reading(Table.model_validate(data["table"]),
                           ChartSpec.model_validate(data["chart"]),
                           tuple(Flag.model_validate(f) for f in data.get("flags", ())))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("extraction cache entry unreadable; asking the model again")
            return None

    async def _read_table(self, image: PreparedImage, charge: Charge) -> Reading | str:
        """The table behind an image (from the cache when seen before), or what went wrong.

        With the read check on, the second read is part of the same read: one charge.
        """
        cached = await self._cached_extraction(image.digest)
        if cached is not None:
            return cached
        await charge()
        try:
            reading = await read_checked(self._models, image, self._check,
                                         offload=self._renderer.in_worker)
        except NoTableFound:
            return t("I couldn't find a chart with data in that picture. Send a clear, "
                     "straight photo or screenshot of a bar, line or pie chart.")
        payload = {"table": reading.table.model_dump(mode="json"),
                   "chart": reading.spec.model_dump(mode="json"),
                   "flags": [flag.model_dump(mode="json") for flag in reading.flags]}
        await self._store.cache_put(_extraction_key(image.digest),
                                    json.dumps(payload, ensure_ascii=False),
                                    EXTRACTION_CACHE_TTL_S)
        return reading

    async def _instruct(self, conversation: str, text: str, charge: Charge, *,
                        with_table: bool = False, reply_to: int | None = None) -> Reply:
        if not text:
            return Reply.text(t(NO_TABLE_YET))
        wanted = await self._replied_entry(conversation, reply_to)
        for _ in range(COMMIT_ATTEMPTS):
            session = await self._load(conversation)
            if wanted is not None:
                session = session.switched(wanted) or session
            table = session.table
            if table is None:
                return Reply.text(t(NO_TABLE_YET))
            try:
                return await self._apply_instruction(session, table, text, charge,
                                                     with_table=with_table)
            except _Retry:
                log.info("chat %s changed during an instruction; applying again", conversation)
        return Reply.text(t(CHANGED_ELSEWHERE))

    async def _apply_instruction(self, session: Session, table: Table, text: str,
                                 charge: Charge, *, with_table: bool = False) -> Reply:
        answer = await self._ask(table, session.chart, text, charge, library_note(session))
        if isinstance(answer, LibraryRequest):
            return await self._across_library(session, answer, text, charge)
        if answer is None:
            return Reply.text(t("I couldn't turn that into a change to your chart. "
                                "Try saying it another way, e.g. “make it a line chart”."))
        new_table = answer.table or table
        if answer.code and self._code_mode:
            return await self._coded_chart(session, answer, new_table)
        if answer.table is None and answer.chart is None:
            text = computed_answer(new_table, answer.query) if answer.query else answer.reply
            return Reply((Text(text),), speak=text if session.prefs.voice else "")
        spec = answer.chart or session.chart or ChartSpec()
        if answer.edited is not None:
            edited = answer.edited
            spec = following(spec, new_table, edited.renamed, edited.removed, edited.reshaped)
        said = answer.reply or t("Done.")
        if answer.changes:
            changes = t("; ").join(str(c) for c in answer.changes)
            said = f"{said}\n{t('{changes}.', changes=changes)}"
        try:
            spec.check(new_table)
            note = None
        except ChartSpecError as exc:
            if answer.table is None:  # only the chart was to change, and it cannot
                return Reply.text(t("I can't draw that: {reason}. Your chart is unchanged.",
                                    reason=exc))
            if answer.chart is not None:
                refused = t("I can't draw that: {reason}.", reason=exc)
                said = f"{said}\n{refused}"
            try:
                spec, note = fit_chart(new_table, spec)
            except ChartSpecError:  # the data changed, and no chart can show it: keep the data
                await self._commit(session, session.changed(table=new_table, chart=spec))
                return Reply((Text(f"{said}\n{t(NOTHING_LEFT_TO_DRAW)}"),))
        png = await self._renderer.render(new_table, spec)
        saved = await self._commit(session, session.changed(table=new_table, chart=spec))
        return self._chart_reply(saved, png, f"{said}\n{note}" if note else said,
                           with_table=with_table or answer.table is not None)

    async def _coded_chart(self, session: Session, answer: Instruction, table: Table) -> Reply:
        """A chart only code can draw: run in the sandbox; the session keeps its spec."""
        assert answer.code is not None
        try:
            png = await stoppable(run_chart_code(answer.code, table))
        except (SandboxError, SandboxUnavailable) as exc:
            return Reply.text(t("{reason} Your chart is unchanged.", reason=exc))
        saved = session
        if answer.table is not None:
            saved = await self._commit(session, session.changed(table=table, chart=session.chart))
        return self._chart_reply(saved, png, answer.reply or t("Done."),
                           with_table=answer.table is not None)

    async def _ask(self, table: Table, chart: ChartSpec | None, text: str,
                   charge: Charge, note: str = "") -> Instruction | LibraryRequest | None:
        """The model's validated answer, re-asking once with the error; None if still invalid.

        `note` lists the chat's other library entries; the model may then answer that the
        message is about them (a LibraryRequest).
        """
        messages = build_messages(table, chart, text, code_mode=self._code_mode)
        if note:
            messages[-1] = {**messages[-1], "content": f"{note}\n{messages[-1]['content']}"}
        await charge()
        completion = await self._models.instruct(messages, ANSWER_SCHEMA)
        if note and (request := library_request(completion.text)) is not None:
            return request
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

    async def _render(self, session: Session) -> bytes:
        assert session.table is not None
        spec, _ = fit_chart(session.table, session.chart or ChartSpec())
        return await self._renderer.render(session.table, spec)

    async def _commit(self, read: Session, new: Session) -> Session:
        checkpoint()
        try:
            return await self._store.save(
                _in_spoken_language(new).model_copy(update={"version": read.version}))
        except VersionConflict:
            raise _Retry from None

    async def _load(self, conversation: str) -> Session:
        """The chat's session; the rest of the update is said in the chat's language."""
        session = await self._store.load(conversation)
        recall(session.prefs.language)
        return session

    def _chart_image(self, session: Session, png: bytes, caption: str) -> Photo:
        return Photo(png, clip(caption, self._platform.caption_chars), actions_for(session))

    def _chart_photo(self, session: Session, png: bytes, caption: str) -> Photo:
        """A chart image with its quick-action buttons, made for the session's current version,
        with the table under the caption when it fits (a tapped chart keeps showing its data)."""
        photo = self._chart_image(session, png, caption)
        if session.table is None:
            return photo
        return with_table_caption(photo, session.table, self._platform.caption_chars,
                                  marked_cells(session.flags, session.table))

    def _chart_reply(self, session: Session | None, png: bytes, caption: str, *,
                     with_table: bool) -> Reply:
        """A chart (with buttons), the table when it changed, and the caption spoken if wanted."""
        assert session is not None and session.table is not None
        photo = self._chart_image(session, png, caption)
        marked = marked_cells(session.flags, session.table)
        parts = (chart_parts(photo, session.table, self._platform.caption_chars, marked)
                 if with_table else (photo,))
        return Reply(parts, speak=caption if session.prefs.voice else "",
                     entry=session.current_id())

    async def _guarded(self, step: Callable[[], Awaitable[Reply]]) -> Reply:
        """Turn the failures a person can hit into short, true replies; the session is intact."""
        try:
            return await step()
        except Stopped:
            return Reply(())  # the /cancel that stopped it has answered
        except _FAILURES as exc:
            return Reply.text(failure_message(exc))


_FAILURES = (ModelError, OverBudget, StoreUnavailable, ChartSpecError, _Retry)


def failure_message(exc: Exception) -> str:
    """What to tell a person when a step failed in one of the ways a person can hit."""
    if isinstance(exc, StoreUnavailable):
        return t(STORE_DOWN)
    if isinstance(exc, ChartSpecError):
        return t("I can't draw that: {reason}.", reason=exc)
    if isinstance(exc, _Retry):
        return t(CHANGED_ELSEWHERE)
    return str(exc)  # ModelError, OverBudget: their message is said in the current language


def _in_spoken_language(session: Session) -> Session:
    """The session, remembering the language the person's words in this update are in."""
    language = told()
    if language is None or language == session.prefs.language:
        return session
    return session.with_prefs(language=language)


def _chart_message_key(conversation: str, message_id: int) -> str:
    return f"chartmsg:{conversation}:{message_id}"


def _extraction_key(digest: str) -> str:
    return f"extract:{digest}"


def _source_key(source_id: str) -> str:
    return "source:" + hashlib.sha256(source_id.encode()).hexdigest()[:32]


def computed_answer(table: Table, query: Query) -> str:
    """The answer to a data question, computed from the table (never the model's arithmetic)."""
    try:
        return run_query(table, query).with_rows()
    except QueryError as exc:
        return t("I couldn't work that out: {reason}.", reason=exc)


def table_reply(session: Session, table: Table) -> Reply:
    """The table with its doubtful cells marked, and what the marks mean."""
    parts = table_parts(table, marked_cells(session.flags, table))
    if session.flags:
        parts = (*parts, Text(table_note(session.flags)))
    return Reply(parts)


def table_hint(session: Session) -> str:
    """After a kept reading: how many doubtful cells are left, or the table's summary."""
    if session.table is None:
        return ""
    if len(session.flags) == 1:
        return t("One more value to check.")
    if session.flags:
        return t("{count} more values to check.", count=len(session.flags))
    return session.table.summary()
