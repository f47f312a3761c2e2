"""Strangers, chatty people and big spenders, through the real bot and the fake Bot API."""

from tests.bot_harness import ChartModel, chart_photo, start_bot

OWNER = 1111
STRANGER = 2222


async def test_only_allowed_people_get_in_and_strangers_are_told_once(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, allowed_users=f"{OWNER}"):
        fake_telegram.send_photo(STRANGER, chart_photo())
        [refusal] = await fake_telegram.wait_for(STRANGER)
        assert "private" in refusal.plain_text
        fake_telegram.send_text(STRANGER, "make it a pie chart")
        fake_telegram.send_text(STRANGER, "/start")
        await fake_telegram.expect_no_reply(STRANGER, within=0.5)
        assert fake_llm.chat_requests == []

        fake_telegram.send_photo(OWNER, chart_photo())
        [chart] = await fake_telegram.wait_for(OWNER)
        assert chart.method == "sendPhoto"


async def test_too_many_messages_a_minute_are_slowed_down(fake_telegram, fake_llm):
    async with start_bot(fake_telegram, fake_llm, rate_limit_per_minute=3):
        for _ in range(3):
            fake_telegram.send_text(OWNER, "/help")
        await fake_telegram.wait_for(OWNER, 3)
        fake_telegram.send_text(OWNER, "/help")
        [slow_down] = await fake_telegram.wait_for(OWNER)
        assert "try again in" in slow_down.plain_text
        fake_telegram.send_text(OWNER, "/help")
        await fake_telegram.expect_no_reply(OWNER, within=0.5)


async def test_the_daily_model_budget_stops_spending(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, daily_model_calls=1):
        fake_telegram.send_photo(OWNER, chart_photo())
        await fake_telegram.wait_for(OWNER)
        fake_telegram.send_text(OWNER, "make it a pie chart")
        [refusal] = await fake_telegram.wait_for(OWNER)
        assert "today's 1" in refusal.plain_text and "resets in" in refusal.plain_text
        fake_telegram.send_text(OWNER, "/table")  # no model call: still works
        [table] = await fake_telegram.wait_for(OWNER)
        assert "2023" in table.plain_text
    assert len(fake_llm.chat_requests) == 1


async def test_admins_see_usage_and_others_only_their_own(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, admin_users=f"{OWNER}",
                         daily_model_calls=10):
        fake_telegram.send_photo(STRANGER, chart_photo())
        await fake_telegram.wait_for(STRANGER)
        fake_telegram.send_text(STRANGER, "/usage")
        [mine] = await fake_telegram.wait_for(STRANGER)
        assert mine.plain_text == "Today you have used 1 of 10 model calls."
        fake_telegram.send_text(OWNER, "/usage")
        [report] = await fake_telegram.wait_for(OWNER)
        assert "1" in report.plain_text and report.plain_text != mine.plain_text


async def test_a_strangers_button_tap_is_refused(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    group = -100777
    async with start_bot(fake_telegram, fake_llm, allowed_users=f"{OWNER}"):
        fake_telegram.send_photo(group, chart_photo(), chat_type="group", user_id=OWNER,
                                 caption=f"@{fake_telegram.bot_username}")
        [chart] = await fake_telegram.wait_for(group)
        fake_telegram.press_button(group, chart.message_id, chart.button_data("Pie"),
                                   user_id=STRANGER)
        [answer] = await fake_telegram.wait_for(group, method="answerCallbackQuery")
        assert "private" in answer.params["text"]
        await fake_telegram.expect_no_reply(group, within=0.4)
