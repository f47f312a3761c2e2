"""Words sent with a chart photo or a table file (its caption) are applied to the table just
read, as if sent next: one chart comes back, the asked-for one."""

from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot

CHAT = 6006
GROUP = -100600


async def test_a_photo_captioned_with_a_change_comes_back_changed(fake_telegram, fake_llm):
    model = ChartModel()
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo(), caption="make it a pie chart")
        [pie] = await fake_telegram.wait_for(CHAT)
        await fake_telegram.expect_no_reply(CHAT, within=0.3)
        assert pie.method == "sendPhoto" and pie.plain_text.startswith("Now a pie chart.")
        assert "<pre>Year" in pie.caption  # the table just read, under the chart
        assert model.seen == ["make it a pie chart"]
        assert len(fake_llm.chat_requests) == 2  # read the chart, then the change

        fake_telegram.send_text(CHAT, "/undo")  # back to the chart as read
        [undone] = await fake_telegram.wait_for(CHAT)
        assert undone.method == "sendPhoto" and undone.plain_text.startswith("Undone.")
        assert undone.file != pie.file


async def test_a_photo_captioned_with_a_question_gets_the_chart_and_the_answer(
        fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo(), caption="what is the highest year?")
        chart, answer = await fake_telegram.wait_for(CHAT, 2)
        assert chart.method == "sendPhoto" and "Sales by year" in chart.plain_text
        assert answer.method == "sendMessage" and "2023" in answer.plain_text


async def test_the_same_photo_again_with_a_caption_still_needs_no_vision_call(
        fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        photo = chart_photo()
        fake_telegram.send_photo(CHAT, photo)
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_photo(CHAT, photo, caption="make it a line chart")
        [line] = await fake_telegram.wait_for(CHAT)
        assert line.plain_text.startswith("Now a line chart.")
        assert len(fake_llm.chat_requests) == 2  # one vision call in all, one instruct call


async def test_a_csv_file_captioned_with_a_change(fake_telegram, fake_llm):
    model = ChartModel()
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        data = b"Year,Sales\n2021,10\n2022,12\n2023,15\n"
        fake_telegram.send_document(CHAT, data, "sales.csv", caption="add 2024 = 50")
        [added] = await fake_telegram.wait_for(CHAT)
        assert added.method == "sendPhoto" and added.plain_text.startswith("Added 2024.")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[-1] == ["2024", "50"]
        assert model.seen == ["add 2024 = 50"]


async def test_in_a_group_the_mention_is_not_part_of_the_request(fake_telegram, fake_llm):
    model = ChartModel()
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        name = fake_telegram.bot_username
        fake_telegram.send_photo(GROUP, chart_photo(), chat_type="supergroup",
                                 caption=f"@{name} make it a line chart")
        [line] = await fake_telegram.wait_for(GROUP)
        assert line.plain_text.startswith("Now a line chart.")
        assert model.seen == ["make it a line chart"]

        fake_telegram.send_photo(GROUP, chart_photo(), chat_type="supergroup",
                                 caption=f"@{name}")  # only addressed: nothing to apply
        [chart] = await fake_telegram.wait_for(GROUP)
        await fake_telegram.expect_no_reply(GROUP, within=0.3)
        assert "Sales by year" in chart.plain_text and len(model.seen) == 1


async def test_a_caption_that_fails_still_leaves_the_chart_as_read(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel(fallback='{"nonsense": true}')
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo(), caption="zorble the flimflam")
        chart, failed = await fake_telegram.wait_for(CHAT, 2)
        assert chart.method == "sendPhoto" and "2023" in chart.plain_text
        assert failed.plain_text.startswith("I couldn't turn that into a change")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert len(csv_rows(document.file)) == 4


async def test_a_forwarded_posts_caption_is_not_taken_as_a_request(fake_telegram, fake_llm):
    model = ChartModel()
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo(), forwarded_from="Market News",
                                 caption="Sales rose 20% this year, make it a pie chart of it")
        [chart] = await fake_telegram.wait_for(CHAT)
        await fake_telegram.expect_no_reply(CHAT, within=0.3)
        assert chart.method == "sendPhoto" and "Sales by year" in chart.plain_text
        assert model.seen == []  # one vision call, no instruction
