"""A fake OpenAI-compatible API on loopback: chat completions, models, audio transcriptions,
and NVIDIA's VLM route (POST /v1/vlm/<model>) for the models `vlm_models` names. It also serves
embeddings.

Answers are scripted (`reply`, `fail`, `delay`) or computed by `responder`; with nothing
scripted the fake answers 500 "FakeLLM: no scripted reply" so a test fails loudly. Requests
are validated like a strict endpoint would (model, messages, content parts, image data URLs)
and recorded in `requests`; `images_in` decodes both image encodings the bot uses. Like the
hosted catalog, chat completions refuse (404) a model served only on the VLM route, and the VLM
route refuses (422) content parts, a `model` field, structured output and oversized inline
images. `structured=False` makes chat completions refuse structured output (400), and
`image_parts=False` refuses image_url parts (400), as a text-only or inline-only model would.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import inspect
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fakes.server import LoopbackServer

DEFAULT_MODELS = ("nvidia/nemotron-nano-12b-v2-vl", "microsoft/phi-3-vision-128k-instruct",
                  "meta/llama-3.2-11b-vision-instruct",
                  "meta/llama-3.1-70b-instruct", "meta/llama-3.1-8b-instruct")
ROLES = frozenset({"system", "user", "assistant", "tool", "developer"})
NO_REPLY = "FakeLLM: no scripted reply"
NO_TRANSCRIPT = "FakeLLM: no scripted transcription"
EMBED_DIMENSIONS = 256
# Like NVIDIA's retrieval embedders, these refuse a request without input_type.
_INPUT_TYPE_MODELS = ("embedqa", "nv-embed", "nemoretriever", "e5-")

_DATA_URL = re.compile(r"data:(image/[\w.+-]+);base64,(.*)", re.DOTALL)
_INLINE_IMG = re.compile(r"<img\s+src=\"(data:[^\"]*)\"\s*/?>")
VLM_INLINE_LIMIT = 180_000
"""Base64 characters an inline image may have on NVIDIA's VLM route (larger: its assets API)."""
_STRUCTURED_FIELDS = ("response_format", "nvext", "guided_json", "tools")
_ERROR_TYPES = {400: "invalid_request_error", 401: "invalid_request_error",
                403: "permission_denied", 404: "invalid_request_error",
                429: "rate_limit_exceeded", 500: "server_error", 503: "server_error"}


@dataclass
class FakeLLMResponse:
    """One answer: a completion (status 200) or an error (`body`: dict as JSON, str as text)."""

    content: str | None = ""
    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    delay: float = 0.0


@dataclass
class LLMRequest:
    """A recorded request: path, JSON body (form fields for uploads), lower-cased headers."""

    method: str
    path: str
    json: dict[str, Any]
    headers: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict, repr=False)


@dataclass
class _Delay:
    seconds: float


Responder = Callable[[dict[str, Any]], str | FakeLLMResponse | Awaitable[str | FakeLLMResponse]]
_Item = FakeLLMResponse | _Delay


def error_body(message: str, status: int, code: str | None = None) -> dict[str, Any]:
    """An OpenAI-style error object."""
    return {"error": {"message": message, "type": _ERROR_TYPES.get(status, "api_error"),
                      "param": None, "code": code}}


def _text_parts(body: dict[str, Any]) -> list[str]:
    texts: list[str] = []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [p["text"] for p in content
                      if isinstance(p, dict) and p.get("type") == "text"
                      and isinstance(p.get("text"), str)]
    return texts


def prompt_text(request: LLMRequest | dict[str, Any]) -> str:
    """All text of a chat request (string contents and text parts); inline <img> → [image]."""
    body = request.json if isinstance(request, LLMRequest) else request
    return "\n".join(_INLINE_IMG.sub("[image]", text) for text in _text_parts(body))


def _image_urls(body: dict[str, Any]) -> list[str]:
    urls = [m.group(1) for text in _text_parts(body) for m in _INLINE_IMG.finditer(text)]
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        for part in content if isinstance(content, list) else []:
            if isinstance(part, dict) and part.get("type") == "image_url":
                image = part.get("image_url")
                urls.append(str(image.get("url", "") if isinstance(image, dict) else image))
    return urls


