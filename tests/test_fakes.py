"""The fakes speak the real wire protocols: proven with python-telegram-bot and openai clients."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import AsyncIterator

import aiohttp
import openai
import pytest
import pytest_asyncio
import telegram
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.fakes.fixtures import FAKE_LLM_KEY
from tests.fakes.llm_api import NO_REPLY, FakeLLM, FakeLLMResponse, images_in
from tests.fakes.telegram_api import ApiError, FakeTelegram, parse_html

CHAT = 4242


def png(width: int = 640, height: int = 480, color: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


@pytest_asyncio.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    fake_telegram.add_chat(CHAT)
    async with telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url,
                            base_file_url=fake_telegram.base_file_url) as client:
        yield client


@pytest_asyncio.fixture
async def llm(fake_llm: FakeLLM) -> AsyncIterator[openai.AsyncOpenAI]:
    client = openai.AsyncOpenAI(base_url=fake_llm.base_url, api_key=FAKE_LLM_KEY,
                                max_retries=0, timeout=5)
    yield client
    await client.close()


# --- Telegram: sending --------------------------------------------------------------------

async def test_get_me_reports_the_fake_bot(bot: telegram.Bot,
                                           fake_telegram: FakeTelegram) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == fake_telegram.bot_username
    assert me.id == int(fake_telegram.token.split(":")[0])


async def test_send_message_is_recorded_in_story_order(bot: telegram.Bot,
                                                       fake_telegram: FakeTelegram) -> None:
    first = await bot.send_message(CHAT, "<b>Chart</b> read &amp; ready", parse_mode="HTML",
                                   reply_markup=keyboard(("Undo", "undo:1"), ("Bars", "t:bar")))
    await bot.send_chat_action(CHAT, "typing")
    await bot.send_message(CHAT, "second", reply_to_message_id=first.message_id)

    one, two = await fake_telegram.wait_for(CHAT, 2)
    assert first.text == "Chart read & ready"
    assert (one.method, one.text, one.parse_mode) == ("sendMessage", first.text_html, "HTML")
    assert one.plain_text == "Chart read & ready"
    assert one.buttons == [("Undo", "undo:1"), ("Bars", "t:bar")]
    assert one.button_data("Bars") == "t:bar"
    assert two.text == "second"
    assert two.message is not None
    assert two.message["reply_to_message"]["message_id"] == first.message_id
    actions = await fake_telegram.wait_for(CHAT, method="sendChatAction")
    assert actions[0].params["action"] == "typing"
    await fake_telegram.expect_no_reply(CHAT, within=0.05)
    await bot.send_message(CHAT, "surprise")
    with pytest.raises(AssertionError, match="unexpected sendMessage: 'surprise'"):
        await fake_telegram.expect_no_reply(CHAT, within=0.05)


@pytest.mark.parametrize(("text", "parse_mode", "error"), [
    ("x" * 4097, None, "Message is too long"),
    ("<b>x</b>" * 600, "HTML", None),
    ("", None, "Message text is empty"),
    ("<b></b>", "HTML", "Message text is empty"),
    ("1 < 2", "HTML", "Can't parse entities"),
    ("Q&A", "HTML", "Can't parse entities"),
    ("<b>bold", "HTML", "Can't parse entities"),
    ("<table>x</table>", "HTML", "Can't parse entities"),
])
async def test_send_message_enforces_telegram_limits(bot: telegram.Bot, text: str,
                                                     parse_mode: str | None,
                                                     error: str | None) -> None:
    if error is None:
        assert (await bot.send_message(CHAT, text, parse_mode=parse_mode)).text
        return
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(CHAT, text, parse_mode=parse_mode)


@pytest.mark.parametrize(("markup", "plain"), [
    ("<b>a</b> <i>b</i> <code>c &lt; d</code>", "a b c < d"),
    ('<a href="https://x.org">x</a> <pre><code class="language-py">1</code></pre>', "x 1"),
    ('<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler> &#128200; &quot;', 's t 📈 "'),
])
def test_parse_html_accepts_telegram_markup(markup: str, plain: str) -> None:
    assert parse_html(markup)[0] == plain


def test_parse_html_makes_entities_with_utf16_offsets() -> None:
    plain, entities = parse_html('📈 <b>up</b> <pre><code class="language-py">x</code></pre>')
    assert plain == "📈 up x"
    assert entities == [{"type": "bold", "offset": 3, "length": 2},
                        {"type": "pre", "offset": 6, "length": 1, "language": "py"}]


@pytest.mark.parametrize("markup", ["<b><i>x</b></i>", "</b>", "<br/>", "<span>x</span>",
                                    "a & b", "&nbsp;", "<b x"])
def test_parse_html_rejects_what_telegram_rejects(markup: str) -> None:
    with pytest.raises(ApiError, match="can't parse entities"):
        parse_html(markup)


async def test_caption_limit_and_unknown_chat(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(CHAT, png(), caption="c" * 1025)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "who?")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(CHAT, "x", reply_markup=keyboard(("Long", "d" * 65)))


async def test_send_photo_stores_the_uploaded_bytes(bot: telegram.Bot,
                                                    fake_telegram: FakeTelegram) -> None:
    image = png(1000, 600)
    message = await bot.send_photo(CHAT, image, caption="Your chart", filename="chart.png",
                                   reply_markup=keyboard(("Undo", "undo")))

    [sent] = await fake_telegram.wait_for(CHAT)
    assert (sent.method, sent.file, sent.file_name) == ("sendPhoto", image, "chart.png")
    assert sent.caption == "Your chart"
    assert [(p.width, p.height) for p in message.photo] == [(90, 54), (320, 192), (800, 480),
                                                            (1000, 600)]
    assert fake_telegram.files[message.photo[-1].file_id].data == image
    assert "<upload chart.png" in fake_telegram.requests[-1].params["photo"]
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(CHAT, b"not an image")


async def test_send_document_stores_bytes_name_and_type(bot: telegram.Bot,
                                                        fake_telegram: FakeTelegram) -> None:
    message = await bot.send_document(CHAT, b"year,sales\n2024,3\n", filename="data.csv",
                                      caption="CSV")
    [sent] = await fake_telegram.wait_for(CHAT, method="sendDocument")
    assert sent.file == b"year,sales\n2024,3\n"
    assert message.document is not None
    assert (message.document.file_name, message.document.mime_type) == ("data.csv", "text/csv")
    assert message.caption == "CSV"


# --- Telegram: receiving ------------------------------------------------------------------

async def test_get_updates_returns_text_and_photo_updates(bot: telegram.Bot,
                                                          fake_telegram: FakeTelegram) -> None:
    image = png(800, 600)
    fake_telegram.send_text(CHAT, "/start@replot_test_bot hello")
    fake_telegram.send_photo(CHAT, image, caption="my chart")

    text_update, photo_update = await bot.get_updates(timeout=0)
    assert text_update.message is not None and photo_update.message is not None
    assert text_update.message.text == "/start@replot_test_bot hello"
    assert text_update.message.parse_entities(["bot_command"])
    assert text_update.effective_user is not None and text_update.effective_user.id == CHAT
    photo = photo_update.message.photo
    assert [p.width for p in photo] == [90, 320, 800]
    assert photo[0].file_size is not None and photo[0].file_size < len(image)
    assert photo_update.message.caption == "my chart"

    again = fake_telegram.send_photo(CHAT, image)
    assert again["photo"][-1]["file_unique_id"] == photo[-1].file_unique_id
    confirmed = await bot.get_updates(offset=photo_update.update_id + 1, timeout=0)
    assert [u.update_id for u in confirmed] == [photo_update.update_id + 1]


async def test_get_updates_long_poll_wakes_on_new_update(bot: telegram.Bot,
                                                         fake_telegram: FakeTelegram) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(bot.get_updates(timeout=5, allowed_updates=["message"]))
    await asyncio.sleep(0.1)
    fake_telegram.send_update({"edited_message": {"message_id": 1, "date": 0, "text": "x",
                                                  "chat": {"id": CHAT, "type": "private"}}})
    fake_telegram.send_text(CHAT, "hi")
    updates = await poll
    assert loop.time() - started < 2
    assert [u.message.text for u in updates if u.message] == ["hi"]
    assert all(u.edited_message is None for u in updates)


async def test_get_file_downloads_the_original_bytes(bot: telegram.Bot,
                                                     fake_telegram: FakeTelegram) -> None:
    image = png(500, 300)
    message = fake_telegram.send_photo(CHAT, image)
    file = await bot.get_file(message["photo"][-1]["file_id"])
    out = io.BytesIO()
    await file.download_to_memory(out)
    assert out.getvalue() == image

    huge = fake_telegram.send_document(CHAT, b"tiny", "big.pdf", file_size=21 * 1024 * 1024)
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(huge["document"]["file_id"])


async def test_button_press_answer_and_keyboard_edit(bot: telegram.Bot,
                                                     fake_telegram: FakeTelegram) -> None:
    sent = await bot.send_message(CHAT, "Pick one", reply_markup=keyboard(("Bars", "t:bar")))
    await fake_telegram.wait_for(CHAT)
    fake_telegram.press_button(CHAT, sent.message_id, "t:bar")
    [update] = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "t:bar"
    assert query.message is not None and query.message.message_id == sent.message_id

    assert await bot.answer_callback_query(query.id, text="Done")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)
    edited = await bot.edit_message_reply_markup(CHAT, sent.message_id,
                                                 reply_markup=keyboard(("Undo", "undo")))
    assert isinstance(edited, telegram.Message)
    [edit] = await fake_telegram.wait_for(CHAT)
    assert (edit.method, edit.buttons) == ("editMessageReplyMarkup", [("Undo", "undo")])
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Pick one", CHAT, sent.message_id,
                                    reply_markup=keyboard(("Undo", "undo")))
    with pytest.raises(AssertionError, match="no button"):
        fake_telegram.press_button(CHAT, sent.message_id, "t:bar")


async def test_edits_and_deletes_follow_telegram_rules(bot: telegram.Bot,
                                                      fake_telegram: FakeTelegram) -> None:
    mine = fake_telegram.send_text(CHAT, "a chart please")
    with pytest.raises(BadRequest, match="can't be edited"):
        await bot.edit_message_text("hijack", CHAT, mine["message_id"])
    photo = await bot.send_photo(CHAT, png(), reply_markup=keyboard(("Undo", "undo")))
    new_image = png(200, 100, "olive")
    await bot.edit_message_media(telegram.InputMediaPhoto(new_image, caption="<i>v2</i>",
                                                          parse_mode="HTML"),
                                 CHAT, photo.message_id)
    _, edit = await fake_telegram.wait_for(CHAT, 2)
    assert (edit.method, edit.file, edit.caption) == ("editMessageMedia", new_image,
                                                      "<i>v2</i>")
    current = fake_telegram.message(CHAT, photo.message_id)
    assert current is not None and current["caption"] == "v2"
    assert "reply_markup" not in current  # an edit without reply_markup drops the keyboard
    assert await bot.delete_message(CHAT, photo.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(CHAT, photo.message_id)


async def test_commands_and_webhook_state(bot: telegram.Bot) -> None:
    assert await bot.set_my_commands([("start", "Start"), ("help", "How to use Replot")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Bad-Name", "x")])
    assert await bot.set_webhook("https://example.org/hook")
    with pytest.raises(telegram.error.Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == ()


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_surfaces_as_retry_after(bot: telegram.Bot,
                                                    fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next("sendMessage")
    with pytest.raises(RetryAfter, match="Retry in 1"):
        await bot.send_message(CHAT, "first try")
    assert (await bot.send_message(CHAT, "second try")).text == "second try"
    assert [c.status for c in fake_telegram.requests if c.method == "sendMessage"] == [429, 200]
    assert [s.text for s in fake_telegram.sent_to(CHAT)] == ["second try"]


async def test_wrong_token_and_unknown_method(bot: telegram.Bot,
                                              fake_telegram: FakeTelegram) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": CHAT})
    with pytest.raises(InvalidToken):
        async with telegram.Bot("999:wrong", base_url=fake_telegram.base_url):
            pass
    assert fake_telegram.requests[-1].status == 401


async def test_json_and_urlencoded_bodies(fake_telegram: FakeTelegram) -> None:
    fake_telegram.add_chat(CHAT)
    url = f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage"
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"chat_id": CHAT, "text": "json",
                                           "reply_markup": markup}) as response:
            assert (await response.json())["result"]["reply_markup"]["inline_keyboard"]
        async with session.post(url, data={"chat_id": str(CHAT), "text": "form"}) as response:
            assert (await response.json())["result"]["text"] == "form"
        async with session.post(url.replace("sendMessage", "nope")) as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method not found"
    assert [s.text for s in fake_telegram.sent_to(CHAT)] == ["json", "form"]


async def test_application_polling_runs_command_handlers(fake_telegram: FakeTelegram) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"hello {context.args}")

    app = (Application.builder().token(fake_telegram.token)
           .base_url(fake_telegram.base_url).base_file_url(fake_telegram.base_file_url)
           .build())
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake_telegram.send_text(CHAT, "/start@replot_test_bot now")
        [reply] = await fake_telegram.wait_for(CHAT, timeout=5)
        await app.updater.stop()
        await app.stop()
    assert reply.text == "hello ['now']"
    assert fake_telegram.pending_updates() == []


# --- OpenAI-compatible API ----------------------------------------------------------------

async def test_chat_completion_returns_the_scripted_text(llm: openai.AsyncOpenAI,
                                                         fake_llm: FakeLLM) -> None:
    fake_llm.reply("| year | sales |")
    response = await llm.chat.completions.create(
        model="meta/llama-3.1-70b-instruct", temperature=0, max_tokens=64,
        messages=[{"role": "system", "content": "Be brief."},
                  {"role": "user", "content": "Read the chart"}],
        response_format={"type": "json_object"},
    )
    assert response.choices[0].message.content == "| year | sales |"
    assert response.choices[0].finish_reason == "stop"
    assert response.usage is not None and response.usage.total_tokens > 0
    [request] = fake_llm.requests
    assert request.json["response_format"] == {"type": "json_object"}
    assert request.headers["authorization"] == f"Bearer {FAKE_LLM_KEY}"
    assert fake_llm.last_prompt_text() == "Be brief.\nRead the chart"


@pytest.mark.parametrize(("status", "error"), [
    (429, openai.RateLimitError), (500, openai.InternalServerError),
    (503, openai.InternalServerError), (400, openai.BadRequestError),
])
async def test_scripted_errors_raise_the_matching_openai_exception(
        llm: openai.AsyncOpenAI, fake_llm: FakeLLM, status: int,
        error: type[openai.APIStatusError]) -> None:
    fake_llm.fail(status, retry_after=2)
    with pytest.raises(error) as caught:
        await llm.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
    assert caught.value.status_code == status
    assert caught.value.response.headers["retry-after"] == "2"


async def test_unscripted_call_and_wrong_key_fail_loudly(llm: openai.AsyncOpenAI,
                                                         fake_llm: FakeLLM) -> None:
    messages = [{"role": "user", "content": "x"}]
    with pytest.raises(openai.InternalServerError, match=NO_REPLY):
        await llm.chat.completions.create(model="m", messages=messages)  # type: ignore[arg-type]
    async with openai.AsyncOpenAI(base_url=fake_llm.base_url, api_key="wrong",
                                  max_retries=0) as stranger:
        with pytest.raises(openai.AuthenticationError):
            await stranger.chat.completions.create(model="m",
                                                   messages=messages)  # type: ignore[arg-type]


async def test_images_in_decodes_both_encodings(llm: openai.AsyncOpenAI,
                                                fake_llm: FakeLLM) -> None:
    first, second = png(32, 16, "red"), png(16, 32, "green")
    fake_llm.reply("a")
    fake_llm.reply("b")
    await llm.chat.completions.create(model="vision", messages=[{"role": "user", "content": [
        {"type": "text", "text": "Read this"},
        {"type": "image_url", "image_url": {"url": data_url(first)}},
    ]}])
    await llm.chat.completions.create(model="phi-3-vision", messages=[
        {"role": "user", "content": f'Read this\n<img src="{data_url(second)}" />'}])

    openai_style, nvidia_style = fake_llm.chat_requests
    assert images_in(openai_style) == [first]
    assert fake_llm.images_in() == [second]
    assert images_in(nvidia_style.json) == [second]
    assert fake_llm.last_prompt_text() == "Read this\n[image]"


async def test_bad_image_data_is_refused(llm: openai.AsyncOpenAI, fake_llm: FakeLLM) -> None:
    fake_llm.reply("never")
    with pytest.raises(openai.BadRequestError, match="Invalid image_url"):
        await llm.chat.completions.create(model="v", messages=[{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,@@@"}}]}])
    assert fake_llm.queued == 1


async def test_delay_times_out_and_leaves_the_answer_for_the_retry(
        llm: openai.AsyncOpenAI, fake_llm: FakeLLM) -> None:
    fake_llm.delay(5)
    fake_llm.reply("late but fine")
    messages = [{"role": "user", "content": "x"}]
    with pytest.raises(openai.APITimeoutError):
        await llm.chat.completions.create(model="m", messages=messages,  # type: ignore[arg-type]
                                          timeout=0.2)
    retry = await llm.chat.completions.create(model="m", messages=messages)  # type: ignore[arg-type]
    assert retry.choices[0].message.content == "late but fine"


async def test_responder_models_and_transcription(llm: openai.AsyncOpenAI,
                                                  fake_llm: FakeLLM) -> None:
    fake_llm.responder = lambda body: (FakeLLMResponse("cut", finish_reason="length")
                                       if body["max_tokens"] < 10 else f"echo {body['model']}")
    short = await llm.chat.completions.create(model="m", max_tokens=5,
                                              messages=[{"role": "user", "content": "x"}])
    long = await llm.chat.completions.create(model="m", max_tokens=50,
                                             messages=[{"role": "user", "content": "x"}])
    assert (short.choices[0].message.content, short.choices[0].finish_reason) == ("cut",
                                                                                  "length")
    assert long.choices[0].message.content == "echo m"
    assert [m.id async for m in llm.models.list()]

    fake_llm.reply_transcription("make the bars red")
    transcript = await llm.audio.transcriptions.create(file=("voice.ogg", b"OggS..."),
                                                       model="whisper-1")
    assert transcript.text == "make the bars red"
    assert fake_llm.requests[-1].files["file"] == b"OggS..."
