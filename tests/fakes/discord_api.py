"""A fake Discord on loopback: REST v10, the gateway websocket and the attachment CDN.

The real discord.py client runs against it unmodified once `handlers.discord.endpoints` points
it at `api_url` and `gateway_url` (the `fake_discord` fixture does). Tests

- set the scene: `person(...)`, `add_guild(...)`, `add_thread(...)`, `dm_channel(person)`;
- act as people: `dm`, `guild_message`, `slash`, `click` (gateway dispatches with Discord's
  payload shapes; attachments are served from the fake's CDN route);
- read what the bot did: `sent` (every message created/edited/deleted, with uploaded files),
  `wait_for_message`, `unclaimed`, `interactions` (each with its callbacks and the seconds from
  dispatch to acknowledgement), `commands`, `requests`, `typing`, `cdn_fetches`, `gateway_log`;
- break things: `drop_connection` (resume, or with `invalidate` a fresh IDENTIFY), `fail_next`
  (an error or a 429 for the next matching request), `FakeInteraction.expire`.

Events dispatched while the bot is disconnected are replayed when it resumes, as Discord does.

The fake enforces the Discord rules that catch real bugs: a bot without the Message Content
intent gets empty content for guild messages that do not mention it; an interaction must be
acknowledged within 3 s and only once; follow-ups need an acknowledged interaction; a voice
message carries one audio file with waveform and duration and nothing else, and cannot be
edited; message, embed, component and upload limits; commands must be registered (with valid
locales) before a person can use them; `Authorization: Bot <token>` on every bot route.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import io
import itertools
import json
import logging
import mimetypes
import re
import secrets
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web
from PIL import Image, UnidentifiedImageError

from tests.fakes.server import LoopbackServer

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1_420_070_400_000
DEFAULT_APPLICATION_ID = 1_187_654_321_098_765_432
HEARTBEAT_INTERVAL_MS = 41_250
ACK_DEADLINE_S = 3.0
INTERACTION_TOKEN_LIFETIME_S = 15 * 60
UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024  # per file, an unboosted server or a DM
MAX_FILES = 10
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_ACTION_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
MAX_COMMANDS = 100

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

# Message flags.
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_VOICE_MESSAGE = 1 << 13
IS_COMPONENTS_V2 = 1 << 15
CREATE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_VOICE_MESSAGE | IS_COMPONENTS_V2

# Channel types.
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11

# Interaction and callback types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
MODAL = 9

LOCALES = frozenset({
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
    "th", "zh-CN", "ja", "zh-TW", "ko",
})
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
SUPPORTED_OPTION_TYPES = {3: "string", 4: "integer", 5: "boolean", 10: "number", 11: "attachment"}

GONE_FROM_CDN = "This content is no longer available."

PersonFile = tuple[str, bytes, str | None]  # filename, data, content type (None: from the name)

# --- errors in Discord's JSON shape -----------------------------------------------------------


class DiscordError(Exception):
    """An error answer: HTTP `status`, Discord's JSON `code` and `message` (+ `errors`)."""

    def __init__(self, status: int, code: int, message: str,
                 errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return _json(body, status=self.status)


def not_found() -> DiscordError:
    return DiscordError(404, 0, "404: Not Found")


def unknown(what: str, code: int) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


def invalid_form(path: str, error_code: str, message: str) -> DiscordError:
    """400 Invalid Form Body with the nested `errors` object naming the field."""
    errors: dict[str, Any] = {"_errors": [{"code": error_code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return DiscordError(400, 50035, "Invalid Form Body", errors)


# --- the people, places and records -----------------------------------------------------------


@dataclass
class Person:
    """A Discord user the tests act as; `locale` is their client's language."""

    id: int
    username: str
    global_name: str
    locale: str = "en-US"
    bot: bool = False

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": str(self.id), "username": self.username, "global_name": self.global_name,
            "discriminator": "0", "avatar": None, "public_flags": 0, "flags": 0,
            "banner": None, "accent_color": None, "avatar_decoration_data": None,
            "primary_guild": None, "collectibles": None,
        }
        if self.bot:
            user["bot"] = True
        return user


@dataclass
class Channel:
    """A DM, a server text channel or a thread."""

    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    parent_id: int | None = None
    recipient: Person | None = None
    last_message_id: int | None = None

    @property
    def is_dm(self) -> bool:
        return self.type == DM

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "flags": 0,
                                "last_message_id": _opt_str(self.last_message_id)}
        if self.type == DM:
            assert self.recipient is not None
            data["recipients"] = [self.recipient.as_user()]
            return data
        data.update({"guild_id": str(self.guild_id), "name": self.name,
                     "parent_id": _opt_str(self.parent_id), "rate_limit_per_user": 0,
                     "nsfw": False})
        if self.type == PUBLIC_THREAD:
            data.update({"owner_id": str(DEFAULT_APPLICATION_ID), "message_count": 0,
                         "member_count": 1, "total_message_sent": 0,
                         "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                             "archive_timestamp": _iso(time.time()),
                                             "locked": False}})
        else:
            data.update({"position": 0, "permission_overwrites": [], "topic": None})
        return data


@dataclass
class Guild:
    """A server: its text channels by name and its threads."""

    id: int
    name: str
    locale: str
    channels: dict[str, Channel] = field(default_factory=dict)

    def channel(self, name: str) -> Channel:
        return self.channels[name]

    def as_dict(self, bot: Person, joined_at: str) -> dict[str, Any]:
        texts = [c.as_dict() for c in self.channels.values() if c.type != PUBLIC_THREAD]
        threads = [c.as_dict() for c in self.channels.values() if c.type == PUBLIC_THREAD]
        everyone = {"id": str(self.id), "name": "@everyone", "permissions": "2248473465835073",
                    "position": 0, "color": 0, "hoist": False, "managed": False,
                    "mentionable": False, "icon": None, "unicode_emoji": None, "flags": 0}
        return {
            "id": str(self.id), "name": self.name, "icon": None, "splash": None,
            "discovery_splash": None, "banner": None, "description": None,
            "owner_id": str(bot.id + 1), "afk_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": self.locale,
            "system_channel_id": None, "system_channel_flags": 0, "features": [],
            "roles": [everyone], "emojis": [], "stickers": [], "large": False,
            "unavailable": False, "member_count": 2, "joined_at": joined_at,
            "voice_states": [], "presences": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
            "members": [_member(bot, joined_at)], "channels": texts, "threads": threads,
        }


@dataclass
class StoredFile:
    """An attachment the fake holds and serves on its CDN route."""

    id: int
    channel_id: int
    filename: str
    data: bytes
    content_type: str | None
    declared_content_type: str | None = None  # what the multipart part said
    description: str | None = None
    waveform: str | None = None
    duration_secs: float | None = None
    ephemeral: bool = False

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Sent:
    """One thing the bot did to a message: created, edited or deleted it.

    `message` is the message as Discord holds it after the change; `payload` what the bot sent
    (JSON body or payload_json); `files` the files uploaded with it.
    """

    seq: int
    kind: str  # "create" | "edit" | "delete"
    via: str  # "channel" | "interaction" | "webhook"
    channel_id: int
    message: dict[str, Any]
    payload: dict[str, Any]
    files: list[StoredFile]
    interaction: FakeInteraction | None = None

    @property
    def id(self) -> int:
        return int(self.message["id"])

    @property
    def content(self) -> str:
        return str(self.message.get("content") or "")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return list(self.message.get("embeds") or [])

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(self.message.get("components") or [])

    @property
    def flags(self) -> int:
        return int(self.message.get("flags") or 0)

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return list(self.message.get("attachments") or [])

    @property
    def thinking(self) -> bool:
        """A deferred answer's "<bot> is thinking…" placeholder (its follow-up edits it)."""
        return bool(self.flags & LOADING)

    def custom_ids(self) -> list[str]:
        """The custom_ids of every component, in order."""
        return [c["custom_id"] for c in _walk_components(self.components) if "custom_id" in c]

    def button_labels(self) -> list[str]:
        return [c.get("label", "") for c in _walk_components(self.components) if c["type"] == 2]


@dataclass
class Callback:
    """One POST to /interactions/{id}/{token}/callback."""

    type: int
    data: dict[str, Any]
    files: list[StoredFile]
    elapsed_s: float  # from the INTERACTION_CREATE dispatch
    status: int


@dataclass
class FakeInteraction:
    """An interaction the fake dispatched, and how the bot answered it."""

    id: int
    token: str
    type: int
    channel: Channel
    person: Person
    payload: dict[str, Any]
    dispatched_at: float = 0.0
    callbacks: list[Callback] = field(default_factory=list)
    source_message_id: int | None = None  # the clicked message, for components
    original_message_id: int | None = None  # what @original means
    expired: bool = False
    _acked: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def acknowledged(self) -> Callback | None:
        """The callback Discord accepted (at most one)."""
        return next((c for c in self.callbacks if 200 <= c.status < 300), None)

    @property
    def ack_seconds(self) -> float | None:
        ack = self.acknowledged
        return None if ack is None else ack.elapsed_s

    async def wait_ack(self, timeout: float = 10.0) -> Callback:
        """The accepted callback, once the bot sends it (fails after `timeout`)."""
        try:
            await asyncio.wait_for(self._acked.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"interaction {self.id} not acknowledged within {timeout}s; callbacks: "
                f"{[(c.type, c.status) for c in self.callbacks]}") from None
        ack = self.acknowledged
        assert ack is not None
        return ack

    def expire(self) -> None:
        """Make its token stale, as after 15 minutes."""
        self.expired = True


@dataclass
class Request:
    """One HTTP request to the fake's REST API."""

    method: str
    path: str  # without /api/v10
    query: dict[str, str]
    body: Any
    files: list[tuple[str, str, int]]  # (part name, file name, bytes)
    authorized: bool
    status: int = 0


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    error: DiscordError
    retry_after: float | None


@dataclass
class _Connection:
    ws: web.WebSocketResponse
    request: web.Request
    compress: str | None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    compressor: Any = None


@dataclass
class _Session:
    id: str
    intents: int
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    connection: _Connection | None = None
    presence: dict[str, Any] | None = None


# --- the server ------------------------------------------------------------------------------


class FakeDiscord(LoopbackServer):
    """Discord's REST API, gateway and CDN on one loopback port."""

    def __init__(self, token: str | None = None, *,
                 application_id: int = DEFAULT_APPLICATION_ID, bot_name: str = "Replot",
                 privileged_intents: int = 0, ack_deadline_s: float = ACK_DEADLINE_S,
                 upload_limit: int = UPLOAD_LIMIT_BYTES,
                 heartbeat_interval_ms: int = HEARTBEAT_INTERVAL_MS) -> None:
        self.application_id = application_id
        self.token = token or _bot_token(application_id)
        self.bot = Person(application_id, bot_name.lower(), bot_name, bot=True)
        self.privileged_intents = privileged_intents  # enabled in the "developer portal"
        self.ack_deadline_s = ack_deadline_s
        self.upload_limit = upload_limit
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.people: dict[int, Person] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.files: dict[int, StoredFile] = {}
        self.sent: list[Sent] = []
        self.requests: list[Request] = []
        self.interactions: dict[int, FakeInteraction] = {}
        self.commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[int, dict[str, dict[str, Any]]] = {}
        self.command_syncs = 0
        self.typing: list[int] = []  # channel ids, one per POST /typing
        self.cdn_fetches: list[tuple[int, int]] = []  # (attachment id, HTTP status)
        self.gateway_log: list[str] = []  # "IDENTIFY", "READY", "RESUME", "RESUMED", "CLOSE 4000"
        self.compression: str | None = None  # the transport compression the last socket asked
        self._session: _Session | None = None
        self._sessions: dict[str, _Session] = {}
        self._faults: list[_Fault] = []
        self._claimed: set[int] = set()
        self._seq = itertools.count(1)
        self._user_ids = itertools.count(310_000_000_000_000_001, 7919)
        self._snowflake_last = 0
        self._cdn_key = secrets.token_bytes(16)
        self._changed = asyncio.Event()
        super().__init__()
        self._joined_at = _iso(time.time() - 86_400)
        self._routes = self._route_table()

    # lifecycle and addresses

    def application(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{tail:.*}", self._handle_api)
        app.router.add_get("/gateway", self._handle_gateway)
        app.router.add_get("/attachments/{channel}/{attachment}/{filename}", self._handle_cdn)
        app.router.add_get("/media/attachments/{channel}/{attachment}/{filename}",
                           self._handle_cdn)
        return app

    async def stop(self) -> None:
        for session in self._sessions.values():
            if session.connection is not None:
                with contextlib.suppress(Exception):
                    await session.connection.ws.close(code=1001)
        await super().stop()

    @property
    def api_url(self) -> str:
        """DISCORD_API_URL for the bot."""
        return f"{self.root_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """DISCORD_GATEWAY_URL for the bot."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    # setting the scene

    def person(self, user_id: int | None = None, name: str | None = None, *,
               locale: str = "en-US") -> Person:
        """A Discord user (made up once per id); `locale` is their app's language."""
        if locale not in LOCALES:
            raise ValueError(f"{locale!r} is not a Discord locale")
        uid = user_id if user_id is not None else next(self._user_ids)
        if uid not in self.people:
            username = name or f"person{uid % 10_000}"
            self.people[uid] = Person(uid, username.lower(), username, locale)
        else:
            self.people[uid].locale = locale
        return self.people[uid]

    async def add_guild(self, name: str = "Charts club", *,
                        channels: Sequence[str] = ("general",),
                        locale: str = "en-US") -> Guild:
        """A server the bot is in, with text channels; a connected bot gets GUILD_CREATE."""
        guild = Guild(self._snowflake(), name, locale)
        for channel_name in channels:
            channel = Channel(self._snowflake(), GUILD_TEXT, channel_name, guild.id)
            guild.channels[channel_name] = channel
            self.channels[channel.id] = channel
        self.guilds[guild.id] = guild
        if self._session is not None and self._session.intents & GUILDS:
            await self._dispatch("GUILD_CREATE", guild.as_dict(self.bot, self._joined_at))
        return guild

    async def add_thread(self, guild: Guild, parent: Channel, name: str) -> Channel:
        """A public thread under `parent`; a connected bot gets THREAD_CREATE."""
        thread = Channel(self._snowflake(), PUBLIC_THREAD, name, guild.id, parent_id=parent.id)
        guild.channels[name] = thread
        self.channels[thread.id] = thread
        if self._session is not None and self._session.intents & GUILDS:
            await self._dispatch("THREAD_CREATE", {**thread.as_dict(), "newly_created": True})
        return thread

    def dm_channel(self, person: Person) -> Channel:
        """The DM channel between `person` and the bot (one per person)."""
        for channel in self.channels.values():
            if channel.type == DM and channel.recipient is person:
                return channel
        channel = Channel(self._snowflake(), DM, recipient=person)
        self.channels[channel.id] = channel
        return channel

    # acting as people

    async def dm(self, person: Person, content: str = "", *,
                 attachments: Sequence[PersonFile] = (),
                 reply_to: Sent | dict[str, Any] | int | None = None) -> dict[str, Any]:
        """`person` writes to the bot in a DM; returns the message as dispatched."""
        channel = self.dm_channel(person)
        message = self._person_message(channel, person, content, attachments, reply_to,
                                       mentions=[])
        await self._dispatch("MESSAGE_CREATE", message, intent=DIRECT_MESSAGES)
        return message

    async def preview_link(self, message: dict[str, Any], image: PersonFile) -> dict[str, Any]:
        """Discord has fetched the link in a person's message and shows it as a picture: the
        image is kept on the media proxy and the message gains an image embed, sent to the bot
        as MESSAGE_UPDATE (as Discord does, some time after MESSAGE_CREATE)."""
        stored = self.messages[int(message["id"])]
        channel = self.channels[int(stored["channel_id"])]
        kept = self._store_file(channel.id, *image)
        width, height = _image_size(kept.data) or (None, None)
        link = str(stored["content"]).split()[-1].strip("<>")
        stored["embeds"] = [{"type": "image", "url": link, "thumbnail": {
            "url": link, "proxy_url": self._cdn_url(kept, "/media"),
            "width": width, "height": height}}]
        await self._dispatch("MESSAGE_UPDATE", stored, intent=_message_intent(channel))
        return stored

    async def guild_message(self, channel: Channel, person: Person, content: str = "", *,
                            mentions_bot: bool = False,
                            reply_to: Sent | dict[str, Any] | int | None = None,
                            reply_ping: bool = True,
                            attachments: Sequence[PersonFile] = ()) -> dict[str, Any]:
        """`person` writes in a server channel or thread; returns the message as dispatched.

        `mentions_bot` puts `<@bot>` in front unless the content already has it. A reply to
        one of the bot's messages mentions the bot unless `reply_ping` is off. Without the
        Message Content intent the bot receives empty content, embeds, attachments and
        components unless it is mentioned — as Discord does.
        """
        if channel.type == DM:
            raise ValueError("use dm() for a DM channel")
        mention = f"<@{self.bot.id}>"
        mentions: list[Person] = []
        if mentions_bot:
            if mention not in content and f"<@!{self.bot.id}>" not in content:
                content = f"{mention} {content}".rstrip()
            mentions.append(self.bot)
        elif mention in content:
            mentions.append(self.bot)
        replied = self._resolve_message(reply_to) if reply_to is not None else None
        if (replied is not None and reply_ping and int(replied["author"]["id"]) == self.bot.id
                and self.bot not in mentions):
            mentions.append(self.bot)
        message = self._person_message(channel, person, content, attachments, reply_to,
                                       mentions=mentions)
        seen = message
        session = self._session
        if self.bot not in mentions and not (session and session.intents & MESSAGE_CONTENT):
            seen = {**message, "content": "", "embeds": [], "attachments": [], "components": []}
        await self._dispatch("MESSAGE_CREATE", seen, intent=GUILD_MESSAGES)
        return seen

    async def slash(self, person: Person, channel: Channel, name: str,
                    options: Mapping[str, Any] | None = None, *,
                    locale: str | None = None) -> FakeInteraction:
        """`person` runs `/name` in `channel`; an attachment option's value is a PersonFile.

        The command must be registered (globally, or for the channel's server) and allowed in
        that context; `locale` defaults to the person's.
        """
        command, guild_command = self._registered(channel, name)
        resolved: dict[str, Any] = {}
        given = dict(options or {})
        sent_options: list[dict[str, Any]] = []
        declared = {o["name"]: o for o in command.get("options", [])}
        for option_name in given:
            if option_name not in declared:
                raise AssertionError(f"/{name} has no option {option_name!r}")
        for option in command.get("options", []):
            if option["name"] not in given:
                if option.get("required"):
                    raise AssertionError(f"/{name} requires option {option['name']!r}")
                continue
            kind = option["type"]
            if kind not in SUPPORTED_OPTION_TYPES:
                raise NotImplementedError(f"option type {kind} is not simulated")
            value = given[option["name"]]
            if kind == 11:
                stored = self._store_file(channel.id, *value, ephemeral=True)
                resolved.setdefault("attachments", {})[str(stored.id)] = self._attachment(stored)
                value = str(stored.id)
            sent_options.append({"name": option["name"], "type": kind, "value": value})
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1}
        if sent_options:
            data["options"] = sent_options
        if resolved:
            data["resolved"] = resolved
        if guild_command:
            data["guild_id"] = str(channel.guild_id)
        return await self._interact(APPLICATION_COMMAND, person, channel, data, None, locale)

    async def click(self, person: Person, message: Sent | dict[str, Any] | int, custom_id: str,
                    *, locale: str | None = None,
                    values: Sequence[str] | None = None) -> FakeInteraction:
        """`person` presses the button (or picks `values` in the select) `custom_id`.

        The component must be on the message and enabled, as in a real client.
        """
        stored = self._resolve_message(message)
        component = next((c for c in _walk_components(stored.get("components") or [])
                          if c.get("custom_id") == custom_id), None)
        if component is None:
            raise AssertionError(f"message {stored['id']} has no component {custom_id!r}")
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] != 2:
            data["values"] = list(values or [])
        channel = self.channels[int(stored["channel_id"])]
        return await self._interact(MESSAGE_COMPONENT, person, channel, data, stored, locale)

    # reading what the bot did

    async def wait_for_message(self, channel: Channel | int | None = None,
                               predicate: Callable[[Sent], bool] | None = None, *,
                               kinds: Iterable[str] = ("create",),
                               timeout: float = 10.0) -> Sent:
        """The next bot message record (in `channel`) that no earlier wait returned."""
        channel_id = channel.id if isinstance(channel, Channel) else channel
        wanted = frozenset(kinds)

        def fresh() -> list[Sent]:
            return [s for s in self.sent
                    if s.seq not in self._claimed and s.kind in wanted
                    and (channel_id is None or s.channel_id == channel_id)
                    and (predicate is None or predicate(s))]

        found = await self._wait(lambda: fresh()[:1], timeout,
                                 lambda: f"a bot message in channel {channel_id}; unclaimed: "
                                         f"{[(s.kind, s.content[:60]) for s in fresh()]}")
        self._claimed.add(found[0].seq)
        return found[0]

    def unclaimed(self, channel: Channel | int | None = None) -> list[Sent]:
        """Bot message records no wait has returned yet."""
        channel_id = channel.id if isinstance(channel, Channel) else channel
        return [s for s in self.sent if s.seq not in self._claimed
                and (channel_id is None or s.channel_id == channel_id)]

    async def wait_for_gateway(self, entry: str, count: int = 1, *,
                               timeout: float = 10.0) -> None:
        """Until `entry` ("READY", "RESUMED", "CLOSE 4000", ...) is in the log `count` times."""
        await self._wait(lambda: self.gateway_log.count(entry) >= count, timeout,
                         lambda: f"{count}× {entry} in the gateway log {self.gateway_log}")

    async def wait_for_request(self, method: str, pattern: str, *,
                               timeout: float = 10.0) -> Request:
        """The first recorded request whose path matches `pattern` (a regex, full match)."""
        regex = re.compile(pattern)

        def match() -> Request | None:
            return next((r for r in self.requests if r.method == method
                         and regex.fullmatch(r.path) and r.status), None)

        found = await self._wait(match, timeout, lambda: f"{method} {pattern}")
        assert found is not None
        return found

    @property
    def connected(self) -> bool:
        return self._session is not None and self._session.connection is not None

    # breaking things

    async def drop_connection(self, code: int | None = 4000, *,
                              invalidate: bool = False) -> None:
        """Close the bot's gateway socket with `code` (None: cut it without a close frame).

        With `invalidate` the session is forgotten, so a RESUME gets INVALID_SESSION and the
        bot must IDENTIFY again (discord.py waits 5 s before it does).
        """
        session = self._session
        if session is None or session.connection is None:
            raise AssertionError("the bot is not connected to the gateway")
        connection = session.connection
        session.connection = None
        if invalidate:
            self._sessions.pop(session.id, None)
            self._session = None
        if code is None:
            transport = connection.request.transport
            if transport is not None:
                transport.abort()
            self._log_gateway("CUT")
        else:
            await connection.ws.close(code=code, message=b"dropped by the test")
            self._log_gateway(f"CLOSE {code}")

    def fail_next(self, method: str, pattern: str, *, status: int = 500, code: int = 0,
                  message: str = "500: Internal Server Error",
                  retry_after: float | None = None) -> None:
        """Answer the next matching REST request with an error (429 if `retry_after`)."""
        if retry_after is not None:
            status, message = 429, "You are being rate limited."
        self._faults.append(_Fault(method, re.compile(pattern),
                                   DiscordError(status, code, message), retry_after))

    # --- internals: messages --------------------------------------------------------------

    def _snowflake(self) -> int:
        now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = max(now_ms << 22, self._snowflake_last + 1)
        self._snowflake_last = value
        return value

    def _store_file(self, channel_id: int, filename: str, data: bytes,
                    content_type: str | None = None, *, declared: str | None = None,
                    ephemeral: bool = False) -> StoredFile:
        stored = StoredFile(self._snowflake(), channel_id, filename, data,
                            content_type or _content_type(filename),
                            declared_content_type=declared, ephemeral=ephemeral)
        self.files[stored.id] = stored
        return stored

    def _cdn_url(self, stored: StoredFile, prefix: str = "") -> str:
        path = f"{prefix}/attachments/{stored.channel_id}/{stored.id}/{stored.filename}"
        issued = int(time.time())
        expires = issued + 86_400
        sig = self._cdn_signature(stored.channel_id, stored.id, expires)
        return f"{self.root_url}{path}?ex={expires:x}&is={issued:x}&hm={sig}&"

    def _cdn_signature(self, channel_id: int, attachment_id: int, expires: int) -> str:
        text = f"{channel_id}/{attachment_id}/{expires}".encode()
        return hmac.new(self._cdn_key, text, hashlib.sha256).hexdigest()

    def _attachment(self, stored: StoredFile) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(stored.id), "filename": stored.filename, "size": stored.size,
            "url": self._cdn_url(stored), "proxy_url": self._cdn_url(stored, "/media"),
        }
        if stored.content_type:
            data["content_type"] = stored.content_type
        if stored.description:
            data["description"] = stored.description
        if stored.content_type and stored.content_type.startswith("image/"):
            size = _image_size(stored.data)
            if size is not None:
                data["width"], data["height"] = size
        if stored.waveform is not None:
            data["waveform"] = stored.waveform
        if stored.duration_secs is not None:
            data["duration_secs"] = stored.duration_secs
        if stored.ephemeral:
            data["ephemeral"] = True
        return data

    def _base_message(self, channel: Channel, author: Person) -> dict[str, Any]:
        message_id = self._snowflake()
        channel.last_message_id = message_id
        message: dict[str, Any] = {
            "id": str(message_id), "channel_id": str(channel.id), "type": 0, "content": "",
            "author": author.as_user(), "timestamp": _iso(time.time()),
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "components": [], "pinned": False, "flags": 0,
        }
        if channel.guild_id is not None:
            message["guild_id"] = str(channel.guild_id)
            message["member"] = _partial_member(self._joined_at)
        return message

    def _person_message(self, channel: Channel, person: Person, content: str,
                        attachments: Sequence[PersonFile],
                        reply_to: Sent | dict[str, Any] | int | None,
                        mentions: list[Person]) -> dict[str, Any]:
        if len(content) > MAX_CONTENT:
            raise ValueError("a person cannot send more than 2000 characters")
        message = self._base_message(channel, person)
        message["content"] = content
        message["attachments"] = [self._attachment(self._store_file(channel.id, *a))
                                  for a in attachments]
        message["mentions"] = [
            {**p.as_user(), **({"member": _partial_member(self._joined_at)}
                                if channel.guild_id is not None else {})}
            for p in mentions
        ]
        if reply_to is not None:
            replied = self._resolve_message(reply_to)
            message["type"] = 19
            message["message_reference"] = _reference(replied)
            message["referenced_message"] = replied
        self.messages[int(message["id"])] = message
        return message

    def _resolve_message(self, ref: Sent | dict[str, Any] | int) -> dict[str, Any]:
        message_id = ref.id if isinstance(ref, Sent) else (
            int(ref["id"]) if isinstance(ref, dict) else ref)
        try:
            return self.messages[message_id]
        except KeyError:
            raise AssertionError(f"no message {message_id}") from None

    async def _bot_writes(self, channel: Channel, payload: dict[str, Any],
                          files: list[StoredFile], *, via: str,
                          interaction: FakeInteraction | None = None,
                          message_type: int = 0) -> Sent:
        """Create a bot message from a validated payload; dispatch MESSAGE_CREATE."""
        message = self._base_message(channel, self.bot)
        message["type"] = message_type
        self._apply(message, payload, files, creating=True, via=via)
        if via != "channel":
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        if interaction is not None:
            message["interaction_metadata"] = _interaction_metadata(interaction)
            if interaction.type == MESSAGE_COMPONENT and interaction.source_message_id:
                message["interaction_metadata"]["interacted_message_id"] = str(
                    interaction.source_message_id)
        if reference := payload.get("message_reference"):
            replied = self.messages.get(int(reference["message_id"]))
            if replied is None:
                if reference.get("fail_if_not_exists", True):
                    raise invalid_form("message_reference", "REPLIES_UNKNOWN_MESSAGE",
                                       "Unknown message")
            else:
                message["type"] = 19
                message["message_reference"] = _reference(replied)
                message["referenced_message"] = replied
        self.messages[int(message["id"])] = message
        sent = self._record("create", via, channel, message, payload, files, interaction)
        if not message["flags"] & EPHEMERAL:
            await self._dispatch("MESSAGE_CREATE", message, intent=_message_intent(channel))
        return sent

    async def _bot_edits(self, message: dict[str, Any], payload: dict[str, Any],
                         files: list[StoredFile], *, via: str,
                         interaction: FakeInteraction | None = None) -> Sent:
        if int(message["author"]["id"]) != self.bot.id:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        if int(message.get("flags") or 0) & IS_VOICE_MESSAGE:
            raise DiscordError(400, 50162, "Voice messages cannot be edited")
        self._apply(message, payload, files, creating=False, via=via)
        message["edited_timestamp"] = _iso(time.time())
        channel = self.channels[int(message["channel_id"])]
        sent = self._record("edit", via, channel, message, payload, files, interaction)
        if not message["flags"] & EPHEMERAL:
            await self._dispatch("MESSAGE_UPDATE", message, intent=_message_intent(channel))
        return sent

    async def _bot_deletes(self, message: dict[str, Any], *, via: str) -> None:
        channel = self.channels[int(message["channel_id"])]
        del self.messages[int(message["id"])]
        self._record("delete", via, channel, message, {}, [], None)
        event: dict[str, Any] = {"id": message["id"], "channel_id": message["channel_id"]}
        if channel.guild_id is not None:
            event["guild_id"] = str(channel.guild_id)
        await self._dispatch("MESSAGE_DELETE", event, intent=_message_intent(channel))

    def _record(self, kind: str, via: str, channel: Channel, message: dict[str, Any],
                payload: dict[str, Any], files: list[StoredFile],
                interaction: FakeInteraction | None) -> Sent:
        sent = Sent(next(self._seq), kind, via, channel.id, json.loads(json.dumps(message)),
                    payload, files, interaction)
        self.sent.append(sent)
        self._notify()
        return sent

    def _apply(self, message: dict[str, Any], payload: dict[str, Any],
               files: list[StoredFile], *, creating: bool, via: str) -> None:
        """Validate `payload` (+ uploaded `files`) and write it into `message`."""
        flags = int(payload.get("flags") or 0)
        if "content" in payload:
            content = payload["content"] or ""
            if len(content) > MAX_CONTENT:
                raise invalid_form("content", "BASE_TYPE_MAX_LENGTH",
                                   f"Must be {MAX_CONTENT} or fewer in length.")
            message["content"] = content
        if "embeds" in payload:
            message["embeds"] = _checked_embeds(payload["embeds"] or [])
        if "components" in payload:
            message["components"] = _checked_components(payload["components"] or [], flags)
        attachments = self._attachments_for(message, payload, files, creating=creating,
                                            via=via)
        if attachments is not None:
            message["attachments"] = attachments
        if creating:
            allowed = CREATE_FLAGS | (EPHEMERAL if via != "channel" else 0)
            if flags & ~allowed:
                raise invalid_form("flags", "MESSAGE_FLAGS_INVALID", "Invalid message flags")
            message["flags"] = flags
            if flags & IS_VOICE_MESSAGE:
                _check_voice(message)
            elif not (message["content"] or message["embeds"] or message["attachments"]
                      or message["components"] or payload.get("sticker_ids")
                      or payload.get("poll")):
                raise DiscordError(400, 50006, "Cannot send an empty message")
        elif "flags" in payload and payload["flags"] is not None:
            # only SUPPRESS_EMBEDS may change on edit; the rest stays as it was
            kept = int(message["flags"]) & ~SUPPRESS_EMBEDS
            message["flags"] = kept | (flags & SUPPRESS_EMBEDS)

    def _attachments_for(self, message: dict[str, Any], payload: dict[str, Any],
                         files: list[StoredFile], *, creating: bool,
                         via: str) -> list[dict[str, Any]] | None:
        """The message's attachment list after this request (None: unchanged)."""
        if len(files) > MAX_FILES:
            raise invalid_form("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        listed = payload.get("attachments")
        if listed is None and not files:
            return None
        by_index = {i: f for i, f in enumerate(files)}
        result: list[dict[str, Any]] = []
        used: set[int] = set()
        existing = {a["id"]: a for a in message.get("attachments") or []}
        if listed is None:
            listed = ([{"id": a["id"]} for a in existing.values()] if not creating else [])
            listed += [{"id": i, "filename": f.filename} for i, f in by_index.items()]
        for entry in listed:
            key = str(entry.get("id"))
            if key in existing:
                result.append(existing[key])
            elif key.isdigit() and int(key) in by_index:
                index = int(key)
                stored = by_index[index]
                used.add(index)
                if entry.get("filename"):
                    stored.filename = entry["filename"]
                    stored.content_type = _content_type(stored.filename)
                stored.description = entry.get("description")
                # Discord drops voice metadata given through interaction responses and
                # webhooks (discord/discord-api-docs#7153), and for non-audio files.
                audio = bool(stored.content_type and stored.content_type.startswith("audio/"))
                if via == "channel" and audio:
                    stored.waveform = entry.get("waveform")
                    duration = entry.get("duration_secs")
                    stored.duration_secs = float(duration) if duration is not None else None
                result.append(self._attachment(stored))
            else:
                raise invalid_form("attachments", "ATTACHMENT_NOT_FOUND",
                                   f"Unknown attachment {key}")
        unused = set(by_index) - used
        if unused:
            raise invalid_form("attachments", "ATTACHMENT_NOT_FOUND",
                               f"files[{min(unused)}] is not listed in attachments")
        return result

    # --- internals: interactions ----------------------------------------------------------

    def _registered(self, channel: Channel, name: str) -> tuple[dict[str, Any], bool]:
        if channel.guild_id is not None:
            guild_command = self.guild_commands.get(channel.guild_id, {}).get(name)
            if guild_command is not None:
                return guild_command, True
        command = self.commands.get(name)
        if command is None:
            raise AssertionError(f"/{name} is not registered; registered: {sorted(self.commands)}")
        context = 1 if channel.is_dm else 0
        contexts = command.get("contexts")
        if contexts is not None and context not in contexts:
            raise AssertionError(f"/{name} is not offered in context {context} ({contexts})")
        if channel.is_dm and command.get("dm_permission") is False:
            raise AssertionError(f"/{name} is not offered in DMs")
        return command, False

    async def _interact(self, kind: int, person: Person, channel: Channel,
                        data: dict[str, Any], message: dict[str, Any] | None,
                        locale: str | None) -> FakeInteraction:
        if self._session is None:
            raise AssertionError("the bot is not connected to the gateway")
        locale = locale or person.locale
        if locale not in LOCALES:
            raise ValueError(f"{locale!r} is not a Discord locale")
        interaction_id = self._snowflake()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(96)
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(self.application_id),
            "type": kind, "data": data, "token": token, "version": 1, "locale": locale,
            "channel_id": str(channel.id), "channel": channel.as_dict(),
            "app_permissions": "2248473465835073", "entitlements": [],
            "attachment_size_limit": self.upload_limit,
        }
        if channel.guild_id is not None:
            guild = self.guilds[channel.guild_id]
            payload["guild_id"] = str(guild.id)
            payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
            payload["guild_locale"] = guild.locale
            payload["member"] = {**_partial_member(self._joined_at), "user": person.as_user(),
                                 "permissions": "2248473465835073"}
            payload["context"] = 0
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
        else:
            payload["user"] = person.as_user()
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": str(person.id)}
        if message is not None:
            payload["message"] = message
        interaction = FakeInteraction(interaction_id, token, kind, channel, person, payload)
        if message is not None:
            interaction.source_message_id = int(message["id"])
        self.interactions[interaction_id] = interaction
        interaction.dispatched_at = time.monotonic()
        await self._dispatch("INTERACTION_CREATE", payload)
        return interaction

    def _interaction_by_token(self, token: str) -> FakeInteraction:
        interaction = next((i for i in self.interactions.values() if i.token == token), None)
        if interaction is None or not interaction.acknowledged:
            raise unknown("Webhook", 10015)
        if interaction.expired or (time.monotonic() - interaction.dispatched_at
                                   > INTERACTION_TOKEN_LIFETIME_S):
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        return interaction

    # --- internals: waiting ---------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait(self, probe: Callable[[], Any], timeout: float,
                    describe: Callable[[], str]) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            result = probe()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"waited {timeout}s for {describe()}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    # --- internals: the gateway -----------------------------------------------------------

    def _log_gateway(self, entry: str) -> None:
        self.gateway_log.append(entry)
        self._notify()

    async def _refuse(self, ws: web.WebSocketResponse, code: int, reason: bytes) -> None:
        """Close the socket with a gateway close code, logged as "CLOSE <code>"."""
        await ws.close(code=code, message=reason)
        self._log_gateway(f"CLOSE {code}")

    async def _dispatch(self, event: str, data: dict[str, Any], *, intent: int = 0) -> None:
        session = self._session
        if session is None:
            raise AssertionError("the bot has no gateway session")
        if intent and not session.intents & intent:
            return
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.events.append(frame)
        if session.connection is not None:
            await self._send(session.connection, frame)

    async def _send(self, connection: _Connection, frame: dict[str, Any]) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        async with connection.lock:
            if connection.ws.closed:
                return
            try:
                if connection.compress == "zlib-stream":
                    chunk = connection.compressor.compress(text.encode())
                    chunk += connection.compressor.flush(zlib.Z_SYNC_FLUSH)
                    await connection.ws.send_bytes(chunk)
                elif connection.compress == "zstd-stream":
                    await connection.ws.send_bytes(connection.compressor(text.encode()))
                else:
                    await connection.ws.send_str(text)
            except ConnectionError:
                log.debug("gateway send failed: the socket is gone")

    async def _handle_gateway(self, request: web.Request) -> web.StreamResponse:
        version = request.query.get("v")
        encoding = request.query.get("encoding", "json")
        compress = request.query.get("compress")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        connection = _Connection(ws, request, compress)
        self.compression = compress
        if compress == "zlib-stream":
            connection.compressor = zlib.compressobj()
        elif compress == "zstd-stream":
            connection.compressor = _zstd_stream()
            if connection.compressor is None:
                await self._refuse(ws, 4000, b"zstd-stream unavailable in the fake")
                return ws
        elif compress is not None:
            await self._refuse(ws, 4000, b"unknown compression")
            return ws
        if version != "10":
            await self._refuse(ws, 4012, b"Invalid API version.")
            return ws
        if encoding != "json":
            await self._refuse(ws, 4002, b"Error while decoding payload.")
            return ws
        await self._send(connection, {"op": 10, "d": {
            "heartbeat_interval": self.heartbeat_interval_ms,
            "_trace": ["[\"gateway-prd-fake\",{\"micros\":0}]"]}, "s": None, "t": None})
        session: _Session | None = None
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT and msg.type is not WSMsgType.BINARY:
                    continue
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await self._refuse(ws, 4002, b"Error while decoding payload.")
                    break
                session = await self._gateway_frame(connection, session, frame)
                if ws.closed:
                    break
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
                if ws.close_code is not None:
                    self._log_gateway(f"CLOSED {ws.close_code}")
        return ws

    async def _gateway_frame(self, connection: _Connection, session: _Session | None,
                             frame: dict[str, Any]) -> _Session | None:
        op, data = frame.get("op"), frame.get("d")
        ws = connection.ws
        if op == 1:  # HEARTBEAT
            await self._send(connection, {"op": 11, "d": None, "s": None, "t": None})
            return session
        if op == 2:  # IDENTIFY
            if session is not None:
                await self._refuse(ws, 4005, b"Already authenticated.")
                return session
            self._log_gateway("IDENTIFY")
            if not isinstance(data, dict) or data.get("token") != self.token:
                await self._refuse(ws, 4004, b"Authentication failed.")
                return None
            intents = data.get("intents")
            if not isinstance(intents, int) or intents < 0 or intents >= 1 << 26:
                await self._refuse(ws, 4013, b"Invalid intent(s).")
                return None
            if intents & PRIVILEGED_INTENTS & ~self.privileged_intents:
                await self._refuse(ws, 4014, b"Disallowed intent(s).")
                return None
            return await self._start_session(connection, intents, data)
        if op == 6:  # RESUME
            self._log_gateway("RESUME")
            if not isinstance(data, dict) or data.get("token") != self.token:
                await self._refuse(ws, 4004, b"Authentication failed.")
                return None
            resumed = self._sessions.get(str(data.get("session_id")))
            if resumed is None:
                self._log_gateway("INVALID_SESSION")
                await self._send(connection, {"op": 9, "d": False, "s": None, "t": None})
                return None
            if resumed.connection is not None:
                with contextlib.suppress(Exception):
                    await resumed.connection.ws.close(code=4000)
            resumed.connection = connection
            seq = data.get("seq") or 0
            for missed in [e for e in resumed.events if e["s"] > seq]:
                await self._send(connection, missed)
            self._session = resumed
            await self._dispatch("RESUMED", {"_trace": ["[\"gateway-prd-fake\"]"]})
            self._log_gateway("RESUMED")
            return resumed
        if session is None:
            await self._refuse(ws, 4003, b"Not authenticated.")
            return None
        if op == 3:  # PRESENCE_UPDATE
            session.presence = data
            return session
        if op in (4, 8):  # voice state, request guild members: accepted, not simulated
            return session
        await self._refuse(ws, 4001, b"Unknown opcode.")
        return session

    async def _start_session(self, connection: _Connection, intents: int,
                             identify: dict[str, Any]) -> _Session:
        session = _Session(secrets.token_hex(16), intents, connection=connection,
                           presence=identify.get("presence"))
        if self._session is not None and self._session.connection is not None:
            with contextlib.suppress(Exception):
                await self._session.connection.ws.close(code=4000)
        self._sessions[session.id] = session
        self._session = session
        ready = {
            "v": 10, "user": {**self.bot.as_user(), "verified": True, "mfa_enabled": False,
                              "email": None},
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.id, "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": _application_flags(
                self.privileged_intents)},
            "private_channels": [], "relationships": [], "presences": [],
            "guild_join_requests": [], "user_settings": {},
            "geo_ordered_rtc_regions": ["fake"], "auth_session_id_hash": "",
            "_trace": ["[\"gateway-prd-fake\"]"],
        }
        shard = identify.get("shard")
        if shard is not None:
            ready["shard"] = shard
        await self._dispatch("READY", ready)
        self._log_gateway("READY")
        if intents & GUILDS:
            for guild in self.guilds.values():
                await self._dispatch("GUILD_CREATE", guild.as_dict(self.bot, self._joined_at))
        return session

    # --- internals: REST ------------------------------------------------------------------

    def _route_table(self) -> list[tuple[str, re.Pattern[str], Callable[..., Any], bool]]:
        """(method, path regex, handler, needs the bot token)."""
        table: list[tuple[str, str, Callable[..., Any], bool]] = [
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway_bot, True),
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/users/(?P<user_id>\d+)", self._get_user, True),
            ("POST", r"/users/@me/channels", self._create_dm, True),
            ("GET", r"/oauth2/applications/@me", self._get_application, True),
            ("GET", r"/applications/@me", self._get_application, True),
            ("GET", r"/applications/(?P<app_id>\d+)/commands", self._get_commands, True),
            ("PUT", r"/applications/(?P<app_id>\d+)/commands", self._put_commands, True),
            ("GET", r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands",
             self._get_commands, True),
            ("PUT", r"/applications/(?P<app_id>\d+)/guilds/(?P<guild_id>\d+)/commands",
             self._put_commands, True),
            ("GET", r"/channels/(?P<channel_id>\d+)", self._get_channel, True),
            ("POST", r"/channels/(?P<channel_id>\d+)/messages", self._post_message, True),
            ("GET", r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
             self._get_message, True),
            ("PATCH", r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
             self._patch_message, True),
            ("DELETE", r"/channels/(?P<channel_id>\d+)/messages/(?P<message_id>\d+)",
             self._delete_message, True),
            ("POST", r"/channels/(?P<channel_id>\d+)/typing", self._typing, True),
            ("POST", r"/interactions/(?P<interaction_id>\d+)/(?P<token>[^/]+)/callback",
             self._callback, False),
            ("POST", r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)", self._followup, False),
            ("GET",
             r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
             self._webhook_get, False),
            ("PATCH",
             r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
             self._webhook_patch, False),
            ("DELETE",
             r"/webhooks/(?P<app_id>\d+)/(?P<token>[^/]+)/messages/(?P<message_id>@original|\d+)",
             self._webhook_delete, False),
        ]
        return [(m, re.compile(p), h, auth) for m, p, h, auth in table]

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        full = "/api/" + request.match_info["tail"]
        path = full.removeprefix(API_PREFIX)
        authorized = request.headers.get("Authorization") == f"Bot {self.token}"
        record = Request(request.method, path, dict(request.query), None, [], authorized)
        self.requests.append(record)
        try:
            if not full.startswith(API_PREFIX + "/"):
                raise not_found()
            body, uploads = await _read_body(request)
            record.body = body
            record.files = [(name, filename, len(data)) for name, filename, _, data in uploads]
            response = await self._route(request.method, path, body, uploads, authorized,
                                         dict(request.query))
        except DiscordError as exc:
            log.info("%s %s → %s", request.method, path, exc)
            response = exc.response()
        record.status = response.status
        self._notify()
        return response

    async def _route(self, method: str, path: str, body: Any,
                     uploads: list[tuple[str, str, str, bytes]], authorized: bool,
                     query: dict[str, str]) -> web.StreamResponse:
        matched_path = False
        for route_method, pattern, handler, needs_auth in self._routes:
            found = pattern.fullmatch(path)
            if found is None:
                continue
            matched_path = True
            if route_method != method:
                continue
            if needs_auth and not authorized:
                raise DiscordError(401, 0, "401: Unauthorized")
            for fault in list(self._faults):
                if fault.method == method and fault.pattern.fullmatch(path):
                    self._faults.remove(fault)
                    if fault.retry_after is not None:
                        return _rate_limited(fault.retry_after)
                    raise fault.error
            result = await handler(body=body, uploads=uploads, query=query,
                                   **found.groupdict())
            if result is None:
                return web.Response(status=204)
            if isinstance(result, web.StreamResponse):
                return result
            return _json(result)
        if matched_path:
            raise DiscordError(405, 0, "405: Method Not Allowed")
        raise not_found()

    def _files_from(self, channel_id: int, uploads: list[tuple[str, str, str, bytes]],
                    *, ephemeral: bool = False) -> list[StoredFile]:
        files: list[StoredFile] = []
        ordered = sorted(uploads, key=lambda u: _file_index(u[0]))
        for name, filename, declared, data in ordered:
            if _file_index(name) < 0:
                raise invalid_form(name, "UNKNOWN_FIELD", f"Unknown form field {name}")
            if len(data) > self.upload_limit:
                raise DiscordError(413, 40005, "Request entity too large")
            files.append(self._store_file(channel_id, filename, data, declared=declared,
                                          ephemeral=ephemeral))
        if len(files) != len({_file_index(u[0]) for u in uploads}):
            raise invalid_form("files", "DUPLICATE", "Duplicate file index")
        return files

    async def _get_gateway(self, **_: Any) -> dict[str, Any]:
        return {"url": self.gateway_url}

    async def _get_gateway_bot(self, **_: Any) -> dict[str, Any]:
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": {
            "total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}}

    async def _get_me(self, **_: Any) -> dict[str, Any]:
        return {**self.bot.as_user(), "verified": True, "mfa_enabled": False, "email": None,
                "locale": "en-US", "bio": ""}

    async def _get_user(self, user_id: str, **_: Any) -> dict[str, Any]:
        uid = int(user_id)
        if uid == self.bot.id:
            return self.bot.as_user()
        if uid not in self.people:
            raise unknown("User", 10013)
        return self.people[uid].as_user()

    async def _create_dm(self, body: Any, **_: Any) -> dict[str, Any]:
        recipient = _field(body, "recipient_id")
        person = self.people.get(int(recipient)) if str(recipient).isdigit() else None
        if person is None:
            raise unknown("User", 10013)
        return self.dm_channel(person).as_dict()

    async def _get_application(self, **_: Any) -> dict[str, Any]:
        owner = Person(self.application_id + 1, "owner", "Owner")
        return {
            "id": str(self.application_id), "name": self.bot.global_name, "icon": None,
            "description": "", "summary": "", "type": None, "bot_public": True,
            "bot_require_code_grant": False, "verify_key": "0" * 64, "flags":
                _application_flags(self.privileged_intents),
            "owner": owner.as_user(), "team": None, "redirect_uris": [],
            "interactions_endpoint_url": None, "bot": self.bot.as_user(),
            "integration_types_config": {"0": {}, "1": {}},
            "approximate_guild_count": len(self.guilds),
        }

    def _command_book(self, app_id: str, guild_id: str | None) -> dict[str, dict[str, Any]]:
        if int(app_id) != self.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        if guild_id is None:
            return self.commands
        if int(guild_id) not in self.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return self.guild_commands.setdefault(int(guild_id), {})

    async def _get_commands(self, app_id: str, guild_id: str | None = None,
                            **_: Any) -> list[dict[str, Any]]:
        return list(self._command_book(app_id, guild_id).values())

    async def _put_commands(self, body: Any, app_id: str, guild_id: str | None = None,
                            **_: Any) -> list[dict[str, Any]]:
        book = self._command_book(app_id, guild_id)
        if not isinstance(body, list):
            raise invalid_form("_root", "LIST_TYPE_CONVERT", "Only iterables may be used.")
        if len(body) > MAX_COMMANDS:
            raise invalid_form("_root", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer.")
        names = [c.get("name") for c in body]
        if len(set(names)) != len(names):
            raise invalid_form("_root", "APPLICATION_COMMANDS_DUPLICATE_NAME",
                               "Application command names must be unique")
        result: dict[str, dict[str, Any]] = {}
        for index, command in enumerate(body):
            _check_command(command, str(index))
            old = book.get(command["name"])
            stored = {
                "id": old["id"] if old else str(self._snowflake()),
                "application_id": str(self.application_id), "version": str(self._snowflake()),
                "type": command.get("type", 1), "name": command["name"],
                "name_localizations": command.get("name_localizations"),
                "description": command.get("description", ""),
                "description_localizations": command.get("description_localizations"),
                "options": command.get("options", []),
                "default_member_permissions": command.get("default_member_permissions"),
                "dm_permission": command.get("dm_permission", True),
                "contexts": command.get("contexts"),
                "integration_types": command.get("integration_types") or [0],
                "nsfw": command.get("nsfw", False),
            }
            if guild_id is not None:
                stored["guild_id"] = guild_id
            result[command["name"]] = stored
        book.clear()
        book.update(result)
        self.command_syncs += 1
        return list(result.values())

    def _channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _channel_message(self, channel_id: str, message_id: str) -> dict[str, Any]:
        self._channel(channel_id)
        message = self.messages.get(int(message_id))
        if (message is None or message["channel_id"] != channel_id
                or int(message.get("flags") or 0) & EPHEMERAL):
            raise unknown("Message", 10008)
        return message

    async def _get_channel(self, channel_id: str, **_: Any) -> dict[str, Any]:
        return self._channel(channel_id).as_dict()

    async def _post_message(self, body: Any, uploads: list[tuple[str, str, str, bytes]],
                            channel_id: str, **_: Any) -> dict[str, Any]:
        channel = self._channel(channel_id)
        payload = _payload(body)
        files = self._files_from(channel.id, uploads)
        sent = await self._bot_writes(channel, payload, files, via="channel")
        return sent.message

    async def _get_message(self, channel_id: str, message_id: str, **_: Any) -> dict[str, Any]:
        return self._channel_message(channel_id, message_id)

    async def _patch_message(self, body: Any, uploads: list[tuple[str, str, str, bytes]],
                             channel_id: str, message_id: str, **_: Any) -> dict[str, Any]:
        message = self._channel_message(channel_id, message_id)
        files = self._files_from(int(channel_id), uploads)
        sent = await self._bot_edits(message, _payload(body), files, via="channel")
        return sent.message

    async def _delete_message(self, channel_id: str, message_id: str, **_: Any) -> None:
        message = self._channel_message(channel_id, message_id)
        if int(message["author"]["id"]) != self.bot.id and self._channel(channel_id).is_dm:
            raise DiscordError(403, 50003, "Cannot execute action on a DM channel")
        await self._bot_deletes(message, via="channel")

    async def _typing(self, channel_id: str, **_: Any) -> None:
        self.typing.append(self._channel(channel_id).id)
        self._notify()

    async def _callback(self, body: Any, uploads: list[tuple[str, str, str, bytes]],
                        query: dict[str, str], interaction_id: str, token: str,
                        **_: Any) -> web.StreamResponse | dict[str, Any] | None:
        interaction = self.interactions.get(int(interaction_id))
        if interaction is None or interaction.token != token:
            raise unknown("interaction", 10062)
        elapsed = time.monotonic() - interaction.dispatched_at
        payload = _payload(body)
        kind = payload.get("type")
        data = payload.get("data") or {}
        callback = Callback(kind if isinstance(kind, int) else -1, data, [], elapsed, 0)
        interaction.callbacks.append(callback)
        try:
            result = await self._acknowledge(interaction, callback, uploads, query)
        except DiscordError as exc:
            callback.status = exc.status
            raise
        callback.status = 200 if result is not None else 204
        interaction._acked.set()
        return result

    async def _acknowledge(self, interaction: FakeInteraction, callback: Callback,
                           uploads: list[tuple[str, str, str, bytes]],
                           query: dict[str, str]) -> dict[str, Any] | None:
        if callback.elapsed_s > self.ack_deadline_s or interaction.expired:
            raise unknown("interaction", 10062)
        if interaction.acknowledged is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        allowed = {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL}
        if interaction.type == MESSAGE_COMPONENT:
            allowed |= {DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE}
        if callback.type not in allowed:
            raise invalid_form("type", "INTERACTION_RESPONSE_TYPE_INVALID",
                               "Invalid interaction response type")
        data = callback.data
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        channel = interaction.channel
        message: dict[str, Any] | None = None
        files = self._files_from(channel.id, uploads)
        callback.files = files
        message_type = 20 if interaction.type == APPLICATION_COMMAND else 0
        if callback.type == CHANNEL_MESSAGE:
            sent = await self._bot_writes(channel, data, files, via="interaction",
                                          interaction=interaction, message_type=message_type)
            message = sent.message
            interaction.original_message_id = sent.id
        elif callback.type == DEFERRED_CHANNEL_MESSAGE:
            loading = {"flags": LOADING | (EPHEMERAL if ephemeral else 0), "content": ""}
            placeholder = self._base_message(channel, self.bot)
            placeholder.update(loading, type=message_type,
                               webhook_id=str(self.application_id),
                               application_id=str(self.application_id),
                               interaction_metadata=_interaction_metadata(interaction))
            self.messages[int(placeholder["id"])] = placeholder
            self._record("create", "interaction", channel, placeholder, data, [], interaction)
            if not ephemeral:
                await self._dispatch("MESSAGE_CREATE", placeholder,
                                     intent=_message_intent(channel))
            message = placeholder
            interaction.original_message_id = int(placeholder["id"])
        elif callback.type == UPDATE_MESSAGE:
            assert interaction.source_message_id is not None
            source = self.messages[interaction.source_message_id]
            sent = await self._bot_edits(source, data, files, via="interaction",
                                         interaction=interaction)
            message = sent.message
            interaction.original_message_id = interaction.source_message_id
        elif callback.type == DEFERRED_UPDATE_MESSAGE:
            interaction.original_message_id = interaction.source_message_id
        if query.get("with_response") not in ("1", "true", "True"):
            return None
        answer: dict[str, Any] = {"interaction": {
            "id": str(interaction.id), "type": interaction.type,
            "response_message_loading": callback.type == DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": ephemeral}}
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": callback.type, "message": message}
        return answer

    def _webhook_interaction(self, app_id: str, token: str) -> FakeInteraction:
        if int(app_id) != self.application_id:
            raise unknown("Webhook", 10015)
        return self._interaction_by_token(token)

    def _webhook_message(self, interaction: FakeInteraction, message_id: str) -> dict[str, Any]:
        if message_id == "@original":
            if interaction.original_message_id is None:
                raise unknown("Message", 10008)
            target = interaction.original_message_id
        else:
            target = int(message_id)
        message = self.messages.get(target)
        if message is None or int(message["author"]["id"]) != self.bot.id:
            raise unknown("Message", 10008)
        return message

    async def _followup(self, body: Any, uploads: list[tuple[str, str, str, bytes]],
                        query: dict[str, str], app_id: str, token: str,
                        **_: Any) -> dict[str, Any] | None:
        interaction = self._webhook_interaction(app_id, token)
        payload = _payload(body)
        channel = interaction.channel
        files = self._files_from(channel.id, uploads)
        original = (self.messages.get(interaction.original_message_id)
                    if interaction.original_message_id else None)
        if original is not None and int(original.get("flags") or 0) & LOADING:
            # The first follow-up after a deferred "thinking" answer replaces it.
            if not (payload.get("content") or payload.get("embeds") or files
                    or payload.get("components") or payload.get("poll")):
                raise DiscordError(400, 50006, "Cannot send an empty message")
            original["flags"] = int(original["flags"]) & ~LOADING
            sent = await self._bot_edits(original, payload, files, via="webhook",
                                         interaction=interaction)
        else:
            sent = await self._bot_writes(channel, payload, files, via="webhook",
                                          interaction=interaction)
        if query.get("wait") in ("1", "true", "True"):
            return sent.message
        return None

    async def _webhook_get(self, app_id: str, token: str, message_id: str,
                           **_: Any) -> dict[str, Any]:
        interaction = self._webhook_interaction(app_id, token)
        return self._webhook_message(interaction, message_id)

    async def _webhook_patch(self, body: Any, uploads: list[tuple[str, str, str, bytes]],
                             app_id: str, token: str, message_id: str,
                             **_: Any) -> dict[str, Any]:
        interaction = self._webhook_interaction(app_id, token)
        message = self._webhook_message(interaction, message_id)
        files = self._files_from(interaction.channel.id, uploads)
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        sent = await self._bot_edits(message, _payload(body), files, via="webhook",
                                     interaction=interaction)
        return sent.message

    async def _webhook_delete(self, app_id: str, token: str, message_id: str,
                              **_: Any) -> None:
        interaction = self._webhook_interaction(app_id, token)
        message = self._webhook_message(interaction, message_id)
        await self._bot_deletes(message, via="webhook")

    # --- internals: the CDN ---------------------------------------------------------------

    async def _handle_cdn(self, request: web.Request) -> web.StreamResponse:
        try:
            channel_id = int(request.match_info["channel"])
            attachment_id = int(request.match_info["attachment"])
            expires = int(request.query.get("ex", ""), 16)
        except ValueError:
            return web.Response(status=404, text=GONE_FROM_CDN)
        stored = self.files.get(attachment_id)
        signature = request.query.get("hm", "")
        good = hmac.compare_digest(signature,
                                   self._cdn_signature(channel_id, attachment_id, expires))
        if (stored is None or stored.channel_id != channel_id or not good
                or expires < time.time() or request.match_info["filename"] != stored.filename):
            self.cdn_fetches.append((attachment_id, 404))
            self._notify()
            return web.Response(status=404, text=GONE_FROM_CDN)
        self.cdn_fetches.append((attachment_id, 200))
        self._notify()
        return web.Response(body=stored.data,
                            content_type=(stored.content_type or "application/octet-stream"
                                          ).split(";")[0])


# --- helpers ----------------------------------------------------------------------------------


def _json(body: Any, *, status: int = 200,
          headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer as Discord sends it: Content-Type exactly application/json.

    discord.py parses a body as JSON only when the header is exactly that (no charset).
    """
    return web.Response(body=json.dumps(body).encode(), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def _zstd_stream() -> Callable[[bytes], bytes] | None:
    """One zstd stream per socket, flushed per message (discord.py asks for it when it can
    import zstandard, or compression.zstd on Python 3.14+)."""
    try:
        import zstandard
    except ImportError:
        try:
            from compression import zstd  # type: ignore[import-not-found]
        except ImportError:
            return None
        compressor = zstd.ZstdCompressor()
        return lambda data: bytes(compressor.compress(data, compressor.FLUSH_BLOCK))
    stream = zstandard.ZstdCompressor().compressobj()
    return lambda data: stream.compress(data) + stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)


def _iso(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="microseconds")


def _opt_str(value: int | None) -> str | None:
    return None if value is None else str(value)


def _bot_token(application_id: int) -> str:
    head = base64.b64encode(str(application_id).encode()).decode().rstrip("=")
    return f"{head}.GfAkE0.{secrets.token_urlsafe(28)}"


def _application_flags(privileged: int) -> int:
    flags = 0
    if privileged & GUILD_PRESENCES:
        flags |= 1 << 12
    if privileged & GUILD_MEMBERS:
        flags |= 1 << 14
    if privileged & MESSAGE_CONTENT:
        flags |= 1 << 18
    return flags


def _partial_member(joined_at: str) -> dict[str, Any]:
    return {"roles": [], "joined_at": joined_at, "premium_since": None, "deaf": False,
            "mute": False, "flags": 0, "pending": False, "nick": None, "avatar": None,
            "banner": None, "communication_disabled_until": None}


def _member(person: Person, joined_at: str) -> dict[str, Any]:
    return {**_partial_member(joined_at), "user": person.as_user()}


def _reference(message: dict[str, Any]) -> dict[str, Any]:
    reference = {"type": 0, "message_id": message["id"], "channel_id": message["channel_id"]}
    if "guild_id" in message:
        reference["guild_id"] = message["guild_id"]
    return reference


def _interaction_metadata(interaction: FakeInteraction) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "id": str(interaction.id), "type": interaction.type,
        "user": interaction.person.as_user(),
        "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
    }
    if interaction.type == APPLICATION_COMMAND:
        metadata["name"] = interaction.payload["data"]["name"]
        metadata["command_type"] = 1
    return metadata


def _message_intent(channel: Channel) -> int:
    return DIRECT_MESSAGES if channel.is_dm else GUILD_MESSAGES


def _content_type(filename: str) -> str | None:
    """What Discord reports for an upload: from the file name (clients send octet-stream)."""
    guessed, _ = mimetypes.guess_type(filename)
    if filename.lower().endswith(".ogg"):
        guessed = "audio/ogg"
    elif filename.lower().endswith(".webp"):
        guessed = "image/webp"
    if guessed is None:
        return None
    if guessed.startswith("text/"):
        return f"{guessed}; charset=utf-8"
    return guessed


def _image_size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def _file_index(name: str) -> int:
    found = re.fullmatch(r"files\[(\d+)\]", name)
    return int(found.group(1)) if found else -1


def _field(body: Any, key: str) -> Any:
    return body.get(key) if isinstance(body, dict) else None


def _payload(body: Any) -> dict[str, Any]:
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise invalid_form("_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used.")
    return body


def _rate_limited(retry_after: float) -> web.Response:
    body = {"message": "You are being rate limited.", "retry_after": retry_after,
            "global": False}
    headers = {"Retry-After": str(max(1, round(retry_after))), "Via": "1.1 google",
               "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset-After": str(retry_after), "X-RateLimit-Bucket": "fake",
               "X-RateLimit-Scope": "user"}
    return _json(body, status=429, headers=headers)


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, str, str, bytes]]]:
    """The JSON body (or payload_json) and the uploaded files (name, filename, type, data)."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        payload: Any = None
        uploads: list[tuple[str, str, str, bytes]] = []
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader)
            data = await part.read()
            if part.name == "payload_json":
                payload = json.loads(data)
            elif part.filename is not None:
                uploads.append((part.name or "", part.filename,
                                part.headers.get("Content-Type", ""), bytes(data)))
            else:
                raise invalid_form(part.name or "_root", "UNKNOWN_FIELD", "Unknown form field")
        return payload, uploads
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from None


def _walk_components(components: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        if accessory := component.get("accessory"):
            yield accessory


def _checked_components(rows: list[dict[str, Any]], flags: int) -> list[dict[str, Any]]:
    """Validate components v1 (action rows of buttons/selects); number them as Discord does."""
    if flags & IS_COMPONENTS_V2:
        return rows  # layout components are not simulated beyond being stored
    if len(rows) > MAX_ACTION_ROWS:
        raise invalid_form("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    numbered: list[dict[str, Any]] = []
    next_id = itertools.count(1)
    for r, row in enumerate(rows):
        where = f"components.{r}"
        if row.get("type") != 1:
            raise invalid_form(where, "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                               "Top-level components must be action rows")
        items = row.get("components") or []
        if not items or len(items) > MAX_ROW_ITEMS:
            raise invalid_form(f"{where}.components", "BASE_TYPE_BAD_LENGTH",
                               "Must be between 1 and 5 in length.")
        if any(i.get("type") != 2 for i in items) and len(items) > 1:
            raise invalid_form(f"{where}.components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                               "The specified component exceeds the maximum width")
        out_items = []
        for c, item in enumerate(items):
            here = f"{where}.components.{c}"
            custom_id = item.get("custom_id")
            if item.get("type") == 2 and item.get("style") == 5:
                if not item.get("url") or custom_id:
                    raise invalid_form(here, "BUTTON_COMPONENT_INVALID_URL",
                                       "A link button needs a url and no custom_id")
            elif item.get("type") == 2 and item.get("style") == 6:
                pass  # premium button: sku_id
            else:
                if not custom_id:
                    raise invalid_form(f"{here}.custom_id", "BASE_TYPE_REQUIRED",
                                       "This field is required")
                if len(custom_id) > MAX_CUSTOM_ID:
                    raise invalid_form(f"{here}.custom_id", "BASE_TYPE_MAX_LENGTH",
                                       f"Must be {MAX_CUSTOM_ID} or fewer in length.")
                if custom_id in seen:
                    raise invalid_form(f"{here}.custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED",
                                       "Component custom id cannot be duplicated")
                seen.add(custom_id)
            if len(item.get("label") or "") > MAX_BUTTON_LABEL:
                raise invalid_form(f"{here}.label", "BASE_TYPE_MAX_LENGTH",
                                   f"Must be {MAX_BUTTON_LABEL} or fewer in length.")
            out_items.append({**item, "id": item.get("id") or 0})
        numbered.append({**row, "components": out_items})
    for component in _walk_components(numbered):
        if not component.get("id"):
            component["id"] = next(next_id)
    return numbered


def _checked_embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(embeds) > MAX_EMBEDS:
        raise invalid_form("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    limits = {"title": 256, "description": 4096}
    total = 0
    result = []
    for e, embed in enumerate(embeds):
        for key, limit in limits.items():
            text = embed.get(key) or ""
            if len(text) > limit:
                raise invalid_form(f"embeds.{e}.{key}", "BASE_TYPE_MAX_LENGTH",
                                   f"Must be {limit} or fewer in length.")
            total += len(text)
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise invalid_form(f"embeds.{e}.fields", "BASE_TYPE_MAX_LENGTH",
                               "Must be 25 or fewer in length.")
        for f, item in enumerate(fields):
            if len(item.get("name") or "") > 256 or len(item.get("value") or "") > 1024:
                raise invalid_form(f"embeds.{e}.fields.{f}", "BASE_TYPE_MAX_LENGTH",
                                   "Field name ≤256 and value ≤1024 characters.")
            total += len(item.get("name") or "") + len(item.get("value") or "")
        total += len((embed.get("footer") or {}).get("text") or "")
        total += len((embed.get("author") or {}).get("name") or "")
        result.append({"type": "rich", **embed})
    if total > MAX_EMBED_TOTAL:
        raise invalid_form("embeds", "MAX_EMBED_SIZE_EXCEEDED",
                           "Embed size exceeds maximum size of 6000")
    return result


def _check_voice(message: dict[str, Any]) -> None:
    """A voice message: one audio attachment with waveform and duration, nothing else."""
    if message["content"] or message["embeds"]:
        raise DiscordError(400, 50159, "Voice messages do not support additional content.")
    attachments = message["attachments"]
    if len(attachments) != 1 or not str(attachments[0].get("content_type", "")
                                        ).startswith("audio/"):
        raise DiscordError(400, 50160, "Voice messages must have a single audio attachment.")
    if "waveform" not in attachments[0] or "duration_secs" not in attachments[0]:
        raise DiscordError(400, 50161, "Voice messages must have supporting metadata.")
    try:
        waveform = base64.b64decode(attachments[0]["waveform"], validate=True)
    except ValueError:
        raise invalid_form("attachments.0.waveform", "BASE64_INVALID",
                           "Invalid base64") from None
    if len(waveform) > 256:
        raise invalid_form("attachments.0.waveform", "BASE_TYPE_MAX_LENGTH",
                           "At most 256 samples.")


def _check_command(command: dict[str, Any], where: str) -> None:
    """Names, descriptions and their localizations as Discord validates them."""
    name = command.get("name")
    kind = command.get("type", 1)
    if not isinstance(name, str) or not COMMAND_NAME.fullmatch(name) or (
            kind == 1 and name != name.lower()):
        raise invalid_form(f"{where}.name", "APPLICATION_COMMAND_INVALID_NAME",
                           "Command name is invalid")
    description = command.get("description", "")
    if kind == 1 and not 1 <= len(description) <= 100:
        raise invalid_form(f"{where}.description", "BASE_TYPE_BAD_LENGTH",
                           "Must be between 1 and 100 in length.")
    for key, limit in (("name_localizations", 32), ("description_localizations", 100)):
        for locale, text in (command.get(key) or {}).items():
            if locale not in LOCALES:
                raise invalid_form(f"{where}.{key}.{locale}", "LOCALE_INVALID",
                                   f"Invalid locale {locale}")
            if not isinstance(text, str) or not 1 <= len(text) <= limit:
                raise invalid_form(f"{where}.{key}.{locale}", "BASE_TYPE_BAD_LENGTH",
                                   f"Must be between 1 and {limit} in length.")
            if key == "name_localizations" and not COMMAND_NAME.fullmatch(text):
                raise invalid_form(f"{where}.{key}.{locale}", "APPLICATION_COMMAND_INVALID_NAME",
                                   "Command name is invalid")
    options = command.get("options") or []
    if len(options) > 25:
        raise invalid_form(f"{where}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
    seen_optional = False
    for o, option in enumerate(options):
        if option.get("type") in (1, 2):
            _check_command({**option, "type": 1}, f"{where}.options.{o}")
            continue
        _check_command({**option, "type": 1}, f"{where}.options.{o}")
        if option.get("required"):
            if seen_optional:
                raise invalid_form(f"{where}.options.{o}", "APPLICATION_COMMAND_OPTIONS_"
                                   "REQUIRED_INVALID", "Required options must precede optional")
        else:
            seen_optional = True
