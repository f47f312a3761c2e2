"""Session model and the SessionStore contract, run against MemoryStore and a real Redis."""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar, cast

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from bot.charts.spec import ChartSpec
from bot.sessions.store import (
    _CAS_SCRIPT,
    HISTORY_LIMIT,
    MemoryStore,
    Preferences,
    RedisStore,
    Session,
    SessionStore,
    StoreUnavailable,
    VersionConflict,
    create_store,
    decode_session,
    encode_session,
    update_session,
)
from bot.tables.table import Table
from tests.redis_fixture import RedisServer, free_port

LONG_TTL = 60.0
SHORT_TTL = 0.4

T = TypeVar("T")
MakeStore = Callable[[float], SessionStore]


class Clock:
    """Time for the stores: a fake monotonic clock for memory, real sleeps for Redis."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.real = False

    def __call__(self) -> float:
        return self.now

    async def advance(self, seconds: float) -> None:
        if self.real:
            await asyncio.sleep(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "redis"])
async def make_store(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[MakeStore]:
    """Build stores of one kind with a chosen TTL; all are closed after the test."""
    made: list[SessionStore] = []
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""
    clock.real = request.param == "redis"

    def make(ttl_seconds: float) -> SessionStore:
        store: SessionStore
        if url:
            store = RedisStore.from_url(url, ttl_seconds)
        else:
            store = MemoryStore(ttl_seconds, clock=clock)
        made.append(store)
        return store

    yield make
    for store in made:
        await store.close()


@pytest.fixture
def store(make_store: MakeStore) -> SessionStore:
    return make_store(LONG_TTL)


@pytest.fixture
async def redis_store(redis_url: str) -> AsyncIterator[RedisStore]:
    store = RedisStore.from_url(redis_url, LONG_TTL)
    yield store
    await store.close()


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def awaited(result: Awaitable[T] | T) -> T:
    """Await a raw redis-py call (its methods are typed as 'sync or async')."""
    assert inspect.isawaitable(result)
    return cast(T, await result)


def sample_table(rows: int = 3, *, bump: float = 0.0) -> Table:
    return Table(
        columns=("Year", "Revenue", "Share", "Note", "地区"),
        rows=tuple(
            (str(2000 + i), 1234.5 + i + bump, None if i % 2 else 0.125 * i, "1e5", "华东区")
            for i in range(rows)
        ),
        title="收入 by year",
        units={"Revenue": "$", "Share": "%"},
    )


def sample_chart() -> ChartSpec:
    return ChartSpec(
        type="bar_line",
        x="Year",
        y=("Revenue",),
        secondary_y=("Share",),
        title="年度收入",
        colors=("#336699", "orange"),
        y_min=-1.5,
        decimals=2,
        theme="dark",
    )


def rich_session(conversation: str = "telegram:42") -> Session:
    """A session exercising every field: history both ways, prefs, CJK, None cells."""
    session = Session(conversation=conversation).with_prefs(voice=True, language="zh")
    for step in range(4):
        session = session.changed(
            table=sample_table(step + 1, bump=step), chart=sample_chart(), image_key=f"img{step}"
        )
    undone = session.undone()
    assert undone is not None
    return undone


def typical_session() -> Session:
    """The size benchmark: a 20×5 table, a spec and 20 undo steps, each editing one cell."""
    session = Session(conversation="telegram:123456789").changed(
        table=sample_table(20), chart=sample_chart(), image_key="ab" * 32
    )
    for step in range(HISTORY_LIMIT):
        table = sample_table(20, bump=step * 0.1)
        session = session.changed(table=table, chart=sample_chart())
    return session


# --- the store contract (memory and Redis) ---


async def test_unknown_chat_loads_fresh_at_version_0(store: SessionStore) -> None:
    assert await store.load("telegram:1") == Session(conversation="telegram:1", version=0)


async def test_save_then_load_round_trips_every_field(store: SessionStore) -> None:
    session = rich_session()
    saved = await store.save(session)
    loaded = await store.load("telegram:42")
    assert saved.version == 1
    assert loaded == saved == session.model_copy(update={"version": 1})
    assert loaded.table is not None
    assert loaded.table.rows[1] == ("2001", 1237.5, None, "1e5", "华东区")
    assert loaded.redo and loaded.undo and loaded.prefs == Preferences(voice=True, language="zh")


async def test_each_save_bumps_the_version(store: SessionStore) -> None:
    first = await store.save(Session(conversation="telegram:5"))
    second = await store.save(first.with_prefs(voice=True))
    assert (first.version, second.version) == (1, 2)
    assert (await store.load("telegram:5")).version == 2


async def test_stale_save_raises_version_conflict(store: SessionStore) -> None:
    await store.save(Session(conversation="telegram:9"))
    mine, theirs = await store.load("telegram:9"), await store.load("telegram:9")
    await store.save(theirs.with_prefs(language="en"))
    with pytest.raises(VersionConflict):
        await store.save(mine.with_prefs(voice=True))
    with pytest.raises(VersionConflict):
        await store.save(Session(conversation="telegram:9", version=7))
    assert (await store.load("telegram:9")).prefs == Preferences(language="en")


async def test_concurrent_updates_all_land(store: SessionStore) -> None:
    racing = InterleavingStore(store)

    def append(n: int) -> Callable[[Session], Session]:
        def change(session: Session) -> Session:
            rows = session.table.rows if session.table else ()
            return session.changed(
                table=Table(columns=("n",), rows=(*rows, (float(n),))), chart=None
            )

        return change

    await asyncio.gather(*(update_session(racing, "telegram:3", append(n), attempts=200)
                           for n in range(50)))
    final = await store.load("telegram:3")
    assert final.table is not None
    assert len(final.table.rows) == 50
    assert {row[0] for row in final.table.rows} == {float(n) for n in range(50)}
    assert final.version == 50
    assert racing.conflicts > 0, "the tasks never raced, so the test proved nothing"


async def test_update_session_without_change_does_not_save(store: SessionStore) -> None:
    saved = await store.save(Session(conversation="telegram:4"))
    result = await update_session(store, "telegram:4", lambda s: None)
    assert result == saved
    assert (await store.load("telegram:4")).version == 1


async def test_session_expires_after_ttl_and_load_refreshes_it(
    make_store: MakeStore, clock: Clock
) -> None:
    store = make_store(SHORT_TTL)
    stale = await store.save(Session(conversation="telegram:8").with_prefs(voice=True))
    await clock.advance(SHORT_TTL * 0.6)
    assert (await store.load("telegram:8")).version == 1  # refreshes the TTL
    await clock.advance(SHORT_TTL * 0.6)  # past the first TTL, within the refreshed one
    assert (await store.load("telegram:8")).prefs.voice
    await clock.advance(SHORT_TTL * 1.5)
    assert await store.load("telegram:8") == Session(conversation="telegram:8")
    with pytest.raises(VersionConflict):
        await store.save(stale)


async def test_save_refreshes_the_ttl(make_store: MakeStore, clock: Clock) -> None:
    store = make_store(SHORT_TTL)
    saved = await store.save(Session(conversation="telegram:8"))
    await clock.advance(SHORT_TTL * 0.6)
    await store.save(saved)
    await clock.advance(SHORT_TTL * 0.6)
    assert (await store.load("telegram:8")).version == 2


async def test_cache_put_get_and_expiry(store: SessionStore, clock: Clock) -> None:
    assert await store.cache_get("img:abc") is None
    await store.cache_put("img:abc", '{"表": [1, 2]}', ttl_seconds=SHORT_TTL)
    await store.cache_put("img:long", "kept", ttl_seconds=LONG_TTL)
    assert await store.cache_get("img:abc") == '{"表": [1, 2]}'
    await clock.advance(SHORT_TTL * 1.5)
    assert await store.cache_get("img:abc") is None
    assert await store.cache_get("img:long") == "kept"


async def test_ping_answers(store: SessionStore) -> None:
    await store.ping()


async def test_incr_counts_from_one_and_counter_reports(store: SessionStore) -> None:
    assert await store.counter("c") == (0, None)
    assert [await store.incr("c", LONG_TTL) for _ in range(3)] == [1, 2, 3]
    assert await store.incr("other", LONG_TTL) == 1
    value, resets_in = await store.counter("c")
    assert value == 3
    assert resets_in is not None and LONG_TTL - 5 < resets_in <= LONG_TTL


async def test_counter_expires_from_its_first_incr(make_store: MakeStore, clock: Clock) -> None:
    store = make_store(LONG_TTL)
    await store.incr("c", SHORT_TTL)
    await clock.advance(SHORT_TTL * 0.6)
    assert await store.incr("c", LONG_TTL) == 2  # keeps the first expiry
    await clock.advance(SHORT_TTL * 0.6)
    assert await store.counter("c") == (0, None)
    assert await store.incr("c", SHORT_TTL) == 1


async def test_concurrent_incr_never_loses_a_count(store: SessionStore) -> None:
    counts = await asyncio.gather(*(store.incr("c", LONG_TTL) for _ in range(100)))
    assert sorted(counts) == list(range(1, 101))
    assert (await store.counter("c"))[0] == 100


# --- Session history (pure) ---


def test_changed_pushes_history_and_clears_redo() -> None:
    first, second = sample_table(1), sample_table(2)
    session = Session(conversation="telegram:1").changed(table=first, chart=None, image_key="a")
    session = session.changed(table=second, chart=sample_chart())
    assert (session.table, session.image_key) == (second, "a")
    assert [s.table for s in session.undo] == [None, first]
    undone = session.undone()
    assert undone is not None and undone.redo
    again = undone.changed(table=second, chart=None, image_key=None)
    assert again.redo == () and again.image_key is None


def test_undo_and_redo_walk_history_both_ways() -> None:
    empty = Session(conversation="telegram:1")
    one = empty.changed(table=sample_table(1), chart=None, image_key="k1")
    two = one.changed(table=sample_table(2), chart=sample_chart(), image_key="k2")
    back = two.undone()
    assert back is not None
    assert (back.table, back.chart, back.image_key) == (one.table, None, "k1")
    forward = back.redone()
    assert forward == two
    assert empty.undone() is None and two.redone() is None


def test_cleared_keeps_prefs_and_undo_restores() -> None:
    session = Session(conversation="telegram:1").with_prefs(language="de")
    session = session.changed(table=sample_table(), chart=sample_chart(), image_key="k")
    cleared = session.cleared()
    assert (cleared.table, cleared.chart, cleared.image_key) == (None, None, None)
    assert cleared.prefs.language == "de"
    restored = cleared.undone()
    assert restored is not None
    assert (restored.table, restored.chart, restored.image_key) == (
        session.table,
        session.chart,
        "k",
    )
    assert Session(conversation="telegram:1").cleared() == Session(conversation="telegram:1")


def test_history_is_bounded() -> None:
    session = Session(conversation="telegram:1")
    for n in range(HISTORY_LIMIT + 5):
        session = session.changed(table=sample_table(1, bump=n), chart=None)
    assert len(session.undo) == HISTORY_LIMIT
    assert session.undo[0].table == sample_table(1, bump=4)  # the oldest five were dropped
    steps = 0
    while (previous := session.undone()) is not None:
        session, steps = previous, steps + 1
    assert steps == HISTORY_LIMIT and len(session.redo) == HISTORY_LIMIT


def test_with_prefs_validates() -> None:
    session = Session(conversation="telegram:1").with_prefs(voice=True)
    assert session.with_prefs(language="fr").prefs == Preferences(voice=True, language="fr")
    with pytest.raises(TypeError):
        session.with_prefs(colour="red")
    with pytest.raises(ValidationError):
        session.with_prefs(voice="loud")


def test_session_is_frozen() -> None:
    with pytest.raises(ValidationError):
        Session(conversation="telegram:1").version = 3  # type: ignore[misc]


# --- encoding ---


def test_typical_session_encodes_small() -> None:
    session = typical_session()
    data = encode_session(session)
    assert len(session.undo) == HISTORY_LIMIT
    assert len(data) <= 8 * 1024, f"{len(data)} bytes"
    decoded = decode_session(session.conversation, 3, data)
    assert decoded == session.model_copy(update={"version": 3})


def test_fresh_session_encodes_tiny() -> None:
    assert len(encode_session(Session(conversation="telegram:1"))) < 16


# --- Redis only ---


async def test_redis_layout(redis_store: RedisStore, raw_redis: Redis) -> None:
    await redis_store.save(Session(conversation="telegram:77"))
    await redis_store.cache_put("h", "v", ttl_seconds=30)
    assert set(await awaited(raw_redis.hgetall("replot:session:telegram:77"))) >= {b"v", b"d"}
    assert 0 < await awaited(raw_redis.pttl("replot:session:telegram:77")) <= LONG_TTL * 1000
    assert 0 < await awaited(raw_redis.pttl("replot:cache:h")) <= 30_000


async def test_redis_counter_layout_and_expiry_repair(
    redis_store: RedisStore, raw_redis: Redis
) -> None:
    await redis_store.incr("n", 30)
    assert await awaited(raw_redis.get("replot:count:n")) == b"1"
    assert 0 < await awaited(raw_redis.pttl("replot:count:n")) <= 30_000
    await awaited(raw_redis.set("replot:count:n", 5))  # somehow lost its expiry
    assert await redis_store.counter("n") == (5, None)
    assert await redis_store.incr("n", 30) == 6
    assert 0 < await awaited(raw_redis.pttl("replot:count:n")) <= 30_000


async def test_cas_retry_of_a_landed_write_is_not_a_conflict(raw_redis: Redis) -> None:
    def cas(expected: int, token: str) -> Awaitable[Any]:
        return awaited(raw_redis.eval(_CAS_SCRIPT, 1, "k", expected, b"payload", 10_000, token))

    assert await cas(0, "mine") == 1
    assert await cas(0, "mine") == 1  # the same write, retried after a lost reply
    assert await cas(0, "theirs") == 0
    assert await cas(1, "theirs") == 2


async def test_unavailable_while_stopped_then_same_store_recovers(
    redis_server: RedisServer, redis_store: RedisStore
) -> None:
    saved = await redis_store.save(Session(conversation="telegram:1"))
    redis_server.stop()
    try:
        for call in (
            redis_store.ping,
            lambda: redis_store.load("telegram:1"),
            lambda: redis_store.save(saved),
            lambda: redis_store.cache_get("k"),
            lambda: redis_store.cache_put("k", "v", 5),
        ):
            started = time.monotonic()
            with pytest.raises(StoreUnavailable) as caught:
                await call()
            assert time.monotonic() - started < 3
            assert "redis://" not in str(caught.value)
            assert str(redis_server.port) not in str(caught.value)
    finally:
        redis_server.start()
    await redis_store.ping()
    # no persistence: a fresh server
    assert await redis_store.load("telegram:1") == Session(conversation="telegram:1")
    assert (await redis_store.save(Session(conversation="telegram:1"))).version == 1


async def test_counters_unavailable_while_stopped_then_count_again(
    redis_server: RedisServer, redis_store: RedisStore
) -> None:
    await redis_store.incr("c", LONG_TTL)
    redis_server.stop()
    try:
        with pytest.raises(StoreUnavailable):
            await redis_store.incr("c", LONG_TTL)
        with pytest.raises(StoreUnavailable):
            await redis_store.counter("c")
    finally:
        redis_server.start()
    assert await redis_store.incr("c", LONG_TTL) == 1  # a fresh server; the script is reloaded


async def test_password_never_leaks(caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-pa55"
    store = RedisStore.from_url(f"redis://:{secret}@127.0.0.1:{free_port()}/0", LONG_TTL)
    try:
        with pytest.raises(StoreUnavailable) as caught:
            await store.load("telegram:1")
    finally:
        await store.close()
    chain: list[BaseException] = []
    error: BaseException | None = caught.value
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    assert all(secret not in f"{e} {e!r}" for e in chain)
    assert secret not in caplog.text
    with pytest.raises(ValueError) as bad:
        RedisStore.from_url(f"redis://:{secret}@127.0.0.1:port/0", LONG_TTL)
    assert secret not in str(bad.value)


@pytest.mark.parametrize(
    ("version", "payload", "loaded_version"),
    [
        (b"3", b"not zlib at all", 3),
        (b"3", zlib.compress(b"{not json"), 3),
        (b"3", zlib.compress(b'{"table": {"columns": []}}'), 3),
        (b"3", zlib.compress(b"[1, 2]"), 3),
        (b"3", zlib.compress(b"\xff\xfe"), 3),
        (b"garbled", b"x", 0),
    ],
)
async def test_corrupt_payload_starts_fresh_and_is_overwritten(
    redis_store: RedisStore,
    raw_redis: Redis,
    caplog: pytest.LogCaptureFixture,
    version: bytes,
    payload: bytes,
    loaded_version: int,
) -> None:
    await awaited(raw_redis.hset("replot:session:telegram:5", mapping={"v": version, "d": payload}))
    with caplog.at_level(logging.WARNING, logger="bot.sessions.store"):
        loaded = await redis_store.load("telegram:5")
    assert loaded == Session(conversation="telegram:5", version=loaded_version)
    assert "starting fresh" in caplog.text and "not json" not in caplog.text
    saved = await redis_store.save(loaded.with_prefs(voice=True))
    assert await redis_store.load("telegram:5") == saved


async def test_create_store(redis_url: str) -> None:
    memory = create_store(None, LONG_TTL)
    redis = create_store(redis_url, LONG_TTL)
    try:
        assert isinstance(memory, MemoryStore) and isinstance(redis, RedisStore)
        await redis.ping()
    finally:
        await memory.close()
        await redis.close()


class InterleavingStore:
    """Wraps a store so every call yields to the event loop first, forcing tasks to race."""

    def __init__(self, inner: SessionStore) -> None:
        self.inner = inner
        self.conflicts = 0

    async def load(self, conversation: str) -> Session:
        await asyncio.sleep(0)
        return await self.inner.load(conversation)

    async def save(self, session: Session) -> Session:
        await asyncio.sleep(0)
        try:
            return await self.inner.save(session)
        except VersionConflict:
            self.conflicts += 1
            raise

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()

    async def cache_get(self, key: str) -> str | None:
        return await self.inner.cache_get(key)

    async def cache_put(self, key: str, value: str, ttl_seconds: float) -> None:
        await self.inner.cache_put(key, value, ttl_seconds)

    async def incr(self, key: str, ttl_seconds: float) -> int:
        return await self.inner.incr(key, ttl_seconds)

    async def counter(self, key: str) -> tuple[int, float | None]:
        return await self.inner.counter(key)


async def test_a_telegram_session_stored_before_namespaced_ids_is_read_and_moved(
        redis_store: RedisStore, raw_redis: Redis) -> None:
    """Sessions written by earlier releases live under "session:<chat id>": the first load
    moves them to "session:telegram:<chat id>" with their version and TTL, so the next save
    lands, and a Discord conversation with the same number never sees them."""
    old = rich_session("telegram:31337")
    await awaited(raw_redis.hset("replot:session:31337", mapping={
        "v": 4, "d": encode_session(old), "w": "earlier-release"}))
    await awaited(raw_redis.pexpire("replot:session:31337", 60_000))
    assert (await redis_store.load("discord:31337")).table is None
    loaded = await redis_store.load("telegram:31337")
    assert loaded == old.model_copy(update={"version": 4})
    assert not await awaited(raw_redis.exists("replot:session:31337"))
    assert await awaited(raw_redis.hget("replot:session:telegram:31337", "v")) == b"4"
    saved = await redis_store.save(loaded.with_prefs(voice=False))
    assert saved.version == 5
    assert (await redis_store.load("telegram:31337")).prefs.voice is False


async def test_a_new_session_is_not_overwritten_by_a_leftover_old_key(
        redis_store: RedisStore, raw_redis: Redis) -> None:
    await redis_store.save(Session(conversation="telegram:8").with_prefs(voice=True))
    stale = encode_session(Session(conversation="telegram:8"))
    await awaited(raw_redis.hset("replot:session:8", mapping={"v": 9, "d": stale}))
    loaded = await redis_store.load("telegram:8")
    assert loaded.prefs.voice and loaded.version == 1
