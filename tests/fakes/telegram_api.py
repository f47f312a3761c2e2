"""A fake Telegram Bot API server on loopback that speaks the real wire protocol.

Tests simulate people (`send_text`, `send_photo`, `press_button`, ...), read what the bot sent
(`sent`, `wait_for`) and inject faults (`fail_next`). The fake enforces the Bot API limits that
catch real bugs: message and caption length, HTML markup, button data, file sizes, editing
rules and unknown chats. Updates are served through getUpdates, or, once `route_webhooks` names
the replicas behind the webhook URL, POSTed to them as Telegram and a load balancer would.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import hashlib
import html
import inspect
import io
import itertools
import json
import logging
import mimetypes
import re
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import BodyPartReader, hdrs, web
from PIL import Image, UnidentifiedImageError

from tests.fakes.server import LoopbackServer

DEFAULT_TOKEN = "123456:TEST-token_abc"
DEFAULT_BOT_USERNAME = "replot_test_bot"
DEFAULT_GROUP_USER_ID = 424242

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024
PHOTO_BOXES = (90, 320, 800, 1280, 2560)

QUIET_METHODS = frozenset({"sendChatAction", "answerCallbackQuery"})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MEDIA_KEYS = ("photo", "document", "voice", "audio", "video", "animation")

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"

log = logging.getLogger(__name__)

Params = dict[str, Any]
ChatId = int | str
FileInfo = tuple[bytes, str | None, str | None]  # data, file name, mime type


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status = error_code."""

    def __init__(self, code: int, description: str,
                 parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.code,
                                "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.code)


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass
class Upload:
    """A file part of a multipart request."""

    name: str
    file_name: str | None
    mime_type: str | None
    data: bytes

    def summary(self) -> str:
        return f"<upload {self.file_name} {len(self.data)} bytes>"


@dataclass
class StoredFile:
    """A file the fake holds: served by getFile and /file/bot<token>/<file_path>."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_size: int
    file_name: str | None = None
    mime_type: str | None = None

    def as_file(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": self.file_size, "file_path": self.file_path}


@dataclass
class Sent:
    """One thing the bot did in a chat (a send, edit, delete, chat action or callback answer)."""

    method: str
    chat_id: ChatId | None
    message_id: int | None = None
    text: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    file: bytes | None = field(default=None, repr=False)
    file_name: str | None = None
    mime_type: str | None = None
    params: Params = field(default_factory=dict, repr=False)
    message: dict[str, Any] | None = field(default=None, repr=False)
    seq: int = field(default=0, repr=False)

    @property
    def plain_text(self) -> str | None:
        """The text or caption as Telegram shows it (markup parsed), if any."""
        if self.message is None:
            return self.text or self.caption
        return self.message.get("text", self.message.get("caption"))

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(label, callback_data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b.get("text", ""), b.get("callback_data")) for row in rows for b in row]

    def button_data(self, label: str) -> str:
        """The callback_data of the first button whose label contains `label`."""
        for text, data in self.buttons:
            if label in text and data is not None:
                return data
        raise AssertionError(f"no button labelled {label!r}; buttons: {self.buttons}")


@dataclass
class ApiCall:
    """One request to the Bot API; uploads are summarised, not copied."""

    method: str
    params: Params = field(default_factory=dict)
    status: int = 200


@dataclass
class _Fault:
    code: int
    description: str
    retry_after: int | None
    times: int


# --- markup and limits -------------------------------------------------------------------

_ENTITY_TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic",
                 "u": "underline", "ins": "underline", "s": "strikethrough",
                 "strike": "strikethrough", "del": "strikethrough", "span": "spoiler",
                 "tg-spoiler": "spoiler", "a": "text_link", "tg-emoji": "custom_emoji",
                 "code": "code", "pre": "pre", "blockquote": "blockquote"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_ATTR = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"']+))")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);")

Entities = list[dict[str, Any]]


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    start: int  # UTF-16 offset in the plain text


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_html(text: str) -> tuple[str, Entities]:
    """Plain text and entities of Telegram-HTML `text`; ApiError like Telegram's if malformed.

    Stricter than Telegram in one way: a bare `&` that is not an entity is rejected.
    """
    plain: list[str] = []
    entities: Entities = []
    stack: list[_OpenTag] = []
    length, i = 0, 0
    while i < len(text):
        if text[i] == "<":
            i = _html_tag(text, i, stack, length, entities)
            continue
        piece = text[i]
        if piece == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                offset = _byte_offset(text, i)
                raise _entity_error(f"Unsupported HTML entity at byte offset {offset}")
            piece = html.unescape(match.group())
            i = match.end() - 1
        plain.append(piece)
        length += utf16_len(piece)
        i += 1
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _html_tag(text: str, i: int, stack: list[_OpenTag], length: int,
              entities: Entities) -> int:
    """Apply the tag at text[i] to the open-tag stack; return the index after it."""
    match = _TAG.match(text, i)
    offset = _byte_offset(text, i)
    if match is None:
        raise _entity_error(f"Unclosed start tag at byte offset {offset}")
    closing, name = match.group(1), match.group(2).lower()
    attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
             for m in _ATTR.finditer(match.group(3) or "")}
    if not closing:
        if name not in _ENTITY_TYPES or (name == "span" and attrs.get("class") != "tg-spoiler"):
            raise _entity_error(f'Unsupported start tag "{name}" at byte offset {offset}')
        stack.append(_OpenTag(name, attrs, length))
    elif not stack:
        raise _entity_error(f"Unexpected end tag at byte offset {offset}")
    elif stack[-1].name != name:
        raise _entity_error(f'Unmatched end tag at byte offset {offset}, expected '
                            f'"</{stack[-1].name}>", found "</{name}>"')
    else:
        entity = _html_entity(stack.pop(), length, stack[-1] if stack else None)
        if entity is not None:
            entities.append(entity)
    return match.end()


def _html_entity(tag: _OpenTag, end: int, parent: _OpenTag | None) -> dict[str, Any] | None:
    """The MessageEntity a closed tag makes (None for empty ones and <pre><code>)."""
    language = tag.attrs.get("class", "").removeprefix("language-")
    if tag.name == "code" and parent is not None and parent.name == "pre":
        parent.attrs.setdefault("language", language)
        return None
    if end == tag.start or (tag.name == "a" and not tag.attrs.get("href")):
        return None
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag.name], "offset": tag.start,
                              "length": end - tag.start}
    if tag.name == "a":
        entity["url"] = tag.attrs["href"]
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    elif tag.name == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    return entity


def _entity_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def render(text: str, parse_mode: str | None) -> tuple[str, Entities]:
    """What Telegram shows for `text` sent with `parse_mode`, stripped, with its entities."""
    entities: Entities = []
    if not parse_mode:
        plain = text
    elif parse_mode.lower() == "html":
        plain, entities = parse_html(text)
    elif parse_mode.lower() in ("markdown", "markdownv2"):
        plain = text
    else:
        raise bad_request("unsupported parse_mode")
    shift = utf16_len(plain) - utf16_len(plain.lstrip())
    plain = plain.strip()
    size = utf16_len(plain)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, size)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return plain, kept


def check_text(text: Any, parse_mode: str | None) -> dict[str, Any]:
    """Validate a message text; return the message fields (text, entities)."""
    if text is None:
        raise bad_request("message text is empty")
    plain, entities = render(str(text), parse_mode)
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return {"text": plain, "entities": entities or None}


def check_caption(caption: Any, parse_mode: str | None) -> dict[str, Any]:
    """Validate a caption; return the message fields (caption, caption_entities), None if empty."""
    plain, entities = render(str(caption or ""), parse_mode)
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return {"caption": plain or None, "caption_entities": entities or None}


def check_markup(markup: Any) -> dict[str, Any] | None:
    """Validate reply_markup; inline keyboards get Telegram's button checks."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request("can't parse inline keyboard button: field \"inline_keyboard\" "
                          "must be an Array of Arrays")
    for button in (b for row in rows for b in row):
        _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("BUTTON_TEXT_INVALID")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"(https?|tg)://", str(url)):
        raise bad_request("BUTTON_URL_INVALID")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """A bot_command entity for text starting with /cmd or /cmd@botname."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


# --- request parsing -----------------------------------------------------------------------

_JSON_FIELDS = frozenset({"reply_markup", "reply_parameters", "allowed_updates", "entities",
                          "caption_entities", "media", "commands", "scope",
                          "link_preview_options"})
_INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "duration",
                         "cache_time", "reply_to_message_id", "message_thread_id", "user_id",
                         "max_connections", "width", "height", "from_chat_id"})
_BOOL_FIELDS = frozenset({"show_alert", "drop_pending_updates", "disable_notification",
                          "protect_content", "allow_sending_without_reply",
                          "disable_web_page_preview", "has_spoiler",
                          "disable_content_type_detection"})


def decode_param(name: str, value: Any) -> Any:
    """Turn a form string into the typed value the Bot API reads for `name`."""
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_FIELDS:
        with contextlib.suppress(ValueError):
            return int(value)
        return value
    if name in _BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    return value


async def read_params(request: web.Request) -> Params:
    """Query, JSON, urlencoded or multipart parameters; file parts become `Upload`s."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        raw.update(body)
    elif request.content_type == "multipart/form-data":
        raw.update(await _read_multipart(request))
    elif request.can_read_body:
        raw.update(await request.post())
    return {name: decode_param(name, value) for name, value in raw.items()}


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            fields[part.name] = await part.text()
        else:
            data = bytes(await part.read())
            fields[part.name] = Upload(part.name, part.filename,
                                       part.headers.get(hdrs.CONTENT_TYPE), data)
    return fields


