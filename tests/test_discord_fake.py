"""The real discord.py client against the fake Discord: what the Discord front end relies on.

A small bot built only from discord.py's public API (Client, CommandTree, ui.View) logs in,
syncs its commands, answers DMs and slash commands and button presses, and survives a dropped
gateway socket and a restart — everything on loopback.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.http import Route
from PIL import Image

from handlers.discord.endpoints import (
    DISCORD_API_URL,
    DISCORD_GATEWAY_URL,
    api_root,
    current_endpoints,
    gateway_root,
    point_discord_at,
)
from tests.fakes.discord_api import (
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    IS_VOICE_MESSAGE,
    UPDATE_MESSAGE,
    FakeDiscord,
)

READ_DESCRIPTIONS = {discord.Locale.german: "Ein Diagramm lesen",
                     discord.Locale.brazil_portuguese: "Ler um gráfico"}


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


class ChartButtons(discord.ui.View):
    """Persistent buttons: state is in the custom_id, so they work after a restart."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Pie", custom_id="chart:pie", style=discord.ButtonStyle.primary)
    async def pie(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.send_message(
            f"pie ({interaction.locale.value})",
            file=discord.File(io.BytesIO(png(20, 20)), "pie.png"))

    @discord.ui.button(label="Bars", custom_id="chart:bar")
    async def bars(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(content="now bars", view=self)

    @discord.ui.button(label="Undo", custom_id="chart:undo")
    async def undo(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()  # for a button: DEFERRED_UPDATE_MESSAGE
        await interaction.edit_original_response(content="undone", view=None)


class Translations(app_commands.Translator):
    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext[Any, Any]) -> str | None:
        if string.message == "Read a chart from an image":
            return READ_DESCRIPTIONS.get(locale)
        return None


class SmallBot(discord.Client):
    """Answers a DM image with a file and buttons; /read defers, reads, follows up."""

    def __init__(self, *, release: asyncio.Event | None = None,
                 message_content: bool = False) -> None:
        intents = discord.Intents.default()
        assert not intents.message_content
        intents.message_content = message_content
        super().__init__(intents=intents, guild_ready_timeout=0.05)
        self.tree = app_commands.CommandTree(self)
        self.ready = asyncio.Event()
        self.heard: asyncio.Queue[discord.Message] = asyncio.Queue()
        self.errors: asyncio.Queue[BaseException] = asyncio.Queue()
        self.release = release

        @self.tree.command(name="read",
                           description=app_commands.locale_str("Read a chart from an image"))
        async def read(interaction: discord.Interaction, image: discord.Attachment) -> None:
            await interaction.response.defer(thinking=True)
            if self.release is not None:
                await self.release.wait()
            data = await image.read()
            await interaction.followup.send(
                f"read {image.filename}: {len(data)} bytes ({interaction.locale.value})",
                file=discord.File(io.BytesIO(b"x,y\n1,2\n"), "table.csv"))

        @self.tree.command(name="usage", description="Today's model calls")
        async def usage(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("0 of 100", ephemeral=True)

        @self.tree.error
        async def on_error(interaction: discord.Interaction,
                           error: app_commands.AppCommandError) -> None:
            self.errors.put_nowait(error)

    async def setup_hook(self) -> None:
        self.add_view(ChartButtons())
        await self.tree.set_translator(Translations())
        await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready.set()

    async def on_message(self, message: discord.Message) -> None:
        if message.author == self.user:
            return
        self.heard.put_nowait(message)
        if message.guild is None and message.attachments:
            data = await message.attachments[0].read()
            with Image.open(io.BytesIO(data)) as image:
                size = image.size
            await message.channel.send(
                f"a {size[0]}×{size[1]} chart", view=ChartButtons(),
                file=discord.File(io.BytesIO(png(60, 40)), "chart.png"))
        elif message.guild is None:
            await message.channel.send(f"heard: {message.content}")
        elif self.user in message.mentions:
            await message.reply("at your service")

    async def send_voice(self, channel_id: int, ogg: bytes, *, duration: float,
                         waveform: bytes, content: str = "") -> dict[str, Any]:
        """A voice message: discord.File has no waveform, so the multipart form is built here."""
        file = discord.File(io.BytesIO(ogg), "voice-message.ogg")
        payload: dict[str, Any] = {
            "flags": discord.MessageFlags(voice=True).value,
            "attachments": [{"id": 0, "filename": file.filename, "duration_secs": duration,
                             "waveform": base64.b64encode(waveform).decode()}]}
        if content:
            payload["content"] = content
        form = [{"name": "payload_json", "value": json.dumps(payload)},
                {"name": "files[0]", "value": file.fp, "filename": file.filename,
                 "content_type": "audio/ogg"}]
        route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
        result: dict[str, Any] = await self.http.request(route, form=form, files=[file])
        return result


@asynccontextmanager
async def running(fake: FakeDiscord, bot: SmallBot | None = None) -> AsyncIterator[SmallBot]:
    bot = bot or SmallBot()
    task = asyncio.create_task(bot.start(fake.token))
    try:
        ready = asyncio.create_task(bot.ready.wait())
        done, _ = await asyncio.wait({ready, task}, timeout=10,
                                     return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            ready.cancel()
            task.result()
        assert ready in done, "the bot did not get ready"
        yield bot
    finally:
        await bot.close()
        await asyncio.wait_for(task, 10)


async def heard(bot: SmallBot) -> discord.Message:
    return await asyncio.wait_for(bot.heard.get(), 10)


# --- logging in and commands -------------------------------------------------------------------


async def test_logs_in_over_a_compressed_gateway_and_syncs_localized_commands(
        fake_discord: FakeDiscord) -> None:
    await fake_discord.add_guild("Charts club", channels=("general", "data"))
    async with running(fake_discord) as bot:
        assert bot.user is not None and bot.user.id == fake_discord.application_id
        assert bot.application_id == fake_discord.application_id
        assert [g.name for g in bot.guilds] == ["Charts club"]
        assert {c.name for c in bot.guilds[0].text_channels} == {"general", "data"}
    assert fake_discord.gateway_log[:2] == ["IDENTIFY", "READY"]
    # zlib-stream, or zstd-stream where discord.py can import zstandard (discord.py[speed])
    assert fake_discord.compression in ("zlib-stream", "zstd-stream")
    assert fake_discord.command_syncs == 1
    read = fake_discord.commands["read"]
    assert read["description"] == "Read a chart from an image"
    assert read["description_localizations"] == {"de": "Ein Diagramm lesen",
                                                 "pt-BR": "Ler um gráfico"}
    assert read["options"][0]["name"] == "image" and read["options"][0]["type"] == 11
    assert all(r.authorized for r in fake_discord.requests
               if r.path.startswith(("/users", "/applications", "/oauth2")))


async def test_a_wrong_token_is_refused(fake_discord: FakeDiscord) -> None:
    bot = SmallBot()
    with pytest.raises(discord.LoginFailure):
        await bot.login("MTE.wrong.token")
    await bot.close()
    assert fake_discord.requests[0].status == 401


async def test_asking_for_message_content_without_the_portal_switch_fails(
        fake_discord: FakeDiscord) -> None:
    bot = SmallBot(message_content=True)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await asyncio.wait_for(bot.start(fake_discord.token), 10)
    await bot.close()
    assert fake_discord.gateway_log == ["IDENTIFY", "CLOSE 4014"]


async def test_errors_come_in_discords_json_shape(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake_discord.api_url}/no/such/route", headers=headers) as resp:
            assert resp.status == 404
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with http.get(f"{fake_discord.api_url}/users/@me") as resp:
            assert resp.status == 401
            assert await resp.json() == {"message": "401: Unauthorized", "code": 0}
        async with http.get(f"{fake_discord.api_url}/channels/1", headers=headers) as resp:
            assert resp.status == 404
            assert await resp.json() == {"message": "Unknown Channel", "code": 10003}


# --- messages ------------------------------------------------------------------------------------


async def test_dm_with_an_image_gets_a_file_and_persistent_buttons(
        fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        await fake_discord.dm(ana, "", attachments=[("sales.png", png(40, 30), None)])
        message = await heard(bot)
        assert message.attachments[0].content_type == "image/png"
        assert (message.attachments[0].width, message.attachments[0].height) == (40, 30)
        reply = await fake_discord.wait_for_message(fake_discord.dm_channel(ana))
    assert reply.content == "a 40×30 chart"
    assert reply.custom_ids() == ["chart:pie", "chart:bar", "chart:undo"]
    assert reply.button_labels() == ["Pie", "Bars", "Undo"]
    [chart] = reply.files
    assert chart.filename == "chart.png" and chart.content_type == "image/png"
    assert chart.declared_content_type == "application/octet-stream"  # discord.py's multipart
    assert Image.open(io.BytesIO(chart.data)).size == (60, 40)
    assert reply.attachments[0]["width"] == 60
    assert [status for _, status in fake_discord.cdn_fetches] == [200]


async def test_dm_text_arrives_with_content(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord):
        await fake_discord.dm(ana, "make it a pie chart")
        reply = await fake_discord.wait_for_message(fake_discord.dm_channel(ana))
    assert reply.content == "heard: make it a pie chart"


async def test_guild_messages_carry_content_only_when_the_bot_is_addressed(
        fake_discord: FakeDiscord) -> None:
    guild = await fake_discord.add_guild()
    general = guild.channel("general")
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        await fake_discord.guild_message(general, ana, "lunch anyone?",
                                         attachments=[("cat.png", png(), None)])
        chatter = await heard(bot)
        assert (chatter.content, chatter.attachments) == ("", [])
        await fake_discord.guild_message(general, ana, "what grew fastest?", mentions_bot=True)
        addressed = await heard(bot)
        assert addressed.content == f"<@{fake_discord.application_id}> what grew fastest?"
        reply = await fake_discord.wait_for_message(general)
        assert reply.content == "at your service"
        assert reply.message["message_reference"]["message_id"] == str(addressed.id)
        await fake_discord.guild_message(general, ana, "and as a pie?", reply_to=reply)
        follow_up = await heard(bot)
        assert follow_up.content == "and as a pie?"
        assert follow_up.reference is not None and follow_up.reference.message_id == reply.id
        await fake_discord.guild_message(general, ana, "quietly", reply_to=reply,
                                         reply_ping=False)
        assert (await heard(bot)).content == ""
        await fake_discord.wait_for_message(general)  # the answer to the reply
    assert fake_discord.unclaimed(general) == []  # chatter and the quiet reply got no answer


async def test_voice_messages_follow_discords_rules(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    channel = fake_discord.dm_channel(ana)
    ogg = b"OggS" + bytes(200)
    async with running(fake_discord) as bot:
        data = await bot.send_voice(channel.id, ogg, duration=2.5, waveform=bytes(range(25)))
        sent = await fake_discord.wait_for_message(channel)
        assert sent.flags & IS_VOICE_MESSAGE
        attachment = sent.attachments[0]
        assert attachment["content_type"] == "audio/ogg"
        assert attachment["duration_secs"] == 2.5
        assert base64.b64decode(attachment["waveform"]) == bytes(range(25))
        message = await bot.get_partial_messageable(channel.id).fetch_message(int(data["id"]))
        assert message.flags.voice and message.attachments[0].is_voice_message()
        with pytest.raises(discord.HTTPException) as edit:
            await message.edit(content="words")
        assert edit.value.code == 50162
        with pytest.raises(discord.HTTPException) as with_text:
            await bot.send_voice(channel.id, ogg, duration=2.5, waveform=b"\x01",
                                 content="and text")
        assert with_text.value.code == 50159


async def test_uploads_over_the_limit_are_refused(fake_discord: FakeDiscord) -> None:
    fake_discord.upload_limit = 1000
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        channel = bot.get_partial_messageable(fake_discord.dm_channel(ana).id)
        with pytest.raises(discord.HTTPException) as too_big:
            await channel.send(file=discord.File(io.BytesIO(bytes(1001)), "big.csv"))
        assert (too_big.value.status, too_big.value.code) == (413, 40005)
        with pytest.raises(discord.HTTPException) as too_long:
            await channel.send("x" * 2001)
        assert too_long.value.code == 50035


# --- interactions ------------------------------------------------------------------------------


async def test_slash_command_defers_then_follows_up_with_a_file(
        fake_discord: FakeDiscord) -> None:
    guild = await fake_discord.add_guild(locale="en-GB")
    data_channel = guild.channel("general")
    ana = fake_discord.person(name="Ana", locale="de")
    release = asyncio.Event()
    async with running(fake_discord, SmallBot(release=release)):
        interaction = await fake_discord.slash(
            ana, data_channel, "read", {"image": ("chart.webp", png(), "image/webp")})
        ack = await interaction.wait_ack()
        assert ack.type == DEFERRED_CHANNEL_MESSAGE
        assert interaction.ack_seconds is not None and interaction.ack_seconds < 3.0
        thinking = await fake_discord.wait_for_message(data_channel)
        assert thinking.thinking
        release.set()
        answer = await fake_discord.wait_for_message(data_channel, kinds=("edit",))
    assert answer.id == thinking.id  # the first follow-up replaces "thinking…"
    assert answer.via == "webhook" and not answer.thinking
    assert answer.content == f"read chart.webp: {len(png())} bytes (de)"
    [table] = answer.files
    assert (table.filename, table.data) == ("table.csv", b"x,y\n1,2\n")
    assert table.content_type == "text/csv; charset=utf-8"
    assert interaction.payload["guild_locale"] == "en-GB"


async def test_an_unregistered_command_cannot_be_used(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord):
        with pytest.raises(AssertionError, match="not registered"):
            await fake_discord.slash(ana, fake_discord.dm_channel(ana), "export")


async def test_an_ephemeral_answer_in_a_dm(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana", locale="pt-BR")
    async with running(fake_discord):
        interaction = await fake_discord.slash(ana, fake_discord.dm_channel(ana), "usage")
        answer = await fake_discord.wait_for_message(fake_discord.dm_channel(ana))
    assert answer.content == "0 of 100" and answer.flags & EPHEMERAL
    assert interaction.payload["locale"] == "pt-BR" and "guild_locale" not in interaction.payload
    assert interaction.payload["user"]["id"] == str(ana.id)


async def test_a_late_acknowledgement_is_refused(fake_discord: FakeDiscord) -> None:
    fake_discord.ack_deadline_s = 0.0  # every answer is too late
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        interaction = await fake_discord.slash(ana, fake_discord.dm_channel(ana), "usage")
        error = await asyncio.wait_for(bot.errors.get(), 10)
    assert isinstance(error, app_commands.CommandInvokeError)
    assert isinstance(error.original, discord.NotFound) and error.original.code == 10062
    assert interaction.acknowledged is None and interaction.callbacks[0].status == 404


async def test_button_presses_answer_and_update_the_message(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana", locale="fr")
    channel = fake_discord.dm_channel(ana)
    async with running(fake_discord):
        await fake_discord.dm(ana, attachments=[("c.png", png(), "image/png")])
        chart = await fake_discord.wait_for_message(channel)
        pie = await fake_discord.click(ana, chart, "chart:pie")
        answer = await fake_discord.wait_for_message(channel)
        assert answer.content == "pie (fr)" and answer.interaction is pie
        assert [f.filename for f in answer.files] == ["pie.png"]
        assert pie.payload["message"]["id"] == str(chart.id)
        bars = await fake_discord.click(ana, chart, "chart:bar", locale="es-ES")
        edited = await fake_discord.wait_for_message(channel, kinds=("edit",))
        assert (await bars.wait_ack()).type == UPDATE_MESSAGE
        assert edited.id == chart.id and edited.content == "now bars"
        assert edited.custom_ids() == ["chart:pie", "chart:bar", "chart:undo"]
        undo = await fake_discord.click(ana, edited, "chart:undo")
        undone = await fake_discord.wait_for_message(channel, kinds=("edit",))
    assert (await undo.wait_ack()).type == DEFERRED_UPDATE_MESSAGE
    assert undone.id == chart.id and undone.via == "webhook"
    assert (undone.content, undone.components) == ("undone", [])
    assert (await pie.wait_ack()).elapsed_s < 3.0


# --- connection trouble ------------------------------------------------------------------------


@pytest.mark.parametrize("code", [4000, 1000, None], ids=["close-4000", "close-1000", "cut"])
async def test_resumes_after_the_socket_drops_and_gets_what_it_missed(
        fake_discord: FakeDiscord, code: int | None) -> None:
    ana = fake_discord.person(name="Ana")
    channel = fake_discord.dm_channel(ana)
    async with running(fake_discord) as bot:
        await fake_discord.drop_connection(code)
        await fake_discord.dm(ana, "sent while the bot was away")
        await fake_discord.wait_for_gateway("RESUMED")
        assert (await heard(bot)).content == "sent while the bot was away"
        await fake_discord.dm(ana, "after")
        assert (await heard(bot)).content == "after"
        replies = [(await fake_discord.wait_for_message(channel)).content for _ in range(2)]
    assert replies == ["heard: sent while the bot was away", "heard: after"]
    assert fake_discord.gateway_log.count("IDENTIFY") == 1


async def test_a_button_from_before_a_restart_still_works(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    channel = fake_discord.dm_channel(ana)
    async with running(fake_discord):
        await fake_discord.dm(ana, attachments=[("c.png", png(), None)])
        chart = await fake_discord.wait_for_message(channel)
    async with running(fake_discord):  # a new process: new session, nothing in memory
        await fake_discord.click(ana, chart, "chart:pie")
        answer = await fake_discord.wait_for_message(channel)
    assert answer.content == "pie (en-US)"
    assert fake_discord.gateway_log.count("IDENTIFY") == 2


async def test_follow_ups_need_an_acknowledged_interaction(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord):
        interaction = await fake_discord.slash(ana, fake_discord.dm_channel(ana), "usage")
        await interaction.wait_ack()
        interaction.expire()
        url = (f"{fake_discord.api_url}/webhooks/{fake_discord.application_id}/"
               f"{interaction.token}?wait=true")
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json={"content": "late"}) as resp:
                assert (resp.status, (await resp.json())["code"]) == (401, 50027)
            async with http.post(f"{fake_discord.api_url}/webhooks/"
                                 f"{fake_discord.application_id}/nope", json={}) as resp:
                assert (resp.status, (await resp.json())["code"]) == (404, 10015)


# --- the endpoint settings -------------------------------------------------------------------


def test_api_and_gateway_urls_are_normalised() -> None:
    assert api_root("http://127.0.0.1:8000") == "http://127.0.0.1:8000/api/v10"
    assert api_root("https://discord.com/api/") == "https://discord.com/api/v10"
    assert api_root(DISCORD_API_URL + "/") == DISCORD_API_URL
    assert api_root("https://proxy.example/discord/api/v10") == (
        "https://proxy.example/discord/api/v10")
    assert gateway_root(DISCORD_GATEWAY_URL) == "wss://gateway.discord.gg/"
    for bad in ("ftp://discord.com", "https://discord.com/api/v9", "discord.com",
                "https://discord.com/api/v10?x=1"):
        with pytest.raises(ValueError, match="DISCORD_API_URL"):
            api_root(bad)
    for bad in ("https://gateway.discord.gg", "wss://gateway.discord.gg/?v=10"):
        with pytest.raises(ValueError, match="DISCORD_GATEWAY_URL"):
            gateway_root(bad)


def test_pointing_discord_py_elsewhere_and_back() -> None:
    before = current_endpoints()
    previous = point_discord_at("http://127.0.0.1:9/api/v10", "ws://127.0.0.1:9/gateway")
    try:
        assert previous == before
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == (
            "ws://127.0.0.1:9/gateway")
        with pytest.raises(ValueError):
            point_discord_at("http://127.0.0.1:9", "http://not-a-websocket")
        assert current_endpoints().api_url == "http://127.0.0.1:9/api/v10"  # unchanged
    finally:
        point_discord_at(previous.api_url, previous.gateway_url)
    assert current_endpoints() == before


# --- more of what the front end will meet ------------------------------------------------------


async def test_a_mention_in_a_thread_is_answered_in_the_thread(fake_discord: FakeDiscord) -> None:
    guild = await fake_discord.add_guild()
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        thread = await fake_discord.add_thread(guild, guild.channel("general"), "Q3 sales")
        await fake_discord.guild_message(thread, ana, "sum it up", mentions_bot=True)
        message = await heard(bot)
        assert isinstance(message.channel, discord.Thread)
        assert message.channel.parent_id == guild.channel("general").id
        reply = await fake_discord.wait_for_message(thread)
    assert reply.content == "at your service"


async def test_the_bot_can_open_a_dm_and_show_typing(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    async with running(fake_discord) as bot:
        user = await bot.fetch_user(ana.id)
        channel = await user.create_dm()
        async with channel.typing():
            message = await channel.send("your export is ready")
        sent = await fake_discord.wait_for_message(fake_discord.dm_channel(ana))
        await message.edit(content="your export is ready (CSV)")
        edited = await fake_discord.wait_for_message(fake_discord.dm_channel(ana),
                                                     kinds=("edit",))
        await message.delete()
        deleted = await fake_discord.wait_for_message(fake_discord.dm_channel(ana),
                                                      kinds=("delete",))
        typing = await fake_discord.wait_for_request("POST", r"/channels/\d+/typing")
    assert (typing.status, typing.authorized) == (204, True)
    assert sent.content == "your export is ready"
    assert edited.id == deleted.id == sent.id
    assert edited.message["edited_timestamp"] is not None
    assert sent.id not in fake_discord.messages
    assert fake_discord.typing == [fake_discord.dm_channel(ana).id]


async def test_discord_py_waits_out_a_rate_limit(fake_discord: FakeDiscord) -> None:
    ana = fake_discord.person(name="Ana")
    fake_discord.fail_next("POST", r"/channels/\d+/messages", retry_after=0.01)
    async with running(fake_discord):
        await fake_discord.dm(ana, "hello")
        reply = await fake_discord.wait_for_message(fake_discord.dm_channel(ana))
    assert reply.content == "heard: hello"
    posts = [r.status for r in fake_discord.requests if r.method == "POST"
             and r.path.endswith("/messages")]
    assert posts == [429, 200]


async def test_server_commands_and_select_menus(fake_discord: FakeDiscord) -> None:
    guild = await fake_discord.add_guild()
    ana = fake_discord.person(name="Ana")

    class Pick(discord.ui.View):
        def __init__(self) -> None:
            super().__init__(timeout=None)

        @discord.ui.select(custom_id="chart:type", options=[
            discord.SelectOption(label="Pie", value="pie"),
            discord.SelectOption(label="Line", value="line")])
        async def pick(self, interaction: discord.Interaction,
                       select: discord.ui.Select[Any]) -> None:
            await interaction.response.send_message(f"picked {select.values[0]}")

    bot = SmallBot()

    @bot.tree.command(name="club", description="Only in this server",
                      guild=discord.Object(guild.id))
    async def club(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("club", view=Pick())

    async with running(fake_discord, bot):
        await bot.tree.sync(guild=discord.Object(guild.id))
        assert list(fake_discord.guild_commands[guild.id]) == ["club"]
        with pytest.raises(AssertionError, match="not registered"):
            await fake_discord.slash(ana, fake_discord.dm_channel(ana), "club")
        await fake_discord.slash(ana, guild.channel("general"), "club")
        menu = await fake_discord.wait_for_message(guild.channel("general"))
        assert menu.custom_ids() == ["chart:type"]
        await fake_discord.click(ana, menu, "chart:type", values=["line"])
        picked = await fake_discord.wait_for_message(guild.channel("general"))
    assert picked.content == "picked line"
