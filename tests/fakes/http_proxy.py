"""A forward HTTP proxy on loopback, as a person behind a firewall would configure.

Clients send absolute-form requests (`GET http://host:port/path`); the proxy checks
`Proxy-Authorization` when it has credentials, forwards the request and records
`(method, host:port, path)` in `seen`. A tunnel request (`CONNECT host:443`, for https and
wss) is recorded too and answered 502: this machine has no way out to tunnel to.
"""

from __future__ import annotations

import base64

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

_HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
})


class ForwardProxy:
    def __init__(self, user: str = "", password: str = "") -> None:
        self._credentials = f"{user}:{password}" if user else ""
        self.seen: list[tuple[str, str, str]] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    @property
    def url(self) -> str:
        auth = f"{self._credentials}@" if self._credentials else ""
        return f"http://{auth}127.0.0.1:{self.port}"

    def hosts(self) -> set[str]:
        return {host for _, host, _ in self.seen}

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._tunnel])
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession(auto_decompress=False)

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _tunnel(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "CONNECT":
            return await handler(request)
        self.seen.append(("CONNECT", request.raw_path, ""))
        return web.Response(status=502, text="no route out of this machine")

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        if self._credentials:
            expected = "Basic " + base64.b64encode(self._credentials.encode()).decode()
            if request.headers.get("Proxy-Authorization") != expected:
                return web.Response(status=407, headers={"Proxy-Authenticate": "Basic"})
        target = request.url
        self.seen.append((request.method, f"{target.host}:{target.port}", target.path))
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        assert self._session is not None
        async with self._session.request(request.method, target, headers=headers,
                                         data=await request.read(),
                                         allow_redirects=False) as upstream:
            body = await upstream.read()
            out = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP_BY_HOP}
            return web.Response(status=upstream.status, body=body, headers=out)
