"""What a Discord event is, in the core's terms: its conversation, who sent it, whether the
bot is addressed, what the person wrote, and the `Arrival` its turn runs as.

A conversation is a DM channel, or a server channel or thread (all its members share one
session, as in a Telegram group). In a server the bot acts only when addressed: a mention
of it, a reply to one of its messages, or a slash command; it needs no Message Content
intent for this, since Discord delivers the content of exactly those messages.
"""

from __future__ import annotations

import re

import discord

from bot.conversation.turn import Arrival
from bot.library.pdf_pages import is_pdf
from bot.sessions.access import Person
from bot.sessions.conversations import DISCORD, conversation_id
from bot.sessions.store import Source
from bot.tables.files import is_table_file
from handlers.common import origin

_MENTION = re.compile(r"<@!?\d+>|<@&\d+>|<#\d+>")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp")


def conversation_of(channel: discord.abc.Snowflake) -> str:
    return conversation_id(DISCORD, channel.id)


def is_private(channel: object) -> bool:
    return isinstance(channel, discord.DMChannel)


def person_of(user: discord.abc.User, channel: discord.abc.Snowflake,
              guild: discord.Guild | None) -> Person:
    """Discord people are matched by numeric id only: names can change hands."""
    return Person(user.id, None, channel.id, platform=DISCORD,
                  group_id=guild.id if guild is not None else None)


def addressed(message: discord.Message, me: discord.abc.User) -> bool:
    """DMs always; in servers a mention of the bot or a reply to one of its messages."""
    if is_private(message.channel):
        return True
    if any(user.id == me.id for user in message.mentions):
        return True
    reference = message.reference
    resolved = reference.resolved if reference is not None else None
    return isinstance(resolved, discord.Message) and resolved.author.id == me.id


def words_of(text: str) -> str:
    """What the person wrote, without mentions of the bot (or anyone)."""
    return _MENTION.sub(" ", text).strip()


def is_image(attachment: discord.Attachment) -> bool:
    kind = (attachment.content_type or "").split(";")[0].strip().lower()
    return kind in IMAGE_TYPES or attachment.filename.lower().endswith(IMAGE_SUFFIXES)


def is_table(attachment: discord.Attachment) -> bool:
    return is_table_file(attachment.filename, attachment.content_type)


def is_pdf_file(attachment: discord.Attachment) -> bool:
    return is_pdf(attachment.filename, attachment.content_type)


def readable(attachment: discord.Attachment) -> bool:
    """A chart image, a table file or a PDF."""
    return is_image(attachment) or is_table(attachment) or is_pdf_file(attachment)


def replied_to(message: discord.Message) -> int | None:
    """The id of the message this one replies to (a forward is no reply), or None."""
    reference = message.reference
    if message.type is not discord.MessageType.reply or reference is None:
        return None
    return reference.message_id


def entry_origin(message: discord.Message, attachment: discord.Attachment | None = None
                 ) -> Source:
    """Where a library entry read from this message comes from: the attachment's file name
    (or a linked picture), the message id, and its jump link, which opens the message in
    Discord (a snowflake alone tells a person nothing)."""
    return origin(message.id, attachment.filename if attachment is not None else None,
                  message.jump_url)


_LINK = re.compile(r"^\s*<?https?://\S+>?\s*$")


def only_a_link(text: str) -> bool:
    """Whether the words are just a link (an image link Discord may preview)."""
    return bool(_LINK.match(text))


def embedded_image(message: discord.Message) -> tuple[str, int | None, int | None] | None:
    """An image Discord previews for a link in the message: its URL on Discord's own media
    proxy (never the link itself, which could point anywhere) and its size, or None."""
    for embed in message.embeds:
        for media in (embed.image, embed.thumbnail):
            proxy_url = getattr(media, "proxy_url", None)
            if embed.type in ("image", "gifv", "rich", "article") and proxy_url:
                return proxy_url, getattr(media, "width", None), getattr(media, "height", None)
    return None


def message_kind(message: discord.Message) -> str:
    if any(is_image(a) for a in message.attachments):
        return "photo"
    if message.attachments:
        return "document"
    return "text"


def message_arrival(message: discord.Message) -> Arrival:
    """A message as the core's arrival; its snowflake id orders the channel's arrivals. A
    chart image supersedes nothing: each becomes its own entry of the library."""
    return Arrival(conversation=conversation_of(message.channel), sequence=message.id,
                   kind=message_kind(message), words=words_of(message.content),
                   private=is_private(message.channel),
                   cancels=words_of(message.content).lower() == "/cancel")


def interaction_arrival(interaction: discord.Interaction, kind: str, *,
                        cancels: bool = False) -> Arrival:
    """A slash command or a button tap; its locale is the person's app language."""
    channel = interaction.channel
    assert channel is not None
    return Arrival(conversation=conversation_of(channel), sequence=interaction.id, kind=kind,
                   app_language=str(interaction.locale), private=is_private(channel),
                   cancels=cancels)
