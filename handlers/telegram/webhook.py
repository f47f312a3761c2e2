"""Webhook mode: an aiohttp server taking Telegram's POSTs, plus /healthz for the platform.

Every request must carry the secret set with setWebhook (compared in constant time);
others get 403. With Redis, updates go through the shared per-chat inbox so several
replicas keep each chat's order; without it, into this process's ordered update queue.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import signal
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.sessions.store import StoreUnavailable
from handlers.telegram.inbox import RedisInbox, SharedCancels
from handlers.telegram.updates import chat_key, is_cancel

log = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1024 * 1024
LISTEN_HOST = "0.0.0.0"  # noqa: S104 - the webhook server must accept the platform's traffic
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class WebhookServer:
    def __init__(self, app: Application, settings: Settings,  # type: ignore[type-arg]
                 inbox: RedisInbox | None, cancels: SharedCancels | None = None) -> None:
        self._app = app
        self.secret = settings.require_webhook_secret()
        self._inbox = inbox
        self._cancels = cancels
        self._tasks: set[asyncio.Task[None]] = set()
        self.web = web.Application(client_max_size=MAX_UPDATE_BYTES)
        self.web.router.add_post(urlsplit(settings.webhook_url or "").path or "/", self.receive)
        self.web.router.add_get("/healthz", self.health)

    async def receive(self, request: web.Request) -> web.Response:
        """Take one update from Telegram; acknowledge once it is safely queued."""
        offered = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(offered.encode(), self.secret.encode()):
            return web.Response(status=403)
        body = await request.read()
        try:
            data = json.loads(body)
            update = Update.de_json(data, self._app.bot)
        except (ValueError, TypeError, KeyError):
            log.warning("webhook body is not an update (%d bytes)", len(body))
            return web.Response(status=400)
        chat = chat_key(update)
        try:
            if self._inbox is None or chat is None:
                await self._app.update_queue.put(update)
            elif is_cancel(update):  # never queued behind the work it is meant to stop
                if await self._inbox.first_sight(update.update_id):
                    await self._app.update_queue.put(update)
            elif await self._inbox.add(chat, update.update_id, body):
                self._spawn(self._inbox.drain(chat, self._handle))
        except StoreUnavailable:
            return web.Response(status=503)  # Telegram retries later
        return web.Response(text="ok")

    async def health(self, request: web.Request) -> web.Response:
        services = self._app.bot_data["services"]
        try:
            await services.store.ping()
        except StoreUnavailable:
            return web.json_response({"ok": False, "store": "unreachable"}, status=503)
        return web.json_response({"ok": True})

    async def collect_orphans(self) -> None:
        """Forever: drain the chats a replica that died mid-update left queued updates in."""
        if self._inbox is None:
            return
        while True:
            await asyncio.sleep(self._inbox.check_interval_s)
            try:
                orphans = await self._inbox.orphans()
            except StoreUnavailable:
                continue
            if orphans:
                log.warning("taking over %d chat(s) whose replica stopped mid-update",
                            len(orphans))
            for chat in orphans:
                self._spawn(self._inbox.drain(chat, self._handle))

    async def finish(self) -> None:
        """Wait for the updates being handled."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _handle(self, payload: bytes) -> None:
        update = Update.de_json(json.loads(payload), self._app.bot)
        await self._app.update_processor.process_update(update, self._app.process_update(update))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def serve_webhook(app: Application, settings: Settings,  # type: ignore[type-arg]
                        allowed_updates: list[str]) -> None:
    """Run until SIGTERM/SIGINT: register the webhook, serve, then finish in-flight work."""
    inbox = (RedisInbox.from_url(settings.redis_url, lock_ttl_s=settings.chat_lock_ttl_s)
             if settings.redis_url else None)
    cancels = None
    if inbox is not None:
        cancels = SharedCancels(inbox, app.bot_data["services"].work)
        app.bot_data["cancels"] = cancels
    server = WebhookServer(app, settings, inbox, cancels)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    await app.bot.set_webhook(settings.webhook_url or "", secret_token=server.secret,
                              allowed_updates=allowed_updates)
    runner = web.AppRunner(server.web, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host=LISTEN_HOST, port=settings.port)
    await site.start()
    log.info("webhook server listening on port %d", settings.port)
    background = [asyncio.create_task(server.collect_orphans())]
    if cancels is not None:
        background.append(asyncio.create_task(cancels.listen()))
    try:
        await stop.wait()
    finally:
        log.info("stopping: finishing updates in flight")
        for task in background:
            task.cancel()
        await runner.shutdown()
        await server.finish()
        await runner.cleanup()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        if inbox is not None:
            await inbox.close()
