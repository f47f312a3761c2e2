"""Access policy parsing and quotas, counted in MemoryStore and in a real Redis."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.sessions.access import AccessPolicy, Person, Quotas, Usage, Verdict, _duration
from bot.sessions.store import MemoryStore, RedisStore, SessionStore, StoreUnavailable
from tests.redis_fixture import RedisServer

STORE_TTL = 3600.0
# 18:48:20 UTC: 40 s left in the minute, 5 h 11 min 40 s left in the day.
T0 = datetime(2024, 5, 1, 18, 48, 20, tzinfo=UTC).timestamp()
DAY_LEFT = 5 * 3600 + 11 * 60 + 40

ALICE = Person(user_id=101, username="Alice", chat_id=101)
BOB = Person(user_id=202, username=None, chat_id=202)
BOSS = Person(user_id=7, username="boss", chat_id=7)
POLICY = AccessPolicy.from_settings("", "", "7")


class Clock:
    """Wall time for Quotas, moved by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[SessionStore]:
    """A MemoryStore or a RedisStore on the empty test database; closed afterwards."""
    made: SessionStore
    if request.param == "redis":
        made = RedisStore.from_url(request.getfixturevalue("redis_url"), STORE_TTL)
    else:
        made = MemoryStore(STORE_TTL)
    yield made
    await made.close()


def make_quotas(
    store: SessionStore, clock: Clock, *, per_minute: int = 3, per_day: int = 2
) -> Quotas:
    return Quotas(
        store,
        messages_per_minute=per_minute,
        model_calls_per_day=per_day,
        policy=POLICY,
        clock=clock,
    )


# --- AccessPolicy ---


def test_ids_and_usernames_with_mixed_separators() -> None:
    policy = AccessPolicy.from_settings("123, @Alice  456;\n\tbob_7,,", "", "")
    for allowed in (
        Person(123, None, 123),
        Person(456, "someone", 9),
        Person(999, "alice", 999),
        Person(999, "ALICE", 999),
        Person(5, "Bob_7", 5),
    ):
        assert policy.allows(allowed), allowed
    for refused in (Person(999, "mallory", 999), Person(None, None, 123), Person(124, None, 1)):
        assert not policy.allows(refused), refused
    assert policy.listed_people == {("telegram", 123), ("telegram", 456)}


def test_empty_lists_allow_everyone() -> None:
    policy = AccessPolicy.from_settings("", " , ", "")
    assert policy.allows(ALICE) and policy.allows(Person(None, None, -100123))
    assert not policy.is_admin(ALICE)


def test_admins_are_always_allowed() -> None:
    policy = AccessPolicy.from_settings("101", "-100555", "@Boss 8")
    outsider_chat = 999
    assert policy.allows(Person(7, "BOSS", outsider_chat)) and policy.is_admin(BOSS)
    assert policy.allows(Person(8, None, outsider_chat)) and policy.is_admin(Person(8, None, 1))
    assert not policy.allows(Person(101, "Alice", outsider_chat))  # listed user, unlisted chat
    assert policy.allows(Person(101, "Alice", -100555))
    assert not policy.is_admin(ALICE)
    assert policy.listed_people == {("telegram", 101), ("telegram", 8)}


def test_chat_allow_list_for_groups() -> None:
    policy = AccessPolicy.from_settings("", "-1001234567890 -42", "")
    assert policy.allows(Person(1, None, -1001234567890))
    assert policy.allows(Person(None, None, -42))  # an anonymous sender in a listed group
    assert not policy.allows(Person(1, "alice", 1))  # a private chat is not on the list


def test_user_without_username_matches_by_id_only() -> None:
    policy = AccessPolicy.from_settings("202 @carol", "", "")
    assert policy.allows(BOB)
    assert not policy.allows(Person(303, None, 303))


