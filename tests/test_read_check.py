"""The read check: a new chart is read twice, and the person is told which values differ.

The stories run the real bot against the fake Bot API and the fake model endpoint; the model
fakes answer the check's request (its own prompt, or READ_CHECK_MODEL) with another table.
"""

import asyncio
import json
import logging
import zlib
from itertools import count

import pytest

from bot.charts.render import ChartRenderer
from bot.conversation.quick_actions import decode
from bot.llm import reading
from bot.llm.images import prepare_image
from bot.llm.read_check import (
    CHECK_PROMPT,
    Flag,
    agree,
    check_image,
    compare,
    key,
    log_axis,
    marked_cells,
    surviving,
    values_printed,
    with_other_reading,
)
from bot.sessions.store import Session, Snapshot, decode_session, encode_session
from bot.tables.table import Table
from bot.words.wording import speaking
from tests.bot_harness import chart_photo, csv_rows, start_bot
from tests.fakes.llm_api import FakeLLMResponse, images_in, prompt_text

PHI3 = "microsoft/phi-3-vision-128k-instruct"  # the stories were written for its prompt form
CHAT = 1313
CHECK_MODEL = "meta/llama-3.2-11b-vision-instruct"

FIRST = """| Year | Sales | Costs |
|---|---|---|
| 2021 | 10 | 7 |
| 2022 | 12 | 8 |
| 2023 | 15 | 9 |

Title: Sales by year
Chart type: bar
Values: estimated
Value axis: linear"""

# The same chart read another way: 2021 agrees within 2 %, the labels differ in case and
# spacing only; 2022 · Sales and 2023 · Costs differ.
OTHER = """| year | SALES | Costs |
|---|---|---|
| 2021  | 10.1 | 7 |
| 2022 | 21 | 8 |
| 2023 | 15 |  |

Title: Sales by year
Chart type: bar
Values: estimated
Value axis: linear"""

PRINTED = OTHER.replace("Values: estimated", "Values: printed")


def table(markdown: str) -> Table:
    return reading.read_table_answer(markdown)


def is_check(body: dict) -> bool:
    return CHECK_PROMPT.splitlines()[0] in prompt_text(body)


def by_prompt(first: str, check: str):
    """A vision model that answers the bot's prompt with `first` and the check's with `check`."""
    def answer(body: dict) -> FakeLLMResponse:
        assert images_in(body)
        return FakeLLMResponse(check if is_check(body) else first)
    return answer


def bullets(text: str) -> list[str]:
    return sorted(line.removeprefix("• ") for line in text.splitlines()
                  if line.startswith("• "))


# --- comparing two reads ------------------------------------------------------------------


def test_cells_are_compared_by_label_and_column_case_and_space_blind():
    flags = compare(table(FIRST), table(OTHER)).flags
    assert flags == (Flag(row="2022", column="Sales", shown=12.0, other=21.0),
                     Flag(row="2023", column="Costs", shown=9.0, other=None))
    assert compare(table(FIRST), table(FIRST)).flags == ()
    assert key(" Q1  2021") == key("q1 2021") == key("Q12021")


def test_two_per_cent_is_the_line():
    assert agree(100.0, 102.0) and agree(-50.0, -49.5) and agree(0.0, 0.0)
    assert not agree(100.0, 102.5) and not agree(0.0, 1.0)
    assert agree(None, None) and not agree(None, 0.0) and not agree(5.0, None)
    assert agree("High", " high ") and not agree("High", "Low")


def test_a_second_read_written_the_other_way_round_is_compared_transposed():
    first = table(FIRST)
    flipped = Table.build(["Series", "2021", "2022", "2023"],
                          [["Sales", 10, 12, 15], ["Costs", 7, 8, 99]])
    assert compare(first, flipped).flags == (
        Flag(row="2023", column="Costs", shown=9.0, other=99.0),)


def test_reads_of_different_shapes_flag_nothing():
    other = Table.build(["Month", "Profit"], [["Jan", 1], ["Feb", 2]])
    comparison = compare(table(FIRST), other)
    assert comparison.flags == () and not comparison.comparable and comparison.aligned == 0


