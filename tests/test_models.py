"""The model client, driven by the real openai.AsyncOpenAI against the fake OpenAI-compatible API.

Backoff uses a recording sleep, so retries cost no wall time and their delays can be checked.
"""

from __future__ import annotations

import base64
import functools
import io
import random
import re
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio
from PIL import Image, ImageDraw

from bot.config import ConfigError, Settings
from bot.llm.client import (
    BACKOFF_BASE_S,
    MAX_ANSWER_CHARS,
    RETRY_AFTER_CAP_S,
    VISION_PROMPT,
    ModelClient,
    ModelError,
    ModelTimeout,
    ModelUnavailable,
    pick_image_format,
    pick_structured,
    structured_request,
    vision_messages,
)
from bot.llm.images import INLINE_BASE64_LIMIT, PreparedImage, prepare_image
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse, error_body

PHI3 = "microsoft/phi-3-vision-128k-instruct"
LLAMA_VISION = "meta/llama-3.2-11b-vision-instruct"
CHAT = "meta/llama-3.1-70b-instruct"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"action": {"type": "string"}},
    "required": ["action"],
}
ASK = [{"role": "user", "content": "sort descending"}]
_INLINE = re.compile(r'<img src="data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)" />')


class RecordingSleep:
    """Stands in for asyncio.sleep: remembers each delay and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


MakeClient = Callable[..., ModelClient]


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()


@pytest_asyncio.fixture
async def make_client(fake_llm: FakeLLM, sleep: RecordingSleep) -> AsyncIterator[MakeClient]:
    """Build a ModelClient on explicit Settings (no .env, no environment) for the fake."""
    clients: list[ModelClient] = []

    def make(**overrides: Any) -> ModelClient:
        fields: dict[str, Any] = {
            "llm_base_url": fake_llm.base_url,
            "llm_api_key": FAKE_LLM_KEY,
            "llm_timeout": 5.0,
            "vision_model": PHI3,
            "chat_model": CHAT,
            "vision_image_format": "auto",
            "llm_structured": "auto",
        }
        fields.update(overrides)
        client = ModelClient(Settings(_env_file=None, **fields), sleep=sleep)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


def bar_chart(width: int = 640, height: int = 400) -> PreparedImage:
    im = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(im)
    for i, h in enumerate((120, 200, 310)):
        draw.rectangle([80 + i * 160, height - 40 - h, 180 + i * 160, height - 40],
                       fill=(31, 119, 180))
    draw.line([(60, height - 40), (width - 20, height - 40)], fill="black", width=3)
    return prepare_image(png_bytes(im))


@functools.cache
def noisy_photo() -> PreparedImage:
    """A photo-sized image of pure noise: its PNG is megabytes, far over the inline limit."""
    noise = random.Random(7).randbytes(1344 * 1008 * 3)
    return prepare_image(png_bytes(Image.frombytes("RGB", (1344, 1008), noise)))


def png_bytes(im: Image.Image) -> bytes:
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def pixels(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- choosing the encodings ------------------------------------------------------------


@pytest.mark.parametrize(("model", "fmt"), [
    (PHI3, "inline"),
    ("microsoft/phi-3.5-vision-instruct", "inline"),
    ("nvidia/neva-22b", "inline"),
    ("adept/fuyu-8b", "inline"),
    ("google/deplot", "inline"),
    ("Microsoft/Kosmos-2", "inline"),
    (LLAMA_VISION, "image_url"),
    ("meta/llama-3.2-90b-vision-instruct", "image_url"),
    ("gpt-4o-mini", "image_url"),
    ("llava:13b", "image_url"),
])
def test_the_image_encoding_is_chosen_by_model_name(model, fmt):
    assert pick_image_format(model, "auto") == fmt


@pytest.mark.parametrize(("model", "setting"), [
    (PHI3, "image_url"), (LLAMA_VISION, "inline"), (LLAMA_VISION, "image_url"),
])
def test_a_configured_image_encoding_wins_over_the_model_name(model, setting):
    assert pick_image_format(model, setting) == setting


@pytest.mark.parametrize(("base_url", "mode"), [
    ("https://integrate.api.nvidia.com/v1", "nvext"),
    ("https://api.openai.com/v1", "json_schema"),
    ("http://localhost:8000/v1", "json_object"),
    ("http://ollama:11434/v1", "json_object"),
])
def test_the_structured_output_mode_is_chosen_by_endpoint(base_url, mode):
    assert pick_structured(base_url, "auto") == mode


@pytest.mark.parametrize("setting", ["json_schema", "json_object", "nvext", "off"])
def test_a_configured_structured_mode_wins_over_the_endpoint(setting):
    assert pick_structured("https://integrate.api.nvidia.com/v1", setting) == setting


@pytest.mark.parametrize(("mode", "request_args"), [
    ("json_schema", {"response_format": {
        "type": "json_schema", "json_schema": {"name": "replot_answer", "schema": SCHEMA}}}),
    ("json_object", {"response_format": {"type": "json_object"}}),
    ("nvext", {"extra_body": {"nvext": {"guided_json": SCHEMA}}}),
    ("off", {}),
])
def test_structured_request_arguments_per_mode(mode, request_args):
    assert structured_request(mode, SCHEMA) == request_args


def test_the_client_starts_in_the_mode_of_its_endpoint(make_client):
    assert make_client().structured == "json_object"
    nvidia = make_client(llm_base_url="https://integrate.api.nvidia.com/v1")
    assert nvidia.structured == "nvext"
    assert make_client(llm_structured="off").structured == "off"


def test_a_client_without_a_key_refuses_to_start():
    settings = Settings(_env_file=None, llm_base_url="http://127.0.0.1:9/v1", llm_api_key=None)
    with pytest.raises(ConfigError, match="LLM_API_KEY"):
        ModelClient(settings)


# --- images on the wire ----------------------------------------------------------------


async def test_llama_vision_gets_the_image_as_an_openai_image_url_part(make_client, fake_llm):
    image = bar_chart()
    fake_llm.reply("| Year | Sales |\n|---|---|\n| 2021 | 10 |")
    client = make_client(vision_model=LLAMA_VISION)

    answer = await client.read_chart(image)

    assert answer.text == "| Year | Sales |\n|---|---|\n| 2021 | 10 |"
    assert answer.model == LLAMA_VISION
    body = fake_llm.chat_requests[-1].json
    assert body["model"] == LLAMA_VISION
    [message] = body["messages"]
    assert message["role"] == "user"
    text_part, image_part = message["content"]
    assert text_part == {"type": "text", "text": VISION_PROMPT}
    assert image_part["type"] == "image_url"
    assert image_part["image_url"]["url"].startswith("data:image/png;base64,")
    assert fake_llm.images_in() == [image.data]


async def test_phi3_vision_gets_the_image_inline_in_a_plain_string(make_client, fake_llm):
    image = bar_chart()
    fake_llm.reply("NO CHART")
    client = make_client(vision_model=PHI3)

    await client.read_chart(image, prompt="Read this chart.")

    body = fake_llm.chat_requests[-1].json
    assert body["model"] == PHI3
    [message] = body["messages"]
    content = message["content"]
    assert isinstance(content, str)
    assert content.startswith("Read this chart.\n<img src=\"data:image/png;base64,")
    assert content.endswith('" />')
    assert len(_INLINE.findall(content)) == 1
    assert fake_llm.images_in() == [image.data]


async def test_a_large_noisy_image_is_squeezed_under_the_inline_limit(make_client, fake_llm):
    image = noisy_photo()
    assert len(base64.b64encode(image.data)) > INLINE_BASE64_LIMIT
    fake_llm.reply("NO CHART")

    await make_client(vision_model=PHI3).read_chart(image)

    content = fake_llm.chat_requests[-1].json["messages"][0]["content"]
    [(mime, b64)] = _INLINE.findall(content)
    assert mime == "image/jpeg"
    assert len(b64) <= INLINE_BASE64_LIMIT
    [received] = fake_llm.images_in()
    sent = pixels(received)
    assert sent.format == "JPEG"
    assert sent.mode == "RGB"
    assert 256 <= sent.width <= image.width
    assert sent.width / sent.height == pytest.approx(image.width / image.height, rel=0.01)


async def test_an_image_url_part_is_not_squeezed(make_client, fake_llm):
    image = noisy_photo()
    fake_llm.reply("NO CHART")

    await make_client(vision_model=LLAMA_VISION).read_chart(image)

    assert fake_llm.images_in() == [image.data]


async def test_the_configured_image_format_overrides_the_model_name(make_client, fake_llm):
    image = bar_chart()
    fake_llm.reply("NO CHART")
    fake_llm.reply("NO CHART")

    await make_client(vision_model=PHI3, vision_image_format="image_url").read_chart(image)
    await make_client(vision_model=LLAMA_VISION, vision_image_format="inline").read_chart(image)

    as_parts, as_inline = (r.json["messages"][0]["content"] for r in fake_llm.chat_requests)
    assert [part["type"] for part in as_parts] == ["text", "image_url"]
    assert isinstance(as_inline, str)
    assert len(_INLINE.findall(as_inline)) == 1
    assert [fake_llm.images_in(r) for r in fake_llm.chat_requests] == [[image.data]] * 2


def test_vision_messages_carry_the_prompt_before_the_image():
    image = bar_chart()
    [parts] = vision_messages(image, "image_url", "Prompt")
    [inline] = vision_messages(image, "inline", "Prompt")
    assert parts["content"][0] == {"type": "text", "text": "Prompt"}
    assert inline["content"].split("\n", 1)[0] == "Prompt"


# --- the request -----------------------------------------------------------------------


async def test_a_request_is_deterministic_bounded_and_carries_the_key(make_client, fake_llm):
    fake_llm.reply('{"action": "sort"}')

    answer = await make_client().instruct(ASK, SCHEMA)

    request = fake_llm.chat_requests[-1]
    assert request.headers["authorization"] == f"Bearer {FAKE_LLM_KEY}"
    assert request.json["model"] == CHAT
    assert request.json["messages"] == ASK
    assert request.json["temperature"] == 0
    assert request.json["max_tokens"] == 2048
    assert answer.text == '{"action": "sort"}'
    assert answer.model == CHAT
    assert answer.seconds >= 0


async def test_a_pasted_chat_completions_url_still_reaches_the_endpoint(make_client, fake_llm):
    fake_llm.reply("ok")
    client = make_client(llm_base_url=fake_llm.base_url + "/chat/completions/")
    assert (await client.instruct(ASK, SCHEMA)).text == "ok"
    assert fake_llm.chat_requests[-1].path == "/v1/chat/completions"


@pytest.mark.parametrize(("mode", "response_format", "nvext"), [
    ("json_schema",
     {"type": "json_schema", "json_schema": {"name": "replot_answer", "schema": SCHEMA}}, None),
    ("json_object", {"type": "json_object"}, None),
    ("nvext", None, {"guided_json": SCHEMA}),
    ("off", None, None),
])
async def test_each_structured_mode_puts_its_request_in_the_body(
        make_client, fake_llm, mode, response_format, nvext):
    fake_llm.reply('{"action": "sort"}')

    await make_client(llm_structured=mode).instruct(ASK, SCHEMA)

    body = fake_llm.chat_requests[-1].json
    assert body.get("response_format") == response_format
    assert body.get("nvext") == nvext


async def test_reading_a_chart_never_asks_for_json(make_client, fake_llm):
    fake_llm.reply("NO CHART")
    await make_client(llm_structured="json_schema").read_chart(bar_chart())
    body = fake_llm.chat_requests[-1].json
    assert "response_format" not in body
    assert "nvext" not in body


@pytest.mark.parametrize("mode", ["json_schema", "json_object", "nvext"])
async def test_a_refused_response_format_switches_to_off_and_retries_without_it(
        make_client, fake_llm, sleep, mode):
    fake_llm.fail(400, body=error_body(
        "Invalid parameter: 'response_format' of type json_schema is not supported", 400))
    fake_llm.reply('{"action": "sort"}')
    fake_llm.reply('{"action": "undo"}')
    client = make_client(llm_structured=mode)

    first = await client.instruct(ASK, SCHEMA)
    second = await client.instruct(ASK, SCHEMA)

    assert (first.text, second.text) == ('{"action": "sort"}', '{"action": "undo"}')
    assert client.structured == "off"
    refused, retried, later = (r.json for r in fake_llm.chat_requests)
    assert "response_format" in refused or "nvext" in refused
    for body in (retried, later):
        assert "response_format" not in body
        assert "nvext" not in body
    assert sleep.delays == []


async def test_a_bad_request_not_about_the_format_is_not_retried(make_client, fake_llm, sleep):
    fake_llm.fail(400, body=error_body("This model's maximum context length is 8192 tokens", 400))
    fake_llm.reply("never sent")
    client = make_client(llm_structured="json_object")

    with pytest.raises(ModelError) as info:
        await client.instruct(ASK, SCHEMA)

    assert type(info.value) is ModelError
    assert str(info.value) == "The model endpoint refused the request."
    assert client.structured == "json_object"
    assert len(fake_llm.chat_requests) == 1
    assert sleep.delays == []


async def test_a_format_complaint_when_already_off_is_not_retried(make_client, fake_llm):
    fake_llm.fail(400, body=error_body("response_format is not supported", 400))
    fake_llm.reply("never sent")

    with pytest.raises(ModelError, match="refused the request"):
        await make_client(llm_structured="off").instruct(ASK, SCHEMA)

    assert len(fake_llm.chat_requests) == 1


# --- retries ---------------------------------------------------------------------------


async def test_a_rate_limit_is_retried_after_the_time_the_server_asks(
        make_client, fake_llm, sleep):
    fake_llm.fail(429, retry_after=2)
    fake_llm.reply("ok")

    answer = await make_client().instruct(ASK, SCHEMA)

    assert answer.text == "ok"
    assert sleep.delays == [2.0]
    assert len(fake_llm.chat_requests) == 2


@pytest.mark.parametrize(("status", "retry_after", "delay"), [
    (429, 0.25, 0.25),
    (429, 0, 0.0),
    (429, 3600, RETRY_AFTER_CAP_S),
    (503, 1.5, 1.5),
])
async def test_retry_after_is_honoured_up_to_a_cap(
        make_client, fake_llm, sleep, status, retry_after, delay):
    fake_llm.fail(status, retry_after=retry_after)
    fake_llm.reply("ok")

    assert (await make_client().instruct(ASK, SCHEMA)).text == "ok"
    assert sleep.delays == [delay]


async def test_server_errors_are_retried_with_growing_jittered_backoff(
        make_client, fake_llm, sleep):
    fake_llm.fail(500)
    fake_llm.fail(503)
    fake_llm.reply("ok")

    answer = await make_client().instruct(ASK, SCHEMA)

    assert answer.text == "ok"
    assert len(fake_llm.chat_requests) == 3
    first, second = sleep.delays
    assert BACKOFF_BASE_S <= first <= 2 * BACKOFF_BASE_S
    assert 2 * BACKOFF_BASE_S <= second <= 4 * BACKOFF_BASE_S
    assert second >= first


async def test_the_backoff_jitter_varies_between_calls(make_client, fake_llm, sleep):
    client = make_client()
    for _ in range(5):
        fake_llm.fail(503)
        fake_llm.reply("ok")
        await client.instruct(ASK, SCHEMA)

    assert len(sleep.delays) == 5
    assert all(BACKOFF_BASE_S <= d <= 2 * BACKOFF_BASE_S for d in sleep.delays)
    assert len(set(sleep.delays)) > 1


async def test_a_retry_after_that_is_not_seconds_falls_back_to_backoff(
        make_client, fake_llm, sleep):
    fake_llm.responder = lambda body: FakeLLMResponse(
        content=None, status=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
        body=error_body("slow down", 429, "rate_limit_exceeded"))

    with pytest.raises(ModelUnavailable):
        await make_client().instruct(ASK, SCHEMA)

    first, second = sleep.delays
    assert BACKOFF_BASE_S <= first <= 2 * BACKOFF_BASE_S
    assert 2 * BACKOFF_BASE_S <= second <= 4 * BACKOFF_BASE_S


@pytest.mark.parametrize(("status", "message"), [
    (429, "The model service is busy (rate limited). Please try again in a minute."),
    (500, "The model service is having trouble. Please try again shortly."),
    (502, "The model service is having trouble. Please try again shortly."),
    (503, "The model service is having trouble. Please try again shortly."),
])
async def test_three_attempts_then_a_short_human_message(
        make_client, fake_llm, sleep, status, message):
    for _ in range(3):
        fake_llm.fail(status)
    fake_llm.reply("a fourth attempt would get this")

    with pytest.raises(ModelUnavailable) as info:
        await make_client().instruct(ASK, SCHEMA)

    assert str(info.value) == message
    assert len(fake_llm.chat_requests) == 3
    assert fake_llm.queued == 1
    assert len(sleep.delays) == 2


async def test_a_slow_answer_times_out_and_the_retry_succeeds(make_client, fake_llm, sleep):
    fake_llm.delay(5)
    fake_llm.reply("ok")

    answer = await make_client(llm_timeout=0.2).instruct(ASK, SCHEMA)

    assert answer.text == "ok"
    assert len(fake_llm.chat_requests) == 2
    [delay] = sleep.delays
    assert BACKOFF_BASE_S <= delay <= 2 * BACKOFF_BASE_S


async def test_three_timeouts_give_a_model_timeout(make_client, fake_llm, sleep):
    for _ in range(3):
        fake_llm.delay(5)

    with pytest.raises(ModelTimeout) as info:
        await make_client(llm_timeout=0.2).instruct(ASK, SCHEMA)

    assert str(info.value) == "The model took too long to answer. Please try again in a moment."
    assert isinstance(info.value, ModelError)
    assert len(fake_llm.chat_requests) == 3
    assert len(sleep.delays) == 2


async def test_an_endpoint_that_is_not_listening_is_retried_then_explained(make_client, sleep):
    client = make_client(llm_base_url=f"http://127.0.0.1:{free_port()}/v1")

    with pytest.raises(ModelUnavailable) as info:
        await client.instruct(ASK, SCHEMA)

    assert str(info.value) == "I can't reach the model service right now. Please try again."
    assert len(sleep.delays) == 2


# --- refusals that are not retried -----------------------------------------------------


async def test_a_refused_key_is_explained_without_the_key(make_client, fake_llm, sleep):
    wrong_key = "nvapi-wrong-but-secret-0123456789"

    with pytest.raises(ModelUnavailable) as info:
        await make_client(llm_api_key=wrong_key).instruct(ASK, SCHEMA)

    message = str(info.value)
    assert message == "The model endpoint refused our key; the operator needs to check it."
    assert wrong_key not in message
    assert fake_llm.requests[-1].headers["authorization"] == f"Bearer {wrong_key}"
    assert len(fake_llm.chat_requests) == 1
    assert sleep.delays == []


async def test_a_forbidden_answer_is_treated_like_a_refused_key(make_client, fake_llm):
    fake_llm.fail(403)
    with pytest.raises(ModelUnavailable, match="refused our key"):
        await make_client().instruct(ASK, SCHEMA)
    assert len(fake_llm.chat_requests) == 1


async def test_an_unknown_model_is_named_and_not_retried(make_client, fake_llm, sleep):
    fake_llm.models = (CHAT, PHI3)
    client = make_client(vision_model="acme/no-such-vision")

    with pytest.raises(ModelUnavailable) as info:
        await client.read_chart(bar_chart())

    assert str(info.value) == (
        "The model endpoint does not know the model 'acme/no-such-vision'.")
    assert len(fake_llm.chat_requests) == 1
    assert sleep.delays == []


async def test_another_error_status_is_reported_with_its_code(make_client, fake_llm, sleep):
    fake_llm.fail(422)
    with pytest.raises(ModelError) as info:
        await make_client().instruct(ASK, SCHEMA)
    assert type(info.value) is ModelError
    assert str(info.value) == "The model endpoint answered with an error (422)."
    assert sleep.delays == []


# --- answers ---------------------------------------------------------------------------


async def test_a_very_long_answer_is_cut(make_client, fake_llm):
    fake_llm.reply("x" * (MAX_ANSWER_CHARS - 1) + "yz" + "z" * 5000)

    answer = await make_client().instruct(ASK, SCHEMA)

    assert len(answer.text) == MAX_ANSWER_CHARS
    assert answer.text.endswith("xy")


async def test_an_answer_without_content_is_empty_text(make_client, fake_llm):
    fake_llm.reply(None, finish_reason="length")
    assert (await make_client().instruct(ASK, SCHEMA)).text == ""


# --- the key never leaks ---------------------------------------------------------------


def _echoing_the_key(status: int) -> dict[str, Any]:
    """An error body that quotes the key back, as some real endpoints do."""
    return error_body(f"Incorrect API key provided: {FAKE_LLM_KEY} (status {status})", status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 503])
async def test_no_error_message_contains_the_api_key(make_client, fake_llm, status):
    for _ in range(3):
        fake_llm.fail(status, body=_echoing_the_key(status))

    with pytest.raises(ModelError) as info:
        await make_client(llm_structured="off").instruct(ASK, SCHEMA)

    assert FAKE_LLM_KEY not in str(info.value)
    assert FAKE_LLM_KEY not in repr(info.value)
    assert all(FAKE_LLM_KEY not in str(arg) for arg in info.value.args)


async def test_no_timeout_or_connection_message_contains_the_api_key(make_client, fake_llm):
    for _ in range(3):
        fake_llm.delay(5)
    with pytest.raises(ModelTimeout) as timed_out:
        await make_client(llm_timeout=0.2).instruct(ASK, SCHEMA)
    unreachable = make_client(llm_base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(ModelUnavailable) as refused:
        await unreachable.instruct(ASK, SCHEMA)

    for error in (timed_out.value, refused.value):
        assert FAKE_LLM_KEY not in f"{error} {error!r}"

