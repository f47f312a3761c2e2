"""Stories on Discord: a person drives the real discord.py front end against the fake Discord,
the same way they would the Telegram one."""

from __future__ import annotations

from tests.bot_harness import VISION_ANSWER, ChartModel, chart_photo, csv_rows
from tests.discord_harness import answer, is_chart, png_of, start_discord_bot
from tests.fakes.discord_api import (
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    IS_VOICE_MESSAGE,
    FakeDiscord,
)
from tests.fakes.llm_api import FakeLLM
from tests.test_cancel import wait_for_model_calls


async def test_a_dm_photo_comes_back_as_a_chart_table_and_buttons_then_edits_apply(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = model = ChartModel()
    person = fake_discord.person(name="ada")
    async with start_discord_bot(fake_discord, fake_llm):
        await fake_discord.dm(person, attachments=[("sales.png", chart_photo(), "image/png")])
        dm = fake_discord.dm_channel(person)
        chart = await fake_discord.wait_for_message(dm)
        assert is_chart(chart) and png_of(chart, fake_discord).format == "PNG"
        assert "Sales by year" in chart.content and "2023" in chart.content  # the table
        assert "```" in chart.content
        assert any(cid.startswith("q:type:pie:") for cid in chart.custom_ids())

        await fake_discord.dm(person, "make it a pie chart")
        pie = await fake_discord.wait_for_message(dm)
        assert is_chart(pie) and pie.content.startswith("Now a pie chart.")

        await fake_discord.dm(person, "add 2024 = 50")
        added = await fake_discord.wait_for_message(dm)
        assert is_chart(added) and "2024" in added.content and "50" in added.content
    assert model.seen == ["make it a pie chart", "add 2024 = 50"]


async def test_a_button_tap_is_acknowledged_at_once_and_costs_no_model_call(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    async with start_discord_bot(fake_discord, fake_llm):
        await fake_discord.dm(person, attachments=[("c.png", chart_photo(), "image/png")])
        chart = await fake_discord.wait_for_message(fake_discord.dm_channel(person))
        calls = len(fake_llm.requests)
        pie = next(c for c in chart.custom_ids() if c.startswith("q:type:pie:"))
        tap = await fake_discord.click(person, chart, pie)
        ack = await tap.wait_ack()
        assert ack.type == DEFERRED_UPDATE_MESSAGE and ack.elapsed_s < 3
        edited = await fake_discord.wait_for_message(chart.channel_id, kinds=("edit",))
        assert edited.id == chart.id and is_chart(edited)
        assert edited.content.startswith("Pie chart")
        assert not any(c.startswith("q:type:pie:") for c in edited.custom_ids())
    assert len(fake_llm.requests) == calls


async def test_slash_commands_are_deferred_then_answered(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        registered = set(fake_discord.commands)
        assert registered >= {"help", "table", "csv", "xlsx", "export", "undo", "redo", "reset",
                              "voice", "cancel", "usage", "read"}
        read = fake_discord.commands["read"]
        assert read["description_localizations"]["zh-CN"] == "读取图片中的图表"

        command = await fake_discord.slash(person, dm, "read",
                                           {"image": ("chart.png", chart_photo(), "image/png")})
        assert (await command.wait_ack()).type == DEFERRED_CHANNEL_MESSAGE
        chart = await answer(fake_discord, dm)
        assert is_chart(chart)

        csv = await fake_discord.slash(person, dm, "csv")
        await csv.wait_ack()
        document = await answer(fake_discord, dm)
        [stored] = document.files
        assert stored.filename.endswith(".csv")
        assert [row[0] for row in csv_rows(stored.data)] == ["Year", "2021", "2022", "2023"]

        usage = await fake_discord.slash(person, dm, "usage")
        await usage.wait_ack()
        said = await answer(fake_discord, dm)
        assert said.content.startswith("Today you have used 1 of 100 model calls")


async def test_in_a_server_only_what_addresses_the_bot_is_answered(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = model = ChartModel()
    person = fake_discord.person()
    async with start_discord_bot(fake_discord, fake_llm):
        guild = await fake_discord.add_guild(channels=["general"])
        general = guild.channel("general")
        await fake_discord.guild_message(general, person, "nice chart everyone",
                                         attachments=[("c.png", chart_photo(), "image/png")])
        await fake_discord.guild_message(general, person, "just chatting")
        await fake_discord.guild_message(general, person, mentions_bot=True,
                                         attachments=[("c.png", chart_photo(), "image/png")])
        chart = await fake_discord.wait_for_message(general)
        assert is_chart(chart)
        await fake_discord.guild_message(general, person, "make it a line chart",
                                         reply_to=chart)
        line = await fake_discord.wait_for_message(general)
        assert line.content.startswith("Now a line chart.")
        assert fake_discord.unclaimed(general) == []
    assert model.seen == ["make it a line chart"]
    assert len([r for r in fake_llm.model_calls() if fake_llm.images_in(r)]) == 1


async def test_a_slow_model_is_still_acknowledged_in_time(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel(delays={"make it a pie chart": 4.0})
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, llm_timeout=30):
        await fake_discord.dm(person, attachments=[("c.png", chart_photo(), "image/png")])
        chart = await fake_discord.wait_for_message(dm)
        await fake_discord.dm(person, "make it a pie chart")
        # A command queued behind the slow edit is acknowledged before its turn comes.
        table = await fake_discord.slash(person, dm, "table")
        ack = await table.wait_ack(timeout=3)
        assert ack.elapsed_s < 3
        pie = await answer(fake_discord, dm, timeout=15)
        assert is_chart(pie) and pie.id != chart.id
        shown = await answer(fake_discord, dm, timeout=15)
        assert "2023" in shown.content


async def test_an_old_button_works_after_a_restart(
        fake_discord: FakeDiscord, fake_llm: FakeLLM, redis_url: str) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, redis_url=redis_url):
        await fake_discord.dm(person, attachments=[("c.png", chart_photo(), "image/png")])
        chart = await fake_discord.wait_for_message(dm)
    async with start_discord_bot(fake_discord, fake_llm, redis_url=redis_url):
        line = next(c for c in chart.custom_ids() if c.startswith("q:type:line:"))
        tap = await fake_discord.click(person, chart, line)
        await tap.wait_ack()
        edited = await fake_discord.wait_for_message(dm, kinds=("edit",))
        assert edited.content.startswith("Line chart")


async def test_bad_attachments_get_a_short_answer_and_no_model_call(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        await fake_discord.dm(person, attachments=[("setup.exe", b"MZ" + bytes(100), None)])
        refused = await fake_discord.wait_for_message(dm)
        assert "CSV or XLSX" in refused.content
        huge = b"\x89PNG\r\n\x1a\n" + bytes(30 * 1024 * 1024)
        await fake_discord.dm(person, attachments=[("huge.png", huge, "image/png")])
        too_big = await fake_discord.wait_for_message(dm)
        assert "MB" in too_big.content
    assert fake_llm.model_calls() == []
    assert fake_discord.cdn_fetches == []  # nothing was downloaded


async def test_voice_replies_come_as_a_voice_message(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        voice = await fake_discord.slash(person, dm, "voice")
        await voice.wait_ack()
        on = await answer(fake_discord, dm)
        assert on.content.startswith("Voice replies are on")
        note = await fake_discord.wait_for_message(
            dm, lambda s: bool(s.flags & IS_VOICE_MESSAGE), timeout=30)
        assert note.flags & IS_VOICE_MESSAGE
        [attachment] = note.attachments
        assert attachment["duration_secs"] > 0 and attachment["waveform"]


async def test_the_interaction_locale_chooses_the_language(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person(locale="zh-CN")
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        command = await fake_discord.slash(person, dm, "table")
        await command.wait_ack()
        said = await answer(fake_discord, dm)
        assert said.content.startswith("请先发给我一张图表照片")


async def test_cancel_stops_a_slow_answer_and_keeps_the_table(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel(delays={"make it a pie chart": 30.0})
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm, llm_timeout=60):
        await fake_discord.dm(person, attachments=[("c.png", chart_photo(), "image/png")])
        await fake_discord.wait_for_message(dm)
        await fake_discord.dm(person, "make it a pie chart")
        await wait_for_model_calls(fake_llm, 2)
        cancel = await fake_discord.slash(person, dm, "cancel")
        ack = await cancel.wait_ack()
        assert ack.data["flags"] & EPHEMERAL
        assert ack.data["content"].startswith("Stopped.")
        await fake_discord.wait_for_message(dm)  # that ephemeral answer
        table = await fake_discord.slash(person, dm, "table")
        await table.wait_ack()
        shown = await answer(fake_discord, dm)
        assert "2023" in shown.content
        assert not any(is_chart(s) for s in fake_discord.unclaimed(dm))


async def test_an_image_link_is_read_once_discord_previews_it(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    fake_llm.responder = ChartModel()
    person = fake_discord.person()
    dm = fake_discord.dm_channel(person)
    async with start_discord_bot(fake_discord, fake_llm):
        sent = await fake_discord.dm(person, "https://example.com/sales-chart.png")
        waiting = await answer(fake_discord, dm)
        assert "as soon as Discord shows its preview" in waiting.content
        await fake_discord.preview_link(sent, ("sales-chart.png", chart_photo(), "image/png"))
        chart = await answer(fake_discord, dm)
        assert is_chart(chart) and "Sales by year" in chart.content
    assert len([r for r in fake_llm.model_calls() if fake_llm.images_in(r)]) == 1
    assert fake_llm.chat_requests and all(fake_llm.images_in(r) for r in fake_llm.chat_requests)


async def test_markdown_read_off_a_chart_is_shown_as_text_not_as_a_link(
        fake_discord: FakeDiscord, fake_llm: FakeLLM) -> None:
    """A title in a picture is data: on Discord it must not become a masked link that hides
    where it goes, nor bold text or a heading."""
    title = "**Urgent** [Verify your account](https://evil.example)"
    fake_llm.responder = ChartModel(
        vision_answer=VISION_ANSWER.replace("Title: Sales by year", f"Title: {title}"))
    person = fake_discord.person(name="ada")
    async with start_discord_bot(fake_discord, fake_llm):
        await fake_discord.dm(person, attachments=[("sales.png", chart_photo(), "image/png")])
        chart = await fake_discord.wait_for_message(fake_discord.dm_channel(person))
    assert is_chart(chart)
    assert r"Urgent\*\* \[Verify your account](https://evil.example)" in chart.content
