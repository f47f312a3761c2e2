"""Per-conversation sessions (table, chart, undo/redo history, preferences) and where they are kept.

Two stores share one contract (`SessionStore`): `MemoryStore` for a single process and
`RedisStore` for anything that must survive a restart. Both expire idle sessions after a
TTL, refresh it on every load and save, and save by compare-and-set on `Session.version`.
They also keep expiring counters (`incr`/`counter`) for rate limits and budgets.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import random
import secrets
import time
import zlib
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, ValidationError
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.charts.spec import ChartSpec
from bot.conversation import timings
from bot.llm.read_check import Flag, surviving
from bot.sessions.conversations import legacy_telegram_chat
from bot.tables.table import Table

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 20
MAX_CONTEXT_CHARS = 400
ZLIB_LEVEL = 9
MAX_ENTRIES = 50  # a chat's library: its current entry and up to 49 kept beside it
MAX_STORED_BYTES = 256 * 1024  # compressed; a typical 10-entry library is far below 64 KB


class _Keep(enum.Enum):
    """Sentinel type: 'leave this field as it is'."""

    KEEP = enum.auto()


class Preferences(BaseModel):
    """Per-chat settings a person chose."""

    model_config = ConfigDict(frozen=True)

    voice: bool = False
    language: str | None = None


class Snapshot(BaseModel):
    """One step of history: what the chat showed before an edit."""

    model_config = ConfigDict(frozen=True)

    table: Table | None = None
    chart: ChartSpec | None = None
    image_key: str | None = None
    flags: tuple[Flag, ...] = ()


SourceKind = Literal["photo", "file", "pdf", "combined", "earlier"]


class Source(BaseModel):
    """Where a library entry came from, for citing it: a photo message, a file, a PDF page,
    or other entries combined (`earlier`: a table from before the chat had a library).

    `link`: a URL that opens the message it came in, where the platform has one (a Discord
    jump link); citations show it instead of the message id. Sources stored before it
    existed load with None.
    """

    model_config = ConfigDict(frozen=True)

    kind: SourceKind = "earlier"
    message_id: int | None = None
    file_name: str | None = None
    page: int | None = None
    entries: tuple[int, ...] = ()
    link: str | None = None


class EntryInfo(BaseModel):
    """A library entry's identity: its id (stable, never reused), source, and what retrieval
    keeps of it: page text around a chart (data, never instructions) and its embedding
    (int8, base64) with the digest of the description it was made from."""

    model_config = ConfigDict(frozen=True)

    id: int
    source: Source = Source()
    context: str = ""
    vector: str | None = None
    vector_of: str | None = None


class Shelved(BaseModel):
    """A library entry that is not the current one, with its own undo/redo history."""

    model_config = ConfigDict(frozen=True)

    info: EntryInfo
    table: Table | None = None
    chart: ChartSpec | None = None
    image_key: str | None = None
    undo: tuple[Snapshot, ...] = ()
    redo: tuple[Snapshot, ...] = ()
    flags: tuple[Flag, ...] = ()


class Session(BaseModel):
    """Everything the bot remembers about one chat. Immutable: every edit returns a copy.

    The chat's library: `table`, `chart`, `image_key`, `undo` and `redo` are the current
    entry's (so everything that works on one table works on the current entry), `entry` is
    its identity, and `shelf` holds the other entries, oldest first. A session stored before
    the library existed loads as a one-entry library (`entry` None until it is shelved).
    """

    model_config = ConfigDict(frozen=True)

    conversation: str  # namespaced by platform: "telegram:123", "discord:456"
    version: int = 0
    table: Table | None = None
    chart: ChartSpec | None = None
    undo: tuple[Snapshot, ...] = ()
    redo: tuple[Snapshot, ...] = ()
    prefs: Preferences = Preferences()
    image_key: str | None = None
    flags: tuple[Flag, ...] = ()
    """Cells of the table whose two reads disagreed (bot.llm.read_check); sessions saved before
    the read check have none."""
    entry: EntryInfo | None = None
    shelf: tuple[Shelved, ...] = ()
    last_entry_id: int = 0

    def snapshot(self) -> Snapshot:
        """The current (table, chart, image key, flags) as one history step."""
        return Snapshot(table=self.table, chart=self.chart, image_key=self.image_key,
                        flags=self.flags)

    def changed(
        self,
        *,
        table: Table | None,
        chart: ChartSpec | None,
        image_key: str | _Keep | None = _Keep.KEEP,
        flags: tuple[Flag, ...] | _Keep = _Keep.KEEP,
    ) -> Session:
        """A copy showing the new table and chart; the old state becomes undoable, redo clears.

        Unless given, the flags kept are those whose cells the new table leaves as they were.
        """
        key = self.image_key if image_key is _Keep.KEEP else image_key
        kept = surviving(self.flags, table) if flags is _Keep.KEEP else flags
        return self.model_copy(
            update={
                "table": table,
                "chart": chart,
                "image_key": key,
                "flags": kept,
                "undo": _pushed(self.undo, self.snapshot()),
                "redo": (),
            }
        )

    def undone(self) -> Session | None:
        """A copy one step back in history, or None when there is nothing to undo."""
        if not self.undo:
            return None
        return self._restored(self.undo[-1]).model_copy(
            update={"undo": self.undo[:-1], "redo": _pushed(self.redo, self.snapshot())}
        )

    def redone(self) -> Session | None:
        """A copy one step forward again, or None when there is nothing to redo."""
        if not self.redo:
            return None
        return self._restored(self.redo[-1]).model_copy(
            update={"redo": self.redo[:-1], "undo": _pushed(self.undo, self.snapshot())}
        )

    def cleared(self) -> Session:
        """A copy with no table and no chart (/reset); /undo brings the old state back."""
        if self.table is None and self.chart is None and self.image_key is None:
            return self
        return self.changed(table=None, chart=None, image_key=None)

    def with_prefs(self, **changes: Any) -> Session:
        """A copy with some preferences changed; unknown names raise TypeError."""
        unknown = set(changes) - set(Preferences.model_fields)
        if unknown:
            raise TypeError(f"unknown preference(s): {', '.join(sorted(unknown))}")
        prefs = Preferences.model_validate({**self.prefs.model_dump(), **changes})
        return self.model_copy(update={"prefs": prefs})

    def added(self, *, table: Table, chart: ChartSpec | None, image_key: str | None,
              source: Source, context: str = "", flags: tuple[Flag, ...] = ()) -> Session:
        """A copy with a new current entry (fresh history); the old current one is shelved.

        Past MAX_ENTRIES the oldest shelved entries are dropped.
        """
        new_id = self._next_id()
        shelf = self.shelf
        if self.table is not None or self.undo or self.redo:
            shelf = (*shelf, self._shelved())
        shelf = shelf[max(0, len(shelf) - (MAX_ENTRIES - 1)):]
        info = EntryInfo(id=new_id, source=source, context=context[:MAX_CONTEXT_CHARS])
        return self.model_copy(update={
            "table": table, "chart": chart, "image_key": image_key, "undo": (), "redo": (),
            "flags": flags, "entry": info, "shelf": shelf, "last_entry_id": new_id})

    def current_id(self) -> int | None:
        """The current entry's id (0 for a table from before the library), or None."""
        if self.entry is not None:
            return self.entry.id
        return 0 if self.table is not None else None

    def entries(self) -> list[Shelved]:
        """Every entry with a table, current one included, oldest first."""
        current = []
        if self.table is not None:
            current = [self._shelved()]
        return sorted([*(e for e in self.shelf if e.table is not None), *current],
                      key=lambda e: e.info.id)

    def switched(self, entry_id: int) -> Session | None:
        """A copy whose current entry is `entry_id` (the current one is shelved), or None
        when there is no such entry. Switching to the current entry returns the session."""
        if entry_id == self.current_id():
            return self
        found = next((e for e in self.shelf if e.info.id == entry_id), None)
        if found is None:
            return None
        shelf = tuple(e for e in self.shelf if e.info.id != entry_id)
        if self.table is not None or self.undo or self.redo:
            shelf = tuple(sorted((*shelf, self._shelved()), key=lambda e: e.info.id))
        return self.model_copy(update={
            "table": found.table, "chart": found.chart, "image_key": found.image_key,
            "undo": found.undo, "redo": found.redo, "flags": found.flags, "entry": found.info,
            "shelf": shelf})

    def with_entries(self, infos: dict[int, EntryInfo]) -> Session:
        """A copy with some entries' identities replaced (new embeddings), by id."""
        entry = self.entry
        if entry is not None and entry.id in infos:
            entry = infos[entry.id]
        shelf = tuple(e.model_copy(update={"info": infos[e.info.id]})
                      if e.info.id in infos else e for e in self.shelf)
        return self.model_copy(update={"entry": entry, "shelf": shelf})

    def _next_id(self) -> int:
        return max(self.last_entry_id, *(e.info.id for e in self.shelf), 0) + 1

    def _shelved(self) -> Shelved:
        """The current entry as a shelf item; a table from before the library is entry 0."""
        info = self.entry or EntryInfo(id=0)
        return Shelved(info=info, table=self.table, chart=self.chart, image_key=self.image_key,
                       undo=self.undo, redo=self.redo, flags=self.flags)

    def _restored(self, step: Snapshot) -> Session:
        return self.model_copy(
            update={"table": step.table, "chart": step.chart, "image_key": step.image_key,
                    "flags": step.flags}
        )


