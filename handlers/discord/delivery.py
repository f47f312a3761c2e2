"""Replies on Discord: text in messages under 2,000 characters (tables in code blocks), charts
as PNG attachments with their buttons, files, and voice messages.

Buttons carry the quick action's data as their custom_id, so a tap works after a restart or
on another process: nothing about them is kept in memory (the core checks the data against
the session).
"""

from __future__ import annotations

import base64
import io
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord
from discord.http import handle_message_parameters

from bot.conversation import timings
from bot.conversation.reply import Action, Document, Limits, Photo, Reply, Text, split_lines
from bot.words.speech import VoiceNote
from bot.words.wording import t
from handlers.common import PDF_PROGRESS_EVERY_S, PdfProgressNote

log = logging.getLogger(__name__)

DISCORD_LIMITS = Limits(
    message_chars=2000,
    caption_chars=1990,  # a message's content, less the code fence around a table under it
    toast_chars=2000,  # a tap's notice is an ephemeral message
    upload_bytes=10 * 1024 * 1024,
    voice_note_bytes=8 * 1024 * 1024,
)
FENCE = "```"
STOP_ID = "stop"  # the custom_id of a "still working" note's Stop button
WAVEFORM_POINTS = 64
BUTTONS_PER_ROW = 5
MAX_ROWS = 5  # action rows in one message

Send = Callable[..., Awaitable[Any]]


def buttons(actions: tuple[tuple[Action, ...], ...]) -> discord.ui.View | None:
    """The quick actions as a view of buttons; their custom_ids are the actions' data.
    A message holds at most MAX_ROWS rows of BUTTONS_PER_ROW (see `button_groups`)."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    for row, line in enumerate(actions[:MAX_ROWS]):
        for action in line[:BUTTONS_PER_ROW]:
            view.add_item(discord.ui.Button(label=action.label, custom_id=action.data, row=row,
                                            style=discord.ButtonStyle.secondary))
    return view


def button_groups(actions: tuple[tuple[Action, ...], ...]
                  ) -> list[tuple[tuple[Action, ...], ...]]:
    """Rows of buttons in groups that each fit one message (a library of 50 charts has 50
    "open" buttons; Discord takes 25 a message)."""
    rows = [row[i:i + BUTTONS_PER_ROW] for row in actions
            for i in range(0, len(row), BUTTONS_PER_ROW)]
    return [tuple(rows[i:i + MAX_ROWS]) for i in range(0, len(rows), MAX_ROWS)]


def stop_button(label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=label, custom_id=STOP_ID,
                                    style=discord.ButtonStyle.danger))
    return view


def plain(text: str) -> str:
    """The core's text as Discord shows it: its words are plain text (Telegram's front end
    escapes them as HTML), so Markdown in them is escaped. A chart's title, a cell or a file
    name comes from a picture or a file, and must not turn into formatting, a heading, or a
    masked link that hides where it goes; bare links stay links."""
    return discord.utils.escape_markdown(text)


def chunks(text: str, monospace: bool, limit: int = DISCORD_LIMITS.message_chars) -> list[str]:
    """Messages under the limit, split on line breaks; monospace text in code blocks, other
    text with its Markdown escaped."""
    wrap = (f"{FENCE}\n", f"\n{FENCE}") if monospace else ("", "")
    budget = limit - len(wrap[0]) - len(wrap[1])
    # In a code block, a fence in the data must not end the block; elsewhere, Markdown is text.
    text = text.replace(FENCE, "ˋˋˋ") if monospace else plain(text)
    pieces = split_lines(text.splitlines(keepends=True), budget)
    return [f"{wrap[0]}{piece}{wrap[1]}" for piece in pieces]


def photo_content(photo: Photo) -> str:
    """A chart's caption, with its table under it in a code block when it fits."""
    caption = clip_content(photo.caption)
    if photo.table:
        block = f"{FENCE}\n{photo.table.replace(FENCE, 'ˋˋˋ')}\n{FENCE}"
        caption = f"{caption}\n{block}" if caption else block
    return caption[:DISCORD_LIMITS.message_chars]


def clip_content(text: str) -> str:
    """A caption as message content: Markdown escaped, within the limit."""
    text, limit = plain(text), DISCORD_LIMITS.caption_chars
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Delivered:
    """The messages a Reply went out as; `charts` are those that show its chart (a reply to
    one of them works on that chart's library entry)."""

    messages: list[discord.Message]
    charts: list[discord.Message]


