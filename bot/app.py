"""Assembles the running bot: services, the python-telegram-bot Application, every handler."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    TypeHandler,
)

from bot.access import AccessPolicy, Quotas
from bot.cancellation import ChatWork
from bot.chart import ChartRenderer
from bot.config import ConfigError, Settings
from bot.engine import Engine
from bot.models import ModelClient
from bot.retrieval import Embedder
from bot.sandbox import SandboxUnavailable, check_isolation
from bot.session import SessionStore, StoreUnavailable, create_store
from bot.speech import Speaker
from bot.wording import ENGLISH, LANGUAGES, noop, speaking, t
from handlers.gate import gate, usage
from handlers.ordering import ChatOrderedProcessor
from handlers.rate_limit import MessageRateLimiter
from handlers.telegram import all_handlers, on_error

log = logging.getLogger(__name__)

SESSION_TTL_S = 30 * 24 * 3600  # a month without use, then a chat's session is forgotten
COMMANDS = [
    ("help", noop("What I do, with an example")),
    ("table", noop("Show the data table")),
    ("csv", noop("Send the table as a CSV file")),
    ("xlsx", noop("Send the table as an Excel workbook")),
    ("export", noop("Send the chart as PNG and SVG files")),
    ("charts", noop("List your charts and pick one")),
    ("undo", noop("Undo the last change")),
    ("redo", noop("Redo what was undone")),
    ("reset", noop("Start over")),
    ("voice", noop("Voice-note replies on or off")),
    ("cancel", noop("Stop what I'm working on")),
]


def command_menu(language: str) -> list[BotCommand]:
    with speaking(language):
        return [BotCommand(name, t(description)) for name, description in COMMANDS]


@dataclass
class Services:
    """The long-lived parts the engine runs on; closed together at shutdown."""

    store: SessionStore
    policy: AccessPolicy
    quotas: Quotas
    models: ModelClient
    renderer: ChartRenderer
    speaker: Speaker
    engine: Engine
    work: ChatWork = field(default_factory=ChatWork)
    embedder: Embedder | None = None

    @classmethod
    def create(cls, settings: Settings, *, render_workers: int | None = None) -> Services:
        """`render_workers` overrides RENDER_WORKERS (tests); unset, one per core."""
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
        speaker = Speaker(voice_override=settings.tts_voice, proxy=settings.tts_proxy)
        code_mode = settings.code_mode == "on"
        if code_mode:
            try:
                check_isolation()
            except SandboxUnavailable as exc:
                raise ConfigError(f"CODE_MODE=on is refused: {exc}") from None
        embedder = Embedder.from_settings(settings)
        engine = Engine(store, models, renderer, code_mode=code_mode, embedder=embedder)
        return cls(store, policy, quotas, models, renderer, speaker, engine,
                   embedder=embedder)

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


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    """The Telegram application, pointed at the configured Bot API server."""
    builder = (
        ApplicationBuilder()
        .token(settings.require_bot_token())
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .concurrent_updates(ChatOrderedProcessor(services.work))
        .rate_limiter(MessageRateLimiter(max_retries=3))
        .connect_timeout(10)
        .read_timeout(30)
        .write_timeout(30)
        .media_write_timeout(60)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_proxy:
        builder = builder.proxy(settings.telegram_proxy).get_updates_proxy(
            settings.telegram_proxy)
    app = builder.build()
    app.bot_data["engine"] = services.engine
    app.bot_data["speaker"] = services.speaker
    app.bot_data["policy"] = services.policy
    app.bot_data["quotas"] = services.quotas
    app.bot_data["services"] = services
    app.bot_data["cancels"] = services.work
    app.add_handler(TypeHandler(Update, gate), group=-1)
    app.add_handler(CommandHandler("usage", usage))
    app.add_handlers(all_handlers())
    app.add_error_handler(on_error)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    services: Services = app.bot_data["services"]
    await services.start()
    await app.bot.set_my_commands(command_menu(ENGLISH))  # for every app language
    for language in LANGUAGES:
        if language != ENGLISH:
            await app.bot.set_my_commands(command_menu(language), language_code=language)
    log.info("bot @%s ready", app.bot.username)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    services: Services = app.bot_data["services"]
    await services.close()


ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