def _pushed(stack: tuple[Snapshot, ...], step: Snapshot) -> tuple[Snapshot, ...]:
    """The stack with `step` on top, keeping at most HISTORY_LIMIT steps (oldest dropped)."""
    return (*stack, step)[-HISTORY_LIMIT:]


def encode_session(session: Session) -> bytes:
    """Compact stored form: JSON without defaults (version kept outside), zlib-compressed."""
    raw = session.model_dump_json(exclude_defaults=True, exclude={"version", "conversation"})
    return zlib.compress(raw.encode(), ZLIB_LEVEL)


def fitted(session: Session, max_bytes: int = MAX_STORED_BYTES) -> Session:
    """The session within the store's byte budget: the shelved entries' undo/redo go first,
    then the oldest shelved entries, then the oldest steps of the current entry's history."""
    raw = session.model_dump_json(exclude_defaults=True, exclude={"version", "conversation"})
    if len(raw) <= max_bytes or len(encode_session(session)) <= max_bytes:
        return session
    logger.info("%s: library over %d bytes; trimming", session.conversation, max_bytes)
    session = session.model_copy(update={"shelf": tuple(
        e.model_copy(update={"undo": (), "redo": ()}) for e in session.shelf)})
    while len(encode_session(session)) > max_bytes:
        if session.shelf:
            drop = max(1, len(session.shelf) // 4)
            session = session.model_copy(update={"shelf": session.shelf[drop:]})
        elif session.undo or session.redo:
            session = session.model_copy(update={
                "undo": session.undo[len(session.undo) // 2 + 1:],
                "redo": session.redo[len(session.redo) // 2 + 1:]})
        else:
            break
    return session


def decode_session(conversation: str, version: int, data: bytes) -> Session:
    """Read what `encode_session` wrote. Raises ValueError (or zlib.error) when unreadable."""
    fields = json.loads(zlib.decompress(data))
    if not isinstance(fields, dict):
        raise ValueError("stored session is not an object")
    return Session.model_validate({**fields, "conversation": conversation, "version": version})


class StoreUnavailable(Exception):
    """The backing store cannot be reached. The message is safe to show to a person."""


class VersionConflict(Exception):
    """Someone else saved this chat's session after it was loaded."""


class SessionStore(Protocol):
    """Where sessions live, plus a small shared key-value cache."""

    async def load(self, conversation: str) -> Session:
        """The stored session (refreshing its TTL), or a fresh one at version 0."""
        ...

    async def save(self, session: Session) -> Session:
        """Store if the stored version still equals session.version; return it at version+1."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        ...

    async def close(self) -> None: ...

    async def cache_get(self, key: str) -> str | None: ...

    async def cache_put(self, key: str, value: str, ttl_seconds: float) -> None: ...

    async def incr(self, key: str, ttl_seconds: float) -> int:
        """Atomically add one to counter `key` and return the new value.

        A new counter expires `ttl_seconds` later; later increments keep that expiry.
        """
        ...

    async def counter(self, key: str) -> tuple[int, float | None]:
        """Counter `key`'s value and seconds until it expires; (0, None) when absent."""
        ...


async def update_session(
    store: SessionStore,
    conversation: str,
    change: Callable[[Session], Session | None],
    attempts: int = 5,
) -> Session:
    """Load, apply `change`, save; retry from a fresh load when someone else saved first.

    `change` returning None means "nothing to change": the loaded session is returned unsaved.
    Raises VersionConflict when every attempt lost the race.
    """
    for attempt in range(attempts):
        session = await store.load(conversation)
        updated = change(session)
        if updated is None:
            return session
        try:
            return await store.save(updated)
        except VersionConflict:
            await asyncio.sleep(_backoff(attempt))
    raise VersionConflict(f"{conversation}: gave up after {attempts} conflicting saves")


def _backoff(attempt: int) -> float:
    """A short random pause so racing writers spread out (jitter, not security)."""
    return random.uniform(0, min(0.05, 0.002 * 2**attempt))  # noqa: S311


K = TypeVar("K")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Expiring(Generic[T]):
    value: T
    expires_at: float


class MemoryStore:
    """In-process store with the same TTL and compare-and-set behaviour as RedisStore.

    Each method finishes without awaiting, so a load-compare-write never interleaves with
    another task on the event loop; no lock is needed. Expired entries are dropped when
    touched and by a periodic sweep.
    """

    SWEEP_INTERVAL = 60.0

    def __init__(self, ttl_seconds: float, *, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl_seconds
        self._clock = clock
        self._sessions: dict[str, _Expiring[Session]] = {}
        self._cache: dict[str, _Expiring[str]] = {}
        self._counters: dict[str, _Expiring[int]] = {}
        self._next_sweep = clock() + self.SWEEP_INTERVAL

    async def load(self, conversation: str) -> Session:
        entry = self._live(self._sessions, conversation)
        if entry is None:
            return Session(conversation=conversation)
        self._sessions[conversation] = _Expiring(entry.value, self._clock() + self._ttl)
        return entry.value

    async def save(self, session: Session) -> Session:
        self._sweep()
        session = fitted(session)
        entry = self._live(self._sessions, session.conversation)
        stored_version = entry.value.version if entry else 0
        if stored_version != session.version:
            raise VersionConflict(f"{session.conversation}: the session was saved elsewhere")
        saved = session.model_copy(update={"version": stored_version + 1})
        self._sessions[session.conversation] = _Expiring(saved, self._clock() + self._ttl)
        return saved

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._sessions.clear()
        self._cache.clear()
        self._counters.clear()

    async def cache_get(self, key: str) -> str | None:
        entry = self._live(self._cache, key)
        return entry.value if entry else None

    async def cache_put(self, key: str, value: str, ttl_seconds: float) -> None:
        self._sweep()
        self._cache[key] = _Expiring(value, self._clock() + ttl_seconds)

    async def incr(self, key: str, ttl_seconds: float) -> int:
        self._sweep()
        entry = self._live(self._counters, key)
        if entry is None:
            entry = _Expiring(0, self._clock() + ttl_seconds)
        self._counters[key] = _Expiring(entry.value + 1, entry.expires_at)
        return entry.value + 1

    async def counter(self, key: str) -> tuple[int, float | None]:
        entry = self._live(self._counters, key)
        if entry is None:
            return 0, None
        return entry.value, entry.expires_at - self._clock()

    def _live(self, entries: dict[K, _Expiring[T]], key: K) -> _Expiring[T] | None:
        """The entry under `key` unless it has expired (an expired one is dropped)."""
        entry = entries.get(key)
        if entry is not None and entry.expires_at <= self._clock():
            del entries[key]
            return None
        return entry

    def _sweep(self) -> None:
        """Drop every expired entry, at most once per SWEEP_INTERVAL."""
        now = self._clock()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_INTERVAL
        _drop_expired(self._sessions, now)
        _drop_expired(self._cache, now)
        _drop_expired(self._counters, now)


def _drop_expired(entries: dict[K, _Expiring[T]], now: float) -> None:
    for key in [k for k, e in entries.items() if e.expires_at <= now]:
        del entries[key]


# Compare-and-set in one server-side step: closes the race where two writers both load
# version N and the later save silently overwrites the earlier one.
# KEYS[1] session hash; ARGV: expected version, payload, TTL ms, writer token.
# The token makes a retried call idempotent: if our own write landed but the reply was lost,
# the retry reports success instead of a conflict (which would re-apply the change).
_CAS_SCRIPT = """
local current = tonumber(redis.call('HGET', KEYS[1], 'v')) or 0
local expected = tonumber(ARGV[1])
if current == expected + 1 and redis.call('HGET', KEYS[1], 'w') == ARGV[4] then
  return current
end
if current ~= expected then
  return 0
end
redis.call('HSET', KEYS[1], 'v', current + 1, 'd', ARGV[2], 'w', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return current + 1
"""

# INCR and setting the expiry in one server-side step: closes the race where a client dies or
# loses its connection between a separate INCR and EXPIRE, leaving a counter that never resets.
# The expiry is set only while the key has none (like EXPIRE NX), so increments never extend it.
# KEYS[1] counter; ARGV[1] TTL ms.
_INCR_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
"""

# Read a session, refreshing its TTL. A Telegram chat's session stored before conversation
# ids were namespaced (under "session:<chat id>") is first renamed to its new key, in the
# same server-side step, so two replicas reading it at once cannot both migrate it, and the
# version the next compare-and-set expects is the one it had.
# KEYS[1] session hash; KEYS[2] its legacy key or ""; ARGV[1] TTL ms.
_LOAD_SCRIPT = """
if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[1])
end
local fields = redis.call('HMGET', KEYS[1], 'v', 'd')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return fields
"""

_UNAVAILABLE = "the session store (Redis) is not reachable right now"


@contextmanager
def _reachable() -> Iterator[None]:
    """Turn connection failures into StoreUnavailable (whose message holds no URL); the
    time spent counts as the update's `store` phase."""
    try:
        with timings.phase("store"):
            yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
        raise StoreUnavailable(_UNAVAILABLE) from exc


class RedisStore:
    """Sessions in Redis: one hash per conversation (`v` version, `d` payload, `w` last writer)."""

    def __init__(self, client: Redis, ttl_seconds: float, key_prefix: str = "replot:"):
        self._client = client
        self._ttl_ms = max(1, round(ttl_seconds * 1000))
        self._prefix = key_prefix
        self._cas = client.register_script(_CAS_SCRIPT)
        self._load = client.register_script(_LOAD_SCRIPT)
        self._incr = client.register_script(_INCR_SCRIPT)

    @classmethod
    def from_url(cls, url: str, ttl_seconds: float, key_prefix: str = "replot:") -> RedisStore:
        """A store on a client that times out quickly and reconnects by itself."""
        try:
            client = Redis.from_url(
                url,
                socket_connect_timeout=2,
                socket_timeout=5,
                health_check_interval=15,
                retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=2),
                retry_on_error=[RedisConnectionError, RedisTimeoutError],
            )
        except ValueError:
            raise ValueError("the Redis URL is not valid") from None
        return cls(client, ttl_seconds, key_prefix)

    async def load(self, conversation: str) -> Session:
        legacy = legacy_telegram_chat(conversation)
        keys = [self._session_key(conversation),
                "" if legacy is None else f"{self._prefix}session:{legacy}"]
        with _reachable():
            raw_version, data = await self._load(keys=keys, args=[self._ttl_ms])
        return _read_stored(conversation, raw_version, data)

    async def save(self, session: Session) -> Session:
        session = fitted(session)
        payload = encode_session(session)
        token = secrets.token_hex(8)
        args: list[bytes | str | int] = [session.version, payload, self._ttl_ms, token]
        with _reachable():
            new_version = int(await self._cas(keys=[self._session_key(session.conversation)],
                                              args=args))
        if new_version == 0:
            raise VersionConflict(f"{session.conversation}: the session was saved elsewhere")
        return session.model_copy(update={"version": new_version})

    async def ping(self) -> None:
        with _reachable():
            await cast("Awaitable[bool]", self._client.ping())  # redis-py types it sync | async

    async def close(self) -> None:
        await self._client.aclose()

    async def cache_get(self, key: str) -> str | None:
        with _reachable():
            value = await self._client.get(self._cache_key(key))
        if value is None:
            return None
        try:
            return bytes(value).decode()
        except UnicodeDecodeError:
            return None

    async def cache_put(self, key: str, value: str, ttl_seconds: float) -> None:
        ttl_ms = max(1, round(ttl_seconds * 1000))
        with _reachable():
            await self._client.set(self._cache_key(key), value.encode(), px=ttl_ms)

    async def incr(self, key: str, ttl_seconds: float) -> int:
        ttl_ms = max(1, round(ttl_seconds * 1000))
        with _reachable():
            return int(await self._incr(keys=[self._counter_key(key)], args=[ttl_ms]))

    async def counter(self, key: str) -> tuple[int, float | None]:
        with _reachable():
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.get(self._counter_key(key))
                pipe.pttl(self._counter_key(key))
                value, ttl_ms = await pipe.execute()
        if value is None:
            return 0, None
        return int(value), ttl_ms / 1000 if ttl_ms >= 0 else None

    def _session_key(self, conversation: str) -> str:
        return f"{self._prefix}session:{conversation}"

    def _cache_key(self, key: str) -> str:
        return f"{self._prefix}cache:{key}"

    def _counter_key(self, key: str) -> str:
        return f"{self._prefix}count:{key}"


def _read_stored(conversation: str, raw_version: bytes | None, data: bytes | None) -> Session:
    """The session from stored fields; unreadable data gives a fresh session at that version.

    Keeping the stored version lets the next save overwrite the bad data instead of
    conflicting with it forever.
    """
    version = _parse_version(raw_version)
    if version == 0 or data is None:
        if raw_version is not None or data is not None:
            logger.warning("session for %s is incomplete; starting fresh", conversation)
        return Session(conversation=conversation, version=version)
    try:
        return decode_session(conversation, version, data)
    except (zlib.error, ValueError, ValidationError) as exc:
        logger.warning("session for %s is unreadable (%s); starting fresh", conversation,
                       type(exc).__name__)
        return Session(conversation=conversation, version=version)


def _parse_version(raw: bytes | None) -> int:
    """The stored version; 0 when missing or garbled (the CAS script reads it the same way)."""
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0


def create_store(redis_url: str | None, ttl_seconds: float) -> SessionStore:
    """RedisStore when a URL is given, else the in-process MemoryStore."""
    if redis_url:
        return RedisStore.from_url(redis_url, ttl_seconds)
    return MemoryStore(ttl_seconds)
