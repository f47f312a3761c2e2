"""Who may use the bot and how much: allow-lists, per-minute message limits, daily model budgets.

`AccessPolicy` answers "may this person talk to the bot at all" from three settings, whose
entries name Telegram people by bare numeric id (or @username) and Discord people, channels
and servers as `discord:<id>`.
`Quotas` counts in the `SessionStore` (Redis, or the in-process store), so with Redis the
limits hold across replicas and restarts. Both know no chat platform: the caller builds a
`Person` from each update. What they say to people is in the language of the moment
(bot/wording.py).
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.sessions.conversations import PLATFORMS, TELEGRAM
from bot.sessions.store import SessionStore, StoreUnavailable
from bot.words.wording import noop, t

logger = logging.getLogger(__name__)

MINUTE_S = 60
DAY_S = 86_400
# Counters outlive their window a little, so replicas with slightly different clocks agree.
MINUTE_MARGIN_S = 60.0
DAY_MARGIN_S = 3600.0
WARN_EVERY_S = 60.0
REPORT_MAX_PEOPLE = 30

_SEPARATORS = re.compile(r"[\s,;]+")
_ID = re.compile(r"-?\d+")
_USERNAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{2,31})")


@dataclass(frozen=True)
class Person:
    """Who sent an update, on which platform (bot/sessions/conversations.py names them).

    `user_id` is None for senders Telegram hides (e.g. channel posts); `chat_id` is the
    platform's chat (a Telegram chat, a Discord channel or DM); `group_id` a Discord server.
    """

    user_id: int | None
    username: str | None
    chat_id: int
    platform: str = TELEGRAM
    group_id: int | None = None

    @property
    def key(self) -> str:
        """Who to count: the user, or the chat when the sender is hidden. Telegram's keep the
        form they had before other platforms came, so counts carry over."""
        who = f"u{self.user_id}" if self.user_id is not None else f"c{self.chat_id}"
        return who if self.platform == TELEGRAM else f"{self.platform}:{who}"


@dataclass(frozen=True)
class _People:
    """One parsed list setting: (platform, numeric id) pairs and lower-case Telegram usernames
    (without '@'). A bare number is a Telegram id; `discord:<id>` a Discord one."""

    ids: frozenset[tuple[str, int]] = frozenset()
    names: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str, setting: str, *, names_allowed: bool = True) -> _People:
        """Parse 'comma/space separated ids or @usernames'; raise ValueError naming `setting`."""
        ids: set[tuple[str, int]] = set()
        names: set[str] = set()
        for token in filter(None, _SEPARATORS.split(text)):
            platform, _, number = token.rpartition(":")
            if platform.lower() in ("", *PLATFORMS) and _ID.fullmatch(number):
                ids.add((platform.lower() or TELEGRAM, int(number)))
            elif names_allowed and (match := _USERNAME.fullmatch(token)):
                names.add(match.group(1).lower())
            else:
                wanted = ("a numeric id, discord:<id> or @username" if names_allowed
                          else "a numeric chat id or discord:<id>")
                raise ValueError(f"{setting}: {token!r} is not {wanted}")
        return cls(frozenset(ids), frozenset(names))

    @property
    def empty(self) -> bool:
        return not self.ids and not self.names

    def has_user(self, person: Person) -> bool:
        if person.user_id is not None and (person.platform, person.user_id) in self.ids:
            return True
        return (person.platform == TELEGRAM and person.username is not None
                and person.username.lower() in self.names)

    def has_chat(self, person: Person) -> bool:
        """The person's chat is listed (for Discord, its channel or its server)."""
        return any((person.platform, chat) in self.ids
                   for chat in (person.chat_id, person.group_id) if chat is not None)


class AccessPolicy:
    """Allow-lists from settings. An empty list means everyone; admins are always allowed.

    Match people by numeric id: a username can be given up and taken by someone else. Usernames
    (with or without '@') are accepted as a convenience and matched case-insensitively.
    Chats are numeric ids only (groups are negative, e.g. -1001234567890). A person must pass
    both lists, so with ALLOWED_CHATS set, private chats are refused unless their chat id
    (the person's user id) is listed too.
    """

    def __init__(self, users: _People, chats: _People, admins: _People) -> None:
        self._users = users
        self._chats = chats
        self._admins = admins

    @classmethod
    def from_settings(
        cls, allowed_users: str, allowed_chats: str, admin_users: str
    ) -> AccessPolicy:
        """Parse the three settings; raise ValueError naming the setting with a bad entry."""
        return cls(
            _People.parse(allowed_users, "ALLOWED_USERS"),
            _People.parse(allowed_chats, "ALLOWED_CHATS", names_allowed=False),
            _People.parse(admin_users, "ADMIN_USERS"),
        )

    def allows(self, person: Person) -> bool:
        """Admins always; others when on the user list (if any) and in a listed chat (if any)."""
        if self.is_admin(person):
            return True
        user_ok = self._users.empty or self._users.has_user(person)
        return user_ok and (self._chats.empty or self._chats.has_chat(person))

    def is_admin(self, person: Person) -> bool:
        return self._admins.has_user(person)

    @property
    def listed_people(self) -> frozenset[tuple[str, int]]:
        """Every (platform, user id) on the user and admin lists (e.g. for a usage report)."""
        return self._users.ids | self._admins.ids


