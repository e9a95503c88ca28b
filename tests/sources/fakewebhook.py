"""A local stand-in for Discord's webhook endpoint (POST /api/webhooks/<id>/<token>) on 127.0.0.1.

It answers as Discord does with ?wait=true (the created message, with its id), records every request,
and can be told to answer the next requests with given statuses (429 with retry_after, 500, 404...)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time

from aiohttp import BodyPartReader, web


class FakeWebhook:
    def __init__(self, webhook_id: str = "123456789012345678", token: str = "tok-SECRET_value") -> None:
        self.webhook_id, self.token = webhook_id, token
        self.requests: list[dict] = []  # every request: query, json, status answered
        self.messages: list[dict] = []  # the messages created (answered 200)
        self.senders: list[tuple[float, str]] = []  # for each message: when it came (monotonic) and its User-Agent
        self.script: list[int] = []  # statuses to answer next, in order
        self.posted = asyncio.Event()
        self._ids = itertools.count(900000000000000001)
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/webhooks/{self.webhook_id}/{self.token}"

    async def _read(self, request: web.Request) -> tuple[dict, dict[str, bytes]]:
        """The message (JSON, or multipart's payload_json) and any attached files by name."""
        if not request.content_type.startswith("multipart/"):
            return await request.json(), {}
        body: dict = {}
        files: dict[str, bytes] = {}
        async for part in await request.multipart():
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                files[part.filename or part.name or ""] = bytes(await part.read())
        return body, files

    async def _execute(self, request: web.Request) -> web.Response:
        body, files = await self._read(request)
        status = self.script.pop(0) if self.script else 200
        if request.match_info["id"] != self.webhook_id or request.match_info["token"] != self.token:
            status = 401
        self.requests.append({"query": dict(request.query), "json": body, "files": files, "status": status})
        if status == 200:
            message = {"id": str(next(self._ids)), "channel_id": "42", "embeds": body.get("embeds", [])}
            self.messages.append(message)
            self.senders.append((time.monotonic(), request.headers.get("User-Agent", "")))
            self.posted.set()
            return web.json_response(message if request.query.get("wait") == "true" else None)
        if status == 429:
            return web.json_response(
                {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}, status=429
            )
        if status == 404:
            return web.json_response({"message": "Unknown Webhook", "code": 10015}, status=404)
        return web.json_response({"message": "Internal Server Error"}, status=status)

    async def __aenter__(self) -> "FakeWebhook":
        app = web.Application()
        app.router.add_post("/api/webhooks/{id}/{token}", self._execute)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
