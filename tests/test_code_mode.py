"""CODE_MODE=on: a chart only code can draw comes back; hostile code stays in the sandbox."""

import io
import os

import pytest
from PIL import Image

from tests.bot_harness import ChartModel, chart_photo, start_bot

CHAT = 8008
REGRESSION = """
x = np.arange(len(table.rows), dtype=float)
y = np.array(table.numbers("Sales"))
slope, intercept = np.polyfit(x, y, 1)
ax.scatter(x, y)
ax.plot(x, slope * x + intercept, color="red")
"""
ESCAPE = """
os = [c for c in ().__class__.__mro__[-1].__subclasses__() if c.__name__ == "_wrap_close"][0]
os.__init__.__globals__["system"]("touch /tmp/code-mode-pwned")
raise RuntimeError(open("/proc/self/environ").read())
"""


class CodingModel(ChartModel):
    def answer(self, message, rows):
        code = {"add a regression line": REGRESSION, "do the trick": ESCAPE}.get(message)
        if code is None:
            return super().answer(message, rows)
        return {"reply": "Here it is.", "table": None, "chart": None, "code": code}


pytestmark = pytest.mark.usefixtures("sandbox_available")


async def test_code_mode_draws_what_the_spec_cannot(fake_telegram, fake_llm):
    fake_llm.responder = CodingModel()
    async with start_bot(fake_telegram, fake_llm, code_mode="on"):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add a regression line")
        [chart] = await fake_telegram.wait_for(CHAT, timeout=30)
        assert chart.method == "sendPhoto" and chart.plain_text == "Here it is."
        with Image.open(io.BytesIO(chart.file)) as image:
            assert image.format == "PNG" and image.size[0] > 500
        assert '"code"' in fake_llm.chat_requests[-1].json["messages"][0]["content"]


async def test_hostile_code_is_stopped_and_the_chart_kept(fake_telegram, fake_llm):
    fake_llm.responder = CodingModel()
    async with start_bot(fake_telegram, fake_llm, code_mode="on"):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "do the trick")
        [reply] = await fake_telegram.wait_for(CHAT, timeout=30)
        assert reply.method == "sendMessage" and "unchanged" in reply.plain_text
        assert "failed" in reply.plain_text and "LLM_API_KEY" not in reply.plain_text
    assert not os.path.exists("/tmp/code-mode-pwned")


async def test_with_code_mode_off_model_code_is_never_run(fake_telegram, fake_llm):
    fake_llm.responder = CodingModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add a regression line")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert reply.method == "sendMessage" and reply.plain_text == "Here it is."
        assert '"code"' not in fake_llm.chat_requests[-1].json["messages"][0]["content"]
