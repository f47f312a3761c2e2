"""Where discord.py sends its traffic: the REST root and the gateway (DISCORD_API_URL/_GATEWAY_URL).

discord.py has no constructor argument for either, but both are public class attributes it
reads on every use, so setting them is enough (no private method is replaced):

- REST: `discord.http.Route.BASE`. Every request, the interaction webhooks included
  (`discord.webhook.async_` builds the same `Route`), is `Route.BASE + path`, read when the
  route is made.
- Gateway: `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`. `Client.connect` opens it
  directly (it does not ask GET /gateway/bot); after READY the client resumes at the READY's
  `resume_gateway_url`, and falls back to DEFAULT_GATEWAY when a session is invalidated.
  `AutoShardedClient` instead takes the URL GET /gateway/bot returns on the REST root.
- Attachments and the CDN need no setting: `Attachment.read()` fetches the absolute `url` the
  API handed out, through the client's own HTTP session.

Both attributes are process-wide, so one process talks to one Discord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import DISCORD_API_URL, DISCORD_GATEWAY_URL

API_VERSION = 10  # the version discord.py 2.x speaks


@dataclass(frozen=True)
class DiscordEndpoints:
    api_url: str
    gateway_url: str


def api_root(url: str) -> str:
    """The REST root ending in /api/v10; a bare host or …/api gets the version added."""
    parsed = yarl.URL(url.strip().rstrip("/"))
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError("DISCORD_API_URL must be an http(s) URL such as "
                         f"{DISCORD_API_URL}")
    if parsed.query_string or parsed.fragment:
        raise ValueError("DISCORD_API_URL must not have a query or fragment")
    path = parsed.path.rstrip("/")
    version = re.search(r"/api/v(\d+)$", path)
    if version is None:
        path = (path if path.endswith("/api") else f"{path}/api") + f"/v{API_VERSION}"
    elif int(version.group(1)) != API_VERSION:
        raise ValueError(f"DISCORD_API_URL must end in /api/v{API_VERSION} "
                         "(the API version discord.py speaks)")
    return str(parsed.with_path(path))


def gateway_root(url: str) -> str:
    """The gateway URL without a query (discord.py adds v, encoding and compress itself)."""
    parsed = yarl.URL(url.strip())
    if parsed.scheme not in ("ws", "wss") or not parsed.host:
        raise ValueError("DISCORD_GATEWAY_URL must be a ws(s) URL such as "
                         f"{DISCORD_GATEWAY_URL}")
    if parsed.query_string or parsed.fragment:
        raise ValueError("DISCORD_GATEWAY_URL must not have a query or fragment")
    return str(parsed.with_path(parsed.path or "/"))


def current_endpoints() -> DiscordEndpoints:
    """Where discord.py sends its traffic now."""
    return DiscordEndpoints(Route.BASE, str(DiscordWebSocket.DEFAULT_GATEWAY))


def point_discord_at(api_url: str = DISCORD_API_URL,
                     gateway_url: str = DISCORD_GATEWAY_URL) -> DiscordEndpoints:
    """Send discord.py's REST and gateway traffic to these roots; returns the previous ones.

    Call before the client logs in. Raises ValueError (naming the setting) on a bad URL and
    then changes nothing.
    """
    api = api_root(api_url)
    gateway = gateway_root(gateway_url)
    previous = current_endpoints()
    Route.BASE = api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    return previous