@pytest.mark.parametrize(
    ("users", "chats", "admins", "named"),
    [
        ("12ab", "", "", "ALLOWED_USERS"),
        ("", "@mygroup", "", "ALLOWED_CHATS"),
        ("", "", "@x!", "ADMIN_USERS"),
        ("@1abc", "", "", "ALLOWED_USERS"),
    ],
)
def test_bad_entries_raise_naming_the_setting(
    users: str, chats: str, admins: str, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        AccessPolicy.from_settings(users, chats, admins)


# --- Quotas (memory and Redis) ---


async def test_message_limit_per_minute_and_window_reset(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock)
    assert [(await quotas.check_message(ALICE)).allowed for _ in range(4)] == [1, 1, 1, 0]
    refused = await quotas.check_message(ALICE)
    assert refused == Verdict(
        allowed=False,
        retry_after_s=40.0,
        reason="You've sent a lot of messages; try again in 40 seconds.",
    )
    assert (await quotas.check_message(BOB)).allowed  # counted per person
    clock.advance(39.5)
    assert not (await quotas.check_message(ALICE)).allowed
    clock.advance(0.5)  # the next minute starts
    assert (await quotas.check_message(ALICE)).allowed


async def test_daily_budget_and_reset_time(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock)
    assert (await quotas.charge_model_call(ALICE)).allowed
    assert (await quotas.charge_model_call(ALICE)).allowed
    refused = await quotas.charge_model_call(ALICE)
    assert refused == Verdict(
        allowed=False,
        retry_after_s=DAY_LEFT,
        reason="You've used today's 2 chart requests; it resets in 5 h 12 min.",
    )
    assert (await quotas.charge_model_call(BOB)).allowed
    clock.advance(DAY_LEFT - 1)
    assert not (await quotas.charge_model_call(ALICE)).allowed
    clock.advance(1)  # midnight UTC
    assert (await quotas.charge_model_call(ALICE)).allowed


async def test_daily_counter_expires_after_the_day_plus_a_margin(
    store: SessionStore, clock: Clock
) -> None:
    quotas = make_quotas(store, clock)
    await quotas.charge_model_call(ALICE)
    value, resets_in = await store.counter("model_calls:2024-05-01:u101")
    assert value == 1 and resets_in is not None
    assert DAY_LEFT < resets_in <= DAY_LEFT + 3600


async def test_admins_are_exempt_but_their_calls_are_counted(
    store: SessionStore, clock: Clock
) -> None:
    quotas = make_quotas(store, clock, per_minute=1, per_day=1)
    assert all([(await quotas.check_message(BOSS)).allowed for _ in range(10)])
    assert all([(await quotas.charge_model_call(BOSS)).allowed for _ in range(5)])
    assert await quotas.usage(BOSS) == Usage(
        messages_this_minute=0,
        messages_per_minute=0,
        model_calls_today=5,
        model_calls_per_day=0,
        day_resets_in_s=DAY_LEFT,
        exempt=True,
    )


async def test_zero_means_unlimited(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock, per_minute=0, per_day=0)
    assert all([(await quotas.check_message(ALICE)).allowed for _ in range(100)])
    assert all([(await quotas.charge_model_call(ALICE)).allowed for _ in range(100)])
    usage = await quotas.usage(ALICE)
    assert (usage.messages_this_minute, usage.model_calls_today) == (0, 100)


async def test_concurrent_messages_allow_exactly_the_limit(
    store: SessionStore, clock: Clock
) -> None:
    quotas = make_quotas(store, clock, per_minute=7, per_day=5)
    messages = await asyncio.gather(*(quotas.check_message(ALICE) for _ in range(100)))
    calls = await asyncio.gather(*(quotas.charge_model_call(ALICE) for _ in range(100)))
    assert sum(v.allowed for v in messages) == 7
    assert sum(v.allowed for v in calls) == 5


async def test_usage_numbers(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock)
    for _ in range(2):
        await quotas.check_message(ALICE)
    for _ in range(3):
        await quotas.charge_model_call(ALICE)  # the third is refused
    assert await quotas.usage(ALICE) == Usage(
        messages_this_minute=2,
        messages_per_minute=3,
        model_calls_today=2,
        model_calls_per_day=2,
        day_resets_in_s=DAY_LEFT,
        exempt=False,
    )
    assert (await quotas.usage(BOB)).model_calls_today == 0


async def test_usage_report(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock, per_minute=1, per_day=2)
    for person in (ALICE, ALICE, ALICE, ALICE, BOB, BOSS):
        await quotas.charge_model_call(person)
    for _ in range(3):
        await quotas.check_message(BOB)
    report = await quotas.usage_report([("telegram", i) for i in (101, 202, 7, 303)])
    assert report.splitlines() == [
        "Usage on 2024-05-01 (UTC; the day resets in 5 h 12 min)",
        "Model calls: 4 by 3 people (limit 2 a day each).",
        "Used up their budget: 1 person. Hit the message limit: 1 time today.",
        "101: 2 model calls today, 0 messages this minute",
        "7 (admin): 1 model call today, 0 messages this minute",
        "202: 1 model call today, 3 messages this minute",
    ]


async def test_sender_without_user_id_is_counted_by_chat(store: SessionStore, clock: Clock) -> None:
    quotas = make_quotas(store, clock, per_minute=1)
    channel, other = Person(None, None, -100111), Person(None, None, -100222)
    assert (await quotas.check_message(channel)).allowed
    assert not (await quotas.check_message(channel)).allowed
    assert (await quotas.check_message(other)).allowed


def test_negative_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        Quotas(MemoryStore(STORE_TTL), messages_per_minute=-1, model_calls_per_day=0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 second"),
        (39.2, "40 seconds"),
        (60, "1 min"),
        (61, "2 min"),
        (3600, "1 h"),
        (DAY_LEFT, "5 h 12 min"),
    ],
)
def test_duration_rounds_up(seconds: float, text: str) -> None:
    assert _duration(seconds) == text


