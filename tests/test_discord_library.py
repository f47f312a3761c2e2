"""The chat's library on Discord: several chart images (in one message or several) and PDFs
become entries; /charts lists them with "open" buttons that work after a restart; a PDF shows
its progress in one message edited in place, stops on /cancel and ends with one summary;
answers across the library cite each entry with a link that jumps to its message; a reply to
an earlier chart works on that chart."""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

from bot.conversation.reply import Action
from bot.library.entries import open_buttons, source_text
from bot.sessions.store import Session, Source, decode_session, encode_session
from handlers.common import PdfProgressNote
from handlers.discord.delivery import button_groups
from tests.discord_harness import answer, is_chart, start_discord_bot
from tests.fakes.discord_api import (
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    Channel,
    FakeDiscord,
    Sent,
)
from tests.fakes.llm_api import FakeLLM, FakeLLMResponse, images_in
from tests.library_data import TOPICS, LibraryModel, chart_image, report_pdf, table_of
from tests.test_cancel import wait_for_model_calls

REVENUE, RAINFALL, TEMPERATURE = TOPICS[0], TOPICS[1], TOPICS[2]
STAFF = TOPICS[3]


def png(topic: Any, name: str) -> tuple[str, bytes, str]:
    return (name, chart_image(topic), "image/png")


def jump(channel: Channel, message: dict[str, Any] | Sent) -> str:
    """The link Discord's client opens a message with."""
    message_id = message.id if isinstance(message, Sent) else message["id"]
    place = channel.guild_id if channel.guild_id is not None else "@me"
    return f"https://discord.com/channels/{place}/{channel.id}/{message_id}"


async def charts_in(fake: FakeDiscord, channel: Channel, count: int) -> list[Sent]:
    return [await fake.wait_for_message(channel, is_chart, timeout=15) for _ in range(count)]


def entry_id(listing: str, title: str) -> str:
    found = re.search(rf"#(\d+) {title}", listing)
    assert found is not None, listing
    return found.group(1)


async def test_several_images_make_a_library_and_its_open_buttons_survive_a_restart(
        fake_discord: FakeDiscord, fake_llm: FakeLLM, redis_url: str) -> None:
    fake_llm.responder = LibraryModel()
    person = fake_discord.person(name="ada")
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, redis_url=redis_url):
        # Two charts dropped into one message, then a third on its own.
        both = await fake_discord.dm(person, attachments=[png(REVENUE, "revenue.png"),
                                                          png(RAINFALL, "image.png")])
        alone = await fake_discord.dm(person, attachments=[png(TEMPERATURE, "temps.png")])
        charts = await charts_in(fake_discord, dm, 3)
        for chart, topic in zip(charts, (REVENUE, RAINFALL, TEMPERATURE), strict=True):
            assert topic.title in chart.content
        calls = len(fake_llm.model_calls())

        charts_command = fake_discord.commands["charts"]
        assert charts_command["description"] == "List your charts and pick one"
        assert charts_command["description_localizations"]["de"] == (
            "Deine Diagramme auflisten und eins auswählen")
        command = await fake_discord.slash(person, dm, "charts")
        assert (await command.wait_ack()).type == DEFERRED_CHANNEL_MESSAGE
        listing = await answer(fake_discord, dm)
        assert "Your charts (3)" in listing.content and "4×2" in listing.content
        # Each entry says where it came from, with a link that opens that message.
        assert f"revenue.png: {jump(dm, both)}" in listing.content
        assert f"image.png: {jump(dm, both)}" in listing.content
        assert f"temps.png: {jump(dm, alone)}" in listing.content
        assert "(message" not in listing.content
        ids = [entry_id(listing.content, t.title) for t in (REVENUE, RAINFALL, TEMPERATURE)]
        assert listing.custom_ids() == [f"lib:open:{i}" for i in ids]
        assert listing.button_labels()[-1] == f"#{ids[-1]} ✓"

    async with start_discord_bot(fake_discord, fake_llm, redis_url=redis_url):
        tap = await fake_discord.click(person, listing, f"lib:open:{ids[0]}")
        ack = await tap.wait_ack()
        assert ack.type == DEFERRED_UPDATE_MESSAGE and ack.elapsed_s < 3
        opened = await fake_discord.wait_for_message(dm, is_chart)
        assert opened.content.startswith("Now working on") and REVENUE.title in opened.content
        # The current chart is the opened one: a question about it needs no other chart.
        await fake_discord.dm(person, "add Centre = 7")
        added = await fake_discord.wait_for_message(dm, is_chart)
        assert "Region" in added.content and "Centre" in added.content  # revenue's table
    assert len(fake_llm.model_calls()) == calls + 1  # /charts and the taps cost nothing


