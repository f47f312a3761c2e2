"""Where a chart goes to be read: NVIDIA's chat completions for the default model, NVIDIA's VLM
route for phi-3-vision and its kind, or a vision endpoint of its own (VISION_BASE_URL).

Both routes are served by the fake OpenAI-compatible API, which refuses what the real ones
refuse: a VLM-route model on chat completions, content parts or a model field on the VLM route.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import pytest_asyncio
from PIL import Image, ImageDraw

from bot.config import Settings
from bot.llm.client import (
    VISION_PROMPT,
    ModelClient,
    ModelUnavailable,
    pick_vision_route,
    without_reasoning,
)
from bot.llm.images import PreparedImage, prepare_image
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import FakeLLM, prompt_text

PHI3 = "microsoft/phi-3-vision-128k-instruct"
NEMOTRON = "nvidia/nemotron-nano-12b-v2-vl"
LLAMA_VISION = "meta/llama-3.2-11b-vision-instruct"
CHAT = "meta/llama-3.1-70b-instruct"
NVIDIA = "https://integrate.api.nvidia.com/v1"
TABLE = "| Year | Sales |\n|---|---|\n| 2021 | 10 |\n| 2022 | 12 |"


def chart() -> PreparedImage:
    im = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(im)
    for i, h in enumerate((100, 160, 230)):
        draw.rectangle([60 + i * 130, 300 - h, 140 + i * 130, 300], fill=(31, 119, 180))
    out = io.BytesIO()
    im.save(out, "PNG")
    return prepare_image(out.getvalue())


@pytest_asyncio.fixture
async def make_client(fake_llm: FakeLLM) -> AsyncIterator[Callable[..., ModelClient]]:
    clients: list[ModelClient] = []

    def make(**overrides: Any) -> ModelClient:
        fields: dict[str, Any] = {"llm_base_url": fake_llm.base_url, "llm_api_key": FAKE_LLM_KEY,
                                  "llm_timeout": 5.0, "chat_model": CHAT,
                                  "nvidia_vlm_url": fake_llm.vlm_url, **overrides}
        client = ModelClient(Settings(_env_file=None, **fields))
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


# --- choosing the route ----------------------------------------------------------------


@pytest.mark.parametrize(("model", "base_url", "setting", "route"), [
    (PHI3, NVIDIA, "auto", "vlm"),
    ("microsoft/phi-3.5-vision-instruct", NVIDIA, "auto", "vlm"),
    ("nvidia/neva-22b", NVIDIA, "auto", "vlm"),
    (NEMOTRON, NVIDIA, "auto", "chat"),
    (LLAMA_VISION, NVIDIA, "auto", "chat"),
    (PHI3, "http://localhost:8000/v1", "auto", "chat"),  # vLLM serves it on chat completions
    (PHI3, NVIDIA, "chat", "chat"),
    (LLAMA_VISION, "http://localhost:8000/v1", "vlm", "vlm"),
])
def test_the_route_follows_the_model_and_the_endpoint(model, base_url, setting, route):
    assert pick_vision_route(model, base_url, setting) == route


def test_the_default_model_is_read_on_nvidias_chat_completions():
    settings = Settings(_env_file=None, llm_api_key="k")
    client = ModelClient(settings)
    assert client.vision_route(settings.vision_model) == "chat"
    assert client.vision_image_format(settings.vision_model) == "image_url"
    assert client.vision_endpoint(settings.vision_model) == f"{NVIDIA}/chat/completions"
    phi3 = ModelClient(Settings(_env_file=None, llm_api_key="k", vision_model=PHI3))
    assert phi3.vision_endpoint(PHI3) == f"https://ai.api.nvidia.com/v1/vlm/{PHI3}"
    assert phi3.vision_image_format(PHI3) == "inline"


def test_a_vision_endpoint_of_its_own_and_its_key_stay_secret():
    settings = Settings(_env_file=None, llm_api_key="nim-key-1234",
                        vision_base_url="http://gpu-box:8000/v1/chat/completions",
                        vision_api_key="vllm-key-5678")
    assert settings.vision_url == "http://gpu-box:8000/v1"
    assert settings.require_vision_key() == "vllm-key-5678"
    assert {"nim-key-1234", "vllm-key-5678"} <= set(settings.secrets())
    assert "vllm-key-5678" not in repr(settings)
    fallback = Settings(_env_file=None, llm_api_key="nim-key-1234", vision_base_url="",
                        vision_api_key="")
    assert fallback.vision_url == fallback.llm_base_url
    assert fallback.require_vision_key() == "nim-key-1234"


# --- on the wire -----------------------------------------------------------------------


async def test_phi3_vision_is_read_on_the_vlm_route_in_the_form_it_expects(make_client, fake_llm):
    fake_llm.vlm_models = (PHI3,)
    fake_llm.reply(TABLE)
    image = chart()

    answer = await make_client(vision_model=PHI3, vision_route="vlm").read_chart(image)

    assert answer.text == TABLE and answer.model == PHI3
    [request] = fake_llm.model_calls()
    assert request.path == f"/v1/vlm/{PHI3}"
    assert request.headers["authorization"] == f"Bearer {FAKE_LLM_KEY}"
    assert "model" not in request.json and "response_format" not in request.json
    [message] = request.json["messages"]
    assert isinstance(message["content"], str)
    assert message["content"].startswith(VISION_PROMPT + '\n<img src="data:image/')
    assert fake_llm.images_in(request) == [image.data]


async def test_phi3_vision_on_chat_completions_is_refused_as_on_nvidias_catalog(make_client,
                                                                                fake_llm):
    fake_llm.vlm_models = (PHI3,)
    with pytest.raises(ModelUnavailable):
        await make_client(vision_model=PHI3, vision_route="chat").read_chart(chart())
    assert [r.path for r in fake_llm.model_calls()] == ["/v1/chat/completions"]


async def test_the_vlm_route_refuses_the_openai_form(fake_llm):
    fake_llm.vlm_models = (PHI3,)
    image_part = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0K"}}
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {FAKE_LLM_KEY}"}) as http:
        parts = await http.post(f"{fake_llm.vlm_url}/{PHI3}", json={"messages": [
            {"role": "user", "content": [{"type": "text", "text": "read"}, image_part]}]})
        structured = await http.post(f"{fake_llm.vlm_url}/{PHI3}", json={
            "messages": [{"role": "user", "content": "read"}],
            "response_format": {"type": "json_object"}})
        unknown = await http.post(f"{fake_llm.vlm_url}/acme/vision",
                                  json={"messages": [{"role": "user", "content": "read"}]})
    assert parts.status_code == 422 and "str type expected" in parts.json()["detail"]
    assert structured.status_code == 422 and "response_format" in structured.json()["detail"]
    assert unknown.status_code == 404


async def test_the_default_model_reads_with_reasoning_off(make_client, fake_llm):
    fake_llm.reply(f"<think>The bars look like 10 and 12.\n| a | b |</think>\n{TABLE}")
    image = chart()

    answer = await make_client(vision_model=NEMOTRON).read_chart(image)

    assert answer.text == TABLE
    [request] = fake_llm.model_calls()
    assert request.path == "/v1/chat/completions" and request.json["model"] == NEMOTRON
    system, user = request.json["messages"]
    assert system == {"role": "system", "content": "/no_think"}
    assert [part["type"] for part in user["content"]] == ["text", "image_url"]
    assert fake_llm.images_in(request) == [image.data]


def test_a_reasoning_trace_is_never_taken_for_the_answer():
    assert without_reasoning("<think>hmm</think>\n| a |") == "| a |"
    assert without_reasoning("<think>cut off mid-thought | 1 | 2 |") == ""
    assert without_reasoning("| a | b |") == "| a | b |"


async def test_a_self_hosted_vision_model_reads_while_nim_edits(make_client, fake_llm):
    vision = FakeLLM(api_key="vision-key")
    await vision.start()
    try:
        vision.reply(TABLE)
        fake_llm.reply('{"reply": "ok", "table": null, "chart": null}')
        client = make_client(vision_model=LLAMA_VISION, vision_base_url=vision.base_url,
                             vision_api_key="vision-key")

        await client.read_chart(chart())
        await client.instruct([{"role": "user", "content": "hello"}], {"type": "object"})

        [read] = vision.model_calls()
        assert read.json["model"] == LLAMA_VISION
        assert read.headers["authorization"] == "Bearer vision-key"
        [edit] = fake_llm.model_calls()
        assert edit.json["model"] == CHAT and "hello" in prompt_text(edit)
        assert edit.headers["authorization"] == f"Bearer {FAKE_LLM_KEY}"
    finally:
        await vision.stop()


async def test_the_model_list_check_leaves_out_a_vision_model_asked_elsewhere(make_client,
                                                                            fake_llm, caplog):
    fake_llm.models = (CHAT,)
    found = await make_client(vision_model=PHI3, vision_route="vlm").check_endpoint()
    assert found.warnings == ()
    found = await make_client(vision_model=LLAMA_VISION).check_endpoint()
    assert [w.split(" is not")[0] for w in found.warnings] == [f"VISION_MODEL '{LLAMA_VISION}'"]
