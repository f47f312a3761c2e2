"""Group etiquette, odd update shapes, the error handler, the "typing…" status and a clean
stop on SIGTERM."""

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from handlers.telegram.progress import ProgressTiming
from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot
from tests.fakes.fixtures import FAKE_LLM_KEY

GROUP = -100123
CHAT = 5151
PERSON = 555


async def test_in_groups_the_bot_acts_only_when_addressed(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(GROUP, chart_photo(), chat_type="supergroup", user_id=PERSON)
        fake_telegram.send_text(GROUP, "lovely weather today", chat_type="supergroup")
        await fake_telegram.expect_no_reply(GROUP, within=0.5)
        assert fake_llm.chat_requests == []

        name = fake_telegram.bot_username
        fake_telegram.send_photo(GROUP, chart_photo(), caption=f"@{name}",
                                 chat_type="supergroup", user_id=PERSON)
        [chart] = await fake_telegram.wait_for(GROUP)
        assert chart.method == "sendPhoto"

        fake_telegram.send_text(GROUP, "add 2024 = 50", chat_type="supergroup",
                                reply_to=chart.message_id)
        [added] = await fake_telegram.wait_for(GROUP)
        assert added.plain_text.startswith("Added 2024.") and "50" in added.plain_text

        fake_telegram.send_text(GROUP, f"@{name} make it a pie chart", chat_type="supergroup")
        [pie] = await fake_telegram.wait_for(GROUP)
        assert pie.plain_text == "Now a pie chart."
        assert fake_llm.last_prompt_text().endswith("Message: make it a pie chart")

        fake_telegram.send_text(GROUP, f"/csv@{name}", chat_type="supergroup")
        [document] = await fake_telegram.wait_for(GROUP)
        assert csv_rows(document.file)[-1] == ["2024", "50"]
        fake_telegram.send_text(GROUP, "/csv@some_other_bot", chat_type="supergroup")
        await fake_telegram.expect_no_reply(GROUP, within=0.4)


async def test_odd_updates_are_ignored_or_answered_without_errors(fake_telegram, fake_llm):
    chat = {"id": 777, "type": "private", "first_name": "Ann"}
    person = {"id": 777, "is_bot": False, "first_name": "Ann"}
    channel = {"id": -1009, "type": "channel", "title": "News"}
    async with start_bot(fake_telegram, fake_llm) as bot:
        errors = []
        bot.app.add_error_handler(lambda update, context: _record(errors, context.error))
        fake_telegram.send_update({"edited_message": {
            "message_id": 1, "date": int(time.time()), "edit_date": int(time.time()),
            "chat": chat, "from": person, "text": "make it a pie chart"}})
        fake_telegram.send_update({"channel_post": {
            "message_id": 2, "date": int(time.time()), "chat": channel, "text": "hello"}})
        fake_telegram.send_update({"message": {
            "message_id": 3, "date": int(time.time()), "chat": channel,
            "sender_chat": channel, "text": "no from_user here"}})
        fake_telegram.send_update({"message": {
            "message_id": 4, "date": int(time.time()), "chat": chat, "from": person,
            "sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                        "is_animated": False, "is_video": False, "type": "regular"}}})
        fake_telegram.send_update({"message": {
            "message_id": 5, "date": int(time.time()), "chat": chat, "from": person,
            "location": {"latitude": 52.5, "longitude": 13.4}}})
        edit, *replies = await fake_telegram.wait_for(777, 3)
        assert edit.plain_text.startswith("I only act on new messages")
        assert all("I work with charts" in r.plain_text for r in replies)
        await fake_telegram.expect_no_reply(777, within=0.4)
        await fake_telegram.expect_no_reply(-1009, within=0.1)
        assert errors == []
    assert fake_llm.chat_requests == []


async def test_an_edited_request_is_explained_and_changes_nothing(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        name = fake_telegram.bot_username
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        sent = fake_telegram.send_text(CHAT, "add 2024 = 5")
        await fake_telegram.wait_for(CHAT)
        calls = len(fake_llm.chat_requests)

        fake_telegram.edit_text(CHAT, sent["message_id"], "add 2024 = 50")
        [told] = await fake_telegram.wait_for(CHAT)
        assert told.plain_text.startswith("I only act on new messages")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[-1] == ["2024", "5"]
        assert len(fake_llm.chat_requests) == calls

        chatter = fake_telegram.send_text(GROUP, "lunch?", chat_type="supergroup")
        fake_telegram.edit_text(GROUP, chatter["message_id"], "lunch at 1?")
        await fake_telegram.expect_no_reply(GROUP, within=0.4)  # not addressed to the bot
        asked = fake_telegram.send_text(GROUP, f"@{name} hello", chat_type="supergroup")
        await fake_telegram.wait_for(GROUP)
        fake_telegram.edit_text(GROUP, asked["message_id"], f"@{name} make it a pie chart")
        [group_told] = await fake_telegram.wait_for(GROUP)
        assert group_told.plain_text.startswith("I only act on new messages")


async def test_an_unexpected_failure_is_logged_and_the_person_told(fake_telegram, fake_llm,
                                                                    caplog):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.fail_next("sendPhoto", error_code=400,
                                description="Bad Request: PHOTO_INVALID_DIMENSIONS")
        fake_telegram.send_photo(1234, chart_photo())
        [sorry] = await fake_telegram.wait_for(1234)
        assert sorry.plain_text.startswith("Sorry, something went wrong on my side.")
        fake_telegram.send_text(1234, "/table")
        [table] = await fake_telegram.wait_for(1234)
        assert "2023" in table.plain_text
    assert any("update" in r.getMessage() and "failed" in r.getMessage()
               for r in caplog.records if r.levelname == "ERROR")


async def test_sigterm_finishes_the_work_in_flight_then_exits(fake_telegram, fake_llm,
                                                              tmp_path):
    fake_llm.responder = ChartModel(delays={"add 2024 = 50": 1.5})
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "TELEGRAM_BOT_TOKEN": fake_telegram.token, "TELEGRAM_API_URL": fake_telegram.root_url,
        "LLM_BASE_URL": fake_llm.base_url, "LLM_API_KEY": FAKE_LLM_KEY,
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        fake_telegram.send_photo(42, chart_photo())
        await fake_telegram.wait_for(42, timeout=30)
        fake_telegram.send_text(42, "add 2024 = 50")
        while not any(m == "add 2024 = 50" for m in fake_llm.responder.seen):
            await asyncio.sleep(0.05)
        bot.send_signal(signal.SIGTERM)
        [added] = await fake_telegram.wait_for(42, timeout=10)
        assert added.plain_text.startswith("Added 2024.") and "50" in added.plain_text
        assert await asyncio.wait_for(bot.wait(), timeout=20) == 0
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    logged = (await bot.stderr.read()).decode()
    assert fake_telegram.token not in logged and FAKE_LLM_KEY not in logged
    assert "update=" in logged and "chat=telegram:42" in logged


async def _record(errors, error):
    errors.append(error)


async def test_a_slow_answer_shows_typing_until_it_arrives_and_not_after(
        fake_telegram, fake_llm):
    # Telegram clears a chat action after 5 s; here the refresh and the wait are scaled down.
    fake_llm.responder = ChartModel(delays={"make it a line chart": 0.6})
    async with start_bot(fake_telegram, fake_llm, progress=ProgressTiming(refresh_s=0.1)):
        fake_telegram.send_photo(PERSON, chart_photo())
        await fake_telegram.wait_for(PERSON)
        fake_telegram.send_text(PERSON, "make it a line chart")
        [line] = await fake_telegram.wait_for(PERSON)
        await asyncio.sleep(0.4)
    done = fake_telegram.sent_to(PERSON)
    chart_at = [s.method for s in done].index("sendPhoto")
    line_at = [s.seq for s in done].index(line.seq)
    between = done[chart_at + 1:line_at]
    assert {(s.method, s.params.get("action")) for s in between} == {
        ("sendChatAction", "typing")}
    assert len(between) >= 4
    assert line_at == len(done) - 1  # nothing after the reply