async def send_reply(send: Send, reply: Reply) -> Delivered:
    """Send each part of a Reply in order through `send` (a channel's, a message's reply, or
    an interaction's follow-up `send`), within Discord's limits. A text's buttons go under
    its last piece; more than one message holds go under messages of their own."""
    sent: list[Any] = []
    charts: list[Any] = []
    with timings.phase("send"):
        for part in reply.parts:
            if isinstance(part, Text):
                pieces = chunks(part.text, part.monospace)
                groups = button_groups(part.actions)
                for i, piece in enumerate(pieces):
                    kwargs: dict[str, Any] = {"content": piece}
                    if i == len(pieces) - 1 and groups:
                        kwargs["view"] = buttons(groups.pop(0))
                    sent.append(await send(**kwargs))
                for group in groups:
                    sent.append(await send(view=buttons(group)))
            elif isinstance(part, Photo):
                kwargs = {"content": photo_content(part),
                          "file": discord.File(io.BytesIO(part.png), "chart.png")}
                view = buttons(part.actions)
                if view is not None:
                    kwargs["view"] = view
                sent.append(await send(**kwargs))
                charts.append(sent[-1])
            elif isinstance(part, Document):
                if len(part.data) > DISCORD_LIMITS.upload_bytes:
                    continue  # the core keeps files far smaller; never fail a reply on one
                sent.append(await send(content=clip_content(part.caption) or None,
                                       file=discord.File(io.BytesIO(part.data), part.file_name)))
    return Delivered([m for m in sent if isinstance(m, discord.Message)],
                     [m for m in charts if isinstance(m, discord.Message)])


class PdfNote(PdfProgressNote):
    """A PDF's "page 12 of 31…" note on Discord: one message with a Stop button, edited in
    place (handlers/common.py says how often), deleted when the summary is ready. `send`
    posts it like the rest of the answer (a channel's send, or an interaction's follow-up)."""

    def __init__(self, send: Send, file_name: str, every_s: float = PDF_PROGRESS_EVERY_S
                 ) -> None:
        super().__init__(file_name, every_s)
        self._send = send
        self._note: discord.Message | None = None

    async def post(self, text: str) -> None:
        try:
            note = await self._send(content=plain(text), view=stop_button(t("⏹ Stop")))
        except discord.HTTPException as exc:
            log.debug("pdf progress not shown: %s", exc.status)
            return
        self._note = note if isinstance(note, discord.Message) else None

    async def edit(self, text: str) -> None:
        if self._note is None:
            return
        try:
            await self._note.edit(content=plain(text))  # the Stop button stays
        except discord.HTTPException as exc:
            log.debug("pdf progress not shown: %s", exc.status)

    async def delete(self) -> None:
        if self._note is None:
            return
        try:
            await self._note.delete()
        except discord.HTTPException as exc:
            log.debug("pdf progress note not removed: %s", exc.status)


class _VoiceFile(discord.File):
    """An OGG/Opus attachment described as a voice message (duration and waveform)."""

    def __init__(self, note: VoiceNote) -> None:
        super().__init__(io.BytesIO(note.ogg_opus), "voice-message.ogg")
        self.duration_s = note.duration_s
        self.waveform = waveform(note.ogg_opus)

    def to_dict(self, index: int) -> dict[str, Any]:
        payload = super().to_dict(index)
        payload["duration_secs"] = round(self.duration_s, 2)
        payload["waveform"] = self.waveform
        return payload


async def send_voice(client: discord.Client, channel_id: int, note: VoiceNote) -> None:
    """The answer as a Discord voice message; where Discord refuses one from this bot, as a
    plain .ogg file."""
    voice = _VoiceFile(note)
    try:
        with handle_message_parameters(file=voice, flags=discord.MessageFlags(voice=True)
                                       ) as params:
            await client.http.send_message(channel_id, params=params)
        return
    except discord.HTTPException as exc:
        log.info("voice message refused (%s %s); sending an .ogg file", exc.status, exc.code)
    channel = client.get_partial_messageable(channel_id)
    await channel.send(file=discord.File(io.BytesIO(note.ogg_opus), "answer.ogg"))


def waveform(ogg: bytes) -> str:
    """A coarse waveform for Discord's player: 64 amplitudes (0–255), base64.

    Decoding Opus would need a codec; the packet sizes of a variable-bitrate stream follow
    loudness closely enough for a sketch of the sound."""
    sizes = _packet_sizes(ogg)
    if not sizes:
        return base64.b64encode(bytes(WAVEFORM_POINTS)).decode()
    step = len(sizes) / WAVEFORM_POINTS
    buckets = [sizes[int(i * step):max(int((i + 1) * step), int(i * step) + 1)]
               for i in range(WAVEFORM_POINTS)]
    means = [sum(b) / len(b) if b else 0.0 for b in buckets]
    top = max(means) or 1.0
    points = bytes(min(255, math.floor(255 * m / top)) for m in means)
    return base64.b64encode(points).decode()


def _packet_sizes(ogg: bytes) -> list[int]:
    """Sizes of the audio packets in an Ogg stream (from its pages' lacing values)."""
    sizes: list[int] = []
    offset = page = 0
    current = 0
    while offset + 27 <= len(ogg) and ogg[offset:offset + 4] == b"OggS":
        segments = ogg[offset + 26]
        lacing = ogg[offset + 27: offset + 27 + segments]
        for value in lacing:
            current += value
            if value < 255:
                if page >= 2:  # pages 0 and 1 are the Opus headers
                    sizes.append(current)
                current = 0
        offset += 27 + segments + sum(lacing)
        page += 1
    return sizes
