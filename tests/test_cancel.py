"""/cancel: a person stops a slow request; what was queued behind it is dropped; the
session stays exactly as it was, and the bot goes on working. A newer chart photo no longer
stops an earlier one still being read: both become entries of the chat's library."""

import asyncio
import logging

import pytest

from bot.charts.spec import ChartSpec
from bot.sessions.cancellation import (
    Cancelled,
    ChatWork,
    Stopped,
    checkpoint,
    stoppable,
    stopped,
)
from bot.tables.table import Table
from handlers.common import NoteCadence
from handlers.telegram.progress import ProgressTiming
from tests.bot_harness import ChartModel, chart_photo, csv_rows, start_bot
from tests.fakes.llm_api import FakeLLMResponse, images_in

CHAT = 5150
SLOW_S = 20.0  # far longer than any wait below: only a /cancel can end it early


async def wait_for_model_calls(llm, count: int) -> None:
    async with asyncio.timeout(10):
        while len(llm.chat_requests) < count:
            await asyncio.sleep(0.01)


class SlowVision(ChartModel):
    def __call__(self, body):
        answer = super().__call__(body)
        if not self.seen:  # the image request: no instruction seen yet
            answer.delay = SLOW_S
        return answer


@pytest.fixture(params=["memory", "redis"])
def store_url(request):
    if request.param == "memory":
        return None
    return request.getfixturevalue("redis_url")


async def test_cancel_stops_reading_a_chart_and_nothing_is_saved(
        fake_telegram, fake_llm, store_url, caplog):
    caplog.set_level(logging.INFO, logger="bot.conversation.turn")
    fake_llm.responder = SlowVision()
    async with start_bot(fake_telegram, fake_llm, redis_url=store_url, llm_timeout=60):
        fake_telegram.send_photo(CHAT, chart_photo())
        await wait_for_model_calls(fake_llm, 1)

        fake_telegram.send_text(CHAT, "/cancel")
        [stopped] = await fake_telegram.wait_for(CHAT, timeout=5)
        assert stopped.plain_text == "Stopped. Your table and chart are as they were."

        fake_telegram.send_text(CHAT, "/table")
        [table] = await fake_telegram.wait_for(CHAT)
        assert table.plain_text.startswith("Send me a chart photo first")
    assert [s.method for s in fake_telegram.sent_to(CHAT, ["sendMessage", "sendPhoto"])] == [
        "sendMessage", "sendMessage"]
    assert any("kind=photo" in r.getMessage() and "outcome=stopped" in r.getMessage()
               for r in caplog.records)


async def test_cancel_stops_an_edit_and_drops_what_waited_behind_it(
        fake_telegram, fake_llm, store_url):
    fake_llm.responder = ChartModel(delays={"add 2024 = 50": SLOW_S})
    async with start_bot(fake_telegram, fake_llm, redis_url=store_url, llm_timeout=60):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)

        fake_telegram.send_text(CHAT, "add 2024 = 50")
        fake_telegram.send_text(CHAT, "add 2025 = 60")
        await wait_for_model_calls(fake_llm, 2)
        fake_telegram.send_text(CHAT, "/cancel")
        [stopped] = await fake_telegram.wait_for(CHAT, timeout=5)
        assert stopped.plain_text.startswith("Stopped.")

        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert [row[0] for row in csv_rows(document.file)] == ["Year", "2021", "2022", "2023"]

        fake_telegram.send_text(CHAT, "add 2026 = 70")
        [added] = await fake_telegram.wait_for(CHAT)
        assert added.method == "sendPhoto" and added.plain_text.startswith("Added 2026.")
        fake_telegram.send_text(CHAT, "/undo")
        [undone] = await fake_telegram.wait_for(CHAT)
        assert "2026" not in undone.plain_text and "2023" in undone.plain_text
    # The dropped message never reached the model.
    assert fake_llm.responder.seen == ["add 2024 = 50", "add 2026 = 70"]


async def test_cancel_with_nothing_running_says_so(fake_telegram, fake_llm):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_text(CHAT, "/cancel")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert reply.plain_text.startswith("Nothing to stop")
        fake_telegram.send_photo(CHAT, chart_photo())
        [chart] = await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "/cancel")
        [reply] = await fake_telegram.wait_for(CHAT)
        assert chart.method == "sendPhoto" and reply.plain_text.startswith("Nothing to stop")