def test_a_flag_lasts_while_its_cell_holds_the_value_it_was_shown_with():
    first = table(FIRST)
    flag = Flag(row="2022", column="Sales", shown=12.0, other=21.0)
    assert marked_cells([flag], first) == {(1, 1)}
    kept = with_other_reading(first, flag)
    assert kept is not None and kept.rows[1] == ("2022", 21.0, 8.0)
    assert surviving([flag], kept) == () and with_other_reading(kept, flag) is None
    assert "2022  21" not in first.to_text(marked_cells([flag], first))
    assert "12?" in first.to_text(marked_cells([flag], first))


def test_the_answer_lines_about_printed_values_and_log_axes():
    assert values_printed(PRINTED) and not values_printed(OTHER)
    assert log_axis("| a | b |\nValue axis: logarithmic") and not log_axis(FIRST)


def test_the_check_image_is_the_picture_at_another_scale():
    prepared = prepare_image(chart_photo())
    rescaled = check_image(prepared)
    assert (rescaled.width, rescaled.height) != (prepared.width, prepared.height)
    assert rescaled.mime_type == prepared.mime_type and rescaled.digest == prepared.digest


# --- flags in the session -----------------------------------------------------------------


def test_sessions_saved_before_the_read_check_still_load():
    old = {"table": table(FIRST).model_dump(mode="json"), "chart": {"type": "bar"},
           "undo": [{"table": None}], "prefs": {"voice": True}}
    session = decode_session("telegram:5", 3, zlib.compress(json.dumps(old).encode()))
    assert session.flags == () and session.table == table(FIRST) and session.prefs.voice
    assert session.undo == (Snapshot(),)


def test_flags_are_kept_with_the_table_through_edits_undo_and_storage():
    flags = compare(table(FIRST), table(OTHER)).flags
    session = Session(conversation="telegram:1").changed(table=table(FIRST), chart=None,
                                                         flags=flags)
    again = decode_session("telegram:1", 1, encode_session(session))
    assert again.flags == flags
    edited = session.changed(table=with_other_reading(session.table, flags[0]), chart=None)
    assert edited.flags == flags[1:]  # the changed cell is no longer doubtful
    assert edited.undone() is not None and edited.undone().flags == flags
    assert session.cleared().flags == ()


def test_keep_buttons_carry_their_cell_and_version():
    action = decode("q:keep:3:17")
    assert action is not None and (action.kind, action.arg, action.version) == ("keep", "3", 17)
    assert decode("q:keep:x y:1") is None


# --- stories ------------------------------------------------------------------------------


async def test_disagreeing_reads_are_named_marked_and_one_tap_keeps_the_other(
        fake_telegram, fake_llm):
    fake_llm.responder = by_prompt(FIRST, OTHER)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert bullets(chart.plain_text) == ["2022 · Sales: 12 or 21?", "2023 · Costs: 9 or —?"]
        assert "different values" in chart.plain_text
        assert "12?" in chart.plain_text and "9?" in chart.plain_text  # marked in the table
        assert "2021" not in "".join(bullets(chart.plain_text))
        labels = [label for label, _ in chart.buttons]
        assert labels[:2] == ["2022 · Sales → 21", "2023 · Costs → —"]
        assert len(fake_llm.chat_requests) == 2  # both reads, sent together

        fake_telegram.send_text(CHAT, "/table")
        [shown, note] = await fake_telegram.wait_for(CHAT, 2)
        assert "12?" in shown.plain_text and "15?" not in shown.plain_text
        assert bullets(note.plain_text) == bullets(chart.plain_text)

        fake_telegram.press_button(CHAT, chart.message_id, chart.button_data("2022 · Sales"))
        [toast] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
        assert toast.params["text"] == "Kept 21 for 2022 · Sales."
        await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        edited = fake_telegram.message(CHAT, chart.message_id)
        buttons = [b["text"] for row in edited["reply_markup"]["inline_keyboard"] for b in row]
        assert "2022 · Sales → 21" not in buttons and "2023 · Costs → —" in buttons
        assert edited["caption"].startswith("Kept 21 for 2022 · Sales. One more value to check.")

        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[2] == ["2022", "21", "8"]
        assert len(fake_llm.chat_requests) == 2  # taps and commands cost no model call


async def test_a_fake_that_reads_differently_the_second_time_gets_exactly_those_cells_named(
        fake_telegram, fake_llm):
    arrivals = count()
    fake_llm.responder = lambda body: FakeLLMResponse(FIRST if next(arrivals) == 0 else OTHER)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
    named = {line.split(":")[0] for line in bullets(chart.plain_text)}
    assert named == {"2022 · Sales", "2023 · Costs"}
    assert {"12", "21"} <= set(chart.plain_text.replace("?", " ").split())


