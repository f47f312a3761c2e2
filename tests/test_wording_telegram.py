"""The Telegram layer's own words in Chinese, and the language each update is handled in."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.conversation.turn import Turns
from bot.sessions.access import AccessPolicy, Person, Quotas, _duration
from bot.sessions.cancellation import Cancelled, ChatWork
from bot.sessions.store import MemoryStore
from bot.words.speech import Speaker, SpeechUnavailable
from bot.words.wording import heard, language, speaking, t
from handlers.common import NOT_ALLOWED, SOMETHING_WRONG, Gate
from handlers.telegram.gate import gate
from handlers.telegram.ordering import ChatOrderedProcessor
from handlers.telegram.progress import stop_keyboard
from handlers.telegram.routes import on_error, usage
from handlers.telegram.updates import STOP_DATA, arrival_of

HAN = re.compile(r"[\u4e00-\u9fff]")
T0 = datetime(2024, 5, 1, 18, 48, 20, tzinfo=UTC).timestamp()  # 40 s left in the minute
CHAT = 4242


def person(app_language: str | None = "en") -> dict[str, Any]:
    user: dict[str, Any] = {"id": CHAT, "is_bot": False, "first_name": "Tester"}
    if app_language is not None:
        user["language_code"] = app_language
    return user


def message(app_language: str | None = "en", **fields: Any) -> dict[str, Any]:
    return {"message_id": 1, "date": 0, "chat": {"id": CHAT, "type": "private"},
            "from": person(app_language), **fields}


def update(**fields: Any) -> Update:
    made = Update.de_json({"update_id": 7, **fields}, None)
    assert made is not None
    return made


PHOTO = [{"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10}]
FORWARDED = {"type": "user", "date": 0, "sender_user": {"id": 1, "is_bot": False,
                                                        "first_name": "Channel"}}


@pytest.mark.parametrize(("incoming", "expected"), [
    (update(message=message("zh-hans", text="make it a pie chart")), "en"),
    (update(message=message("en", text="改成饼图")), "zh"),
    (update(message=message("zh-hans", text="/undo")), "zh"),
    (update(message=message("zh-hans", photo=PHOTO)), "zh"),
    (update(message=message("en", photo=PHOTO, caption="改成饼图")), "zh"),
    (update(message=message("en", photo=PHOTO, caption="改成饼图", forward_origin=FORWARDED)),
     "en"),
    (update(message=message(None, text="2024 = 50")), "en"),
    (update(callback_query={"id": "1", "from": person("zh"), "chat_instance": "c",
                            "data": STOP_DATA,
                            "message": message("en", photo=PHOTO, caption="Sales by year")}),
     "zh"),
    ("not an update", "en"),
])
def test_each_update_is_answered_in_the_words_or_the_app_language(
        incoming: object, expected: str) -> None:
    arrival = arrival_of(incoming)
    words, app = (arrival.words, arrival.app_language) if arrival else (None, None)
    assert heard(words, app)[0] == expected


async def test_an_update_and_the_tasks_it_starts_are_handled_in_its_language() -> None:
    heard: list[str] = []

    async def handling() -> None:
        heard.append(language())
        task = asyncio.create_task(asyncio.sleep(0, result=None))
        await task
        heard.append(await asyncio.create_task(_language_now()))

    processor = ChatOrderedProcessor(Turns(ChatWork()))
    await processor.do_process_update(update(message=message("en", text="改成饼图")), handling())
    await processor.do_process_update(update(message=message("zh", text="/cancel")), handling())
    await processor.do_process_update("no chat", handling())
    assert heard == ["zh", "zh", "zh", "zh", "en", "en"]
    assert language() == "en"


async def _language_now() -> str:
    return language()


class Bot:
    """Records what the bot sends."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_message(self, chat_id: int, text: str, **_: object) -> None:
        self.sent.append(text)


