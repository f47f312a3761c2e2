"""Stories with big tables: a 400-row CSV is kept and drawn, and edited with operations.

Through the real bot and the fake Bot API: the model (scripted) answers a data change with an
"edits" list, the program applies it, and every other cell stays as it was.
"""

from __future__ import annotations

import json

from tests.bot_harness import ChartModel, csv_rows, start_bot
from tests.fakes.llm_api import prompt_text

CHAT = 4242
ROWS = 400


def big_csv() -> bytes:
    """400 rows × 6 columns, well inside the 500 × 40 limits: too many bars for a bar chart."""
    lines = ["Year,North,South,East,West,Note"]
    lines += [f"{1601 + i},{i * 1.5:g},{(i * 7) % 113},{i % 17 + 0.25},{1000 - i},"
              f"{'ok' if i % 3 else 'check'}" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


async def test_a_400_row_csv_is_kept_drawn_and_edited_with_an_operation(fake_telegram,
                                                                         fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, render_workers=None):
        fake_telegram.send_document(CHAT, big_csv(), "years.csv", "text/csv")
        chart, table = await fake_telegram.wait_for(CHAT, 2)
        # The table is kept and drawn as a chart that fits, and the caption says so.
        assert chart.method == "sendPhoto"
        assert "400 rows" in chart.plain_text and "line chart" in chart.plain_text
        assert "bar chart of the top 20" in chart.plain_text
        assert table.method == "sendDocument"

        fake_telegram.send_text(CHAT, "/csv")
        [before] = await fake_telegram.wait_for(CHAT)
        original = csv_rows(before.file)
        assert len(original) == ROWS + 1

        fake_telegram.send_text(CHAT, "add a row 2025 = 50")
        added, _ = await fake_telegram.wait_for(CHAT, 2)
        assert added.method == "sendPhoto"
        assert added.plain_text.startswith("Added 2025.\nAdded 1 row.")
        [request] = fake_llm.chat_requests
        prompt = request.json["messages"]
        # A bounded prompt: an overview of the table, not its 2,400 cells.
        assert sum(len(m["content"]) for m in prompt) < 10_000
        assert "The table has 400 rows and 6 columns" in prompt_text(request)
        assert "1601" in prompt_text(request) and "2000" in prompt_text(request)

        fake_telegram.send_text(CHAT, "/csv")
        [after] = await fake_telegram.wait_for(CHAT)
        rows = csv_rows(after.file)
        assert len(rows) == ROWS + 2  # the header, 400 rows and the new one
        assert rows[:-1] == original  # every other row byte for byte as it was
        assert rows[-1] == ["2025", "50", "", "", "", ""]

        fake_telegram.send_text(CHAT, "/undo")
        await fake_telegram.wait_for(CHAT, 2)
        fake_telegram.send_text(CHAT, "/csv")
        [undone] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(undone.file) == original


async def test_a_whole_table_answer_for_a_big_table_is_refused_with_the_reason(fake_telegram,
                                                                                fake_llm):
    model = ChartModel(whole_tables=True)
    fake_llm.responder = model
    async with start_bot(fake_telegram, fake_llm, render_workers=None):
        fake_telegram.send_document(CHAT, big_csv(), "years.csv", "text/csv")
        await fake_telegram.wait_for(CHAT, 2)
        fake_telegram.send_text(CHAT, "add 2025 = 50")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert "couldn't turn that into a change" in reply.plain_text
        _, again = fake_llm.chat_requests
        feedback = again.json["messages"][-1]["content"]
        assert "400 rows, too many to send back whole" in feedback
        assert '"edits"' in feedback
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert len(csv_rows(document.file)) == ROWS + 1


async def test_a_small_table_still_takes_a_whole_table_answer(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel(whole_tables=True)
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, b"Year,Sales\n2021,10\n2022,12\n", "s.csv", "text/csv")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add 2023 = 15")
        [added] = await fake_telegram.wait_for(CHAT)
        assert added.plain_text.startswith("Added 2023.\nAdded 1 row.")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[-1] == ["2023", "15"]


async def test_an_edit_that_makes_the_chart_undrawable_keeps_the_data(fake_telegram, fake_llm):
    """A pie chart, then a negative value: the edit is kept and a chart that fits is drawn."""
    model = ChartModel()
    answers = {
        "make it a pie chart": {"reply": "Pie.", "edits": None, "chart": {"type": "pie"}},
        "2022 is -5": {"reply": "Changed 2022.", "edits": [
            {"op": "set", "row": "2022", "column": "Sales", "value": -5}], "chart": None},
    }
    fake_llm.responder = lambda body: _scripted(model, answers, body)
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_document(CHAT, b"Year,Sales\n2021,10\n2022,12\n", "s.csv", "text/csv")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a pie chart")
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "2022 is -5")
        [changed] = await fake_telegram.wait_for(CHAT)
        assert changed.method == "sendPhoto"
        assert "Set 2022 · Sales to -5 (was 12)" in changed.plain_text
        assert "pie chart cannot show negative numbers" in changed.plain_text
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[-1] == ["2022", "-5"]


def _scripted(model: ChartModel, answers: dict[str, object], body: dict[str, object]):
    from tests.fakes.llm_api import FakeLLMResponse

    message = prompt_text(body).rsplit("Message: ", 1)[-1].strip()
    if message in answers:
        return FakeLLMResponse(json.dumps(answers[message]))
    return model(body)