async def test_reads_that_agree_name_nothing(fake_telegram, fake_llm):
    fake_llm.responder = by_prompt(FIRST, FIRST.replace("| 2021 | 10 |", "| 2021 | 10.1 |"))
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.plain_text.startswith("Here is your chart again")
        assert "different values" not in chart.plain_text and "?" not in chart.plain_text
        assert not any("→" in label for label, _ in chart.buttons)
        fake_telegram.send_text(CHAT, "/table")
        [shown] = await fake_telegram.wait_for(CHAT)
        assert "?" not in shown.plain_text
        assert len(fake_llm.chat_requests) == 2


async def test_a_failing_second_read_leaves_the_first_unflagged(fake_telegram, fake_llm, caplog):
    # READ_CHECK_MODEL names a model the endpoint does not serve: the check gets a 404.
    fake_llm.models = ("microsoft/phi-3-vision-128k-instruct", "meta/llama-3.1-70b-instruct")
    fake_llm.responder = by_prompt(FIRST, OTHER)
    with caplog.at_level(logging.WARNING, logger="bot.llm.reading"):
        async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3,
                             read_check_model="vendor/no-such-vision-model"):
            fake_telegram.send_photo(CHAT, chart_photo())
            [chart] = await fake_telegram.wait_for(CHAT)
    assert chart.plain_text.startswith("Here is your chart again") and "?" not in chart.plain_text
    assert "2022     12" in chart.plain_text
    assert "the second read failed (ModelUnavailable" in caplog.text
    assert "first read is shown unflagged" in caplog.text
    models = sorted(r.json["model"] for r in fake_llm.chat_requests)
    assert models == ["microsoft/phi-3-vision-128k-instruct", "vendor/no-such-vision-model"]


async def test_a_slow_second_read_is_not_waited_for(fake_telegram, fake_llm, caplog,
                                                    monkeypatch):
    monkeypatch.setattr(reading, "CHECK_GRACE_MIN_S", 0.2)
    released = asyncio.Event()

    async def answer(body: dict) -> FakeLLMResponse:
        if is_check(body):
            await released.wait()
            return FakeLLMResponse(OTHER)
        return FakeLLMResponse(FIRST)

    fake_llm.responder = answer
    with caplog.at_level(logging.WARNING, logger="bot.llm.reading"):
        async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
            fake_telegram.send_photo(CHAT, chart_photo())
            [chart] = await fake_telegram.wait_for(CHAT)
            released.set()
    assert "?" not in chart.plain_text and "2022     12" in chart.plain_text
    assert "the second read was not back" in caplog.text


async def test_a_check_model_reads_the_same_image_with_the_bots_prompt(fake_telegram, fake_llm):
    def answer(body: dict) -> FakeLLMResponse:
        return FakeLLMResponse(OTHER if body["model"] == CHECK_MODEL else FIRST)

    fake_llm.responder = answer
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3,
                         read_check_model=CHECK_MODEL):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
    assert bullets(chart.plain_text) == ["2022 · Sales: 12 or 21?", "2023 · Costs: 9 or —?"]
    main, check = sorted(fake_llm.chat_requests, key=lambda r: r.json["model"] == CHECK_MODEL)
    assert prompt_text(main).removesuffix("\n[image]") == prompt_text(check)  # phi-3: inline
    assert images_in(main) == images_in(check)


async def test_printed_values_are_preferred_to_estimates(fake_telegram, fake_llm):
    fake_llm.responder = by_prompt(FIRST, PRINTED)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert bullets(chart.plain_text) == ["2022 · SALES: 21 or 12?", "2023 · Costs: — or 9?"]
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert csv_rows(document.file)[2] == ["2022", "21", "8"]


async def test_the_same_chart_again_is_flagged_from_the_cache(fake_telegram, fake_llm):
    fake_llm.responder = by_prompt(FIRST, OTHER)
    photo = chart_photo()
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, photo)
        [first] = await fake_telegram.wait_for(CHAT)
        fake_telegram.send_photo(CHAT, photo)
        [second] = await fake_telegram.wait_for(CHAT)
    assert bullets(second.plain_text) == bullets(first.plain_text) != []
    assert len(fake_llm.chat_requests) == 2