def context(policy: str = "", per_minute: int = 0, per_day: int = 0) -> Any:
    store = MemoryStore(3600.0)
    rules = AccessPolicy.from_settings(policy, "", "")
    quotas = Quotas(store, messages_per_minute=per_minute, model_calls_per_day=per_day,
                    policy=rules, clock=lambda: T0)
    return SimpleNamespace(bot=Bot(), error=RuntimeError("boom"), bot_data={
        "gate": Gate(rules, quotas, store)})


async def test_a_refused_person_is_told_in_their_language() -> None:
    ctx = context(policy="1")
    with speaking("zh"), pytest.raises(ApplicationHandlerStop):
        await gate(update(message=message("zh", text="你好")), ctx)
    assert ctx.bot.sent == [t_zh(NOT_ALLOWED)]
    assert HAN.search(ctx.bot.sent[0]) and ctx.bot.sent[0] != NOT_ALLOWED


async def test_the_rate_limit_notice_is_in_the_language_of_the_moment() -> None:
    ctx = context(per_minute=1)
    incoming = update(message=message("zh", text="你好"))
    with speaking("zh"):
        await gate(incoming, ctx)
        with pytest.raises(ApplicationHandlerStop):
            await gate(incoming, ctx)
    assert ctx.bot.sent == ["你发送的消息太多了，请 40 秒后再试。"]


async def test_budget_and_usage_are_said_in_chinese() -> None:
    ctx = context(per_day=1)
    quotas: Quotas = ctx.bot_data["gate"].quotas
    someone = Person(CHAT, None, CHAT)
    with speaking("zh"):
        assert (await quotas.charge_model_call(someone)).allowed
        refused = await quotas.charge_model_call(someone)
        await usage(update(message=message("zh", text="/usage")), ctx)
        report = await quotas.usage_report([("telegram", CHAT)])
    assert refused.reason == "你今天的 1 次图表请求已用完，5 小时 12 分钟后重置。"
    assert ctx.bot.sent == ["今天你已使用 1 次模型调用，上限 1 次。"]
    assert report.splitlines()[1:] == [
        "模型调用：1 次，共 1 人（每人每天上限 1 次）。",
        "用完额度：1 人。今天触及消息频率上限：0 次。",
        f"{CHAT}：今天 1 次模型调用，本分钟 0 条消息",
    ]


@pytest.mark.parametrize(("seconds", "text"), [
    (0.2, "1 秒"), (39.2, "40 秒"), (61, "2 分钟"), (3600, "1 小时"),
    (5 * 3600 + 11 * 60 + 40, "5 小时 12 分钟"),
])
def test_durations_in_chinese(seconds: float, text: str) -> None:
    with speaking("zh"):
        assert _duration(seconds) == text


def test_cancel_answers_in_chinese() -> None:
    with speaking("zh"):
        said = [Cancelled(*counts).message() for counts in ((0, 0), (1, 0), (0, 1), (1, 1))]
    assert all(HAN.search(message) for message in said)
    assert "/undo" in said[2] and said[3].startswith(said[2])
    assert Cancelled().message().startswith("Nothing to stop")


async def test_a_voice_note_failure_is_said_when_shown() -> None:
    with pytest.raises(SpeechUnavailable) as raised:
        await Speaker(max_note_bytes=1_000_000, communicate=_never).synthesize("| a | b |")
    with speaking("zh"):
        assert str(raised.value) == "这个回答里没有可以朗读的内容。"
    assert str(raised.value) == "There is nothing to read aloud in this answer."


def _never(*_: object, **__: object) -> None:
    raise AssertionError("nothing should be spoken")


async def test_the_error_apology_and_the_stop_button_speak_chinese() -> None:
    ctx = context()
    with speaking("zh"):
        await on_error(update(message=message("zh", text="你好")), ctx)
        [[button]] = stop_keyboard().inline_keyboard
    assert ctx.bot.sent == [t_zh(SOMETHING_WRONG)] and HAN.search(ctx.bot.sent[0])
    assert button.text == "⏹ 停止" and button.callback_data == STOP_DATA
    [[english]] = stop_keyboard().inline_keyboard
    assert english.text == "⏹ Stop"


def t_zh(message: str) -> str:
    with speaking("zh"):
        return t(message)
