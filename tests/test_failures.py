"""When things go wrong the person gets a short, true reply, and their session is intact."""

import io
import logging

import pytest
from PIL import Image
from telegram.error import RetryAfter

from bot.logs import configure_logging
from handlers.telegram.rate_limit import MessageRateLimiter
from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot
from tests.fakes.fixtures import FAKE_LLM_KEY

CHAT = 3003
ORIGINAL = [["Year", "Sales"], ["2021", "10"], ["2022", "12"], ["2023", "15"]]


async def with_table(fake_telegram):
    fake_telegram.send_photo(CHAT, chart_photo())
    [chart] = await fake_telegram.wait_for(CHAT)
    assert chart.method == "sendPhoto"


async def assert_table_intact(fake_telegram):
    fake_telegram.send_text(CHAT, "/csv")
    [document] = await fake_telegram.wait_for(CHAT)
    assert csv_rows(document.file) == ORIGINAL


async def test_a_model_timeout_is_explained_and_loses_nothing(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel(delays={"add X = 1": 5.0})
    async with start_bot(fake_telegram, fake_llm, llm_timeout=0.3) as bot:
        bot.services.models._sleep = _no_wait  # backoff is measured in test_models
        await with_table(fake_telegram)
        fake_telegram.send_text(CHAT, "add X = 1")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "took too long" in reply.plain_text
        await assert_table_intact(fake_telegram)


async def test_rate_limits_and_server_errors_are_retried(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm) as bot:
        bot.services.models._sleep = _no_wait
        await with_table(fake_telegram)
        fake_llm.fail(429, retry_after=1)
        fake_llm.fail(503)
        fake_telegram.send_text(CHAT, "make it a line chart")
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and chart.plain_text == "Now a line chart."


async def test_the_model_service_down_after_retries(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm) as bot:
        bot.services.models._sleep = _no_wait
        await with_table(fake_telegram)
        for _ in range(3):
            fake_llm.fail(500)
        fake_telegram.send_text(CHAT, "make it a line chart")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "having trouble" in reply.plain_text
        await assert_table_intact(fake_telegram)


async def test_garbage_answers_are_reasked_once_then_declined(fake_telegram, fake_llm):
    model = ChartModel(fallback='"not an object"')
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        await with_table(fake_telegram)
        fake_telegram.send_text(CHAT, "do something odd")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "couldn't turn that into a change" in reply.plain_text
        assert len(model.seen) == 2  # the question and one re-ask, no more
        reask = fake_llm.chat_requests[-1].json["messages"]
        assert reask[-1]["content"].startswith("That answer was not valid: no JSON object")
        await assert_table_intact(fake_telegram)


async def test_an_impossible_chart_keeps_the_previous_one(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        await with_table(fake_telegram)
        fake_telegram.send_text(CHAT, "add 2024 = -5")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a pie chart")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert reply.method == "sendMessage"
        assert "negative" in reply.plain_text and "unchanged" in reply.plain_text


async def test_a_photo_without_a_chart_is_explained_and_keeps_the_session(fake_telegram,
                                                                           fake_llm):
    model = ChartModel()
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        await with_table(fake_telegram)
        model.vision_answer = "This is a photo of a cat sitting on a sofa."
        cat = Image.new("RGB", (400, 300), (200, 150, 90))
        buffer = io.BytesIO()
        cat.save(buffer, "JPEG")
        fake_telegram.send_photo(CHAT, buffer.getvalue())
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "couldn't find a chart" in reply.plain_text
        await assert_table_intact(fake_telegram)


async def test_a_huge_photo_is_refused_before_download(fake_telegram, fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, b"x" * 1000, "scan.png", "image/png",
                                    file_size=40 * 1024 * 1024)
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "40 MB" in reply.plain_text and "20 MB" in reply.plain_text
    assert not [call for call in fake_telegram.requests if call.method == "getFile"]
    assert fake_llm.chat_requests == []


async def test_damaged_and_unsupported_files_get_clear_answers(fake_telegram, fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, b"%PDF-1.7 ...", "report.pdf", "application/pdf")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "damaged" in reply.plain_text
        fake_telegram.send_document(CHAT, b"PK\x03\x04...", "notes.docx")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "PNG" in reply.plain_text and "JPEG" in reply.plain_text
        fake_telegram.send_document(CHAT, chart_photo()[:300], "chart.png", "image/png")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "damaged" in reply.plain_text
    assert fake_llm.chat_requests == []


async def test_telegram_flood_control_is_waited_out(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.fail_next("sendPhoto", error_code=429, retry_after=1)
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and "2023" in chart.plain_text


async def test_a_refused_typing_status_never_holds_up_the_reply(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        await with_table(fake_telegram)
        fake_telegram.fail_next("sendChatAction", error_code=429, retry_after=5)
        fake_telegram.send_text(CHAT, "make it a pie chart")
        [pie] = await fake_telegram.wait_for(CHAT, timeout=3)  # less than the 5 s asked
        assert pie.plain_text == "Now a pie chart."
        actions = [c for c in fake_telegram.requests if c.method == "sendChatAction"]
        assert [c.status for c in actions[-1:]] == [429]


async def test_flood_control_on_a_status_is_not_waited_out():
    """A status tried again after flood control would come after the reply it announced."""
    limiter = MessageRateLimiter(max_retries=3)
    await limiter.initialize()
    calls = []

    async def refused(*args, **kwargs):
        calls.append(args)
        raise RetryAfter(5)

    try:
        with pytest.raises(RetryAfter):
            await limiter.process_request(refused, (), {}, "sendChatAction", {"chat_id": 1}, None)
    finally:
        await limiter.shutdown()
    assert len(calls) == 1


async def test_redis_going_away_is_explained_and_recovered(fake_telegram, fake_llm,
                                                           redis_server, redis_url):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, redis_url=redis_url):
        await with_table(fake_telegram)
        redis_server.command("SAVE")  # the throwaway server has no persistence of its own
        redis_server.stop()
        try:
            fake_telegram.send_text(CHAT, "add 2024 = 50")
            [reply] = await fake_telegram.wait_for(CHAT)
            assert "memory store" in reply.plain_text and "Nothing is lost" in reply.plain_text
        finally:
            redis_server.start()
            (redis_server.workdir / "dump.rdb").unlink()
        await assert_table_intact(fake_telegram)


async def test_logs_never_show_the_token_or_key(fake_telegram, fake_llm, capfd):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, llm_timeout=0.3) as bot:
        configure_logging("DEBUG", [fake_telegram.token, FAKE_LLM_KEY])
        try:
            bot.services.models._sleep = _no_wait
            await with_table(fake_telegram)
            fake_llm.fail(401)
            fake_telegram.send_text(CHAT, "make it a line chart")
            [reply] = await fake_telegram.wait_for(CHAT)
            assert "refused our key" in reply.plain_text
        finally:
            logging.getLogger().handlers.clear()
    logged = capfd.readouterr().err
    assert "sendPhoto" in logged  # the Bot API calls were logged ...
    assert fake_telegram.token not in logged  # ... without the token in their URLs
    assert FAKE_LLM_KEY not in logged
    assert FAKE_LLM_KEY not in reply.plain_text


async def _no_wait(seconds: float) -> None:
    return None
