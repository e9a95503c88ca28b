"""A small Discord on 127.0.0.1: REST routes and a gateway that the unmodified discord.py client talks to.

It encodes our understanding of Discord (see docs/discord.md, "Testing"): it proves that discord.py
produced the payloads we meant, not that Discord accepts them, so the embed limits are checked again
here exactly as Discord documents them (a too-long embed gets the 400 Discord would send).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

API_PREFIX = "/api/v10"
JSON = "application/json"  # discord.py compares Content-Type with ==, so no "; charset=utf-8"

# Manage Server, as Discord serializes permissions: a decimal string.
MANAGE_GUILD = 1 << 5
ADMIN_PERMISSIONS = str((1 << 41) - 1)
# view channel, send messages, embed links, read history
MEMBER_PERMISSIONS = str((1 << 10) | (1 << 11) | (1 << 14) | (1 << 16))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


# Waits are generous: a loaded 2-core machine must never fail a test by being slow.
WAIT = 30.0


@dataclass
class Recorded:
    """One HTTP request as the fake received it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0
    files: list[str] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)  # each attached file's bytes, by name


@dataclass
class Failure:
    """A response to give instead of the real one, `count` times, to requests matching the rule."""

    method: str
    path: re.Pattern[str]
    status: int
    count: int
    retry_after: float = 0.05
    with_via: bool = True