async def test_a_reply_to_an_earlier_chart_works_on_that_chart(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = LibraryModel()
    person = fake_discord.person()
    async with start_discord_bot(fake_discord, fake_llm):
        guild = await fake_discord.add_guild(channels=["data"])
        data = guild.channel("data")
        for topic in (REVENUE, RAINFALL, TEMPERATURE):
            await fake_discord.guild_message(data, person, mentions_bot=True,
                                             attachments=[png(topic, "image.png")])
            await fake_discord.wait_for_message(data, is_chart, timeout=15)
        rainfall = next(s for s in fake_discord.sent if RAINFALL.title in s.content)

        await fake_discord.guild_message(data, person, "add May = 50", reply_to=rainfall)
        added = await fake_discord.wait_for_message(data, is_chart)
        assert RAINFALL.column in added.content and "May" in added.content
        undo = await fake_discord.slash(person, data, "undo")
        await undo.wait_ack()
        undone = await answer(fake_discord, data)
        assert RAINFALL.column in undone.content and "May" not in undone.content

        # A reply to the chart an "open" button sent works on that chart too.
        listing_command = await fake_discord.slash(person, data, "charts")
        await listing_command.wait_ack()
        listing = await answer(fake_discord, data)
        opened = {}
        for topic in (REVENUE, TEMPERATURE):  # the temperatures end up the current chart
            tap = await fake_discord.click(
                person, listing, f"lib:open:{entry_id(listing.content, topic.title)}")
            await tap.wait_ack()
            opened[topic] = await fake_discord.wait_for_message(data, is_chart)
            assert topic.title in opened[topic].content
        await fake_discord.guild_message(data, person, "add Centre = 5",
                                         reply_to=opened[REVENUE])
        edited = await fake_discord.wait_for_message(data, is_chart)
        assert "Region" in edited.content and "Centre" in edited.content  # revenue's table


async def test_a_question_across_the_library_cites_each_chart_with_a_jump_link(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = LibraryModel()
    person = fake_discord.person()
    async with start_discord_bot(fake_discord, fake_llm):
        guild = await fake_discord.add_guild(channels=["weather"])
        weather = guild.channel("weather")
        sent = {}
        for topic, name in ((REVENUE, "revenue.png"), (RAINFALL, "rain.png"),
                            (TEMPERATURE, "temps.png")):
            sent[topic.title] = await fake_discord.guild_message(
                weather, person, mentions_bot=True, attachments=[png(topic, name)])
            await fake_discord.wait_for_message(weather, is_chart, timeout=15)

        await fake_discord.guild_message(weather, person, "which month had the most rainfall?",
                                         mentions_bot=True)
        said = await fake_discord.wait_for_message(weather)
        table = table_of(RAINFALL)
        best = max(table.rows, key=lambda r: float(r[1] or 0))
        assert f"{best[0]} has the highest" in said.content
        link = jump(weather, sent[RAINFALL.title])
        assert link.startswith(f"https://discord.com/channels/{guild.id}/{weather.id}/")
        assert f"“{RAINFALL.title}” (rain.png: {link})" in said.content
        assert REVENUE.title not in said.content


async def test_a_pdf_shows_its_progress_in_one_edited_message_then_one_summary(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    model = LibraryModel()
    vision_calls = 0

    def staggered(body: dict[str, Any]) -> FakeLLMResponse:
        """Pages come back one by one, so the progress has something to show."""
        nonlocal vision_calls
        reply = model(body)
        if images_in(body):
            vision_calls += 1
            reply.delay = 0.4 * vision_calls
        return reply

    fake_llm.responder = staggered
    data, chart_pages = report_pdf(pages=10, charts=4)
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, llm_timeout=30) as client:
        client.pdf_progress_every_s = 0.2
        pdf = await fake_discord.dm(person, attachments=[("report.pdf", data,
                                                          "application/pdf")])
        note = await fake_discord.wait_for_message(dm, timeout=20)
        assert note.content.startswith("Reading report.pdf: page ")
        assert note.button_labels() == ["⏹ Stop"] and note.custom_ids() == ["stop"]
        summary = await fake_discord.wait_for_message(
            dm, lambda s: "pages read" in s.content, timeout=30)
        assert "10 pages read, 4 charts found" in summary.content
        for page in chart_pages:
            assert f"page {page}" in summary.content
        # The note was edited in place as pages were read, then removed.
        edits = [s for s in fake_discord.sent if s.kind == "edit" and s.id == note.id]
        pages = [int(re.search(r"page (\d+) of 10", s.content).group(1))  # type: ignore[union-attr]
                 for s in edits]
        assert pages and pages == sorted(pages) and pages[-1] > int(
            re.search(r"page (\d+)", note.content).group(1))  # type: ignore[union-attr]
        assert [s.kind for s in fake_discord.sent if s.id == note.id][-1] == "delete"
        assert [s.seq for s in fake_discord.sent if s.id == note.id][-1] < summary.seq
        assert len(fake_llm.chat_requests) == 4  # one vision call per chart page only

        first = summary.custom_ids()[0]
        tap = await fake_discord.click(person, summary, first)
        await tap.wait_ack()
        opened = await fake_discord.wait_for_message(dm, is_chart)
        assert TOPICS[0].title in opened.content

        await fake_discord.dm(person, STAFF.question)
        said = await fake_discord.wait_for_message(dm)
        assert f"(report.pdf, page {chart_pages[3]}: {jump(dm, pdf)})" in said.content


async def test_cancel_stops_a_pdf_being_read_and_saves_nothing(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = LibraryModel(delay=20.0)
    data, _ = report_pdf(pages=6, charts=3)
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, llm_timeout=60):
        await fake_discord.dm(person, attachments=[("report.pdf", data, "application/pdf")])
        note = await fake_discord.wait_for_message(dm, timeout=20)
        assert note.content.startswith("Reading report.pdf: page")
        stop = await fake_discord.click(person, note, "stop")
        ack = await stop.wait_ack()
        assert ack.data["flags"] & EPHEMERAL and ack.data["content"].startswith("Stopped.")
        await fake_discord.wait_for_message(dm)  # that answer, to the tapper alone
        await fake_discord.wait_for_message(dm, lambda s: s.id == note.id, kinds=("delete",),
                                            timeout=10)
        listing = await fake_discord.slash(person, dm, "charts")
        await listing.wait_ack()
        said = await answer(fake_discord, dm)
        assert said.content.startswith("Send me a chart photo first")
        assert not any("pages read" in s.content for s in fake_discord.sent)


async def test_a_pdf_too_big_is_refused_before_download_and_pages_count_against_the_budget(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = LibraryModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, daily_model_calls=2):
        huge = b"%PDF-1.7\n" + bytes(21 * 1024 * 1024)
        await fake_discord.dm(person, attachments=[("huge.pdf", huge, "application/pdf")])
        refused = await fake_discord.wait_for_message(dm)
        assert refused.content.startswith("That PDF is too big for me")
        assert fake_discord.cdn_fetches == []

        data, _ = report_pdf(pages=6, charts=4)
        await fake_discord.dm(person, attachments=[("report.pdf", data, "application/pdf")])
        summary = await fake_discord.wait_for_message(
            dm, lambda s: "pages read" in s.content, timeout=30)
        assert "2 charts found" in summary.content and "Pages not read" in summary.content
        assert len(summary.custom_ids()) == 2
    assert len(fake_llm.chat_requests) == 2


class _Recorded(PdfProgressNote):
    def __init__(self, every_s: float) -> None:
        super().__init__("report.pdf", every_s)
        self.calls: list[str] = []

    async def post(self, text: str) -> None:
        self.calls.append(f"post {text}")

    async def edit(self, text: str) -> None:
        self.calls.append(f"edit {text}")

    async def delete(self) -> None:
        self.calls.append("delete")


async def test_a_pdf_progress_note_is_edited_at_most_once_per_interval() -> None:
    note = _Recorded(every_s=3600)
    for page in range(1, 31):
        await note(page, 30)
    await note.remove()
    await note(31, 31)  # a late report after the note is gone posts nothing
    assert note.calls == ["post Reading report.pdf: page 1 of 30…", "delete"]

    eager = _Recorded(every_s=0)
    await eager(1, 3)
    await eager(2, 3)
    assert eager.calls == ["post Reading report.pdf: page 1 of 3…",
                           "edit Reading report.pdf: page 2 of 3…"]


async def test_cancel_during_several_files_stops_the_one_read_and_reads_no_more(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    model = LibraryModel()

    def first_fast(body: dict[str, Any]) -> FakeLLMResponse:
        reply = model(body)
        reply.delay = 20.0 if len(fake_llm.chat_requests) > 1 else 0.0
        return reply

    fake_llm.responder = first_fast
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, llm_timeout=60):
        await fake_discord.dm(person, attachments=[png(t, f"{i}.png") for i, t in
                                                   enumerate((REVENUE, RAINFALL, TEMPERATURE))])
        first = await fake_discord.wait_for_message(dm, is_chart)
        assert REVENUE.title in first.content
        await wait_for_model_calls(fake_llm, 2)
        await fake_discord.dm(person, "/cancel")
        stopped = await fake_discord.wait_for_message(dm)
        # The second file was stopped, though the first one of the same message was saved.
        assert stopped.content.startswith("Stopped.")
        command = await fake_discord.slash(person, dm, "charts")
        await command.wait_ack()
        said = await answer(fake_discord, dm)
        assert "Your charts (1)" in said.content and REVENUE.title in said.content
    assert len(fake_llm.chat_requests) == 2  # the third file was not read


def test_sources_cite_a_link_when_they_have_one_and_old_ones_load_as_before() -> None:
    telegram = Source(kind="photo", message_id=42)
    assert source_text(telegram) == "your photo (message 42)"
    link = "https://discord.com/channels/@me/1/2"
    assert source_text(Source(kind="photo", message_id=2, link=link)) == f"your photo: {link}"
    assert source_text(Source(kind="file", file_name="image.png", message_id=2, link=link)
                       ) == f"image.png: {link}"
    assert source_text(Source(kind="pdf", file_name="r.pdf", page=3, link=link)
                       ) == f"r.pdf, page 3: {link}"
    # A session stored before sources had links loads, and one with links round-trips.
    old = {"table": table_of(REVENUE).model_dump(mode="json"),
           "entry": {"id": 1, "source": {"kind": "photo", "message_id": 42}}, "last_entry_id": 1}
    session = decode_session("telegram:7", 1, zlib.compress(json.dumps(old).encode()))
    assert session.entry is not None and session.entry.source == telegram
    with_link = session.added(table=table_of(RAINFALL), chart=None, image_key=None,
                              source=Source(kind="file", file_name="a.png", message_id=3,
                                            link=link))
    again = decode_session("discord:1", 2, encode_session(with_link))
    assert again.entry is not None and again.entry.source.link == link


def test_more_buttons_than_a_discord_message_holds_go_in_groups() -> None:
    actions = open_buttons_for(50)
    groups = button_groups(actions)
    assert [sum(len(row) for row in group) for group in groups] == [25, 25]
    assert all(len(group) <= 5 and all(len(row) <= 5 for row in group) for group in groups)
    assert [a.data for g in groups for row in g for a in row] == [
        f"lib:open:{i}" for i in range(1, 51)]
    wide = (tuple(Action(str(i), f"w:{i}") for i in range(7)),)  # a row wider than Discord's
    assert [len(row) for row in button_groups(wide)[0]] == [5, 2]


def open_buttons_for(count: int) -> tuple[tuple[Action, ...], ...]:
    session = Session(conversation="discord:1")
    for i in range(count):
        session = session.added(table=table_of(TOPICS[i % len(TOPICS)]), chart=None,
                                image_key=None, source=Source(kind="photo"))
    return open_buttons(session.entries())


async def test_read_takes_a_pdf_too(fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = LibraryModel()
    data, _ = report_pdf(pages=4, charts=2)
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        command = await fake_discord.slash(person, dm, "read",
                                           {"image": ("report.pdf", data, "application/pdf")})
        await command.wait_ack()
        note = await answer(fake_discord, dm)  # it takes the "thinking…" message's place
        assert note.content.startswith("Reading report.pdf: page ")
        summary = await fake_discord.wait_for_message(
            dm, lambda s: "pages read" in s.content, timeout=30)
        assert "4 pages read, 2 charts found" in summary.content
        assert len(summary.custom_ids()) == 2
        assert [s.kind for s in fake_discord.sent if s.id == note.id][-1] == "delete"