def decode_data_url(url: str) -> bytes:
    """The bytes of a `data:image/...;base64,...` URL; ValueError if it is not one."""
    match = _DATA_URL.fullmatch(url.strip())
    if match is None:
        raise ValueError(f"not a base64 image data URL: {url[:40]!r}")
    try:
        return base64.b64decode(match.group(2), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 image data: {exc}") from None


def images_in(request: LLMRequest | dict[str, Any]) -> list[bytes]:
    """Images of a chat request: image_url content parts and NVIDIA inline <img src="data:...">."""
    body = request.json if isinstance(request, LLMRequest) else request
    return [decode_data_url(url) for url in _image_urls(body)]


def validate_chat(body: Any) -> str | None:
    """Why a strict endpoint would refuse this chat request (None if it is fine)."""
    if not isinstance(body, dict):
        return "We could not parse the JSON body of your request."
    if not isinstance(body.get("model"), str) or not body["model"]:
        return "you must provide a model parameter"
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array"
    for index, message in enumerate(messages):
        problem = _message_problem(message)
        if problem:
            return f"messages[{index}]: {problem}"
    for url in _image_urls(body):
        try:
            decode_data_url(url)
        except ValueError as exc:
            return f"Invalid image_url: {exc}"
    return None


def _message_problem(message: Any) -> str | None:
    if not isinstance(message, dict) or message.get("role") not in ROLES:
        return f"role must be one of {sorted(ROLES)}"
    content = message.get("content")
    if content is None:
        return None if message["role"] == "assistant" else "content is required"
    if isinstance(content, str):
        return None
    if not isinstance(content, list):
        return "content must be a string or an array of content parts"
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str):
            continue
        if kind == "image_url" and part.get("image_url"):
            continue
        return f"invalid content part {str(part)[:60]}"
    return None