def summarise(params: Params) -> Params:
    """Params with uploads replaced by a short description (no second copy of bytes)."""
    return {k: v.summary() if isinstance(v, Upload) else v for k, v in params.items()}


# --- images --------------------------------------------------------------------------------

def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of an image, or None if Pillow cannot read it."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def photo_variants(data: bytes) -> list[tuple[int, int, bytes]]:
    """Telegram-like sizes: JPEG thumbnails in 90…2560 px boxes, then the original.

    The largest entry keeps the original bytes when the image fits in 2560 px.
    """
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        variants = [_thumbnail(image, box) for box in PHOTO_BOXES if max(width, height) > box]
    if max(width, height) <= PHOTO_BOXES[-1]:
        variants.append((width, height, data))
    return variants


def _thumbnail(image: Image.Image, box: int) -> tuple[int, int, bytes]:
    small = image.convert("RGB")
    small.thumbnail((box, box))
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return small.width, small.height, out.getvalue()


def check_photo(data: bytes) -> None:
    """Reject what Telegram refuses as a photo."""
    if not data:
        raise bad_request("file must be non-empty")
    if len(data) > MAX_PHOTO_UPLOAD:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    size = image_size(data)
    if size is None:
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = size
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")


def check_upload(data: bytes) -> None:
    if not data:
        raise bad_request("file must be non-empty")
    if len(data) > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")


