"""`python -m bot check`: an operator checks the whole set-up before going live, including
one real round trip to each model; every refusal of the model endpoint comes back as one line
with its cause and its fix."""

import asyncio
import io
import os
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.checkup import run_check
from bot.config import Settings
from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import DEFAULT_MODELS, FakeLLMResponse, images_in

PHI3 = "microsoft/phi-3-vision-128k-instruct"
LLAMA_VISION = "meta/llama-3.2-11b-vision-instruct"
CHAT = "meta/llama-3.1-70b-instruct"
READ_BACK = ("Here is the table:\n| Quarter | Sales |\n|---|---|\n| Q1 | 12 |\n| Q2 | 30 |\n"
             "| Q3 | 21 |\n| Q4 | 27 |\nTitle: Replot check\nChart type: bar")


def reads_the_check_chart(body: dict) -> FakeLLMResponse | str:
    """A vision model that reads the drawn chart right, an instruct model that obeys."""
    if images_in(body):
        with Image.open(io.BytesIO(images_in(body)[0])) as drawn:
            assert drawn.width >= 300 and drawn.height >= 200
        return READ_BACK
    return '{"ok": true}'


async def check(tmp_path, **env):
    """Run `python -m bot check` with `env` as its only settings; (exit code, lines)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check", cwd=tmp_path,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
             "PYTHONPATH": str(Path(__file__).resolve().parent.parent), **env},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode().splitlines(), err.decode()


async def test_a_working_set_up_passes_every_check(fake_telegram, fake_llm, redis_url,
                                                   tmp_path):
    fake_llm.responder = reads_the_check_chart
    code, lines, err = await check(
        tmp_path, TELEGRAM_BOT_TOKEN=fake_telegram.token,
        TELEGRAM_API_URL=fake_telegram.root_url, LLM_BASE_URL=fake_llm.base_url,
        LLM_API_KEY=FAKE_LLM_KEY, REDIS_URL=redis_url)
    assert code == 0, err
    assert [line.split()[:2] for line in lines] == [
        ["ok", "Telegram"], ["ok", "Model"], ["ok", "Vision"], ["ok", "Instruct"],
        ["ok", "Store"], ["ok", "Voice"], ["ok", "Fonts"]]
    assert f"@{fake_telegram.bot_username}" in lines[0]
    assert "meta/llama-3.1-70b-instruct" in lines[1]
    assert "read the test chart back as Q1 12 · Q2 30 · Q3 21 · Q4 27 (matches" in lines[2]
    assert 'answered the JSON asked for' in lines[3]
    read, instruct = fake_llm.model_calls()
    assert read.json["model"] == "nvidia/nemotron-nano-12b-v2-vl" and images_in(read.json)
    assert instruct.json["model"] == CHAT and "response_format" in instruct.json
    assert fake_telegram.sent == []


async def test_each_broken_part_is_named(fake_telegram, fake_llm, tmp_path):
    fake_llm.models = DEFAULT_MODELS
    fake_llm.reply('{"ok": true}')
    code, lines, _ = await check(
        tmp_path, TELEGRAM_BOT_TOKEN="123:not-the-token", TELEGRAM_API_URL=fake_telegram.root_url,
        LLM_BASE_URL=fake_llm.base_url, LLM_API_KEY=FAKE_LLM_KEY,
        VISION_MODEL="acme/retired-vision", REDIS_URL="redis://127.0.0.1:9/0",
        WEBHOOK_URL="https://replot.example.com/hook", WEBHOOK_SECRET="short")
    assert code == 1
    telegram, model, vision, instruct, store, webhook = lines[:6]
    assert telegram.startswith("FAIL  Telegram") and "refused TELEGRAM_BOT_TOKEN" in telegram
    assert model.startswith("warn  Model API") and "'acme/retired-vision'" in model
    assert vision.startswith("FAIL  Vision") and "does not serve VISION_MODEL" in vision
    assert instruct.startswith("ok    Instruct")
    assert store.startswith("FAIL  Store")
    assert webhook.startswith("FAIL  Webhook") and "WEBHOOK_SECRET" in webhook
    assert FAKE_LLM_KEY not in "\n".join(lines)


# --- one line per refusal, through the fake endpoint -------------------------------------


async def model_lines(capsys, **fields) -> dict[str, str]:
    """The Vision and Instruct lines of an in-process check with these settings."""
    await run_check(Settings(_env_file=None, llm_api_key=FAKE_LLM_KEY, chat_model=CHAT,
                             llm_timeout=5, **fields), front_ends=[])
    lines = capsys.readouterr().out.splitlines()
    return {line.split()[1]: line for line in lines if line.split()[1] in ("Vision", "Instruct")}


async def test_phi3_vision_reads_the_check_chart_on_the_vlm_route(fake_llm, capsys):
    fake_llm.vlm_models = (PHI3,)
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=PHI3,
                              vision_route="vlm", nvidia_vlm_url=fake_llm.vlm_url)
    assert lines["Vision"].startswith("ok    Vision") and "(matches" in lines["Vision"]
    assert fake_llm.model_calls()[0].path == f"/v1/vlm/{PHI3}"


async def test_a_route_that_is_not_there(fake_llm, capsys):
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION,
                              vision_base_url=fake_llm.root_url)
    assert lines["Vision"].startswith("FAIL  Vision")
    assert "answered 404 for the route" in lines["Vision"]
    assert "VISION_BASE_URL" in lines["Vision"] and "/v1" in lines["Vision"]
    assert lines["Instruct"].startswith("ok    Instruct")


async def test_an_unknown_model(fake_llm, capsys):
    fake_llm.models = (CHAT,)
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model="acme/eyes")
    assert lines["Vision"].startswith("FAIL  Vision")
    assert "does not serve VISION_MODEL 'acme/eyes'" in lines["Vision"]


async def test_an_image_in_a_form_the_model_refuses(fake_llm, capsys):
    fake_llm.image_parts = False
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION)
    assert lines["Vision"].startswith("FAIL  Vision")
    assert "refused the image as sent (image_url" in lines["Vision"]
    assert "set VISION_IMAGE_FORMAT=inline" in lines["Vision"]


async def test_structured_output_refused(fake_llm, capsys):
    fake_llm.structured = False
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION)
    assert lines["Instruct"].startswith("warn  Instruct")
    assert "refused structured output (json_object)" in lines["Instruct"]
    assert "set LLM_STRUCTURED=off" in lines["Instruct"]


async def test_a_refused_vision_key_is_named_never_shown(fake_llm, capsys):
    fake_llm.responder = reads_the_check_chart
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION,
                              vision_base_url=fake_llm.base_url, vision_api_key="wrong-key-42")
    assert lines["Vision"].startswith("FAIL  Vision")
    assert "refused the key (401): check VISION_API_KEY" in lines["Vision"]
    assert "wrong-key-42" not in lines["Vision"] and FAKE_LLM_KEY not in lines["Vision"]


async def test_a_model_that_reads_the_chart_wrong_is_a_warning(fake_llm, capsys):
    fake_llm.responder = lambda body: ("| Quarter | Sales |\n|---|---|\n| Q1 | 50 |\n| Q2 | 5 |"
                                       if images_in(body) else '{"ok": true}')
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION)
    assert lines["Vision"].startswith("warn  Vision")
    assert "as Q1 50 · Q2 5, not Q1 12 · Q2 30 · Q3 21 · Q4 27" in lines["Vision"]


@pytest.mark.parametrize("answer", ["NO CHART", "I cannot help with that."])
async def test_an_answer_without_a_table(fake_llm, capsys, answer):
    fake_llm.responder = lambda body: answer if images_in(body) else '{"ok": true}'
    lines = await model_lines(capsys, llm_base_url=fake_llm.base_url, vision_model=LLAMA_VISION)
    assert lines["Vision"].startswith("FAIL  Vision") and "with no table" in lines["Vision"]