def fake_embedding(text: str, input_type: str | None = None) -> list[float]:
    """A deterministic unit vector: a hashed bag of the text's words (with -s endings cut,
    so "charts" meets "chart"); similar words give similar vectors, as with a real model."""
    vector = [0.0] * EMBED_DIMENSIONS
    for word in re.findall(r"[^\W_]+", text.casefold()):
        word = word[:-1] if len(word) > 3 and word.endswith("s") else word
        digest = hashlib.sha256(word.encode()).digest()
        index = int.from_bytes(digest[:4], "big") % EMBED_DIMENSIONS
        vector[index] += 1.0 if digest[4] % 2 else -1.0
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class FakeLLM(LoopbackServer):
    """The OpenAI-compatible API at `base_url` (http://127.0.0.1:PORT/v1)."""

    def __init__(self, api_key: str | None = None, models: Sequence[str] | None = None,
                 *, lists_models: bool = True, vlm_models: Sequence[str] = (),
                 structured: bool = True, image_parts: bool = True) -> None:
        """`models`: what GET /v1/models lists; `lists_models=False` makes it a 404, as on
        servers that only implement chat completions. `vlm_models`: served only at
        /v1/vlm/<model>."""
        super().__init__()
        self.api_key = api_key
        self.models = tuple(models) if models is not None else None
        self.lists_models = lists_models
        self.vlm_models = tuple(vlm_models)
        self.structured = structured
        self.image_parts = image_parts
        self.requests: list[LLMRequest] = []
        self.responder: Responder | None = None
        self._queue: deque[_Item] = deque()
        self._audio_queue: deque[_Item] = deque()
        self._ids = itertools.count(1)
        self._closing = asyncio.Event()

    # lifecycle

    def application(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        if self.lists_models:
            app.router.add_get("/v1/models", self._models)
        app.router.add_post("/v1/audio/transcriptions", self._transcription)
        app.router.add_post("/v1/vlm/{model:.+}", self._vlm)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    async def stop(self) -> None:
        self._closing.set()
        await super().stop()

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def vlm_url(self) -> str:
        """The root of the VLM route (NVIDIA_VLM_URL): requests go to <vlm_url>/<model>."""
        return f"{self.root_url}/v1/vlm"

    # scripting

    def reply(self, content: str | None, *, finish_reason: str = "stop") -> None:
        """Queue a chat answer with this text."""
        self._queue.append(FakeLLMResponse(content=content, finish_reason=finish_reason))

    def fail(self, status: int, *, retry_after: float | None = None,
             body: dict[str, Any] | str | None = None) -> None:
        """Queue an error answer (429 with Retry-After, 500, 503...)."""
        self._queue.append(_failure(status, retry_after, body))

    def delay(self, seconds: float) -> None:
        """Make the next answer slow: the request sleeps first (a timed-out client leaves it)."""
        self._queue.append(_Delay(seconds))

    def reply_transcription(self, text: str) -> None:
        """Queue the text of the next /v1/audio/transcriptions answer."""
        self._audio_queue.append(FakeLLMResponse(content=text))

    def fail_transcription(self, status: int, *, retry_after: float | None = None,
                           body: dict[str, Any] | str | None = None) -> None:
        self._audio_queue.append(_failure(status, retry_after, body))

    @property
    def queued(self) -> int:
        """How many scripted chat answers (and delays) are still waiting."""
        return len(self._queue)

    # inspecting

    @property
    def chat_requests(self) -> list[LLMRequest]:
        """Chat requests on either route: /v1/chat/completions and /v1/vlm/<model>."""
        return [r for r in self.requests
                if r.path.endswith("/chat/completions") or r.path.startswith("/v1/vlm/")]

    @property
    def embedding_requests(self) -> list[LLMRequest]:
        return [r for r in self.requests if r.path.endswith("/embeddings")]

    def model_calls(self) -> list[LLMRequest]:
        """Requests that would cost model time: completions and transcriptions (not the
        model list the bot reads at start-up)."""
        return [r for r in self.requests if r.path.endswith(("/chat/completions",
                                                             "/audio/transcriptions",
                                                             "/embeddings"))
                or r.path.startswith("/v1/vlm/")]

    def last_prompt_text(self) -> str:
        """All text content of the last chat request."""
        if not self.chat_requests:
            raise AssertionError("FakeLLM received no chat request")
        return prompt_text(self.chat_requests[-1])

    def images_in(self, request: LLMRequest | None = None) -> list[bytes]:
        """Images of a chat request (default: the last one)."""
        if request is None:
            if not self.chat_requests:
                raise AssertionError("FakeLLM received no chat request")
            request = self.chat_requests[-1]
        return images_in(request)

    # HTTP handlers

    async def _received(self, request: web.Request) -> tuple[Any, web.Response | None]:
        """A JSON request's body (None if it is not JSON), recorded; and the refusal to
        answer with when the key is wrong or a failure is scripted."""
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        self._record(request, body if isinstance(body, dict) else {})
        return body, self._refuse(request)

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body, refused = await self._received(request)
        if refused is not None:
            return refused
        problem = validate_chat(body)
        if problem is not None:
            return web.json_response(error_body(problem, 400), status=400)
        model = body["model"]
        if (self.models is not None and model not in self.models) or model in self.vlm_models:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return web.json_response(error_body(message, 404, "model_not_found"), status=404)
        refused = self._refuse_form(body)
        if refused is not None:
            return web.json_response(error_body(refused, 400), status=400)
        answer = await self._next(self._queue, body, NO_REPLY, use_responder=True)
        if answer.status >= 400:
            return _error_response(answer)
        if body.get("stream"):
            return await self._stream(request, body, answer)
        return web.json_response(self._completion(body, answer))

    def _refuse_form(self, body: dict[str, Any]) -> str | None:
        """Why this endpoint's model refuses the request's form (None: it does not)."""
        if not self.structured and any(f in body or f in (body.get("extra_body") or {})
                                       for f in _STRUCTURED_FIELDS):
            return "response_format / nvext guided_json is not supported for this model"
        if not self.image_parts and any(
                isinstance(part, dict) and part.get("type") == "image_url"
                for message in body["messages"] if isinstance(message.get("content"), list)
                for part in message["content"]):
            return "Invalid content part type 'image_url': this model accepts text only"
        return None

    async def _vlm(self, request: web.Request) -> web.StreamResponse:
        """NVIDIA's VLM route: the model is in the path, the image inline in the text."""
        model = request.match_info["model"]
        body, refused = await self._received(request)
        if refused is not None:
            return refused
        if model not in self.vlm_models:
            return web.json_response(_problem(404, "Not Found", f"Function for '{model}' not "
                                              "found for account"), status=404)
        problem = self._vlm_problem(body)
        if problem is not None:
            return web.json_response(_problem(422, "Validation failed", problem), status=422)
        answer = await self._next(self._queue, body, NO_REPLY, use_responder=True)
        if answer.status >= 400:
            return _error_response(answer)
        return web.json_response(self._completion({**body, "model": model}, answer))

    @staticmethod
    def _vlm_problem(body: Any) -> str | None:
        """Why the VLM route's schema refuses this body (None: it accepts it)."""
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return "body -> messages: field required"
        unknown = [key for key in body if key in (*_STRUCTURED_FIELDS, "model", "extra_body")]
        if unknown:
            return f"body -> {unknown[0]}: extra fields not permitted"
        for index, message in enumerate(body["messages"]):
            content = message.get("content") if isinstance(message, dict) else None
            if not isinstance(content, str):
                return f"body -> messages -> {index} -> content: str type expected"
            for url in (m.group(1) for m in _INLINE_IMG.finditer(content)):
                if len(url.split(",", 1)[-1]) > VLM_INLINE_LIMIT:
                    return "inline image too large; upload it with the assets API"
                try:
                    decode_data_url(url)
                except ValueError as exc:
                    return f"invalid inline image: {exc}"
        return None

    async def _models(self, request: web.Request) -> web.Response:
        self._record(request, {})
        refused = self._refuse(request)
        if refused is not None:
            return refused
        names = self.models if self.models is not None else DEFAULT_MODELS
        data = [{"id": name, "object": "model", "created": 0, "owned_by": "fake"}
                for name in names]
        return web.json_response({"object": "list", "data": data})

    async def _transcription(self, request: web.Request) -> web.Response:
        fields, files = await _read_form(request)
        self._record(request, fields, files)
        refused = self._refuse(request)
        if refused is not None:
            return refused
        if "file" not in files or not fields.get("model"):
            return web.json_response(error_body("file and model are required", 400),
                                     status=400)
        answer = await self._next(self._audio_queue, fields, NO_TRANSCRIPT,
                                  use_responder=False)
        if answer.status >= 400:
            return _error_response(answer)
        text = answer.content or ""
        if fields.get("response_format") in ("text", "srt", "vtt"):
            return web.Response(text=text, content_type="text/plain")
        return web.json_response({"text": text})

    async def _embeddings(self, request: web.Request) -> web.Response:
        """POST /v1/embeddings: a fake_embedding per input, refusing what NVIDIA refuses."""
        body, refused = await self._received(request)
        if refused is not None:
            return refused
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return web.json_response(error_body("you must provide a model parameter", 400),
                                     status=400)
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(
                isinstance(t, str) and t for t in texts):
            return web.json_response(error_body("'input' must be a non-empty string or a "
                                                "list of them", 400), status=400)
        model, input_type = body["model"], body.get("input_type")
        if self.models is not None and model not in self.models:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return web.json_response(error_body(message, 404, "model_not_found"), status=404)
        if any(tag in model.lower() for tag in _INPUT_TYPE_MODELS) and input_type not in (
                "query", "passage"):
            return web.json_response(error_body(
                "input_type must be 'query' or 'passage' for this model", 400), status=400)
        data = [{"object": "embedding", "index": i, "embedding": fake_embedding(text, input_type)}
                for i, text in enumerate(texts)]
        tokens = sum(_tokens(text) for text in texts)
        return web.json_response({"object": "list", "data": data, "model": model,
                                  "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    async def _unknown(self, request: web.Request) -> web.Response:
        self._record(request, {})
        message = f"Invalid URL ({request.method} {request.path})"
        return web.json_response(error_body(message, 404), status=404)

    # internals

    def _record(self, request: web.Request, body: dict[str, Any],
                files: dict[str, bytes] | None = None) -> None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append(LLMRequest(request.method, request.path, body, headers,
                                        files or {}))

    def _refuse(self, request: web.Request) -> web.Response | None:
        """401 unless the request carries `Authorization: Bearer <api_key>` (when one is set)."""
        if self.api_key is None:
            return None
        if request.headers.get("Authorization", "") == f"Bearer {self.api_key}":
            return None
        body = error_body("Incorrect API key provided.", 401, "invalid_api_key")
        return web.json_response(body, status=401)

    async def _next(self, queue: deque[_Item], body: dict[str, Any], missing: str, *,
                    use_responder: bool) -> FakeLLMResponse:
        """Sleep for queued delays, then take the next answer (queue, responder, or 500)."""
        while queue and isinstance(delay := queue[0], _Delay):
            queue.popleft()
            await self._sleep(delay.seconds)
        answer = await self._take(queue, body, missing, use_responder)
        await self._sleep(answer.delay)
        return answer

    async def _take(self, queue: deque[_Item], body: dict[str, Any], missing: str,
                    use_responder: bool) -> FakeLLMResponse:
        if queue and isinstance(item := queue[0], FakeLLMResponse):
            queue.popleft()
            return item
        if use_responder and self.responder is not None:
            result = self.responder(body)
            if inspect.isawaitable(result):
                result = await result
            return result if isinstance(result, FakeLLMResponse) else FakeLLMResponse(result)
        return FakeLLMResponse(status=500, body=error_body(missing, 500))

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake when the server stops."""
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), seconds)

    def _completion(self, body: dict[str, Any], answer: FakeLLMResponse) -> dict[str, Any]:
        prompt = _tokens(prompt_text(body))
        completion = _tokens(answer.content or "")
        return {
            "id": f"chatcmpl-fake{next(self._ids)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "finish_reason": answer.finish_reason, "logprobs": None,
                         "message": {"role": "assistant", "content": answer.content}}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion},
        }

    async def _stream(self, request: web.Request, body: dict[str, Any],
                      answer: FakeLLMResponse) -> web.StreamResponse:
        """The answer as server-sent `chat.completion.chunk` events."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        base = {"id": f"chatcmpl-fake{next(self._ids)}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": body["model"]}
        first: dict[str, Any] = {"role": "assistant", "content": answer.content or ""}
        deltas: list[tuple[dict[str, Any], str | None]] = [(first, None),
                                                           ({}, answer.finish_reason)]
        for delta, finish in deltas:
            chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def _failure(status: int, retry_after: float | None,
             body: dict[str, Any] | str | None) -> FakeLLMResponse:
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
    if body is None:
        code = "rate_limit_exceeded" if status == 429 else None
        body = error_body(f"FakeLLM scripted error {status}", status, code)
    return FakeLLMResponse(content=None, status=status, body=body, headers=headers)


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    """An NVIDIA cloud-functions problem-details body (what ai.api.nvidia.com answers)."""
    return {"type": "urn:kaizen:problem-details:" + title.lower().replace(" ", "-"),
            "title": title, "status": status, "detail": detail,
            "requestId": "fake-request"}


def _error_response(answer: FakeLLMResponse) -> web.Response:
    if isinstance(answer.body, str):
        return web.Response(status=answer.status, text=answer.body, headers=answer.headers)
    return web.json_response(answer.body or error_body("error", answer.status),
                             status=answer.status, headers=answer.headers)


async def _read_form(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Form fields and file parts of a multipart (or urlencoded) request."""
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type != "multipart/form-data":
        fields.update(await request.post())
        return fields, files
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is None:
            fields[part.name] = await part.text()
        else:
            files[part.name] = bytes(await part.read())
    return fields, files