class FakeDiscord:
    """REST + gateway on one aiohttp server. Start with `await fake.start()`, stop with `await fake.stop()`."""

    def __init__(self) -> None:
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self.app_id = self.snowflake()
        self.guild_id = self.snowflake()  # the first server; add_guild() makes more
        self.guilds: dict[int, str] = {self.guild_id: "Newsroom"}
        self.left: list[int] = []  # servers the bot left (DELETE /users/@me/guilds/:id)
        self.owner = self.user("owner")
        self.bot_user = self.user("diplowatch", bot=True)
        self.moderator_role_id = self.snowflake()
        self.channels: dict[int, dict[str, Any]] = {}
        for name in ("alerts", "newsroom", "moderators"):
            self.add_channel(name)
        self.add_channel("no-embeds", deny_everyone=1 << 14)  # Embed Links denied
        self.requests: list[Recorded] = []
        self.messages: dict[int, dict[str, Any]] = {}  # message id -> message (channel and webhook)
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.identifies: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        self.forbidden_channels: set[int] = set()  # channels where the bot may not post (403)
        self._sockets: list[web.WebSocketResponse] = []
        self.message_rate: tuple[int, float] | None = None  # (messages, seconds) per channel, like Discord's 5/5 s
        self.rate_limited = 0  # 429s the rate limit gave (injected ones not counted)
        self._sent_at: dict[str, list[float]] = {}
        self._rate_headers: dict[str, str] = {}
        self.heartbeat_interval = 41250  # ms, as Discord sends; tests lower it to see heartbeats
        self.heartbeats = 0
        self.resumes: list[dict[str, Any]] = []
        self._sequence = 0
        self._callbacks: dict[int, asyncio.Future[Recorded]] = {}
        self._interactions: dict[int, dict[str, Any]] = {}  # interaction id -> payload sent
        self._originals: dict[str, dict[str, Any]] = {}  # interaction token -> its response message
        self._nonces: dict[tuple[int | None, str], int] = {}  # (channel, nonce) -> message id
        self._posted = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- identities -----------------------------------------------------------------------------

    def snowflake(self) -> int:
        return next(self._ids)

    def user(self, name: str, *, bot: bool = False) -> dict[str, Any]:
        data = {
            "id": str(self.snowflake()),
            "username": name,
            "discriminator": "0",
            "global_name": name,
            "avatar": None,
            "public_flags": 0,
        }
        if bot:
            data["bot"] = True
        return data

    def add_guild(self, name: str) -> int:
        """Another server with its own alerts, newsroom and moderators channels. The bot is in it from its
        next READY; `join` tells a connected bot it was just invited."""
        guild_id = self.snowflake()
        self.guilds[guild_id] = name
        for channel in ("alerts", "newsroom", "moderators"):
            self.add_channel(channel, guild=guild_id)
        return guild_id

    async def join(self, guild_id: int) -> None:
        """The bot was invited to `guild_id` (made by add_guild): GUILD_CREATE, as Discord sends it."""
        payload = self.guild_payload(guild_id)
        del payload["unavailable"]  # as Discord sends a join (an outage's return says unavailable: false)
        await self.dispatch("GUILD_CREATE", payload)

    def add_channel(self, name: str, *, deny_everyone: int = 0, guild: int | None = None) -> int:
        """A text channel; `deny_everyone` is a permission bit set the @everyone role is denied there."""
        guild = guild or self.guild_id
        channel_id = self.snowflake()
        overwrites = [{"id": str(guild), "type": 0, "allow": "0", "deny": str(deny_everyone)}] if deny_everyone else []
        self.channels[channel_id] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": overwrites,
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        return channel_id

    def channel_id(self, name: str, guild: int | None = None) -> int:
        guild = guild or self.guild_id
        return next(int(c["id"]) for c in self.channels.values() if c["name"] == name and int(c["guild_id"]) == guild)

    def guild_of(self, channel_id: int) -> int:
        return int(self.channels[channel_id]["guild_id"])

    def guild_payload(self, guild_id: int | None = None) -> dict[str, Any]:
        guild_id = guild_id or self.guild_id
        roles = [
            {
                "id": str(guild_id),
                "name": "@everyone",
                "permissions": MEMBER_PERMISSIONS,
                "position": 0,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
            {
                "id": str(self.moderator_role_id),
                "name": "Desk editors",
                "permissions": MEMBER_PERMISSIONS,
                "position": 1,
                "color": 0,
                "hoist": False,
                "managed": False,
                "mentionable": False,
                "flags": 0,
            },
        ]
        bot_member = {"user": self.bot_user, "roles": [], "joined_at": _now(), "deaf": False, "mute": False, "flags": 0}
        return {
            "id": str(guild_id),
            "name": self.guilds[guild_id],
            "icon": None,
            "owner_id": self.owner["id"],
            "roles": roles,
            "members": [bot_member],
            "channels": [c for c in self.channels.values() if int(c["guild_id"]) == guild_id],
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "joined_at": _now(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_flags": 0,
        }

    # ---- lifecycle ------------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> "FakeDiscord":
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- failure injection ----------------------------------------------------------------------

    def fail(
        self, method: str, path: str, status: int, *, count: int = 1, retry_after: float = 0.05, with_via: bool = True
    ) -> None:
        """The next `count` requests matching method and path (a regex on the path after /api/v10) get
        `status` instead: 429 carries Retry-After and, unless with_via=False, the Via header Discord's
        edge adds; without Via discord.py takes the 429 for a Cloudflare ban."""
        self.failures.append(Failure(method.upper(), re.compile(path), status, count, retry_after, with_via))

    def _injected(self, method: str, path: str) -> web.Response | None:
        for rule in self.failures:
            if rule.count > 0 and rule.method == method and rule.path.search(path):
                rule.count -= 1
                headers = {}
                if rule.status == 429:
                    body: dict[str, Any] = {
                        "message": "You are being rate limited.",
                        "retry_after": rule.retry_after,
                        "global": False,
                    }
                    headers["Retry-After"] = str(rule.retry_after)
                    headers["X-RateLimit-Scope"] = "user"
                    if rule.with_via:
                        headers["Via"] = "1.1 google"
                else:
                    body = {"message": f"injected {rule.status}", "code": 0}
                return self._json(body, status=rule.status, headers=headers)
        return None

    # ---- per-channel message rate limit (off unless a test sets message_rate) -------------------

    def _rate_limited(self, method: str, path: str) -> web.Response | None:
        """Discord's per-channel bucket for creating messages: headers on every answer, 429 when over."""
        match = re.fullmatch(r"/channels/(\d+)/messages", path)
        if self.message_rate is None or method != "POST" or not match:
            return None
        limit, window = self.message_rate
        now = time.monotonic()
        sent = [t for t in self._sent_at.get(match[1], []) if now - t < window]
        self._sent_at[match[1]] = sent
        reset_after = (window - (now - sent[0])) if sent else window
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Bucket": f"fake-channel-{match[1]}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        }
        if len(sent) >= limit:
            self.rate_limited += 1
            headers.update(
                {
                    "X-RateLimit-Remaining": "0",
                    "Retry-After": f"{reset_after:.3f}",
                    "Via": "1.1 google",
                    "X-RateLimit-Scope": "user",
                }
            )
            return self._json(
                {"message": "You are being rate limited.", "retry_after": round(reset_after, 3), "global": False},
                status=429,
                headers=headers,
            )
        sent.append(now)
        self._rate_headers = {**headers, "X-RateLimit-Remaining": str(limit - len(sent))}
        return None

    # ---- REST -----------------------------------------------------------------------------------

    def _json(self, data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        extra, self._rate_headers = self._rate_headers, {}  # set by _rate_limited for the request in hand
        return web.Response(
            body=json.dumps(data).encode(), status=status, headers={"Content-Type": JSON, **extra, **(headers or {})}
        )

    async def _read_body(self, request: web.Request) -> tuple[Any, dict[str, bytes]]:
        if request.content_type.startswith("multipart/"):
            payload, files = None, {}
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):  # a nested multipart: Discord's clients send none
                    continue
                if part.name == "payload_json":
                    payload = json.loads(await part.text())
                else:
                    files[part.filename or part.name or ""] = bytes(await part.read())
            return payload, files
        text = await request.text()
        return (json.loads(text) if text else None), {}

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        record = Recorded(
            request.method, path, dict(request.query), body, dict(request.headers), files=list(files), uploads=files
        )
        self.requests.append(record)
        response = (
            self._injected(request.method, path)
            or self._rate_limited(request.method, path)
            or await self._route(request.method, path, record)
        )
        record.status = response.status
        callback = re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path)
        future = self._callbacks.get(int(callback[1])) if callback else None
        if future is not None and not future.done():
            future.set_result(record)
        async with self._posted:
            self._posted.notify_all()
        return response

    async def _route(self, method: str, path: str, rec: Recorded) -> web.Response:
        webhook = path.startswith(("/interactions/", "/webhooks/"))  # authorized by the token in the URL
        if not webhook and rec.headers.get("Authorization") != "Bot " + self.token:
            return self._json({"message": "401: Unauthorized", "code": 0}, status=401)
        app = str(self.app_id)
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"/users/@me", lambda m: self.bot_user),
            ("DELETE", r"/users/@me/guilds/(\d+)", lambda m: self._leave(int(m[1]))),
            ("GET", r"/oauth2/applications/@me", lambda m: self._application()),
            (
                "GET",
                r"/gateway/bot",
                lambda m: {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
                },
            ),
            ("GET", r"/gateway", lambda m: {"url": self.gateway_url}),
            ("PUT", rf"/applications/{app}/commands", lambda m: self._put_commands(None, rec.json)),
            ("GET", rf"/applications/{app}/commands", lambda m: self.global_commands),
            ("PUT", rf"/applications/{app}/guilds/(\d+)/commands", lambda m: self._put_commands(int(m[1]), rec.json)),
            ("GET", rf"/applications/{app}/guilds/(\d+)/commands", lambda m: self.guild_commands.get(int(m[1]), [])),
            ("POST", r"/channels/(\d+)/messages", lambda m: self._create_message(int(m[1]), rec.json)),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", lambda m: self._edit_message(int(m[2]), rec.json)),
            ("GET", r"/channels/(\d+)/messages/(\d+)", lambda m: self.messages.get(int(m[2]))),
            ("GET", r"/channels/(\d+)", lambda m: self.channels.get(int(m[1]))),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", lambda m: self._callback(int(m[1]), rec)),
            ("POST", rf"/webhooks/{app}/([^/]+)$", lambda m: self._create_message(None, rec.json)),
            ("PATCH", rf"/webhooks/{app}/([^/]+)/messages/@original", lambda m: self._edit_original(m[1], rec.json)),
            ("GET", rf"/webhooks/{app}/([^/]+)/messages/@original", lambda m: self._originals.get(m[1])),
            ("PATCH", rf"/webhooks/{app}/([^/]+)/messages/(\d+)", lambda m: self._edit_message(int(m[2]), rec.json)),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                channel = match[1] if path.startswith("/channels/") else None
                if channel and int(channel) not in self.channels:
                    return self._json({"message": "Unknown Channel", "code": 10003}, status=404)
                if channel and method != "GET" and int(channel) in self.forbidden_channels:
                    return self._json({"message": "Missing Access", "code": 50001}, status=403)
                result = handler(match)
                if isinstance(result, web.Response):
                    return result
                if result is None:
                    return self._json({"message": "Unknown Message", "code": 10008}, status=404)
                return self._json(result)
        return self._json({"message": "404: Not Found", "code": 0}, status=404)

    token = "fake-token.for-tests.only"

    def _leave(self, guild_id: int) -> web.Response:
        if guild_id not in self.guilds:
            return self._json({"message": "Unknown Guild", "code": 10004}, status=404)
        del self.guilds[guild_id]
        self.left.append(guild_id)
        asyncio.get_running_loop().create_task(self.dispatch("GUILD_DELETE", {"id": str(guild_id)}))
        return web.Response(status=204)

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(self.app_id),
            "name": "diplowatch",
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.owner,
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "summary": "",
            "bot": self.bot_user,
            "interactions_endpoint_url": None,
        }

    def _put_commands(self, guild_id: int | None, payload: list[dict[str, Any]]) -> list[dict[str, Any]]:
        stored = []
        for command in payload:
            stored.append(
                {
                    **command,
                    "id": str(self.snowflake()),
                    "application_id": str(self.app_id),
                    "version": str(self.snowflake()),
                    "guild_id": str(guild_id) if guild_id else None,
                }
            )
        if guild_id is None:
            self.global_commands = stored
        else:
            self.guild_commands[guild_id] = stored
        return stored

    def _check_embeds(self, payload: dict[str, Any]) -> web.Response | None:
        """Discord's documented embed limits; discord.py checks none but the count of 10."""
        embeds = payload.get("embeds") or []
        total = 0
        problems = []
        for i, embed in enumerate(embeds):
            limits = {"title": 256, "description": 4096}
            for key, limit in limits.items():
                if len(embed.get(key) or "") > limit:
                    problems.append(f"embeds.{i}.{key}")
            fields = embed.get("fields") or []
            if len(fields) > 25:
                problems.append(f"embeds.{i}.fields")
            for j, f in enumerate(fields):
                if len(f.get("name") or "") > 256 or not f.get("name"):
                    problems.append(f"embeds.{i}.fields.{j}.name")
                if len(f.get("value") or "") > 1024 or not f.get("value"):
                    problems.append(f"embeds.{i}.fields.{j}.value")
            footer = (embed.get("footer") or {}).get("text") or ""
            author = (embed.get("author") or {}).get("name") or ""
            if len(footer) > 2048:
                problems.append(f"embeds.{i}.footer.text")
            if len(author) > 256:
                problems.append(f"embeds.{i}.author.name")
            total += len(embed.get("title") or "") + len(embed.get("description") or "") + len(footer) + len(author)
            total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        if total > 6000:
            problems.append("embeds (total length over 6000)")
        if len(payload.get("content") or "") > 2000:
            problems.append("content")
        if problems:
            return self._json({"message": "Invalid Form Body", "code": 50035, "errors": problems}, status=400)
        return None

    def _message(self, channel_id: int | None, payload: dict[str, Any]) -> dict[str, Any]:
        message_id = self.snowflake()
        return {
            "id": str(message_id),
            "channel_id": str(channel_id) if channel_id else None,
            "author": self.bot_user,
            "content": payload.get("content") or "",
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 0,
            "flags": payload.get("flags") or 0,
            "allowed_mentions": payload.get("allowed_mentions"),
            "application_id": str(self.app_id),
        }

    def _create_message(self, channel_id: int | None, payload: dict[str, Any]) -> Any:
        payload = payload or {}
        bad = self._check_embeds(payload)
        if bad is not None:
            return bad
        nonce = payload.get("nonce")
        if payload.get("enforce_nonce") and nonce is not None and (channel_id, str(nonce)) in self._nonces:
            # Discord: the same nonce again (within minutes) returns the message it already created.
            return self.messages[self._nonces[(channel_id, str(nonce))]]
        message = self._message(channel_id, payload)
        reference = payload.get("message_reference")
        if reference:
            # Discord: a reply to a message of another channel, or to one that does not exist, is refused
            # unless fail_if_not_exists is false (then it is posted as an ordinary message)
            answered = self.messages.get(int(reference.get("message_id") or 0))
            if answered is None or answered.get("channel_id") != str(channel_id):
                if reference.get("fail_if_not_exists", True):
                    return self._json(
                        {"message": "Invalid Form Body", "code": 50035, "errors": ["message_reference"]}, status=400
                    )
            else:
                message["type"] = 19  # a reply
                message["message_reference"] = {"message_id": answered["id"], "channel_id": answered["channel_id"]}
                message["referenced_message"] = answered
        if nonce is not None:
            self._nonces[(channel_id, str(nonce))] = int(message["id"])
        self.messages[int(message["id"])] = message
        if channel_id is not None:
            self.channels[channel_id]["last_message_id"] = message["id"]
        return message

    def _edit_message(self, message_id: int, payload: dict[str, Any]) -> Any:
        message = self.messages.get(message_id)
        if message is None:
            return None
        bad = self._check_embeds(payload or {})
        if bad is not None:
            return bad
        for key in ("content", "embeds", "components", "flags"):
            if key in (payload or {}):
                message[key] = payload[key]
        message["edited_timestamp"] = _now()
        return message

    def _edit_original(self, token: str, payload: dict[str, Any]) -> Any:
        original = self._originals.get(token)
        if original is None:
            return None
        return self._edit_message(int(original["id"]), payload)

    def _callback(self, interaction_id: int, rec: Recorded) -> Any:
        payload = rec.json or {}
        kind = payload.get("type")
        data = payload.get("data") or {}
        bad = self._check_embeds(data)
        if bad is not None:
            return bad
        token = rec.path.split("/")[3]
        interaction = self._interactions.get(interaction_id, {})
        response: dict[str, Any] = {
            "interaction": {
                "id": str(interaction_id),
                "type": interaction.get("type", 2),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & 64),
            }
        }
        if kind in (4, 5):  # a new message (or its "thinking" placeholder)
            message = self._message(int(interaction.get("channel_id") or 0) or None, data)
            who = (interaction.get("member") or {}).get("user") or self.owner
            message["interaction_metadata"] = {
                "id": str(interaction_id),
                "type": interaction.get("type", 2),
                "user": who,
                "authorizing_integration_owners": {},
            }
            self.messages[int(message["id"])] = message
            self._originals[token] = message
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind == 7:  # update the message the component is on
            message_id = int(interaction.get("message", {}).get("id", 0))
            edited = self._edit_message(message_id, data) if message_id in self.messages else None
            if isinstance(edited, dict):
                self._originals[token] = edited
                response["resource"] = {"type": kind, "message": edited}
        elif kind == 6:  # deferred update: the component's message becomes the @original to edit later
            message_id = int(interaction.get("message", {}).get("id", 0))
            if message_id in self.messages:
                self._originals[token] = self.messages[message_id]
        return response

    # ---- gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval}, "s": None, "t": None})
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                packet = json.loads(msg.data)
                op = packet.get("op")
                if op == 1:  # heartbeat
                    self.heartbeats += 1
                    await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
                elif op == 2:  # identify
                    self.identifies.append(packet["d"])
                    await self._dispatch_to(
                        ws,
                        "READY",
                        {
                            "v": 10,
                            "user": self.bot_user,
                            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
                            "session_id": "fake-session",
                            # as Discord does for a sharded session: the shard this connection identified as
                            **({"shard": packet["d"]["shard"]} if packet["d"].get("shard") else {}),
                            "resume_gateway_url": self.gateway_url,
                            "application": {"id": str(self.app_id), "flags": 0},
                            "private_channels": [],
                            "relationships": [],
                            "user_settings": {},
                        },
                    )
                    for guild_id in list(self.guilds):
                        await self._dispatch_to(ws, "GUILD_CREATE", self.guild_payload(guild_id))
                elif op == 6:  # resume: the session continues, events missed meanwhile are not replayed here
                    self.resumes.append(packet["d"])
                    await self._dispatch_to(ws, "RESUMED", {})
        finally:
            if ws in self._sockets:
                self._sockets.remove(ws)
        return ws

    async def _dispatch_to(self, ws: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        self._sequence += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._sequence, "d": data}))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway event to every connected client."""
        for ws in list(self._sockets):
            await self._dispatch_to(ws, event, data)

    @property
    def connected(self) -> bool:
        return bool(self._sockets)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every gateway connection as Discord does on a hiccup; clients may RESUME."""
        for ws in list(self._sockets):
            await ws.close(code=code, message=b"fake: connection dropped")

    # ---- interactions a test performs -----------------------------------------------------------

    def member(self, *, moderator: bool = False, role: bool = False, name: str = "reporter") -> dict[str, Any]:
        """A guild member: `moderator` has Manage Server; `role` has only the configured moderator role."""
        user = self.user(name)
        return {
            "user": user,
            "roles": [str(self.moderator_role_id)] if role else [],
            "nick": None,
            "joined_at": _now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": ADMIN_PERMISSIONS if moderator else MEMBER_PERMISSIONS,
        }

    def _interaction(
        self,
        kind: int,
        data: dict[str, Any],
        member: dict[str, Any],
        channel_id: int | None,
        message: dict[str, Any] | None = None,
        guild: int | None = None,
    ) -> dict[str, Any]:
        channel_id = channel_id or self.channel_id("newsroom", guild)
        guild_id = self.guild_of(channel_id)  # an interaction comes from the server of its channel
        if "guild_id" in data:
            data["guild_id"] = str(guild_id)
        payload = {
            "id": str(self.snowflake()),
            "application_id": str(self.app_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild_id),
            "channel_id": str(channel_id),
            "channel": self.channels[channel_id],
            "member": member,
            "token": f"itoken-{self.snowflake()}",
            "version": 1,
            "app_permissions": ADMIN_PERMISSIONS,
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if message is not None:
            payload["message"] = message
        return payload

    def _command(self, name: str, guild: int | None = None) -> dict[str, Any]:
        for command in self.guild_commands.get(guild or self.guild_id, []) + self.global_commands:
            if command["name"] == name:
                return command
        raise LookupError(
            f"command {name!r} was never synced; synced: "
            f"{[c['name'] for c in self.global_commands + self.guild_commands.get(self.guild_id, [])]}"
        )

    def _options(
        self, command: dict[str, Any], path: list[str], values: dict[str, Any], focused: str | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Build the nested options list Discord sends, typed from the synced definition."""
        resolved: dict[str, Any] = {}
        spec = command.get("options") or []
        for sub in path:
            spec = next(o for o in spec if o["name"] == sub).get("options") or []
        leaf = []
        for name, value in values.items():
            option = next((o for o in spec if o["name"] == name), None)
            kind = option["type"] if option else 3
            item: dict[str, Any] = {"name": name, "type": kind, "value": value}
            if kind == 7:  # channel: Discord resolves it
                item["value"] = str(value)
                resolved.setdefault("channels", {})[str(value)] = {
                    **self.channels.get(int(value), {"id": str(value), "type": 0, "name": "unknown"}),
                    "permissions": ADMIN_PERMISSIONS,
                }
            if name == focused:
                item["focused"] = True
            leaf.append(item)
        for sub, kind in reversed(list(zip(path, [2] * (len(path) - 1) + [1], strict=True))):
            leaf = [{"name": sub, "type": kind, "options": leaf}]
        return leaf, resolved

    async def _send_interaction(self, payload: dict[str, Any], timeout: float) -> Recorded:
        interaction_id = int(payload["id"])
        self._interactions[interaction_id] = payload
        future: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        self._callbacks[interaction_id] = future
        await self.dispatch("INTERACTION_CREATE", payload)
        return await asyncio.wait_for(future, timeout)

    async def slash(
        self,
        command: str,
        *options: Any,
        member: dict[str, Any] | None = None,
        channel_id: int | None = None,
        guild: int | None = None,
        timeout: float = WAIT,
        **values: Any,
    ) -> Recorded:
        """Invoke `/command sub ... name=value` as `member`, in `guild` (default: the first server; or the
        server of `channel_id`); returns the interaction callback request."""
        guild = self.guild_of(channel_id) if channel_id else guild
        definition = self._command(command, guild)
        path = [str(o) for o in options]
        opts, resolved = self._options(definition, path, values, None)
        data = {"id": definition["id"], "name": command, "type": 1, "options": opts, "guild_id": str(self.guild_id)}
        if resolved:
            data["resolved"] = resolved
        payload = self._interaction(2, data, member or self.member(moderator=True), channel_id, guild=guild)
        return await self._send_interaction(payload, timeout)

    async def autocomplete(
        self,
        command: str,
        *options: Any,
        focused: str,
        member: dict[str, Any] | None = None,
        guild: int | None = None,
        timeout: float = WAIT,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """Type into option `focused` (in `guild`, default the first server); returns the choices offered."""
        definition = self._command(command, guild)
        opts, _ = self._options(definition, [str(o) for o in options], values, focused)
        data = {"id": definition["id"], "name": command, "type": 1, "options": opts, "guild_id": str(self.guild_id)}
        payload = self._interaction(4, data, member or self.member(moderator=True), None, guild=guild)
        rec = await self._send_interaction(payload, timeout)
        assert rec.json["type"] == 8, rec.json
        return rec.json["data"]["choices"]

    async def click(
        self, message_id: int, custom_id: str, *, member: dict[str, Any] | None = None, timeout: float = WAIT
    ) -> Recorded:
        """Press the button `custom_id` on a message the bot posted; returns the interaction callback.
        A deferred update (type 6) is followed by an edit of @original: see `press`."""
        message = self.messages[message_id]
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(
            3,
            data,
            member or self.member(moderator=True),
            int(message["channel_id"]) if message["channel_id"] else None,
            message=message,
        )
        return await self._send_interaction(payload, timeout)

    async def press(
        self, message_id: int, custom_id: str, *, member: dict[str, Any] | None = None, timeout: float = WAIT
    ) -> dict[str, Any]:
        """Press a button and return what the bot answered with: the ephemeral reply (type 4), the
        immediate update (type 7), or, after a deferred update (type 6), the edit of the message."""
        rec = await self.click(message_id, custom_id, member=member, timeout=timeout)
        if rec.json["type"] != 6:
            return {"type": rec.json["type"], **rec.json.get("data", {})}
        token = rec.path.split("/")[3]
        [edit] = await self.wait_for_request(
            "PATCH", rf"/webhooks/\d+/{re.escape(token)}/messages/@original", timeout=timeout
        )
        return {"type": 6, **edit.json}

    # ---- what tests read ------------------------------------------------------------------------

    def posted(self, channel_id: int | None = None) -> list[Recorded]:
        """Successful message creations, optionally in one channel, in order."""
        out = []
        for rec in self.requests:
            match = re.fullmatch(r"/channels/(\d+)/messages", rec.path)
            if rec.method == "POST" and match and rec.status == 200:
                if channel_id is None or int(match[1]) == channel_id:
                    out.append(rec)
        return out

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        return [m for m in self.messages.values() if m["channel_id"] == str(channel_id)]

    async def wait_for_post(
        self, channel_id: int | None = None, *, count: int = 1, timeout: float = WAIT
    ) -> list[Recorded]:
        """Wait until at least `count` messages were created (in `channel_id`)."""

        async def enough() -> None:
            async with self._posted:
                await self._posted.wait_for(lambda: len(self.posted(channel_id)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.posted(channel_id)

    def requests_to(self, method: str, pattern: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    async def wait_for_request(
        self, method: str, pattern: str, *, count: int = 1, timeout: float = WAIT
    ) -> list[Recorded]:
        """Wait until at least `count` requests matching method and path (regex) were answered."""

        async def enough() -> None:
            async with self._posted:
                await self._posted.wait_for(lambda: len(self.requests_to(method, pattern)) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.requests_to(method, pattern)
