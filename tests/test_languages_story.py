"""A person whose Telegram speaks Chinese, or who writes in Chinese, gets the bot's own words in
Chinese: the guide, buttons, toasts, computed answers; whoever writes English gets English."""

from __future__ import annotations

import re
from typing import Any

from bot.conversation.engine import HELP_TEXT, NO_TABLE_YET
from bot.words.wording import speaking, t
from tests.bot_harness import ChartModel, chart_photo, start_bot

CHAT = 8008
OTHER = 8009
GROUP = -100808
HAN = re.compile(r"[\u4e00-\u9fff]")


def chinese(message: str, **values: object) -> str:
    with speaking("zh"):
        return t(message, **values)


class ChineseModel(ChartModel):
    """Answers Chinese requests the way an instruct model does: in Chinese."""

    def answer(self, message: str, rows: list[list[str]]) -> dict[str, Any] | str:
        if message == "改成饼图":
            return {"reply": "好的，改成饼图。", "table": None, "chart": {"type": "pie"}}
        if message == "哪一年最高？":
            return {"reply": "2023 年最高。", "table": None, "chart": None,
                    "query": {"op": "max"}}
        return super().answer(message, rows)


async def test_a_chinese_speaker_is_answered_in_chinese(fake_telegram, fake_llm):
    fake_llm.responder = ChineseModel()
    fake_telegram.app_languages[CHAT] = "zh-hans"
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_text(CHAT, "/start")
        [help_message] = await fake_telegram.wait_for(CHAT)
        assert help_message.plain_text == chinese(HELP_TEXT) != HELP_TEXT

        fake_telegram.send_text(CHAT, "你好")
        [guide] = await fake_telegram.wait_for(CHAT)
        assert guide.plain_text == chinese(NO_TABLE_YET)

        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        labels = [label for label, _ in chart.buttons]
        assert all(HAN.search(label) for label in labels), labels

        fake_telegram.press_button(CHAT, chart.message_id, chart.buttons[0][1] or "")
        [toast] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
        await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        assert HAN.search(toast.params["text"]), toast.params

        fake_telegram.send_text(CHAT, "改成饼图")
        [pie] = await fake_telegram.wait_for(CHAT)
        assert pie.method == "sendPhoto" and pie.plain_text.startswith("好的，改成饼图。")

        fake_telegram.send_text(CHAT, "哪一年最高？")
        [answer] = await fake_telegram.wait_for(CHAT)
        assert "2023" in answer.plain_text and HAN.search(answer.plain_text)
        assert "highest" not in answer.plain_text

        fake_telegram.send_text(CHAT, "/undo")
        [undone] = await fake_telegram.wait_for(CHAT)
        assert undone.plain_text.startswith(chinese("Undone."))

        # The same person writing English is answered in English.
        fake_telegram.send_text(CHAT, "what is the highest year?")
        [english] = await fake_telegram.wait_for(CHAT)
        assert "2023" in english.plain_text and not HAN.search(english.plain_text)


async def test_chinese_words_get_chinese_answers_whatever_the_app_speaks(
        fake_telegram, fake_llm):
    fake_llm.responder = ChineseModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_text(OTHER, "你好")
        [guide] = await fake_telegram.wait_for(OTHER)
        assert guide.plain_text == chinese(NO_TABLE_YET)

        fake_telegram.send_text(OTHER, "hello")
        [english] = await fake_telegram.wait_for(OTHER)
        assert english.plain_text == NO_TABLE_YET


async def test_the_chat_remembers_the_language_its_person_writes(fake_telegram, fake_llm):
    fake_llm.responder = ChineseModel()
    async with start_bot(fake_telegram, fake_llm):  # an English app
        fake_telegram.send_photo(OTHER, chart_photo())
        [chart] = await fake_telegram.wait_for(OTHER)
        assert not HAN.search(chart.plain_text)  # nothing written yet: the app's English

        fake_telegram.send_text(OTHER, "改成饼图")
        [chart] = await fake_telegram.wait_for(OTHER)
        assert chart.plain_text.startswith("好的")

        fake_telegram.press_button(OTHER, chart.message_id, chart.buttons[0][1] or "")
        [toast] = await fake_telegram.wait_for(OTHER, method="answerCallbackQuery")
        await fake_telegram.wait_for(OTHER, method="editMessageMedia")
        assert HAN.search(toast.params["text"]), toast.params
        fake_telegram.send_photo(OTHER, chart_photo())  # no words
        [again] = await fake_telegram.wait_for(OTHER)
        shown = chinese("Here is your chart again: {summary}. Tell me what to change.",
                        summary="@")
        assert again.plain_text.startswith(shown.split("@")[0])

        fake_telegram.send_text(OTHER, "/help")
        [guide] = await fake_telegram.wait_for(OTHER)
        assert guide.plain_text == chinese(HELP_TEXT)

        fake_telegram.send_text(OTHER, "make it a line chart")  # a change in English
        await fake_telegram.wait_for(OTHER)
        fake_telegram.send_text(OTHER, "/undo")
        [undone] = await fake_telegram.wait_for(OTHER)
        assert undone.plain_text.startswith("Undone.")


async def test_in_a_group_each_member_is_answered_in_their_own_language(
        fake_telegram, fake_llm):
    fake_llm.responder = ChineseModel()
    fake_telegram.app_languages[CHAT] = "zh-hans"
    async with start_bot(fake_telegram, fake_llm):
        name = fake_telegram.bot_username
        fake_telegram.send_photo(GROUP, chart_photo(), chat_type="supergroup", user_id=OTHER,
                                 caption=f"@{name}")
        await fake_telegram.wait_for(GROUP)
        fake_telegram.send_text(GROUP, f"@{name} 改成饼图", chat_type="supergroup", user_id=CHAT)
        [pie] = await fake_telegram.wait_for(GROUP)
        assert pie.plain_text.startswith("好的")

        fake_telegram.send_text(GROUP, "/help", chat_type="supergroup", user_id=OTHER)
        [guide] = await fake_telegram.wait_for(GROUP)
        assert guide.plain_text == HELP_TEXT  # the English member's app, not the chat's last
        fake_telegram.send_text(GROUP, "/help", chat_type="supergroup", user_id=CHAT)
        [chinese_guide] = await fake_telegram.wait_for(GROUP)
        assert chinese_guide.plain_text == chinese(HELP_TEXT)