async def test_the_parts_of_one_update_are_stopped_one_by_one():
    """Several files in one message: a part past its checkpoint finishes and is not counted
    as stopped; a part stopped in its wait stops the update, so no later part starts."""
    work = ChatWork()
    release = asyncio.Event()
    read: list[str] = []

    async def message():
        with work.arrived(1, 10) as mine, work.running(mine):
            for name in ("first", "second", "third"):
                if stopped():
                    return "stopped"
                with work.part():
                    try:
                        await stoppable(release.wait() if name == "second" else asyncio.sleep(0))
                    except Stopped:
                        continue
                    checkpoint()
                    read.append(name)
                    if name == "first":
                        assert work.stop(1, 11) == Cancelled(finishing=1)  # too late for it
            return "done"

    task = asyncio.create_task(message())
    await asyncio.sleep(0.01)
    assert work.stop(1, 12) == Cancelled(stopped=1)  # the second, waiting
    assert await task == "stopped" and read == ["first"]
    assert work.stop(1, 13) == Cancelled()  # nothing left


async def test_a_stopped_wait_raises_stopped_and_the_work_goes_on():
    work = ChatWork()
    release = asyncio.Event()

    async def request():
        with work.arrived(1, 10) as mine, work.running(mine):
            try:
                await stoppable(release.wait())
            except Stopped:
                return "stopped"
            return "answered"

    task = asyncio.create_task(request())
    await asyncio.sleep(0.01)
    assert work.stop(2, 99) == Cancelled()  # another chat: untouched
    assert work.stop(1, 99) == Cancelled(stopped=1)
    assert await task == "stopped"
    assert work.stop(1, 99) == Cancelled()  # gone once done


async def test_work_past_its_checkpoint_finishes():
    work = ChatWork()
    with work.arrived(1, 10) as mine, work.running(mine):
        checkpoint()
        assert work.stop(1, 99) == Cancelled(finishing=1)
        assert await stoppable(asyncio.sleep(0, "saved")) == "saved"


async def test_stopped_work_ends_at_its_next_wait_or_checkpoint():
    work = ChatWork()
    with work.arrived(1, 10) as mine, work.running(mine):
        work.stop(1, 99)
        with pytest.raises(Stopped):
            await stoppable(asyncio.sleep(0))
        with pytest.raises(Stopped):
            checkpoint()


async def test_queued_work_is_stopped_before_it_runs():
    work = ChatWork()
    with work.arrived(1, 10) as first, work.arrived(1, 11) as second:
        assert work.stop(1, 99) == Cancelled(stopped=2)
        assert first.stopped and second.stopped


async def test_a_shutdown_still_cancels_a_stoppable_wait():
    work = ChatWork()

    async def request():
        with work.arrived(1, 10) as mine, work.running(mine):
            await stoppable(asyncio.sleep(10))

    task = asyncio.create_task(request())
    await asyncio.sleep(0.01)
    work.stop(1, 99)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_outside_an_update_nothing_is_stoppable():
    assert await stoppable(asyncio.sleep(0, 7)) == 7
    checkpoint()


def test_replies_say_what_happened():
    assert Cancelled().message().startswith("Nothing to stop")
    assert Cancelled(stopped=2).message().startswith("Stopped.")
    late = Cancelled(finishing=1).message()
    assert "on its way" in late and "/undo" in late
    assert "dropped" in Cancelled(stopped=1, finishing=1).message()


class TwoCharts:
    """Reads the first chart image slowly; later ones at once, as a different table."""

    def __init__(self, first_delay: float = SLOW_S) -> None:
        self.first_delay = first_delay
        self.images = 0

    def __call__(self, body):
        assert images_in(body)
        self.images += 1
        if self.images == 1:
            return FakeLLMResponse("| City | Visits |\n|---|---|\n| Oslo | 3 |\n| Rome | 4 |",
                                   delay=self.first_delay)
        return FakeLLMResponse("| Year | Sales |\n|---|---|\n| 2021 | 10 |\n| 2022 | 12 |")


OTHER_CHART = Table.build(["City", "Visits"], [["Oslo", 3], ["Rome", 4]])


async def test_a_newer_chart_photo_does_not_stop_one_still_being_read(
        fake_telegram, fake_llm):
    # Each chart becomes its own library entry, so the earlier one is read to the end too.
    fake_llm.responder = TwoCharts(first_delay=0.5)
    async with start_bot(fake_telegram, fake_llm, llm_timeout=60):
        fake_telegram.send_photo(CHAT, chart_photo(OTHER_CHART))
        await wait_for_model_calls(fake_llm, 1)
        fake_telegram.send_photo(CHAT, chart_photo(spec=ChartSpec(type="line")))
        first, second = await fake_telegram.wait_for(CHAT, 2, timeout=5)
        assert "Oslo" in first.plain_text and "2022" in second.plain_text
        fake_telegram.send_text(CHAT, "/charts")
        [listing] = await fake_telegram.wait_for(CHAT)
        assert "Your charts (2)" in listing.plain_text


