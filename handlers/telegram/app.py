"""Assembles the Telegram front end: the python-telegram-bot Application and every handler,
on the core's services, polling or serving webhooks."""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot.config import ConfigError, Settings
from bot.conversation.commands import COMMANDS
from bot.services import Services
from bot.words.wording import ENGLISH, LANGUAGES, speaking, t
from handlers.common import Gate, NoteCadence
from handlers.telegram.delivery import TELEGRAM_LIMITS
from handlers.telegram.gate import gate
from handlers.telegram.ordering import ChatOrderedProcessor
from handlers.telegram.progress import ProgressTiming
from handlers.telegram.rate_limit import MessageRateLimiter
from handlers.telegram.routes import all_handlers, on_error

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def command_menu(language: str) -> list[BotCommand]:
    with speaking(language):
        return [BotCommand(name, t(description)) for name, description in COMMANDS]


def create_services(settings: Settings, *, render_workers: int | None = None) -> Services:
    """The core's services with Telegram's limits."""
    return Services.create(settings, TELEGRAM_LIMITS, render_workers=render_workers)


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    """The Telegram application, pointed at the configured Bot API server."""
    builder = (
        ApplicationBuilder()
        .token(settings.require_bot_token())
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .concurrent_updates(ChatOrderedProcessor(services.turns))
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
    app.bot_data["services"] = services
    app.bot_data["gate"] = Gate(services.policy, services.quotas, services.store)
    app.bot_data["cancels"] = services.work
    app.bot_data["notes"] = NoteCadence()
    app.bot_data["progress"] = ProgressTiming()
    app.add_handler(TypeHandler(Update, gate), group=-1)
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


def run(settings: Settings, *, webhook: bool = False) -> int:
    """Polling by default; `webhook` serves Telegram's POSTs (several replicas can share Redis).

    Polling makes Telegram drop the bot's webhook, so with WEBHOOK_URL set it is refused:
    the replicas that webhook reaches would stop getting updates, with no message anywhere.
    """
    if settings.webhook_url and not webhook:
        raise ConfigError("WEBHOOK_URL is set: serve it with `python -m bot webhook`, or unset "
                          "WEBHOOK_URL to poll (polling removes the webhook)")
    settings.require_bot_token()
    settings.require_model_key()
    if webhook:
        settings.require_webhook_secret()
    app = build_application(settings, create_services(settings))
    if webhook:
        from handlers.telegram.webhook import serve_webhook

        asyncio.run(serve_webhook(app, settings, ALLOWED_UPDATES))
    else:
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0