# --- Redis down ---


async def test_store_down_messages_fail_open_model_calls_raise(
    redis_server: RedisServer, redis_url: str, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    store = RedisStore.from_url(redis_url, STORE_TTL)
    quotas = make_quotas(store, clock, per_minute=1)
    await quotas.check_message(ALICE)
    redis_server.stop()
    try:
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="bot.sessions.access"):
            verdicts = [await quotas.check_message(ALICE) for _ in range(3)]
        assert all(v.allowed for v in verdicts)
        assert caplog.text.count("counter store unavailable") == 1  # not once per message
        with pytest.raises(StoreUnavailable):
            await quotas.charge_model_call(ALICE)
        with pytest.raises(StoreUnavailable):
            await quotas.usage(ALICE)
        assert time.monotonic() - started < 5
    finally:
        redis_server.start()
        await store.close()


def test_discord_people_channels_and_servers_are_listed_apart_from_telegram_ones() -> None:
    policy = AccessPolicy.from_settings("42 discord:77", "discord:900", "discord:5")
    on_discord = Person(42, None, 900, platform="discord", group_id=None)
    assert not policy.allows(on_discord)  # Telegram user 42 is not Discord user 42
    assert policy.allows(Person(77, None, 900, platform="discord"))
    assert policy.allows(Person(77, None, 12, platform="discord", group_id=900))  # its server
    assert not policy.allows(Person(77, None, 12, platform="discord", group_id=13))
    assert not policy.allows(Person(77, None, 900))  # a Telegram chat 900 is not listed
    assert policy.is_admin(Person(5, None, 1, platform="discord"))
    assert not policy.is_admin(Person(5, None, 1))
    assert policy.listed_people == {("telegram", 42), ("discord", 77), ("discord", 5)}
    with pytest.raises(ValueError, match="ALLOWED_USERS"):
        AccessPolicy.from_settings("slack:1", "", "")


async def test_discord_and_telegram_people_are_counted_apart(store: SessionStore,
                                                             clock: Clock) -> None:
    quotas = make_quotas(store, clock, per_minute=1, per_day=1)
    telegram, discord = Person(42, None, 42), Person(42, None, 42, platform="discord")
    assert (await quotas.charge_model_call(telegram)).allowed
    assert (await quotas.charge_model_call(discord)).allowed
    assert not (await quotas.charge_model_call(discord)).allowed
