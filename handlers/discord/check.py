"""`python -m bot check`'s Discord line: the token, through GET /users/@me. Connects to no
gateway and sends nothing."""

from __future__ import annotations

import asyncio

import aiohttp
import discord

from bot.checkup import CHECK_TIMEOUT_S, Finding
from bot.config import ConfigError, Settings, shown_url
from handlers.discord.endpoints import point_discord_at


async def check_discord(settings: Settings) -> Finding:
    """Whose the token is, or why Discord refused it."""
    try:
        token = settings.require_discord_token()
        point_discord_at(settings.discord_api_url, settings.discord_gateway_url)
    except (ConfigError, ValueError) as exc:
        return Finding("Discord", False, str(exc))
    client = discord.Client(intents=discord.Intents(guilds=True))
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await client.login(token)
        return Finding("Discord", True, f"the token belongs to {client.user}")
    except discord.LoginFailure:
        return Finding("Discord", False, "Discord refused DISCORD_BOT_TOKEN")
    except (aiohttp.ClientError, TimeoutError, OSError) as exc:
        where = shown_url(settings.discord_api_url)
        return Finding("Discord", False, f"{where} unreachable ({type(exc).__name__})")
    except discord.HTTPException as exc:
        return Finding("Discord", False, f"Discord answered {exc.status}: {exc.text}")
    finally:
        await client.close()