async def test_both_reads_are_one_model_call_of_the_daily_budget(fake_telegram, fake_llm):
    fake_llm.responder = by_prompt(FIRST, OTHER)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3, daily_model_calls=1):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and bullets(chart.plain_text)
        fake_telegram.send_text(CHAT, "/usage")
        [usage] = await fake_telegram.wait_for(CHAT)
        assert usage.plain_text == "Today you have used 1 of 1 model calls."


async def test_a_log_axis_is_kept_and_drawn(fake_telegram, fake_llm):
    answer = FIRST.replace("Value axis: linear", "Value axis: log")
    fake_llm.responder = by_prompt(answer, answer)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3) as bot:
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        assert "value axis is logarithmic" in chart.plain_text
        session = await bot.services.store.load(f"telegram:{CHAT}")
    assert session.chart is not None and session.chart.log_y


async def test_keep_buttons_work_after_a_restart(fake_telegram, fake_llm, redis_url):
    fake_llm.responder = by_prompt(FIRST, OTHER)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3, redis_url=redis_url):
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3, redis_url=redis_url):
        fake_telegram.press_button(CHAT, chart.message_id, chart.button_data("2023 · Costs"))
        [toast] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
        assert toast.params["text"] == "Kept — for 2023 · Costs."
        await fake_telegram.wait_for(CHAT, method="editMessageMedia")
        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
    assert csv_rows(document.file)[3] == ["2023", "15", ""]


@pytest.mark.parametrize("language", ["de", "zh"])
def test_the_check_speaks_the_persons_language(language):
    flags = compare(table(FIRST), table(OTHER)).flags
    with speaking(language):
        line = flags[0].describe()
    assert "12" in line and "21" in line and " or " not in line


async def test_a_change_asked_for_in_the_caption_still_names_the_doubtful_cells(
        fake_telegram, fake_llm):
    def answer(body: dict) -> FakeLLMResponse:
        if images_in(body):
            return FakeLLMResponse(OTHER if is_check(body) else FIRST)
        return FakeLLMResponse(json.dumps({"reply": "Now a line chart.", "table": None,
                                           "chart": {"type": "line"}}))

    fake_llm.responder = answer
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3):
        fake_telegram.send_photo(CHAT, chart_photo(), caption="make it a line chart")
        chart, note = await fake_telegram.wait_for(CHAT, 2)
    assert chart.method == "sendPhoto" and chart.plain_text.startswith("Now a line chart.")
    assert "12?" in chart.plain_text and any("→" in label for label, _ in chart.buttons)
    assert bullets(note.plain_text) == ["2022 · Sales: 12 or 21?", "2023 · Costs: 9 or —?"]


async def test_cancel_stops_both_reads(fake_telegram, fake_llm):
    both_asked = asyncio.Event()
    asked = count(1)

    async def answer(body: dict) -> FakeLLMResponse:
        if next(asked) == 2:
            both_asked.set()
        if is_check(body):
            await asyncio.Event().wait()  # never answers: only a cancel ends it
        return FakeLLMResponse(FIRST)

    fake_llm.responder = answer
    async with start_bot(fake_telegram, fake_llm, read_check="on",
                             vision_model=PHI3, llm_timeout=60):
        fake_telegram.send_photo(CHAT, chart_photo())
        await both_asked.wait()
        fake_telegram.send_text(CHAT, "/cancel")
        [stopped] = await fake_telegram.wait_for(CHAT, timeout=5)
        assert stopped.plain_text == "Stopped. Your table and chart are as they were."
        fake_telegram.send_text(CHAT, "/table")
        [nothing] = await fake_telegram.wait_for(CHAT)
        assert nothing.plain_text.startswith("Send me a chart photo first")


async def test_the_checks_copy_is_made_in_a_render_worker_as_in_a_thread() -> None:
    """The bot rescales the check's copy in its render workers (not in its own process, where
    it slowed every other chat); the copy is the same bytes either way."""
    image = prepare_image(chart_photo())
    renderer = ChartRenderer(workers=1)
    try:
        in_worker = await renderer.in_worker(check_image, image)
    finally:
        renderer.close()
    assert in_worker == await asyncio.to_thread(check_image, image)
    assert (in_worker.width, in_worker.height) != (image.width, image.height)