async def test_photos_of_one_album_are_all_read(fake_telegram, fake_llm):
    fake_llm.responder = TwoCharts(first_delay=0.5)
    async with start_bot(fake_telegram, fake_llm):
        fake_telegram.send_photo(CHAT, chart_photo(OTHER_CHART), media_group_id="album-1")
        await wait_for_model_calls(fake_llm, 1)
        fake_telegram.send_photo(CHAT, chart_photo(), media_group_id="album-1")
        first, second = await fake_telegram.wait_for(CHAT, 2)
        assert "Oslo" in first.plain_text and "2022" in second.plain_text


@pytest.fixture
def quick_progress():
    """A model wait of 0.3 s already counts as long (it is 12 s in use); notes may go out
    every time (at most one in ten minutes in use)."""
    return {"progress": ProgressTiming(refresh_s=0.05, after_s=0.3),
            "notes": NoteCadence(every_s=0.0)}


async def test_a_long_model_wait_gets_a_note_whose_stop_button_stops_it(
        fake_telegram, fake_llm, quick_progress):
    fake_llm.responder = ChartModel(delays={"add 2024 = 50": SLOW_S})
    async with start_bot(fake_telegram, fake_llm, **quick_progress, llm_timeout=60):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "add 2024 = 50")
        [note] = await fake_telegram.wait_for(CHAT, timeout=5)
        assert note.plain_text.startswith("Still working on it")
        assert note.buttons == [("⏹ Stop", "stop")]

        fake_telegram.press_button(CHAT, note.message_id, "stop")
        [answer] = await fake_telegram.wait_for(CHAT, method="answerCallbackQuery")
        assert answer.params["text"] == "Stopped. Your table and chart are as they were."
        [removed] = await fake_telegram.wait_for(CHAT, method="deleteMessage")
        assert removed.message_id == note.message_id
        await fake_telegram.expect_no_reply(CHAT, within=0.3)

        fake_telegram.send_text(CHAT, "/csv")
        [document] = await fake_telegram.wait_for(CHAT)
        assert [row[0] for row in csv_rows(document.file)][-1] == "2023"


async def test_the_note_goes_once_a_slow_answer_arrives(fake_telegram, fake_llm, quick_progress):
    fake_llm.responder = ChartModel(delays={"make it a line chart": 1.0})
    async with start_bot(fake_telegram, fake_llm, **quick_progress):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a line chart")
        note, line = await fake_telegram.wait_for(CHAT, 2, method=["sendMessage", "sendPhoto"])
        assert note.plain_text.startswith("Still working") and line.method == "sendPhoto"
        [removed] = await fake_telegram.wait_for(CHAT, method="deleteMessage")
        assert removed.message_id == note.message_id


async def test_a_quick_answer_gets_no_note(fake_telegram, fake_llm, quick_progress):
    fake_llm.responder = ChartModel()
    async with start_bot(fake_telegram, fake_llm, **quick_progress):
        fake_telegram.send_photo(CHAT, chart_photo())
        fake_telegram.send_text(CHAT, "make it a line chart")
        await fake_telegram.wait_for(CHAT, 2)
        await fake_telegram.expect_no_reply(CHAT, within=0.3)
    assert not fake_telegram.sent_to(CHAT, "deleteMessage")


async def test_a_chat_gets_one_note_in_ten_minutes(fake_telegram, fake_llm, quick_progress):
    quick_progress = {**quick_progress, "notes": NoteCadence(every_s=600.0)}
    fake_llm.responder = ChartModel(delays={"make it a line chart": 1.0,
                                            "make it a pie chart": 1.0})
    async with start_bot(fake_telegram, fake_llm, **quick_progress):
        fake_telegram.send_photo(CHAT, chart_photo())
        await fake_telegram.wait_for(CHAT)
        fake_telegram.send_text(CHAT, "make it a line chart")
        note, _ = await fake_telegram.wait_for(CHAT, 2, method=["sendMessage", "sendPhoto"])
        assert "/cancel stops it" in note.plain_text
        fake_telegram.send_text(CHAT, "make it a pie chart")
        [pie] = await fake_telegram.wait_for(CHAT, method=["sendMessage", "sendPhoto"])
        assert pie.method == "sendPhoto"
    assert len(fake_telegram.sent_to(CHAT, "deleteMessage")) == 1
