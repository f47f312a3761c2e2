"""End-to-end stories: a person talks to the real bot through the fake Bot API.

The bot runs its real code paths — python-telegram-bot polling over HTTP, the openai client
over HTTP, the session store (in process and a real redis-server), matplotlib rendering.
"""

import asyncio
import io
import json

import openpyxl
import pytest
from PIL import Image

from bot.words.wording import LANGUAGES
from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot

CHAT = 1001


def png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return image.size


@pytest.fixture(params=["memory", "redis"])
def store_url(request):
    """Each story runs with the embedded store and with a real redis-server."""
    if request.param == "memory":
        return None
    return request.getfixturevalue("redis_url")


async def test_photo_edit_undo_story(fake_telegram, fake_llm, store_url):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, redis_url=store_url, render_workers=None):
        fake_telegram.send_text(CHAT, "/start")
        [welcome] = await fake_telegram.wait_for(CHAT)
        assert "photo of a chart" in welcome.plain_text
        assert "make it a pie chart" in welcome.plain_text

        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and png_size(chart.file)[0] >= 800
        assert "Sales by year" in chart.plain_text.split("\n\n")[0]
        # The table is under the chart, in the same message, as a monospace block.
        assert chart.parse_mode == "HTML" and "<pre>Year" in chart.caption
        assert "2023" in chart.plain_text and "15" in chart.plain_text
        [vision] = fake_llm.chat_requests
        assert vision.json["model"] == "nvidia/nemotron-nano-12b-v2-vl"
        assert len(fake_llm.images_in(vision)) == 1

        fake_telegram.send_text(CHAT, "make it a pie chart")
        [pie] = await fake_telegram.wait_for(CHAT)
        assert pie.method == "sendPhoto" and pie.plain_text == "Now a pie chart."
        assert pie.file != chart.file
        instruct = fake_llm.chat_requests[-1]
        assert instruct.json["model"] == "meta/llama-3.1-70b-instruct"
        assert "Year,Sales\n2021,10\n2022,12\n2023,15" in fake_llm.last_prompt_text()

        fake_telegram.send_text(CHAT, "add 2024 = 50")
        [added] = await fake_telegram.wait_for(CHAT)
        # The model's words, then what the program changed, in numbers.
        assert added.method == "sendPhoto"
        assert added.plain_text.startswith("Added 2024.\nAdded 1 row.\n\n")
        assert "2024" in added.plain_text.removeprefix("Added 2024.\nAdded 1 row.")

        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert document.method == "sendDocument" and document.file_name.endswith(".csv")
        assert csv_rows(document.file)[-1] == ["2024", "50"]

        fake_telegram.send_text(CHAT, "/xlsx")
        [workbook] = await fake_telegram.wait_for(CHAT)
        assert workbook.method == "sendDocument" and workbook.file_name.endswith(".xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(workbook.file)).active
        assert [c.value for c in sheet[sheet.max_row]] == ["2024", 50]

        fake_telegram.send_text(CHAT, "/undo")
        [undone] = await fake_telegram.wait_for(CHAT)
        assert undone.method == "sendPhoto" and undone.plain_text.startswith("Undone.")
        assert "2024" not in undone.plain_text

        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file) == [["Year", "Sales"], ["2021", "10"], ["2022", "12"],
                                           ["2023", "15"]]
        assert len(fake_llm.chat_requests) == 3


async def test_a_question_gets_a_short_answer_and_leaves_the_chart(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "what is the highest year?")
        [answer] = await fake_telegram.wait_for(CHAT)
        assert answer.method == "sendMessage"
        # The model's own arithmetic said 16; the answer is computed from the table.
        assert answer.plain_text == "2023 has the highest Sales: 15. (Rows used: all 3 rows.)"
        fake_telegram.send_text(CHAT, "what is the capital of France?")
        [answer] = await fake_telegram.wait_for(CHAT)
        assert answer.plain_text == "Paris — but I only know about your chart."


async def test_quick_messages_of_one_chat_apply_in_order(fake_telegram, fake_llm, store_url):
    # The first edit's model answer is slow; without per-chat ordering the second would land
    # first and the first would then overwrite it.
    fake_llm.responder = ChartModel(delays={"add A = 1": 0.6})
    async with start_bot(fake_telegram, fake_llm, redis_url=store_url):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add A = 1")
        fake_telegram.send_text(CHAT, "add B = 2")
        first, second = await fake_telegram.wait_for(CHAT, 2)
        assert first.plain_text.startswith("Added A.") and second.plain_text.startswith("Added B.")
        assert "B" not in first.plain_text.removeprefix("Added A.")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert [row[0] for row in csv_rows(document.file)[-2:]] == ["A", "B"]


