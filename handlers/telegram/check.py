"""`python -m bot check`'s Telegram line: the token, through getMe. Changes nothing (no
webhook is set or deleted)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.checkup import CHECK_TIMEOUT_S, Finding
from bot.config import ConfigError, Settings, shown_url


async def check_telegram(settings: Settings) -> Finding:
    """The token, through getMe: whose it is, or why the Bot API refused it."""
    try:
        token = settings.require_bot_token()
    except ConfigError as exc:
        return Finding("Telegram", False, str(exc))
    request = HTTPXRequest(connect_timeout=CHECK_TIMEOUT_S, read_timeout=CHECK_TIMEOUT_S,
                           proxy=settings.telegram_proxy)
    bot = Bot(token, base_url=settings.bot_api_base_url,
              base_file_url=settings.bot_file_base_url, request=request)
    try:
        async with bot:
            return Finding("Telegram", True, f"the token belongs to @{bot.username}")
    except InvalidToken:
        return Finding("Telegram", False, "the Bot API refused TELEGRAM_BOT_TOKEN")
    except NetworkError as exc:
        where = shown_url(settings.telegram_api_url)
        return Finding("Telegram", False, f"{where} unreachable ({exc})")
    except TelegramError as exc:
        return Finding("Telegram", False, f"the Bot API answered: {exc}")
