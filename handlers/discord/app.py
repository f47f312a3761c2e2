"""The Discord front end: a discord.py gateway client on the core's services.

What a person can do: DM the bot chart images (or CSV/XLSX files, or PDFs) and write
follow-ups; in a server channel or thread, mention the bot or reply to it; use the slash
commands, which have the same names as the Telegram commands, plus /read with an image; tap
the buttons under a chart or a library listing; reply to an earlier chart to work on it.
Each event runs as its conversation's turn (bot/conversation/turn.py).

An interaction must be acknowledged within 3 seconds: every slash command and tap is
deferred (or answered) before it waits for its turn or a model, then followed up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.config import Settings
from bot.conversation.commands import COMMANDS, USAGE
from bot.conversation.engine import Charge, Engine
from bot.conversation.reply import Reply, Tapped, clip
from bot.library.entries import opened
from bot.library.pdf_pages import PdfRejected, check_declared_pdf
from bot.llm.images import ImageRejected, check_declared
from bot.services import Services
from bot.sessions.cancellation import Stopped, checkpoint, stoppable_wait_s, stopped
from bot.sessions.store import Source
from bot.tables.files import TableFileRejected, check_declared_table_file
from bot.words.speech import SpeechUnavailable
from bot.words.wording import ENGLISH, LANGUAGES, noop, speaking, t
from handlers.common import (
    FILES_UNDERSTOOD,
    NOT_UNDERSTOOD,
    PDF_PROGRESS_EVERY_S,
    PROGRESS_AFTER_S,
    SOMETHING_WRONG,
    STILL_READING,
    STILL_WORKING,
    Gate,
    NoteCadence,
    origin,
)
from handlers.discord.delivery import (
    DISCORD_LIMITS,
    STOP_ID,
    PdfNote,
    Send,
    buttons,
    photo_content,
    plain,
    send_reply,
    send_voice,
    stop_button,
)
from handlers.discord.endpoints import point_discord_at
from handlers.discord.events import (
    addressed,
    conversation_of,
    embedded_image,
    entry_origin,
    interaction_arrival,
    is_image,
    is_pdf_file,
    message_arrival,
    only_a_link,
    person_of,
    readable,
    replied_to,
    words_of,
)

log = logging.getLogger(__name__)

TYPING_REFRESH_S = 8.0  # Discord shows "typing…" for 10 s
MAX_ATTACHMENTS = 10  # as many as Discord lets a message carry
READ_DESCRIPTION = noop("Read the chart in an image")
IMAGE_OPTION = noop("A chart: a photo or screenshot")
# Discord's locales for the languages the bot speaks (its own names for them).
DISCORD_LOCALES = {
    "zh": discord.Locale.chinese, "ru": discord.Locale.russian,
    "es": discord.Locale.spain_spanish, "pt": discord.Locale.brazil_portuguese,
    "de": discord.Locale.german, "fr": discord.Locale.french,
}


def create_services(settings: Settings, *, render_workers: int | None = None) -> Services:
    """The core's services with Discord's limits."""
    return Services.create(settings, DISCORD_LIMITS, render_workers=render_workers)


class _Translator(app_commands.Translator):
    """Slash command descriptions in every language the bot speaks."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        language = next((code for code, loc in DISCORD_LOCALES.items() if loc == locale), None)
        if language is None or language not in LANGUAGES or language == ENGLISH:
            return None
        with speaking(language):
            said = t(string.message)
        return said if said != string.message else None


