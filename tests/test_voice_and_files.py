"""Voice notes out, voice messages in, and tables sent as CSV or XLSX files."""

import io

from openpyxl import Workbook

from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot

CHAT = 5005


async def test_with_voice_on_answers_also_arrive_as_voice_notes(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "/voice")
        on, note = await fake_telegram.wait_for(CHAT, 2, timeout=20)
        assert "Voice replies are on" in on.plain_text and note.method == "sendVoice"

        fake_telegram.send_text(CHAT, "what is the highest year?")
        answer, voice = await fake_telegram.wait_for(CHAT, 2, timeout=20)
        assert answer.method == "sendMessage" and "2023" in answer.plain_text
        assert voice.method == "sendVoice"
        assert voice.file[:4] == b"OggS" and b"OpusHead" in voice.file[:200]
        assert len(voice.file) < 1_000_000

        fake_telegram.send_text(CHAT, "/voice")
        [off] = await fake_telegram.wait_for(CHAT)
        assert off.plain_text == "Voice replies are off."
        fake_telegram.send_text(CHAT, "what is the highest year?")
        [answer] = await fake_telegram.wait_for(CHAT)
        await fake_telegram.expect_no_reply(CHAT, within=0.5)


async def test_a_voice_message_is_transcribed_and_followed(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, stt_model="whisper-1"):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_llm.reply_transcription("make it a pie chart")
        fake_telegram.send_voice(CHAT, b"OggS" + b"\0" * 200, duration=2)
        heard, pie = await fake_telegram.wait_for(CHAT, 2)
        assert heard.plain_text == "🎙 “make it a pie chart”"
        assert pie.method == "sendPhoto" and pie.plain_text == "Now a pie chart."
        transcription = [r for r in fake_llm.requests if r.path.endswith("/transcriptions")]
        assert transcription[0].json["model"] == "whisper-1"


async def test_without_speech_to_text_a_voice_message_gets_a_clear_answer(fake_telegram,
                                                                          fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_voice(CHAT, b"OggS" + b"\0" * 200, duration=2)
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "please type" in reply.plain_text
    assert fake_llm.model_calls() == []


async def test_a_gbk_csv_file_becomes_the_table_without_a_model_call(fake_telegram, fake_llm):
    data = "城市,销售额\n北京,\"1,200\"\n上海,980\n".encode("gbk")
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, data, "销售.csv", "text/csv")
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and "北京" in chart.plain_text
        assert "1200" in chart.plain_text
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file) == [["城市", "销售额"], ["北京", "1200"], ["上海", "980"]]
    assert fake_llm.model_calls() == []


async def test_an_xlsx_file_becomes_the_table(fake_telegram, fake_llm):
    book = Workbook()
    sheet = book.active
    for row in (["Quarter", "Revenue"], ["Q1", 120.5], ["Q2", 140], ["Q3", 99]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, buffer.getvalue(), "revenue.xlsx", mime)
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and "120.5" in chart.plain_text


async def test_an_old_excel_file_is_explained(fake_telegram, fake_llm):
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls",
                                    "application/vnd.ms-excel")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert ".xlsx" in reply.plain_text and ".csv" in reply.plain_text