async def test_different_chats_run_concurrently(fake_telegram, fake_llm):
    model = ChartModel(delays={"add Slow = 1": 1.0})
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        for chat in (1, 2):
            fake_telegram.send_photo(chat, chart_photo())
            await fake_telegram.wait_for(chat)
        fake_telegram.send_text(1, "add Slow = 1")
        fake_telegram.send_text(2, "add Quick = 2")
        [quick] = await fake_telegram.wait_for(2, timeout=0.9)
        assert quick.plain_text.startswith("Added Quick.")
        [slow] = await fake_telegram.wait_for(1)
        assert slow.plain_text.startswith("Added Slow.")


async def test_text_before_any_photo_gets_a_guide_and_costs_no_model_call(fake_telegram,
                                                                          fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_text(CHAT, "make it a pie chart")
        [guide] = await fake_telegram.wait_for(CHAT)
        assert "chart photo first" in guide.plain_text
        fake_telegram.send_text(CHAT, "/csv")
        [guide] = await fake_telegram.wait_for(CHAT)
        assert "chart photo first" in guide.plain_text
    assert fake_llm.chat_requests == []


async def test_the_same_chart_sent_twice_costs_one_model_call(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        [first] = await fake_telegram.wait_for(CHAT)
        downloads = gets(fake_telegram)
        assert downloads == 1
        # The same file again (Telegram gives it the same file_unique_id): not even downloaded.
        fake_telegram.send_photo(CHAT, chart_photo())
        [again] = await fake_telegram.wait_for(CHAT)
        assert again.method == "sendPhoto" and again.plain_text == first.plain_text
        assert gets(fake_telegram) == downloads
        # The same file sent as a document: the same file_unique_id, so not downloaded either.
        fake_telegram.send_document(CHAT, chart_photo(), "chart.png", "image/png")
        [third] = await fake_telegram.wait_for(CHAT)
        assert third.plain_text == first.plain_text
        assert gets(fake_telegram) == downloads
    assert len(fake_llm.chat_requests) == 1


def gets(fake_telegram) -> int:
    return sum(call.method == "getFile" for call in fake_telegram.requests)


async def test_an_image_sent_as_a_file_is_read_too(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, chart_photo(), "chart.png", "image/png")
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and "2022" in chart.plain_text


async def test_a_wide_table_goes_out_as_a_csv_file(fake_telegram, fake_llm):
    header = "| Region | " + " | ".join(f"Quarter {i} revenue" for i in range(1, 9)) + " |"
    rows = "\n".join("| Region number " + str(r) + " | " + " | ".join(str(r * i) for i in
                     range(1, 9)) + " |" for r in range(1, 6))
    fake_llm.responder = ChartModel(vision_answer=f"{header}\n|{'---|' * 9}\n{rows}")
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        chart, table = await fake_telegram.wait_for(CHAT, 2)
        assert chart.method == "sendPhoto" and "<pre>" not in chart.caption
        assert table.method == "sendDocument" and len(csv_rows(table.file)) == 6


async def test_chinese_chart_round_trip(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel(vision_answer=(
        "标题：各城市销售额\n\n| 城市 | 销售额（万元） |\n|---|---|\n| 北京 | 1,200 |\n"
        "| 上海 | 980 |\n| 广州 | 760 |\n\nChart type: pie"))
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert "北京" in chart.plain_text and "1200" in chart.plain_text
        assert "各城市销售额" in chart.plain_text.split("\n\n")[0]


async def test_many_chats_at_once_each_get_their_own_table(fake_telegram, fake_llm, store_url):
    fake_llm.responder = ChartModel()
    chats = list(range(2000, 2012))
    async with start_bot(fake_telegram, fake_llm, redis_url=store_url):
        for chat in chats:
            fake_telegram.send_photo(chat, chart_photo())
        await asyncio.gather(*(fake_telegram.wait_for(chat) for chat in chats))
        for chat in chats:
            fake_telegram.send_text(chat, f"add C{chat} = {chat}")
        await asyncio.gather(*(fake_telegram.wait_for(chat) for chat in chats))
        for chat in chats:
            fake_telegram.send_text(chat, "/csv")
        documents = await asyncio.gather(*(fake_telegram.wait_for(chat) for chat in chats))
    for chat, [document] in zip(chats, documents, strict=True):
        assert csv_rows(document.file)[-1] == [f"C{chat}", str(chat)]


async def test_every_command_in_the_menu_answers(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        menus = {json.loads(key)[1]: menu for key, menu in fake_telegram.commands.items()}
        others = set(LANGUAGES) - {"en"}
        assert set(menus) == {"", *others}  # every app language, and each one's own
        menu = menus[""]
        names = [c["command"] for c in menu]
        for language in others:
            assert [c["command"] for c in menus[language]] == names
            assert menus[language][0]["description"] != menu[0]["description"]
        assert {"help", "csv", "export", "undo", "cancel", "voice"} <= set(names)
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        several = {"export": 2, "voice": 2}  # two files; the toggle and its voice note
        for name in names:
            fake_telegram.send_text(CHAT, f"/{name}")
            replies = await fake_telegram.wait_for(CHAT, several.get(name, 1), timeout=20)
            assert not [r for r in replies if "went wrong" in (r.plain_text or "")], name
        await fake_telegram.expect_no_reply(CHAT, within=0.3)
