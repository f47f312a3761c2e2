"""/cancel: stop what the bot is doing for a chat, where stopping loses nothing.

Each update a chat sends is tracked as `Work` from the moment it arrives until it is done.
A /cancel stops every tracked piece of that chat's work that has saved nothing yet:
- still queued behind another update → it is dropped, never run;
- waiting for a model (or the code sandbox) inside `stoppable` → that wait is cancelled and
  `Stopped` raised;
- between waits → `Stopped` is raised at its next `stoppable` or at its `checkpoint`, the
  call the engine makes right before it saves.
Work past its checkpoint finishes (saving and sending; for a photo with a caption, also the
change the caption asked for), and the person is told its answer is on the way and that
/undo takes it back.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from contextvars import Context, ContextVar, copy_context
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from bot.words.wording import t

T = TypeVar("T")


class Stopped(Exception):
    """The person stopped this request with /cancel; nothing was saved."""


@dataclass(eq=False)
class Work:
    """One update being handled (or queued to be) for a chat."""

    chat: str
    update_id: int
    stopped: bool = False
    saving: bool = False
    _waiting: asyncio.Task[object] | None = field(default=None, repr=False)
    _waiting_since: float = field(default=0.0, repr=False)


@dataclass(frozen=True)
class Cancelled:
    """What a /cancel did: how many requests it stopped, how many were too far along."""

    stopped: int = 0
    finishing: int = 0

    def __add__(self, other: Cancelled) -> Cancelled:
        return Cancelled(self.stopped + other.stopped, self.finishing + other.finishing)

    def message(self) -> str:
        """What to tell the person, in the current language."""
        if self.finishing and self.stopped:
            return t("Too late to stop my last answer: it is already on its way. "
                     "/undo takes it back if you don't want it. "
                     "The messages you sent after it were dropped.")
        if self.finishing:
            return t("Too late to stop my last answer: it is already on its way. "
                     "/undo takes it back if you don't want it.")
        if self.stopped:
            return t("Stopped. Your table and chart are as they were.")
        return t("Nothing to stop: I'm not working on anything for this chat.")


class Cancels(Protocol):
    """Where a /cancel goes: this process's work, or every replica's (handlers.telegram.inbox)."""

    async def cancel(self, chat: str, update_id: int) -> Cancelled:
        """Stop the chat's work that arrived before update `update_id`."""
        ...


_current: ContextVar[Work | None] = ContextVar("work", default=None)


class ChatWork:
    """The work of every chat in this process that a /cancel can reach."""

    def __init__(self) -> None:
        self._work: dict[str, list[Work]] = {}

    @contextmanager
    def arrived(self, chat: str, update_id: int) -> Iterator[Work]:
        """Track an update from its arrival until it is done (or dropped)."""
        work = Work(chat, update_id)
        self._work.setdefault(chat, []).append(work)
        try:
            yield work
        finally:
            pending = self._work[chat]
            pending.remove(work)
            if not pending:
                del self._work[chat]

    @contextmanager
    def running(self, work: Work) -> Iterator[None]:
        """Mark `work` as the update the code inside is handling."""
        token = _current.set(work)
        try:
            yield
        finally:
            _current.reset(token)

    @contextmanager
    def part(self) -> Iterator[None]:
        """Track a part of the update being handled (one file of several in a message) as
        work of its own, in the update's place: a /cancel stops the part in progress, or
        finds it past its checkpoint and lets it finish, and never touches the parts done
        before it. When the part was stopped, so is the update (see `stopped`)."""
        whole = _current.get()
        pending = self._work.get(whole.chat, []) if whole is not None else []
        if whole is None or whole not in pending:
            yield
            return
        part = Work(whole.chat, whole.update_id, stopped=whole.stopped)
        pending[pending.index(whole)] = part
        token = _current.set(part)
        try:
            yield
        finally:
            _current.reset(token)
            pending[pending.index(part)] = whole
            whole.stopped = whole.stopped or part.stopped

    def stop(self, chat: str, update_id: int) -> Cancelled:
        """Stop the chat's tracked work from before update `update_id` (see the module
        docstring)."""
        stopped = finishing = 0
        for work in self._work.get(chat, ()):
            if work.update_id >= update_id:
                continue
            if work.saving:
                finishing += 1
            elif not work.stopped:
                self._stop(work)
                stopped += 1
        return Cancelled(stopped, finishing)

    @staticmethod
    def _stop(work: Work) -> None:
        work.stopped = True
        if work._waiting is not None:
            work._waiting.cancel()

    async def cancel(self, chat: str, update_id: int) -> Cancelled:
        """Stop the chat's work that arrived before update `update_id`."""
        return self.stop(chat, update_id)


def stoppable_wait_s() -> float | None:
    """How long the current update has been in a `stoppable` wait (a model call), or None
    when it is not in one."""
    work = _current.get()
    if work is None or work._waiting is None:
        return None
    return time.monotonic() - work._waiting_since


def stopped() -> bool:
    """Whether a /cancel stopped the update being handled here; unlike `checkpoint`, asking
    changes nothing (for an update made of parts, `ChatWork.part`: the parts after a stopped
    one are not started)."""
    work = _current.get()
    return work is not None and work.stopped


def checkpoint() -> None:
    """Call right before saving a change: a stopped request ends here; past here it finishes."""
    work = _current.get()
    if work is None:
        return
    if work.stopped:
        raise Stopped
    work.saving = True


def side_context() -> Context:
    """The current context for a side task that its caller stops: a /cancel does not reach
    into the task itself (the one wait a /cancel cancels is the caller's), so the caller must
    cancel it when it is stopped."""
    context = copy_context()
    context.run(_current.set, None)
    return context


async def stoppable(awaitable: Awaitable[T]) -> T:
    """Await a model call (or other long wait) that a /cancel may cut short with `Stopped`.

    Only code with nothing saved yet may wait here: the request ends at this point.
    """
    work = _current.get()
    task = asyncio.current_task()
    if work is None or task is None:
        return await awaitable
    if work.stopped:
        if asyncio.iscoroutine(awaitable):
            awaitable.close()
        raise Stopped
    work._waiting = task
    work._waiting_since = time.monotonic()
    try:
        return await awaitable
    except asyncio.CancelledError:
        # Our own cancel() only: a shutdown's cancel leaves the count above zero.
        if work.stopped and task.uncancel() == 0:
            raise Stopped from None
        raise
    finally:
        work._waiting = None


async def stoppable_all(coroutines: Sequence[Coroutine[Any, Any, T]]) -> list[T]:
    """Await several model calls at once (a PDF's pages); a /cancel stops them all together.

    They run in tasks outside the update's Work (their own `stoppable` waits pass through),
    and the gathering of them is the one stoppable wait.
    """
    detached = contextvars.copy_context()
    detached.run(_current.set, None)
    tasks = [asyncio.create_task(c, context=detached.copy()) for c in coroutines]
    try:
        return await stoppable(asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
