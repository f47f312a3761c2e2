"""What the fake servers share: an aiohttp application served on a free loopback port."""

from __future__ import annotations

import socket

from aiohttp import web


class LoopbackServer:
    """Serves `application()` at `root_url` (http://127.0.0.1:PORT) from `start` to `stop`."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._port = 0

    def application(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None,
                                     shutdown_timeout=1.0, handler_cancellation=True)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"