@dataclass(frozen=True)
class Verdict:
    """Whether to go ahead; if not, when to try again and a sentence to show the person."""

    allowed: bool
    retry_after_s: float = 0.0
    reason: str = ""


ALLOWED = Verdict(allowed=True)


@dataclass(frozen=True)
class Usage:
    """One person's counts now. A limit of 0 means unlimited; exempt people (admins) have none.

    Messages are not counted (so read 0) while they are unlimited or the person is exempt.
    """

    messages_this_minute: int
    messages_per_minute: int
    model_calls_today: int
    model_calls_per_day: int
    day_resets_in_s: float
    exempt: bool


class Quotas:
    """Per-person message rate and daily model-call budget, counted in a SessionStore.

    Windows are fixed: messages count per clock minute, model calls per UTC day. A burst
    straddling a window edge may get up to twice the limit through for a moment; that is
    acceptable here and keeps every check to one atomic increment.

    People are counted by user id, or by chat id when Telegram hides the sender. Admins (per
    `policy`) are never limited; their model calls are still counted for the report. Model
    calls are counted even when the budget is unlimited, so the report shows the spend.
    """

    def __init__(
        self,
        store: SessionStore,
        *,
        messages_per_minute: int,
        model_calls_per_day: int,
        policy: AccessPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if messages_per_minute < 0 or model_calls_per_day < 0:
            raise ValueError("limits must be 0 (unlimited) or more")
        self._store = store
        self._per_minute = messages_per_minute
        self._per_day = model_calls_per_day
        self._policy = policy
        self._clock = clock
        self._last_warning = -math.inf

    async def check_message(self, person: Person) -> Verdict:
        """Count one message; refuse it when over the per-minute limit.

        Fails open: if the store is unavailable the message is allowed (and a warning logged).
        """
        if self._per_minute == 0 or self._exempt(person):
            return ALLOWED
        now = self._clock()
        minute = int(now // MINUTE_S)
        resets_in = (minute + 1) * MINUTE_S - now
        try:
            count = await self._store.incr(
                _message_key(person, minute), resets_in + MINUTE_MARGIN_S
            )
        except StoreUnavailable:
            self._warn_unavailable(now)
            return ALLOWED
        if count <= self._per_minute:
            return ALLOWED
        if count == self._per_minute + 1:
            await self._note(f"message_limit_hits:{_date(now)}")
        reason = t("You've sent a lot of messages; try again in {wait}.",
                   wait=_duration(resets_in))
        return Verdict(allowed=False, retry_after_s=resets_in, reason=reason)

    async def charge_model_call(self, person: Person) -> Verdict:
        """Count one model call against today's budget (UTC); refuse it when over budget.

        Raises StoreUnavailable when the store is unavailable: the caller decides what to do.
        """
        now = self._clock()
        date = _date(now)
        resets_in = _day_resets_in(now)
        count = await self._store.incr(_calls_key(person, date), resets_in + DAY_MARGIN_S)
        if self._per_day and count > self._per_day and not self._exempt(person):
            if count == self._per_day + 1:
                await self._note(f"budget_hits:{date}")
            return Verdict(allowed=False, retry_after_s=resets_in, reason=self._spent(resets_in))
        await self._note(f"model_calls:{date}")
        if count == 1:
            await self._note(f"model_callers:{date}")
        return ALLOWED

    async def usage(self, person: Person) -> Usage:
        """This person's counts now (counts nothing). Raises StoreUnavailable."""
        now = self._clock()
        minute = int(now // MINUTE_S)
        messages, _ = await self._store.counter(_message_key(person, minute))
        calls, _ = await self._store.counter(_calls_key(person, _date(now)))
        exempt = self._exempt(person)
        if self._per_day and not exempt:
            calls = min(calls, self._per_day)  # refused attempts count too; report real calls
        return Usage(
            messages_this_minute=messages,
            messages_per_minute=0 if exempt else self._per_minute,
            model_calls_today=calls,
            model_calls_per_day=0 if exempt else self._per_day,
            day_resets_in_s=_day_resets_in(now),
            exempt=exempt,
        )

    async def usage_report(self, people: Iterable[tuple[str, int]] = ()) -> str:
        """A few lines for admins: today's totals, then the busiest of `user_ids`.

        Raises StoreUnavailable.
        """
        now = self._clock()
        date = _date(now)
        calls, callers, budget_hits, message_hits = [
            (await self._store.counter(f"{name}:{date}"))[0]
            for name in ("model_calls", "model_callers", "budget_hits", "message_limit_hits")
        ]
        lines = [
            t("Usage on {date} (UTC; the day resets in {wait})",
              date=date, wait=_duration(_day_resets_in(now))),
            t("Model calls: {calls} by {people} ({limit}).", calls=calls,
              people=_count(callers, noop("{n} person"), noop("{n} people")),
              limit=self._limit_text()),
            t("Used up their budget: {people}. Hit the message limit: {times} today.",
              people=_count(budget_hits, noop("{n} person"), noop("{n} people")),
              times=_count(message_hits, noop("{n} time"), noop("{n} times"))),
        ]
        return "\n".join(lines + await self._people_lines(people))

    async def _people_lines(self, listed: Iterable[tuple[str, int]]) -> list[str]:
        """One line per given user active today or this minute, busiest first, capped."""
        ids = sorted(set(listed))
        people = [Person(user_id=i, username=None, chat_id=i, platform=p) for p, i in ids]
        usages = await asyncio.gather(*(self.usage(p) for p in people))
        active = [(u, i) for u, i in zip(usages, ids, strict=True) if _active(u)]
        active.sort(key=lambda pair: (-pair[0].model_calls_today, pair[1]))
        lines = [_person_line(who, usage) for usage, who in active[:REPORT_MAX_PEOPLE]]
        if len(active) > REPORT_MAX_PEOPLE:
            lines.append(t("… and {count} more.", count=len(active) - REPORT_MAX_PEOPLE))
        return lines

    def _exempt(self, person: Person) -> bool:
        return self._policy is not None and self._policy.is_admin(person)

    def _spent(self, resets_in: float) -> str:
        return _count(self._per_day,
                      noop("You've used today's {n} chart request; it resets in {wait}."),
                      noop("You've used today's {n} chart requests; it resets in {wait}."),
                      wait=_duration(resets_in))

    def _limit_text(self) -> str:
        if self._per_day:
            return t("limit {n} a day each", n=self._per_day)
        return t("no daily limit")

    async def _note(self, key: str) -> None:
        """Count a statistic for the report; best effort, a failure only loses the number."""
        try:
            await self._store.incr(key, DAY_S + DAY_MARGIN_S)
        except StoreUnavailable:
            self._warn_unavailable(self._clock())

    def _warn_unavailable(self, now: float) -> None:
        """Log that counting failed, at most once a minute (a flood would repeat it)."""
        if now - self._last_warning >= WARN_EVERY_S:
            self._last_warning = now
            logger.warning("counter store unavailable: messages are let through uncounted")


def _message_key(person: Person, minute: int) -> str:
    return f"messages:{person.key}:{minute}"


def _calls_key(person: Person, date: str) -> str:
    return f"model_calls:{date}:{person.key}"


def _date(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).date().isoformat()


def _day_resets_in(now: float) -> float:
    """Seconds until the next UTC midnight (Unix time has exactly 86,400 s a day)."""
    return (now // DAY_S + 1) * DAY_S - now


def _active(usage: Usage) -> bool:
    return usage.model_calls_today > 0 or usage.messages_this_minute > 0


def _person_line(who: tuple[str, int], usage: Usage) -> str:
    platform, user_id = who
    user = str(user_id) if platform == TELEGRAM else f"{platform}:{user_id}"
    calls = _count(usage.model_calls_today, noop("{n} model call"), noop("{n} model calls"))
    messages = _count(usage.messages_this_minute, noop("{n} message"), noop("{n} messages"))
    if usage.exempt:
        return t("{user} (admin): {calls} today, {messages} this minute",
                 user=user, calls=calls, messages=messages)
    return t("{user}: {calls} today, {messages} this minute",
             user=user_id, calls=calls, messages=messages)


def _count(n: int, one: str, many: str, **values: object) -> str:
    """`one` or `many` (noop() messages with an {n} field) for n, in the current language."""
    return t(one if n == 1 else many, n=n, **values)


def _duration(seconds: float) -> str:
    """'40 seconds', '3 min', '5 h 12 min': rounded up, so waiting that long is enough."""
    if seconds < MINUTE_S:
        return _count(max(1, math.ceil(seconds)), noop("{n} second"), noop("{n} seconds"))
    hours, minutes = divmod(math.ceil(seconds / MINUTE_S), 60)
    if hours == 0:
        return t("{minutes} min", minutes=minutes)
    if minutes == 0:
        return t("{hours} h", hours=hours)
    return t("{hours} h {minutes} min", hours=hours, minutes=minutes)
