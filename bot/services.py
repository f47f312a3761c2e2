"""The long-lived parts every front end runs on, built from settings and closed together.

A front end builds `Services` with its platform's `Limits`, then turns its platform's events
into turns (bot/conversation/turn.py) and engine calls. Nothing here knows a chat platform.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.charts.render import ChartRenderer
from bot.charts.sandbox import SandboxUnavailable, check_isolation
from bot.config import ConfigError, Settings
from bot.conversation.engine import Engine
from bot.conversation.reply import Limits
from bot.conversation.turn import Turns
from bot.library.retrieval import Embedder
from bot.llm.client import ModelClient
from bot.llm.read_check import ReadCheck
from bot.sessions.access import AccessPolicy, Quotas
from bot.sessions.cancellation import ChatWork
from bot.sessions.store import SessionStore, StoreUnavailable, create_store
from bot.words.speech import Speaker

log = logging.getLogger(__name__)

SESSION_TTL_S = 30 * 24 * 3600  # a month without use, then a conversation's session is forgotten


@dataclass
class Services:
    """The store, access rules, models, renderer, voice and engine of one running bot."""

    store: SessionStore
    policy: AccessPolicy
    quotas: Quotas
    models: ModelClient
    renderer: ChartRenderer
    speaker: Speaker
    engine: Engine
    limits: Limits
    embedder: Embedder | None = None
    work: ChatWork = field(default_factory=ChatWork)
    turns: Turns = field(init=False)

    def __post_init__(self) -> None:
        self.turns = Turns(self.work)

    @classmethod
    def create(cls, settings: Settings, limits: Limits, *,
               render_workers: int | None = None) -> Services:
        """`limits`: the front end's platform's; `render_workers` overrides RENDER_WORKERS
        (tests); unset, one per core."""
        try:
            policy = AccessPolicy.from_settings(
                settings.allowed_users, settings.allowed_chats, settings.admin_users)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        store = create_store(settings.redis_url, SESSION_TTL_S)
        quotas = Quotas(store, messages_per_minute=settings.rate_limit_per_minute,
                        model_calls_per_day=settings.daily_model_calls, policy=policy)
        models = ModelClient(settings)
        renderer = ChartRenderer(workers=settings.render_workers if render_workers is None
                                 else render_workers)
        speaker = Speaker(max_note_bytes=limits.voice_note_bytes,
                          voice_override=settings.tts_voice, proxy=settings.tts_proxy)
        code_mode = settings.code_mode == "on"
        if code_mode:
            try:
                check_isolation()
            except SandboxUnavailable as exc:
                raise ConfigError(f"CODE_MODE=on is refused: {exc}") from None
        check = ReadCheck(settings.read_check_model) if settings.read_check == "on" else None
        embedder = Embedder.from_settings(settings)
        engine = Engine(store, models, renderer, limits, code_mode=code_mode, read_check=check,
                        embedder=embedder)
        return cls(store, policy, quotas, models, renderer, speaker, engine, limits, embedder)

    async def start(self) -> None:
        await asyncio.gather(asyncio.to_thread(self.models.warm_up), self.renderer.warm_up(),
                             self.models.check_endpoint())
        try:
            await self.store.ping()
        except StoreUnavailable:
            log.warning("session store unreachable at start-up; will keep trying")

    async def close(self) -> None:
        self.renderer.close()
        await self.models.close()
        if self.embedder is not None:
            await self.embedder.close()
        await self.store.close()
