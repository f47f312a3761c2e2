"""Quick actions under a chart: one tap, no model call, the chart message changes in place."""

import copy

from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot

CHAT = 4004


async def first_chart(fake_telegram):
    fake_telegram.send_photo(CHAT, chart_photo())
    [chart] = await fake_telegram.wait_for(CHAT)
    return chart


async def tap(fake_telegram, chart, label):
    fake_telegram.press_button(CHAT, chart.message_id, chart.button_data(label))
    [answer] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
    return answer.params.get("text")


async def test_a_chart_switch_edits_the_chart_without_a_model_call(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        chart = await first_chart(fake_telegram)
        labels = [label for label, _ in chart.buttons]
        assert labels[:2] == ["📈 Line", "🥧 Pie"] and "📋 Table" in labels
        calls_before = len(fake_llm.chat_requests)

        assert await tap(fake_telegram, chart, "Pie") == "Pie chart"
        [edit] = await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        assert edit.message_id == chart.message_id
        shown = fake_telegram.message(CHAT, chart.message_id)
        assert shown["caption"].startswith("Pie chart")
        assert "2023     15" in shown["caption"]  # the data stays under the chart
        new_labels = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
        assert "📊 Bar" in new_labels and "🥧 Pie" not in new_labels and "↶ Undo" in new_labels
        assert len(fake_llm.chat_requests) == calls_before


async def test_sort_table_and_undo_buttons(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        chart = await first_chart(fake_telegram)
        assert await tap(fake_telegram, chart, "Sort") == "Sorted"
        await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        chart = _current(fake_telegram, chart)

        await tap(fake_telegram, chart, "Table")
        [table] = await fake_telegram.wait_for(CHAT)
        assert table.method == "sendMessage" and "2023" in table.plain_text

        assert await tap(fake_telegram, chart, "Undo") == "Undone."
        await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        # The table under the chart is the one the undo went back to.
        assert fake_telegram.message(CHAT, chart.message_id)["caption"].startswith(
            "Undone.\n\nYear  Sales\n")


async def test_the_voice_toggle_changes_its_button(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        chart = await first_chart(fake_telegram)
        assert await tap(fake_telegram, chart, "Voice") == "Voice replies on."
        await fake_telegram.wait_for(CHAT, method="editMessageReplyMarkup")
        chart = _current(fake_telegram, chart)
        assert "🔇 Voice off" in [label for label, _ in chart.buttons]


async def test_buttons_under_an_older_chart_are_out_of_date(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        old = await first_chart(fake_telegram)
        fake_telegram.send_text(CHAT, "add 2024 = 50")
        await fake_telegram.wait_for(CHAT)
        assert "out of date" in await tap(fake_telegram, old, "Pie")
        await fake_telegram.expect_no_reply(CHAT, within=0.3)
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[-1] == ["2024", "50"]


async def test_forged_button_data_gets_a_polite_answer(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        chart = await first_chart(fake_telegram)
        for forged in ("q:type:hologram:1", "q:exec:rm:1", "x" * 64, "q:sort:value_desc:-1"):
            fake_telegram.press_button(CHAT, chart.message_id, forged, forged=True)
            [answer] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
            assert answer.params.get("text") == "That button doesn't work any more."
        await fake_telegram.expect_no_reply(CHAT, within=0.3)


def _current(fake_telegram, sent):
    """The Sent record re-read with the message's current keyboard."""
    message = fake_telegram.message(CHAT, sent.message_id)
    updated = copy.copy(sent)
    updated.reply_markup = message.get("reply_markup")
    return updated