# --- the server ----------------------------------------------------------------------------

class FakeTelegram(LoopbackServer):
    """The Bot API on loopback; PTB takes `base_url` and `base_file_url` (it adds the token)."""

    def __init__(self, token: str = DEFAULT_TOKEN,
                 bot_username: str = DEFAULT_BOT_USERNAME) -> None:
        super().__init__()
        self.token = token
        self.bot_username = bot_username
        self.bot_user: dict[str, Any] = {"id": int(token.split(":", 1)[0]), "is_bot": True,
                                         "first_name": "Replot", "username": bot_username}
        self.sent: list[Sent] = []
        self.requests: list[ApiCall] = []
        self.files: dict[str, StoredFile] = {}
        self.chats: dict[ChatId, dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url = ""
        self.app_languages: dict[int, str] = {}  # user id → language_code of their app
        self.webhook_secret = ""
        self.deliveries: list[tuple[int, str, int]] = []  # (update_id, target, HTTP status)
        self._webhook_targets: list[str] = []
        self._target_turn = itertools.count()
        self._chat_outboxes: dict[ChatId, asyncio.Queue[dict[str, Any]]] = {}
        self._delivery_tasks: list[asyncio.Task[None]] = []
        self._client: aiohttp.ClientSession | None = None
        self._updates: list[dict[str, Any]] = []
        self._messages: dict[tuple[ChatId, int], dict[str, Any]] = {}
        self._callbacks: dict[str, dict[str, Any]] = {}
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._seen: set[int] = set()
        self._allowed: frozenset[str] | None = None
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(100_001)
        self._message_ids: dict[ChatId, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._update_signal = asyncio.Event()
        self._sent_signal = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        self._handlers = self._method_table()

    # lifecycle

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        return app

    async def stop(self) -> None:
        self._closing = True
        self._notify_updates()
        for task in self._delivery_tasks:
            task.cancel()
        await asyncio.gather(*self._delivery_tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        await super().stop()

    @property
    def base_url(self) -> str:
        """What PTB's Bot takes as base_url (it appends the token)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.root_url}/file/bot"

    # simulating people

    def add_chat(self, chat_id: ChatId, chat_type: str = "private", *,
                 user_id: int | None = None) -> dict[str, Any]:
        """Make a chat known (the bot may only write to chats that wrote to it first)."""
        key = _chat_key(chat_id)
        if key not in self.chats:
            if chat_type == "private":
                user = self._user(user_id if user_id is not None else int(key))
                self.chats[key] = {"id": key, "type": "private",
                                   "first_name": user["first_name"],
                                   "username": user["username"]}
            else:
                self.chats[key] = {"id": key, "type": chat_type, "title": f"Test {chat_type}"}
        return self.chats[key]

    def send_text(self, chat_id: ChatId, text: str, *, user_id: int | None = None,
                  chat_type: str = "private", reply_to: int | None = None) -> dict[str, Any]:
        """A person sends `text`; commands (/cmd, /cmd@bot) get a bot_command entity."""
        content: dict[str, Any] = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        return self._user_message(chat_id, user_id, chat_type, reply_to, content)

    def send_photo(self, chat_id: ChatId, image_bytes: bytes, *, caption: str | None = None,
                   sizes: Sequence[tuple[int, int]] | None = None, width: int | None = None,
                   height: int | None = None, file_size: int | None = None,
                   user_id: int | None = None, chat_type: str = "private",
                   reply_to: int | None = None, media_group_id: str | None = None,
                   forwarded_from: str | None = None) -> dict[str, Any]:
        """A person sends a photo (or forwards one from the channel titled `forwarded_from`).

        Sizes are computed from the real image (thumbnails + original) unless `sizes` is given
        (then every size holds the same bytes). width/height/file_size override what the
        largest size declares, to test limits without large data.
        """
        if sizes is not None:
            variants = [(w, h, image_bytes) for w, h in sizes]
        elif image_size(image_bytes) is not None:
            variants = photo_variants(image_bytes)
        else:
            variants = [(1280, 960, image_bytes)]
        photo = self._photo_sizes(variants, width=width, height=height, file_size=file_size)
        content: dict[str, Any] = {"photo": photo}
        if caption:
            content["caption"] = caption
        if media_group_id:
            content["media_group_id"] = media_group_id
        if forwarded_from:
            content["forward_origin"] = {
                "type": "channel", "message_id": 7, "date": int(time.time()),
                "chat": {"id": -1009999, "type": "channel", "title": forwarded_from}}
        return self._user_message(chat_id, user_id, chat_type, reply_to, content)

    def send_document(self, chat_id: ChatId, data: bytes, file_name: str,
                      mime_type: str | None = None, *, caption: str | None = None,
                      file_size: int | None = None, user_id: int | None = None,
                      chat_type: str = "private",
                      reply_to: int | None = None) -> dict[str, Any]:
        """A person sends a file as a document."""
        mime = mime_type or _guess_mime(file_name)
        stored = self._store_file(data, "documents", file_name, mime, file_size=file_size)
        content: dict[str, Any] = {"document": _document(stored)}
        if caption:
            content["caption"] = caption
        return self._user_message(chat_id, user_id, chat_type, reply_to, content)

    def send_voice(self, chat_id: ChatId, ogg_bytes: bytes, duration: int = 1, *,
                   file_size: int | None = None, user_id: int | None = None,
                   chat_type: str = "private") -> dict[str, Any]:
        """A person sends a voice note (OGG/Opus)."""
        stored = self._store_file(ogg_bytes, "voice", "voice.oga", "audio/ogg",
                                  file_size=file_size)
        voice = {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}
        return self._user_message(chat_id, user_id, chat_type, None, {"voice": voice})

    def press_button(self, chat_id: ChatId, message_id: int, data: str, *,
                     user_id: int | None = None, forged: bool = False) -> dict[str, Any]:
        """A person presses the inline button carrying `data` on a message the bot sent.

        `forged=True` sends `data` even if no button carries it, as a tampering client can.
        """
        key = _chat_key(chat_id)
        message = self._messages.get((key, message_id))
        if message is None or message["from"]["id"] != self.bot_user["id"]:
            raise AssertionError(f"no bot message {message_id} in chat {chat_id}")
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        offered = [b.get("callback_data") for row in rows for b in row]
        if data not in offered and not forged:
            raise AssertionError(f"message {message_id} has no button {data!r}; has {offered}")
        query_id = str(next(self._ids))
        query = {"id": query_id, "from": self._user(self._default_user(key, user_id)),
                 "message": copy.deepcopy(message), "chat_instance": f"ci{key}", "data": data}
        self._callbacks[query_id] = {"chat_id": key, "answered": False}
        self._enqueue({"callback_query": query})
        return query

    def edit_text(self, chat_id: ChatId, message_id: int, text: str) -> dict[str, Any]:
        """The person edits a text message they sent earlier; the bot gets edited_message."""
        message = copy.deepcopy(self._messages[(_chat_key(chat_id), message_id)])
        message.update(text=text, edit_date=int(time.time()))
        message.pop("entities", None)
        self._messages[(_chat_key(chat_id), message_id)] = message
        self._enqueue({"edited_message": message})
        return copy.deepcopy(message)

    def send_update(self, raw: dict[str, Any]) -> int:
        """Queue any update (edited_message, channel_post, sticker...); returns its update_id."""
        update = copy.deepcopy(raw)
        for value in update.values():
            if isinstance(value, dict) and isinstance(value.get("chat"), dict):
                chat = value["chat"]
                self.chats.setdefault(_chat_key(chat["id"]), chat)
        return self._enqueue(update)

    # reading the bot's output

    def sent_to(self, chat_id: ChatId, method: str | Collection[str] | None = None) -> list[Sent]:
        """Everything the bot did in the chat so far (optionally of some methods)."""
        key = _chat_key(chat_id)
        wanted = _method_filter(method, quiet=True)
        return [s for s in self.sent if s.chat_id == key and wanted(s.method)]

    async def wait_for(self, chat_id: ChatId, count: int = 1, *,
                       method: str | Collection[str] | None = None,
                       timeout: float = 10.0) -> list[Sent]:
        """The next `count` records for the chat that no earlier wait returned.

        Without `method`, chat actions and callback answers are skipped (ask for them by name).
        """
        key = _chat_key(chat_id)
        wanted = _method_filter(method, quiet=False)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            signal = self._sent_signal
            fresh = [s for s in self.sent
                     if s.seq not in self._seen and s.chat_id == key and wanted(s.method)]
            if len(fresh) >= count:
                taken = fresh[:count]
                self._seen.update(s.seq for s in taken)
                return taken
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"waited {timeout}s for {count} record(s) in chat {chat_id}, got "
                    f"{[(s.method, s.plain_text) for s in fresh]}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), remaining)

    async def expect_no_reply(self, chat_id: ChatId, *, within: float = 0.3) -> None:
        """Fail if the bot sends (or edits) anything in the chat within `within` seconds."""
        try:
            extra = await self.wait_for(chat_id, 1, timeout=within)
        except AssertionError:
            return
        raise AssertionError(f"unexpected {extra[0].method}: {extra[0].plain_text!r}")

    def message(self, chat_id: ChatId, message_id: int) -> dict[str, Any] | None:
        """The current state of a message (after edits), or None if deleted or unknown."""
        found = self._messages.get((_chat_key(chat_id), message_id))
        return copy.deepcopy(found) if found is not None else None

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates the bot has not confirmed yet."""
        return copy.deepcopy(self._updates)

    # fault injection

    def fail_next(self, method: str, *, error_code: int = 429, description: str | None = None,
                  retry_after: int | None = 1, times: int = 1) -> None:
        """The next `times` calls of `method` fail (429 carries parameters.retry_after)."""
        if description is None:
            description = _default_description(error_code, retry_after)
        after = retry_after if error_code == 429 else None
        self._faults[method.lower()].append(_Fault(error_code, description, after, times))

    # internals: state

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"Tester{user_id}",
                "username": f"user{user_id}",
                "language_code": self.app_languages.get(user_id, "en")}

    def _default_user(self, chat_key: ChatId, user_id: int | None) -> int:
        if user_id is not None:
            return user_id
        chat = self.chats.get(chat_key, {})
        if chat.get("type", "private") == "private" and isinstance(chat_key, int):
            return chat_key
        return DEFAULT_GROUP_USER_ID

    def _user_message(self, chat_id: ChatId, user_id: int | None, chat_type: str,
                      reply_to: int | None, content: dict[str, Any]) -> dict[str, Any]:
        chat = self.add_chat(chat_id, chat_type, user_id=user_id)
        sender = self._user(self._default_user(chat["id"], user_id))
        message: dict[str, Any] = {"message_id": next(self._message_ids[chat["id"]]),
                                   "from": sender, "chat": chat, "date": int(time.time()),
                                   **content}
        if reply_to is not None:
            replied = self._messages.get((chat["id"], reply_to))
            if replied is None:
                raise AssertionError(f"no message {reply_to} in chat {chat_id} to reply to")
            message["reply_to_message"] = _without_reply(replied)
        self._messages[(chat["id"], message["message_id"])] = message
        self._enqueue({"channel_post" if chat_type == "channel" else "message": message})
        return copy.deepcopy(message)

    def route_webhooks(self, targets: Sequence[str]) -> None:
        """Deliver updates by webhook to `targets` (the replicas behind the public webhook URL),
        round-robin per update; one chat's updates one at a time and in order, different chats
        concurrently. Failed deliveries are retried, as Telegram does."""
        self._webhook_targets = list(targets)

    async def wait_delivered(self, timeout: float = 10.0) -> None:
        """Until every queued webhook delivery has been acknowledged."""
        async with asyncio.timeout(timeout):
            for outbox in list(self._chat_outboxes.values()):
                await outbox.join()

    def _enqueue(self, update: dict[str, Any]) -> int:
        update = copy.deepcopy(update)
        update.setdefault("update_id", next(self._update_ids))
        if self._webhook_targets:
            self._outbox_for(update).put_nowait(update)
            return int(update["update_id"])
        self._updates.append(update)
        self._notify_updates()
        return int(update["update_id"])

    def _outbox_for(self, update: dict[str, Any]) -> asyncio.Queue[dict[str, Any]]:
        chat: ChatId = 0
        for value in update.values():
            if isinstance(value, dict):
                holder = value.get("message", value)
                if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                    chat = _chat_key(holder["chat"]["id"])
        if chat not in self._chat_outboxes:
            self._chat_outboxes[chat] = asyncio.Queue()
            self._delivery_tasks.append(
                asyncio.create_task(self._deliver(self._chat_outboxes[chat])))
        return self._chat_outboxes[chat]

    async def _deliver(self, outbox: asyncio.Queue[dict[str, Any]]) -> None:
        if self._client is None:
            self._client = aiohttp.ClientSession()
        while True:
            update = await outbox.get()
            try:
                while not await self._post_update(update):
                    await asyncio.sleep(0.2)
            finally:
                outbox.task_done()

    async def _post_update(self, update: dict[str, Any]) -> bool:
        assert self._client is not None
        target = self._webhook_targets[next(self._target_turn) % len(self._webhook_targets)]
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
        try:
            async with self._client.post(target, json=update, headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:
            status = 0
        self.deliveries.append((int(update["update_id"]), target, status))
        return status == 200

    def _notify_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _store_file(self, data: bytes, folder: str, file_name: str | None = None,
                    mime_type: str | None = None, *, file_size: int | None = None,
                    suffix: str | None = None) -> StoredFile:
        seq = next(self._ids)
        digest = hashlib.sha256(data).hexdigest()
        ext = suffix if suffix is not None else _extension(file_name)
        stored = StoredFile(file_id=f"F{seq}-{digest[:24]}", file_unique_id=f"AQAD{digest[:16]}",
                            file_path=f"{folder}/file_{seq}{ext}", data=data,
                            file_size=len(data) if file_size is None else file_size,
                            file_name=file_name, mime_type=mime_type)
        self.files[stored.file_id] = stored
        return stored

    def _photo_sizes(self, variants: list[tuple[int, int, bytes]], *, width: int | None = None,
                     height: int | None = None,
                     file_size: int | None = None) -> list[dict[str, Any]]:
        sizes = []
        for index, (w, h, data) in enumerate(variants):
            last = index == len(variants) - 1
            stored = self._store_file(data, "photos", suffix=".jpg",
                                      file_size=file_size if last else None)
            sizes.append({**_file_fields(stored),
                          "width": width if last and width else w,
                          "height": height if last and height else h})
        return sizes

    def _record(self, method: str, params: Params, chat_id: ChatId | None, *,
                message: dict[str, Any] | None = None, file: FileInfo | None = None) -> Sent:
        record = Sent(method=method, chat_id=chat_id,
                      message_id=message["message_id"] if message else params.get("message_id"),
                      text=params.get("text"), caption=params.get("caption"),
                      parse_mode=params.get("parse_mode"),
                      reply_markup=params.get("reply_markup"), params=summarise(params),
                      message=copy.deepcopy(message), seq=next(self._ids))
        if file is not None:
            record.file, record.file_name, record.mime_type = file
        self.sent.append(record)
        self._sent_signal.set()
        self._sent_signal = asyncio.Event()
        return record

    # internals: HTTP

    async def _handle_method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        canonical, handler = self._handlers.get(name.lower(), (name, None))
        call = ApiCall(canonical)
        self.requests.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            params = await read_params(request)
            call.params = summarise(params)
            self._raise_fault(canonical)
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as err:
            call.status = err.code
            return err.response()
        except Exception as exc:
            log.exception("FakeTelegram failed on %s", canonical)
            call.status = 500
            return ApiError(500, f"FakeTelegram internal error: {exc!r}").response()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.data,
                                    content_type=stored.mime_type or "application/octet-stream")
        return ApiError(404, "Not Found").response()

    def _raise_fault(self, method: str) -> None:
        faults = self._faults.get(method.lower())
        if not faults:
            return
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        params = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        raise ApiError(fault.code, fault.description, params)

    def _method_table(self) -> dict[str, tuple[str, Callable[[Params], Any]]]:
        methods: dict[str, Callable[[Params], Any]] = {
            "getMe": lambda p: {**self.bot_user, "can_join_groups": True,
                                "can_read_all_group_messages": False,
                                "supports_inline_queries": False},
            "logOut": lambda p: True,
            "close": lambda p: True,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": lambda p: {"url": self.webhook_url,
                                         "has_custom_certificate": False,
                                         "pending_update_count": len(self._updates)},
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda p: self.commands.get(_commands_key(p), []),
            "getFile": self._get_file,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": lambda p: self._send_file(p, "document"),
            "sendVoice": lambda p: self._send_file(p, "voice"),
            "sendAudio": lambda p: self._send_file(p, "audio"),
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_text,
            "editMessageCaption": self._edit_caption,
            "editMessageMedia": self._edit_media,
            "editMessageReplyMarkup": self._edit_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback,
        }
        return {name.lower(): (name, fn) for name, fn in methods.items()}

    # internals: Bot API methods

    async def _get_updates(self, p: Params) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is "
                                "active; use deleteWebhook to delete the webhook first")
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        if "allowed_updates" in p:
            self._allowed = frozenset(p["allowed_updates"] or ()) or None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(float(p.get("timeout") or 0), 0.0)
        while True:
            signal = self._update_signal
            if generation != self._poll_generation:
                raise ApiError(409, "Conflict: terminated by other getUpdates request; make "
                                    "sure that only one bot instance is running")
            ready = self._deliverable(limit)
            if ready or self._closing or loop.time() >= deadline:
                return ready
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(signal.wait(), deadline - loop.time())

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        """Allowed updates (dropping disallowed ones, as Telegram does), at most `limit`."""
        kept = [u for u in self._updates if self._is_allowed(u)]
        self._updates = kept
        return copy.deepcopy(kept[:limit])

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = next((k for k in update if k != "update_id"), "")
        if self._allowed is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed

    def _delete_webhook(self, p: Params) -> bool:
        self.webhook_url = ""
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, p: Params) -> bool:
        url = str(p.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        self.webhook_secret = str(p.get("secret_token") or "")
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_my_commands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("parameter \"commands\" is required")
        for item in commands:
            command = str(item.get("command", "")) if isinstance(item, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(item.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_commands_key(p)] = commands
        return True

    def _get_file(self, p: Params) -> dict[str, Any]:
        stored = self.files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return stored.as_file()

    def _chat(self, p: Params) -> dict[str, Any]:
        chat_id = p.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        key = _chat_key(chat_id)
        if isinstance(key, str):
            key = next((k for k, c in self.chats.items()
                        if f"@{c.get('username')}" == key), key)
        if key not in self.chats:
            raise bad_request("chat not found")
        return self.chats[key]

    def _reply_target(self, chat: dict[str, Any], p: Params) -> dict[str, Any] | None:
        reply = p.get("reply_parameters") or {}
        target = reply.get("message_id", p.get("reply_to_message_id"))
        if target is None:
            return None
        found = self._messages.get((chat["id"], int(target)))
        if found is None:
            if reply.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return _without_reply(found)

    def _new_message(self, chat: dict[str, Any], content: dict[str, Any],
                     markup: dict[str, Any] | None,
                     reply: dict[str, Any] | None) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": next(self._message_ids[chat["id"]]),
                                   "from": self.bot_user, "chat": chat,
                                   "date": int(time.time())}
        message.update((k, v) for k, v in content.items() if v is not None)
        if reply is not None:
            message["reply_to_message"] = reply
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = message
        return message

    def _send(self, method: str, p: Params, fields: Callable[[], dict[str, Any]],
              media: Callable[[], tuple[dict[str, Any], FileInfo]] | None = None,
              ) -> dict[str, Any]:
        """Validate in Telegram's order (chat, text, markup, reply, file), then send."""
        chat = self._chat(p)
        content = fields()
        markup = check_markup(p.get("reply_markup"))
        reply = self._reply_target(chat, p)
        file = None
        if media is not None:
            media_content, file = media()
            content.update(media_content)
        message = self._new_message(chat, content, markup, reply)
        self._record(method, p, chat["id"], message=message, file=file)
        return message

    def _send_message(self, p: Params) -> dict[str, Any]:
        return self._send("sendMessage", p, lambda: check_text(p.get("text"), p.get("parse_mode")))

    def _send_photo(self, p: Params) -> dict[str, Any]:
        return self._send("sendPhoto", p,
                          lambda: check_caption(p.get("caption"), p.get("parse_mode")),
                          lambda: self._photo_content(p.get("photo"), p))

    def _photo_content(self, value: Any, p: Params) -> tuple[dict[str, Any], FileInfo]:
        """Check and store an incoming photo; return the message content and the upload."""
        upload = self._incoming_file(value, p, "photo")
        check_photo(upload[0])
        return {"photo": self._photo_sizes(photo_variants(upload[0]))}, upload

    def _send_file(self, p: Params, kind: str) -> dict[str, Any]:
        return self._send(f"send{kind.capitalize()}", p,
                          lambda: check_caption(p.get("caption"), p.get("parse_mode")),
                          lambda: self._file_content(kind, p.get(kind), p))

    def _file_content(self, kind: str, value: Any,
                      p: Params) -> tuple[dict[str, Any], FileInfo]:
        """Store an incoming document/voice/audio; return the message content and the file."""
        data, file_name, mime = self._incoming_file(value, p, kind)
        check_upload(data)
        if kind == "voice":
            mime = "audio/ogg"
        mime = mime or _guess_mime(file_name or "")
        stored = self._store_file(data, {"document": "documents", "voice": "voice",
                                         "audio": "music"}.get(kind, kind), file_name, mime)
        body = _document(stored) if kind != "voice" else {**_file_fields(stored),
                                                          "mime_type": mime}
        if kind in ("voice", "audio"):
            body["duration"] = int(p.get("duration") or 1)
        return {kind: body}, (data, file_name, mime)

    def _incoming_file(self, value: Any, p: Params, kind: str) -> FileInfo:
        """(bytes, file name, mime type) of an upload, attach:// reference or file_id."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, Upload):
            return value.data, value.file_name, value.mime_type
        if value in (None, ""):
            raise bad_request(f"there is no {kind} in the request")
        stored = self.files.get(str(value))
        if stored is None:
            raise bad_request(WRONG_FILE.removeprefix("Bad Request: "))
        return stored.data, stored.file_name, stored.mime_type

    def _send_chat_action(self, p: Params) -> bool:
        chat = self._chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._record("sendChatAction", p, chat["id"])
        return True

    def _editable(self, p: Params) -> tuple[dict[str, Any], dict[str, Any]]:
        """The chat and the bot message an edit refers to."""
        if p.get("inline_message_id"):
            raise bad_request("inline messages are not supported by FakeTelegram")
        chat = self._chat(p)
        if p.get("message_id") in (None, ""):
            raise bad_request("message identifier is not specified")
        message = self._messages.get((chat["id"], int(p["message_id"])))
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return chat, message

    def _apply_edit(self, method: str, p: Params, message: dict[str, Any],
                    changes: dict[str, Any], file: FileInfo | None = None) -> dict[str, Any]:
        """Apply changes (None removes a key), refusing a no-op; record the edit."""
        markup = check_markup(p.get("reply_markup"))
        changes["reply_markup"] = markup if markup and "inline_keyboard" in markup else None
        updated = {k: v for k, v in {**message, **changes}.items() if v is not None}
        if file is None and all(updated.get(k) == message.get(k) for k in changes):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        updated["edit_date"] = int(time.time())
        message.clear()
        message.update(updated)
        self._record(method, p, message["chat"]["id"], message=message, file=file)
        return message

    def _edit_text(self, p: Params) -> dict[str, Any]:
        _, message = self._editable(p)
        changes = check_text(p.get("text"), p.get("parse_mode"))
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit("editMessageText", p, message, changes)

    def _edit_caption(self, p: Params) -> dict[str, Any]:
        _, message = self._editable(p)
        changes = check_caption(p.get("caption"), p.get("parse_mode"))
        if not any(key in message for key in MEDIA_KEYS):
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit("editMessageCaption", p, message, changes)

    def _edit_media(self, p: Params) -> dict[str, Any]:
        _, message = self._editable(p)
        media = p.get("media")
        if not isinstance(media, dict) or media.get("type") not in ("photo", "document",
                                                                   "audio"):
            raise bad_request("can't parse InputMedia: media type is invalid")
        caption = check_caption(media.get("caption"), media.get("parse_mode"))
        if not any(key in message for key in MEDIA_KEYS):
            raise bad_request("there is no media in the message to edit")
        if media["type"] == "photo":
            content, stored = self._photo_content(media.get("media"), p)
        else:
            content, stored = self._file_content(media["type"], media.get("media"), p)
        changes: dict[str, Any] = dict.fromkeys(MEDIA_KEYS)
        changes.update(content, **caption)
        record_params = {**p, "caption": media.get("caption"),
                         "parse_mode": media.get("parse_mode")}
        return self._apply_edit("editMessageMedia", record_params, message, changes, stored)

    def _edit_markup(self, p: Params) -> dict[str, Any]:
        _, message = self._editable(p)
        return self._apply_edit("editMessageReplyMarkup", p, message, {})

    def _delete_message(self, p: Params) -> bool:
        chat = self._chat(p)
        key = (chat["id"], int(p.get("message_id") or 0))
        if key not in self._messages:
            raise bad_request("message to delete not found")
        del self._messages[key]
        self._record("deleteMessage", p, chat["id"])
        return True

    def _answer_callback(self, p: Params) -> bool:
        query = self._callbacks.get(str(p.get("callback_query_id") or ""))
        if query is None or query["answered"]:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        if len(str(p.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        query["answered"] = True
        self._record("answerCallbackQuery", p, query["chat_id"])
        return True


# --- small helpers -------------------------------------------------------------------------

def _chat_key(chat_id: Any) -> ChatId:
    if isinstance(chat_id, int):
        return chat_id
    text = str(chat_id)
    try:
        return int(text)
    except ValueError:
        return text


def _method_filter(method: str | Collection[str] | None, *,
                   quiet: bool) -> Callable[[str], bool]:
    if method is None:
        return lambda name: quiet or name not in QUIET_METHODS
    names = {method} if isinstance(method, str) else set(method)
    return lambda name: name in names


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}


def _file_fields(stored: StoredFile) -> dict[str, Any]:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size}


def _document(stored: StoredFile) -> dict[str, Any]:
    body = _file_fields(stored)
    body["file_name"] = stored.file_name or "file"
    body["mime_type"] = stored.mime_type or "application/octet-stream"
    return body


def _guess_mime(file_name: str) -> str:
    return mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream"


def _extension(file_name: str | None) -> str:
    if not file_name or "." not in file_name:
        return ""
    return "." + file_name.rsplit(".", 1)[1]


def _commands_key(p: Params) -> str:
    return json.dumps([p.get("scope") or {"type": "default"}, p.get("language_code") or ""],
                      sort_keys=True)


def _default_description(error_code: int, retry_after: int | None) -> str:
    return {
        429: f"Too Many Requests: retry after {retry_after}",
        400: "Bad Request",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, "Error")