class ReplotClient(discord.Client):
    """Replot on Discord. Needs no privileged intent: DMs and messages that mention the bot
    carry their content."""

    def __init__(self, services: Services, **options: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.dm_messages = True
        intents.guild_messages = True
        # What the bot says can carry text from people's files and charts ("@everyone" in a
        # file name or a chart title): it never pings anybody.
        options.setdefault("allowed_mentions", discord.AllowedMentions.none())
        super().__init__(intents=intents, **options)
        self.services = services
        self.gate = Gate(services.policy, services.quotas, services.store)
        self.notes = NoteCadence()
        self.progress_after_s = PROGRESS_AFTER_S
        self.pdf_progress_every_s = PDF_PROGRESS_EVERY_S
        self.tree = app_commands.CommandTree(self)
        self._tasks: set[asyncio.Task[None]] = set()
        _register_commands(self)

    @property
    def engine(self) -> Engine:
        return self.services.engine

    async def setup_hook(self) -> None:
        await self.services.start()
        await self.tree.set_translator(_Translator())
        await self.tree.sync()

    async def close(self) -> None:
        await super().close()
        await self.services.close()

    async def on_ready(self) -> None:
        log.info("bot %s ready on Discord", self.user)

    # Messages -------------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A DM, or a server message that mentions the bot or replies to it."""
        me = self.user
        if me is None or message.author.bot or not addressed(message, me):
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        await self.services.turns.take(message_arrival(message), self._guarded(
            message.channel.id, self._admitted(message)))

    async def _admitted(self, message: discord.Message) -> None:
        person = person_of(message.author, message.channel, message.guild)
        refusal = await self.gate.refusal(person)
        if refusal is None:
            await self._on_message(message, self.gate.charge_for(person))
        elif refusal.tell:
            await message.channel.send(refusal.text)

    async def _on_message(self, message: discord.Message, charge: Charge) -> None:
        conversation = conversation_of(message.channel)
        text = words_of(message.content)
        send = message.channel.send
        if text.lower() == "/cancel":
            done = await self.services.work.cancel(conversation, message.id)
            await send_reply(send, Reply.text(done.message()))
            return
        files = [a for a in message.attachments if readable(a)][:MAX_ATTACHMENTS]
        if not files and message.attachments:
            await send_reply(send, Reply.text(t(FILES_UNDERSTOOD)))
            return
        if files:
            await self._attachments(message, files, text, charge)
            return
        if embedded_image(message) is not None:
            await self._linked_image(message, charge)
            return
        if only_a_link(text):
            await send_reply(send, Reply.text(t(
                "If that link is a chart picture, I'll read it as soon as Discord shows its "
                "preview. You can also attach the image.")))
            return
        if not text:
            await send_reply(send, Reply.text(t(NOT_UNDERSTOOD)))
            return
        async with self._working(message.channel, STILL_WORKING):
            reply = await self.engine.on_text(conversation, text, charge=charge,
                                              reply_to=replied_to(message))
        await self._deliver(message.channel, send, reply)

    async def _attachments(self, message: discord.Message, files: list[discord.Attachment],
                           text: str, charge: Charge) -> None:
        """Each chart image, table file or PDF of a message becomes its own library entry, in
        order; the words with them go with the last one (which ends up the current chart).

        Each file is tracked as work of its own, as the photos of a Telegram album are: a
        /cancel stops the one being read (what the ones before saved stays) and the ones
        after it are not read."""
        assert isinstance(message.channel, discord.abc.Messageable)
        for i, file in enumerate(files):
            if stopped():
                return
            with self.services.work.part():
                await self._attachment(message.channel, message.channel.send, file,
                                       text if i == len(files) - 1 else "", charge,
                                       entry_origin(message, file))

    async def _attachment(self, channel: discord.abc.Messageable, send: Send,
                          attachment: discord.Attachment, request: str,
                          charge: Charge, source: Source) -> None:
        """A chart image, a table file or a PDF: checked by what Discord declares before
        download."""
        assert isinstance(channel, discord.abc.Snowflake)
        if is_pdf_file(attachment):
            await self._read_pdf(channel, send, attachment, charge, source)
            return
        conversation = conversation_of(channel)
        try:
            if is_image(attachment):
                check_declared(file_size=attachment.size, mime_type=attachment.content_type,
                               file_name=attachment.filename, width=attachment.width,
                               height=attachment.height, limits=self.engine.image_limits)
            else:
                check_declared_table_file(attachment.size)
        except (ImageRejected, TableFileRejected) as exc:
            await send_reply(send, Reply.text(str(exc)))
            return
        async with self._working(channel, STILL_READING):
            data = await self._download(attachment, send)
            if data is None:
                return
            if is_image(attachment):
                reply = await self.engine.on_image(conversation, data, charge=charge,
                                                   request=request, origin=source)
            else:
                reply = await self.engine.on_table_file(
                    conversation, data, attachment.filename, attachment.content_type,
                    request=request, charge=charge, origin=source)
        await self._deliver(channel, send, reply)

    async def _read_pdf(self, channel: discord.abc.Messageable, send: Send,
                        attachment: discord.Attachment, charge: Charge, source: Source) -> None:
        """Read every chart in a PDF into the library: a "page 12 of 31…" note edited in place
        while it is read (its Stop button, like /cancel, stops it and saves nothing), then
        one summary with a button per chart found."""
        assert isinstance(channel, discord.abc.Snowflake)
        try:
            check_declared_pdf(attachment.size)
        except PdfRejected as exc:
            await send_reply(send, Reply.text(str(exc)))
            return
        progress = PdfNote(send, attachment.filename, self.pdf_progress_every_s)
        try:
            async with self._working(channel, ""):
                data = await self._download(attachment, send)
                if data is None:
                    return
                reply = await self.engine.on_pdf(conversation_of(channel), data,
                                                 attachment.filename, charge=charge,
                                                 progress=progress, origin=source)
        finally:
            await progress.remove()
        await self._deliver(channel, send, reply)

    async def _download(self, attachment: discord.Attachment, send: Send) -> bytes | None:
        """The attachment's bytes, or None after telling the person Discord refused them."""
        try:
            return await attachment.read()
        except discord.HTTPException as exc:
            log.warning("attachment download failed: %s", exc.status)
            await send_reply(send, Reply.text(t(
                "Discord wouldn't let me download that file. Please send it again.")))
            return None

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """Discord adds a link's preview to a message after it was sent: when that preview is
        a picture in a message addressed to the bot, the picture is read as a chart."""
        message, before = payload.message, payload.cached_message
        me = self.user
        if (me is None or message.author.bot or message.attachments
                or embedded_image(message) is None or not addressed(message, me)
                or (before is not None and embedded_image(before) is not None)):
            return
        if not only_a_link(words_of(message.content)):
            return  # a request with a link in it was answered as words when it came
        await self.services.turns.take(message_arrival(message), self._guarded(
            message.channel.id, self._admitted(message)))

    async def _linked_image(self, message: discord.Message, charge: Charge) -> None:
        """Read the picture Discord previews for a link (from Discord's media proxy)."""
        found = embedded_image(message)
        assert found is not None
        url, width, height = found
        send = message.channel.send
        try:
            check_declared(file_size=None, width=width, height=height,
                           limits=self.engine.image_limits)
        except ImageRejected as exc:
            await send_reply(send, Reply.text(str(exc)))
            return
        async with self._working(message.channel, STILL_READING):
            try:
                data = await self.http.get_from_cdn(url)
            except discord.HTTPException as exc:
                log.warning("linked image download failed: %s", exc.status)
                await send_reply(send, Reply.text(t(
                    "Discord wouldn't let me download that file. Please send it again.")))
                return
            reply = await self.engine.on_image(conversation_of(message.channel), data,
                                               charge=charge, origin=entry_origin(message))
        await self._deliver(message.channel, send, reply)

    # Interactions ---------------------------------------------------------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Button taps: the quick actions under a chart, a library entry's "open" button and a
        note's Stop button. Their state is in the custom_id and the session, so they work
        after a restart."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        if await self._refused(interaction):
            return
        if custom_id == STOP_ID:
            arrival = interaction_arrival(interaction, "button", cancels=True)
            await self.services.turns.take(arrival, self._stop(interaction))
            return
        assert interaction.channel is not None
        await interaction.response.defer()  # acknowledged; a chart is edited in place
        arrival = interaction_arrival(interaction, "button")
        await self.services.turns.take(arrival, self._guarded(
            interaction.channel.id, self._tap(interaction, custom_id)))

    async def _refused(self, interaction: discord.Interaction) -> bool:
        """Whether the gate turns this interaction away (it is then answered, to the person
        alone, with why)."""
        if interaction.channel is None:
            return True
        person = person_of(interaction.user, interaction.channel, interaction.guild)
        refusal = await self.gate.refusal(person)
        if refusal is not None:
            await interaction.response.send_message(refusal.text, ephemeral=True)
        return refusal is not None

    async def _stop(self, interaction: discord.Interaction) -> None:
        assert interaction.channel is not None
        done = await self.services.work.cancel(conversation_of(interaction.channel),
                                               interaction.id)
        await interaction.response.send_message(done.message(), ephemeral=True)

    async def _tap(self, interaction: discord.Interaction, custom_id: str) -> None:
        assert interaction.channel is not None
        conversation = conversation_of(interaction.channel)
        if opened(custom_id) is not None:  # the chart it names becomes the current one
            tapped = await self.engine.on_open(conversation, custom_id)
        else:
            tapped = await self.engine.on_action(conversation, custom_id)
        await self._apply_tap(interaction, tapped)

    async def _apply_tap(self, interaction: discord.Interaction, tapped: Tapped) -> None:
        """Replace the tapped chart (or just its buttons); a notice that says more than the
        new chart does goes to the tapper alone; then any follow-up."""
        if tapped.chart is not None:
            chart = tapped.chart
            await interaction.edit_original_response(
                content=photo_content(chart), view=buttons(chart.actions),
                attachments=[discord.File(_bytes(chart.png), "chart.png")])
        else:
            if tapped.actions is not None:
                await interaction.edit_original_response(view=buttons(tapped.actions))
            if tapped.notice:
                await interaction.followup.send(
                    clip(plain(tapped.notice), DISCORD_LIMITS.toast_chars), ephemeral=True)
        if tapped.follow_up is not None:
            assert interaction.channel is not None
            await self._send(interaction.channel, interaction.followup.send, tapped.follow_up)

    async def command(self, interaction: discord.Interaction, name: str,
                      image: discord.Attachment | None = None) -> None:
        """A slash command: acknowledged at once, answered by follow-ups after its turn."""
        if await self._refused(interaction):
            return
        if name == "cancel":
            arrival = interaction_arrival(interaction, "command", cancels=True)
            await self.services.turns.take(arrival, self._stop(interaction))
            return
        assert interaction.channel is not None
        await interaction.response.defer(thinking=True)
        arrival = interaction_arrival(interaction, "command")
        person = person_of(interaction.user, interaction.channel, interaction.guild)
        handling = self._command(interaction, name, image, self.gate.charge_for(person))
        await self.services.turns.take(arrival, self._guarded(interaction.channel.id,
                                                              handling, interaction))

    async def _command(self, interaction: discord.Interaction, name: str,
                       image: discord.Attachment | None, charge: Charge) -> None:
        assert interaction.channel is not None
        conversation = conversation_of(interaction.channel)
        send = interaction.followup.send
        if name == "read":
            if image is None or not readable(image):
                await send_reply(send, Reply.text(t(FILES_UNDERSTOOD)))
                return
            assert isinstance(interaction.channel, discord.abc.Messageable)
            await self._attachment(interaction.channel, send, image, "", charge,
                                   origin(None, image.filename))
            return
        if name == "usage":
            person = person_of(interaction.user, interaction.channel, interaction.guild)
            await send_reply(send, Reply.text(await self.gate.usage(person)))
            return
        engine = self.engine
        work: dict[str, Callable[[], Awaitable[Reply]]] = {
            "help": lambda: engine.help(conversation),
            "table": lambda: engine.show_table(conversation),
            "csv": lambda: engine.table_csv(conversation),
            "xlsx": lambda: engine.table_xlsx(conversation),
            "export": lambda: engine.export(conversation),
            "charts": lambda: engine.show_library(conversation),
            "undo": lambda: engine.undo(conversation),
            "redo": lambda: engine.redo(conversation),
            "reset": lambda: engine.reset(conversation),
            "voice": lambda: engine.toggle_voice(conversation),
        }
        await self._deliver(interaction.channel, send, await work[name]())

    # Delivery and progress ------------------------------------------------------------

    async def _deliver(self, channel: discord.abc.Snowflake, send: Send, reply: Reply) -> None:
        try:
            checkpoint()  # a /cancel after this point is too late: the answer goes out
        except Stopped:
            return
        await self._send(channel, send, reply)
        if reply.speak:
            try:
                note = await self.services.speaker.synthesize(reply.speak)
            except SpeechUnavailable as exc:
                await send_reply(send, Reply.text(str(exc)))
                return
            await send_voice(self, channel.id, note)

    async def _send(self, channel: discord.abc.Snowflake, send: Send, reply: Reply) -> None:
        """Send a reply; each chart message in it is remembered with the library entry it
        shows, so that a reply to that message works on that entry."""
        delivered = await send_reply(send, reply)
        if reply.entry is not None:
            for message in delivered.charts:
                await self.engine.remember_chart(conversation_of(channel), message.id,
                                                 reply.entry)

    async def _guarded(self, channel_id: int, handling: Awaitable[None],
                       interaction: discord.Interaction | None = None) -> None:
        """Run a turn's handling; on a failure, log it for the operator and tell the person
        something short and true."""
        try:
            await handling
        except Exception:
            log.exception("Discord event in channel %s failed", channel_id)
            try:
                if interaction is not None:
                    await interaction.followup.send(t(SOMETHING_WRONG))
                else:
                    await self.get_partial_messageable(channel_id).send(t(SOMETHING_WRONG))
            except discord.HTTPException:
                log.warning("could not tell channel %s about the failure", channel_id)

    def _working(self, channel: discord.abc.Messageable, progress: str) -> _Working:
        return _Working(self, channel, progress)

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class _Working:
    """While the bot works on a request: "typing…", and past PROGRESS_AFTER_S of model wait
    a "still working" note with a Stop button (at most one per conversation in ten
    minutes), removed when the answer comes. No `progress` text: "typing…" only (a PDF
    shows its own progress)."""

    def __init__(self, client: ReplotClient, channel: discord.abc.Messageable,
                 progress: str) -> None:
        self._client = client
        self._channel = channel
        self._progress = progress
        self._task: asyncio.Task[None] | None = None
        self._note: asyncio.Task[discord.Message] | None = None

    async def __aenter__(self) -> None:
        self._task = asyncio.create_task(self._keep_showing(), name="discord-typing")

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._note is not None:
            self._client.spawn(_remove(self._note))

    async def _keep_showing(self) -> None:
        client = self._client
        assert isinstance(self._channel, discord.abc.Snowflake)
        conversation = conversation_of(self._channel)
        while True:
            try:
                await self._channel.typing()
            except discord.HTTPException as exc:
                log.debug("typing not shown: %s", exc.status)
            for _ in range(int(TYPING_REFRESH_S / 0.5)):
                await asyncio.sleep(0.5)
                if (self._progress and self._note is None
                        and (stoppable_wait_s() or 0) >= client.progress_after_s
                        and client.notes.due(conversation)):
                    self._note = asyncio.create_task(self._channel.send(
                        t(self._progress), view=stop_button(t("⏹ Stop"))))


async def _remove(note: asyncio.Task[discord.Message]) -> None:
    try:
        await (await note).delete()
    except discord.HTTPException as exc:
        log.debug("progress note not removed: %s", exc.status)


def _bytes(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _register_commands(client: ReplotClient) -> None:
    """The slash commands, named as the Telegram ones, with localized descriptions."""
    for name, description in (*COMMANDS, USAGE):
        client.tree.add_command(_simple_command(client, name, description))

    @app_commands.describe(image=app_commands.locale_str(IMAGE_OPTION))
    async def read(interaction: discord.Interaction, image: discord.Attachment) -> None:
        await client.command(interaction, "read", image)

    client.tree.add_command(app_commands.Command(
        name="read", description=app_commands.locale_str(READ_DESCRIPTION), callback=read))


def _simple_command(client: ReplotClient, name: str, description: str
                    ) -> app_commands.Command[Any, Any, None]:
    async def callback(interaction: discord.Interaction) -> None:
        await client.command(interaction, name)

    return app_commands.Command(name=name, description=app_commands.locale_str(description),
                                callback=callback)


def run(settings: Settings) -> int:
    """Connect to Discord's gateway and serve until stopped."""
    token = settings.require_discord_token()
    settings.require_model_key()
    point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    client = ReplotClient(create_services(settings))
    client.run(token, log_handler=None)
    return 0
