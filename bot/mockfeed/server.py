"""The mock feed server: each platform's API over real HTTP on 127.0.0.1, one port per service so
that per-host limits behave as they would against the real hosts.

Services and the base URL each source is configured with (see `MockFeedServer.urls`):
appview (Bluesky AppView), pds (Bluesky PDS, also serving PLC DID documents under /plc), mastodon, x,
rss (RSS 2.0, Atom and YouTube-style Atom under /rss/<handle>), telegram (the public channel preview
under /s/<channel>, in the markup shape of fixtures/recorded/telegram/; `telegram_pages` serves a recorded
page as it is). Every port answers every route.
Admin endpoints under /_admin (on every port; the admin port is not counted in the connection
figures): stats, accounts, faults, events, clock, config.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections import Counter
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from aiohttp import web

from bot.activity import ActivityError, parse_activity
from bot.mockfeed import render
from bot.mockfeed.faults import HTML_ERROR_PAGE, FaultRule
from bot.mockfeed.jetstream import MockJetstream
from bot.mockfeed.world import MockAccount, World

SERVICES = ("appview", "pds", "mastodon", "x", "rss", "telegram")
LOOPBACK = "127.0.0.1"


class MockFeedServer:
    def __init__(
        self,
        world: World,
        *,
        host: str = LOOPBACK,
        ports: dict[str, int] | None = None,
        rate_limit: int = 100_000,
        rate_window: float = 300.0,
        seed: int = 0,
        jetstream: bool = False,
        jetstream_port: int = 0,
    ):
        if host not in (LOOPBACK, "localhost", "::1"):
            raise ValueError("the mock feed server listens on loopback only")
        self.world = world
        self.host = host
        self.requested_ports = {s: (ports or {}).get(s, 0) for s in SERVICES + ("admin",)}
        self.ports: dict[str, int] = {}
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.rng = random.Random(seed)
        self.faults: list[FaultRule] = []
        self.x_names = "mixed"  # old | new | mixed (by account)
        # channel (lower case) -> a recorded preview page, served instead of the rendered one
        self.telegram_pages: dict[str, str] = {}
        self.runner: web.AppRunner | None = None
        self._servers: list[asyncio.AbstractServer] = []
        self._window: dict[str, tuple[float, int]] = {}
        self.stats = self._empty_stats()
        # When a list: every platform request, as {"service", "path", "query", "user_agent", "start", "end"} (monotonic
        # seconds; end None while it is in flight), for tests that check who polled what, and when.
        self.request_log: list[dict[str, Any]] | None = None
        # Optional: the world's Bluesky accounts also streamed as Jetstream events (bot.mockfeed.jetstream).
        self.jetstream = MockJetstream(host=host, port=jetstream_port) if jetstream else None

    @staticmethod
    def _empty_stats() -> dict[str, Any]:
        return {
            "requests": 0,
            "paths": Counter(),
            "not_modified": 0,
            "not_modified_paths": Counter(),
            "faults": Counter(),
            "user_agents": Counter(),
            "services": {
                s: {"requests": 0, "open": 0, "max_open": 0, "in_flight": 0, "max_in_flight": 0} for s in SERVICES
            },
        }

    def reset_stats(self) -> None:
        self.stats = self._empty_stats()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware])
        self._routes(app)
        self.runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await self.runner.setup()
        server = self.runner.server
        assert server is not None  # set by setup() above
        made, lost = server.connection_made, server.connection_lost
        by_port: dict[int, str] = {}
        open_by: dict[Any, str] = {}

        def connection_made(handler, transport):
            service = by_port.get((transport.get_extra_info("sockname") or (None, 0))[1])
            if service in self.stats["services"]:
                open_by[handler] = service
                entry = self.stats["services"][service]
                entry["open"] += 1
                entry["max_open"] = max(entry["max_open"], entry["open"])
            made(handler, transport)

        def connection_lost(handler, exc):
            service = open_by.pop(handler, None)
            if service:
                self.stats["services"][service]["open"] -= 1
            lost(handler, exc)

        server.connection_made = connection_made  # type: ignore[method-assign]  # counts each service's connections
        server.connection_lost = connection_lost  # type: ignore[method-assign,assignment]
        loop = asyncio.get_running_loop()
        # The admin port is not counted as a platform host, so a benchmark's control requests never
        # show up in the connection figures.
        for service in SERVICES + ("admin",):
            srv = await loop.create_server(server, self.host, self.requested_ports.get(service, 0), backlog=1024)
            port = srv.sockets[0].getsockname()[1]
            self.ports[service] = port
            by_port[port] = service
            self._servers.append(srv)
        if self.jetstream is not None:
            await self.jetstream.start()
            self.jetstream.attach(self.world)

    async def stop(self) -> None:
        if self.jetstream is not None:
            await self.jetstream.stop()
        for srv in self._servers:
            srv.close()
        if self.runner is not None:
            await self.runner.shutdown()
            await self.runner.cleanup()
        for srv in self._servers:
            await srv.wait_closed()
        self._servers.clear()

    async def __aenter__(self) -> "MockFeedServer":
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def urls(self) -> dict[str, str]:
        """Base URLs to configure the sources with (DIPLOWATCH_* settings of the same names)."""
        urls = {
            "bluesky_appview": self.url("appview"),
            "bluesky_plc": self.url("pds") + "/plc",
            "mastodon_base": self.url("mastodon"),
            "x_api": self.url("x"),
            "rss_base": self.url("rss") + "/rss",
            "telegram_base": self.url("telegram"),
        }
        if self.jetstream is not None:
            urls["bluesky_jetstream"] = self.jetstream.url
        return urls

    def add_fault(self, rule: FaultRule) -> FaultRule:
        self.faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        self.faults.clear()

    # --- middleware: stats, faults, conditional requests, rate-limit headers --------------------

    def _service(self, request: web.Request) -> str:
        port = (request.transport.get_extra_info("sockname") or (None, 0))[1] if request.transport else 0
        for service, number in self.ports.items():
            if number == port and service in self.stats["services"]:
                return service
        return "appview"

    def admin_url(self) -> str:
        return self.url("admin") + "/_admin"

    @web.middleware
    async def _middleware(self, request: web.Request, handler):
        if request.path.startswith("/_admin"):
            return await handler(request)
        service = self._service(request)
        entry = self.stats["services"][service]
        self.stats["requests"] += 1
        self.stats["paths"][request.path] += 1
        self.stats["user_agents"][request.headers.get("User-Agent", "")] += 1
        entry["requests"] += 1
        entry["in_flight"] += 1
        entry["max_in_flight"] = max(entry["max_in_flight"], entry["in_flight"])
        logged: dict[str, Any] | None = None
        if self.request_log is not None:
            logged = {
                "service": service,
                "path": request.path,
                "query": dict(request.query),
                "user_agent": request.headers.get("User-Agent", ""),
                "start": time.monotonic(),
                "end": None,
            }
            self.request_log.append(logged)
        try:
            fault = request.query.get("mockfault")
            rule = (
                FaultRule(fault)
                if fault
                else next((r for r in self.faults if r.applies(service, request.path_qs, self.rng)), None)
            )
            if rule is not None:
                self.stats["faults"][rule.fault] += 1
                return await self._fault(request, handler, rule)
            limited = self._over_limit(service)
            if limited is not None:
                return limited
            response = await handler(request)
            response = self._conditional(request, response)
            self._rate_headers(service, response)
            return response
        finally:
            entry["in_flight"] -= 1
            if logged is not None:  # answered, failed, or the client went away (handler cancelled)
                logged["end"] = time.monotonic()

    def _over_limit(self, service: str) -> web.Response | None:
        start, used = self._window.get(service, (time.time(), 0))
        if time.time() - start > self.rate_window:
            start, used = time.time(), 0
        self._window[service] = (start, used + 1)
        if used + 1 <= self.rate_limit:
            return None
        response = web.json_response({"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, status=429)
        self._rate_headers(service, response)
        return response

    def _rate_headers(self, service: str, response: web.StreamResponse) -> None:
        start, used = self._window.get(service, (time.time(), 0))
        remaining = max(0, self.rate_limit - used)
        reset = start + self.rate_window
        if service in ("appview", "pds"):
            response.headers.update(
                {
                    "RateLimit-Limit": str(self.rate_limit),
                    "RateLimit-Remaining": str(remaining),
                    "RateLimit-Reset": str(int(reset)),
                    "RateLimit-Policy": f"{self.rate_limit};w={int(self.rate_window)}",
                }
            )
        elif service == "mastodon":
            iso = datetime.fromtimestamp(reset, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            response.headers.update(
                {
                    "X-RateLimit-Limit": str(self.rate_limit),
                    "X-RateLimit-Remaining": str(remaining),
                    "X-RateLimit-Reset": iso,
                }
            )
        elif service == "x":
            response.headers.update(
                {
                    "x-rate-limit-limit": str(self.rate_limit),
                    "x-rate-limit-remaining": str(remaining),
                    "x-rate-limit-reset": str(int(reset)),
                }
            )

    def _conditional(self, request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        if response.status != 200 or not isinstance(response, web.Response) or response.body is None:
            return response
        body = bytes(response.body) if isinstance(response.body, (bytes, bytearray)) else bytes(response.body._value)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        response.headers["ETag"] = etag
        modified = response.headers.get("Last-Modified")
        if request.headers.get("If-None-Match") == etag:
            return self._not_modified(etag, modified, request.path)
        since = request.headers.get("If-Modified-Since")
        if since and modified and "If-None-Match" not in request.headers:
            try:
                if parsedate_to_datetime(modified) <= parsedate_to_datetime(since):
                    return self._not_modified(etag, modified, request.path)
            except (TypeError, ValueError):
                pass
        return response

    def _not_modified(self, etag: str, modified: str | None, path: str = "") -> web.Response:
        self.stats["not_modified"] += 1
        self.stats["not_modified_paths"][path] += 1
        headers = {"ETag": etag}
        if modified:
            headers["Last-Modified"] = modified
        return web.Response(status=304, headers=headers)

    async def _fault(self, request: web.Request, handler, rule: FaultRule) -> web.StreamResponse:
        kind = rule.fault
        if kind == "429":
            return web.json_response(
                {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                status=429,
                headers={"Retry-After": f"{rule.retry_after:g}"},
            )
        if kind == "500":
            return web.json_response({"error": "InternalServerError", "message": "Internal Server Error"}, status=500)
        if kind == "html":
            return web.Response(text=HTML_ERROR_PAGE, status=502, content_type="text/html")
        if kind == "html200":
            return web.Response(
                text=HTML_ERROR_PAGE.replace("502 Bad Gateway", "Please sign in"), content_type="text/html"
            )
        if kind == "malformed":
            return web.Response(body=b'{"feed": [{"post": <<not json>>', content_type="application/json")
        if kind == "empty":
            return web.Response(body=b"", content_type="application/json")
        if kind == "layout":  # the site changed its markup: every class name the parser knows is gone
            normal = await handler(request)
            text = normal.body.decode() if isinstance(normal.body, bytes) else ""
            return web.Response(
                text=text.replace("tgme_", "tgx_").replace("data-post", "data-item"),
                status=normal.status,
                content_type=normal.content_type,
            )
        if kind in ("slow", "timeout"):
            await asyncio.sleep(rule.delay if rule.delay is not None else (1.0 if kind == "slow" else 30.0))
            return await handler(request)
        normal = await handler(request)
        body = normal.body if isinstance(normal.body, bytes) else b""
        half = body[: max(1, len(body) // 2)]
        if kind == "truncated":
            return web.Response(body=half, status=normal.status, content_type=normal.content_type)
        # disconnect: promise the whole body, send half, hang up.
        stream = web.StreamResponse(status=normal.status)
        stream.content_type = normal.content_type
        stream.content_length = len(body)
        await stream.prepare(request)
        await stream.write(half)
        if request.transport is not None:
            request.transport.close()
        return stream

    # --- routes -----------------------------------------------------------------------------

    def _routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/xrpc/app.bsky.actor.getProfile", self.bsky_profile)
        r.add_get("/xrpc/app.bsky.actor.getProfiles", self.bsky_profiles)
        r.add_get("/xrpc/app.bsky.feed.getAuthorFeed", self.bsky_author_feed)
        r.add_get("/xrpc/app.bsky.feed.getPosts", self.bsky_posts)
        r.add_get("/xrpc/com.atproto.identity.resolveHandle", self.bsky_resolve)
        r.add_get("/xrpc/com.atproto.repo.listRecords", self.bsky_list_records)
        r.add_get("/xrpc/com.atproto.repo.getRecord", self.bsky_get_record)
        r.add_get("/{pds}/xrpc/com.atproto.repo.listRecords", self.bsky_list_records)  # a PDS an account moved to
        r.add_get("/{pds}/xrpc/com.atproto.repo.getRecord", self.bsky_get_record)
        r.add_get("/plc/{did}", self.plc_document)
        r.add_get("/api/v1/accounts/lookup", self.masto_lookup)
        r.add_get("/api/v1/accounts/{id}", self.masto_account)
        r.add_get("/api/v1/accounts/{id}/statuses", self.masto_statuses)
        r.add_get("/api/v1/statuses/{id}", self.masto_status)
        r.add_get("/2/tweets", self.x_lookup)
        r.add_get("/s/{channel}", self.tg_preview)
        r.add_get("/{channel}", self.tg_contact)
        r.add_get("/2/users/by/username/{username}", self.x_user)
        r.add_get("/2/users/{id}/tweets", self.x_tweets)
        r.add_get("/rss/{handle}", self.feed)
        r.add_get("/_admin/stats", self.admin_stats)
        r.add_get("/_admin/accounts", self.admin_accounts)
        r.add_post("/_admin/faults", self.admin_add_fault)
        r.add_delete("/_admin/faults", self.admin_clear_faults)
        r.add_post("/_admin/events", self.admin_events)
        r.add_post("/_admin/clock", self.admin_clock)
        r.add_post("/_admin/config", self.admin_config)

    # Bluesky ---------------------------------------------------------------------------------

    def _bsky(self, actor: str) -> MockAccount | None:
        if actor.startswith("did:"):
            return self.world.find_did(actor)
        return self.world.find("bluesky", actor)

    @staticmethod
    def _xrpc_error(status: int, error: str, message: str) -> web.Response:
        return web.json_response({"error": error, "message": message}, status=status)

    def _bsky_unavailable(self, account: MockAccount | None, repo: bool = False) -> web.Response | None:
        if account is None or account.served_as != "bluesky":
            return self._xrpc_error(400, "InvalidRequest", "Profile not found" if not repo else "Could not find repo")
        if account.status == "active":
            return None
        if repo:
            name = {"suspended": "RepoTakendown", "deactivated": "RepoDeactivated"}.get(account.status, "RepoNotFound")
            return self._xrpc_error(400, name, f"Repo is {account.status}")
        error = render.BSKY_ERRORS.get(account.status)
        return web.json_response(error, status=400) if error else None

    async def bsky_profile(self, request: web.Request) -> web.Response:
        account = self._bsky(request.query.get("actor", ""))
        unavailable = self._bsky_unavailable(account)
        if unavailable or account is None:
            return unavailable or self._xrpc_error(400, "InvalidRequest", "Profile not found")
        return web.json_response(render.bsky_profile(account))

    async def bsky_profiles(self, request: web.Request) -> web.Response:
        profiles = []
        for actor in request.query.getall("actors", [])[:25]:
            account = self._bsky(actor)
            if account is not None and account.status == "active":
                profiles.append(render.bsky_profile(account))
            elif actor in self.world.handles_by_did:
                profiles.append(render.bsky_author(self.world.handles_by_did[actor]))
        return web.json_response({"profiles": profiles})

    async def bsky_author_feed(self, request: web.Request) -> web.Response:
        account = self._bsky(request.query.get("actor", ""))
        unavailable = self._bsky_unavailable(account)
        if unavailable or account is None:  # (None is always unavailable; said for the type checker)
            return unavailable or self._xrpc_error(400, "InvalidRequest", "Profile not found")
        limit = _int(request.query.get("limit"), 50, 1, 100)
        start = _int(request.query.get("cursor"), 0, 0, 10**9)
        # As the AppView does: a repost of a post whose author is deactivated, suspended or deleted
        # leaves the feed, while the repost record stays in the reposter's repo.
        shown = [i for i in account.items if self._subject_visible(i)]
        items = shown[::-1][start : start + limit]
        body: dict[str, Any] = {"feed": [render.bsky_feed_item(self.world, account, i) for i in items]}
        if start + limit < len(shown):
            body["cursor"] = str(start + limit)
        return web.json_response(body)

    async def bsky_posts(self, request: web.Request) -> web.Response:
        """Posts by URI: a watched account's own (as its feed shows them), or the ones it points at."""
        posts = []
        for uri in request.query.getall("uris", [])[:25]:
            view = self._own_post(uri) or self.world.posts.get(uri)
            if view is not None:
                posts.append(view)
        return web.json_response({"posts": posts})

    def _own_post(self, uri: str) -> dict[str, Any] | None:
        parts = uri[len("at://") :].split("/") if uri.startswith("at://") else []
        if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
            return None
        account = self.world.find_did(parts[0])
        if account is None or account.served_as != "bluesky" or account.status != "active":
            return None
        item = next((i for i in account.items if i.rkey == parts[2] and i.kind != "repost"), None)
        return render.bsky_post_view(self.world, account, item) if item is not None else None

    async def bsky_resolve(self, request: web.Request) -> web.Response:
        account = self.world.find("bluesky", request.query.get("handle", ""))
        if account is None or account.status == "deleted":
            return self._xrpc_error(400, "InvalidRequest", "Unable to resolve handle")
        return web.json_response({"did": account.did})

    def _subject_visible(self, item) -> bool:
        if item.kind != "repost":
            return True
        author = (item.activity.target or {}).get("account")
        other = self.world.find("bluesky", author) if author else None
        return other is None or other.status == "active"

    def _not_here(self, request: web.Request, account: MockAccount | None) -> web.Response | None:
        """A repo asked for on a PDS it is not on (it moved away): RepoNotFound, as the old PDS says."""
        here = "/" + request.match_info["pds"] if "pds" in request.match_info else ""
        if account is not None and account.served_as == "bluesky" and account.pds != here:
            return self._xrpc_error(400, "RepoNotFound", f"Could not find repo: {account.did}")
        return None

    async def bsky_get_record(self, request: web.Request) -> web.Response:
        q = request.query
        account = self._bsky(q.get("repo", ""))
        unavailable = self._not_here(request, account) or self._bsky_unavailable(account, repo=True)
        if unavailable or account is None:  # (None is always unavailable; said for the type checker)
            return unavailable or self._xrpc_error(400, "InvalidRequest", "Could not find repo")
        collection, rkey = q.get("collection", ""), q.get("rkey", "")
        uri = f"at://{account.did}/{collection}/{rkey}"
        for record in render.bsky_records(self.world, account, collection):
            if record["uri"] == uri:
                return web.json_response(record)
        return self._xrpc_error(400, "RecordNotFound", f"Could not locate record: {uri}")

    async def bsky_list_records(self, request: web.Request) -> web.Response:
        account = self._bsky(request.query.get("repo", ""))
        unavailable = self._not_here(request, account) or self._bsky_unavailable(account, repo=True)
        if unavailable or account is None:  # (None is always unavailable; said for the type checker)
            return unavailable or self._xrpc_error(400, "InvalidRequest", "Could not find repo")
        records = render.bsky_records(self.world, account, request.query.get("collection", ""))
        limit = _int(request.query.get("limit"), 50, 1, 100)
        cursor = request.query.get("cursor")
        if request.query.get("reverse") == "true":
            records.reverse()
            if cursor:
                records = [r for r in records if r["uri"].rsplit("/", 1)[1] > cursor]
        elif cursor:
            records = [r for r in records if r["uri"].rsplit("/", 1)[1] < cursor]
        page = records[:limit]
        body: dict[str, Any] = {"records": page}
        if len(records) > limit:
            body["cursor"] = page[-1]["uri"].rsplit("/", 1)[1]
        return web.json_response(body)

    async def plc_document(self, request: web.Request) -> web.Response:
        account = self.world.find_did(request.match_info["did"])
        if account is None:
            return web.json_response({"message": f"DID not registered: {request.match_info['did']}"}, status=404)
        return web.json_response(render.did_document(account, self.url("pds") + account.pds))

    # Mastodon --------------------------------------------------------------------------------

    def _masto(self, ident: str) -> MockAccount | None:
        account = self.world.find_number(ident)
        return account if account is not None and account.served_as == "mastodon" else None

    async def masto_lookup(self, request: web.Request) -> web.Response:
        account = self.world.find("mastodon", request.query.get("acct", ""))
        if account is None or account.status == "deleted":
            return web.json_response({"error": "Record not found"}, status=404)
        return web.json_response(render.masto_account(account, self.url("mastodon")))

    async def masto_account(self, request: web.Request) -> web.Response:
        account = self._masto(request.match_info["id"])
        if account is None or account.status == "deleted":
            return web.json_response({"error": "Record not found"}, status=404)
        return web.json_response(render.masto_account(account, self.url("mastodon")))

    async def masto_statuses(self, request: web.Request) -> web.Response:
        account = self._masto(request.match_info["id"])
        if account is None or account.status == "deleted":
            return web.json_response({"error": "Record not found"}, status=404)
        if account.status != "active":
            return web.json_response([])
        q = request.query
        limit = _int(q.get("limit"), 20, 1, 40)
        items = list(account.items)
        if q.get("max_id"):
            items = [i for i in items if i.number < _int(q["max_id"], 0, 0, 2**63)]
        if q.get("since_id"):
            items = [i for i in items if i.number > _int(q["since_id"], 0, 0, 2**63)]
        if q.get("min_id"):
            # The page immediately newer than min_id, shown newest first.
            items = [i for i in items if i.number > _int(q["min_id"], 0, 0, 2**63)][:limit]
        else:
            items = items[-limit:]
        items.reverse()
        base = self.url("mastodon")
        response = web.json_response([render.masto_status(account, i, base) for i in items])
        if items:
            path = f"{base}/api/v1/accounts/{account.number_id}/statuses"
            response.headers["Link"] = (
                f'<{path}?max_id={items[-1].number}>; rel="next", <{path}?min_id={items[0].number}>; rel="prev"'
            )
        return response

    async def masto_status(self, request: web.Request) -> web.Response:
        """One status by id: 404 once it is deleted (or its account is gone), with `edited_at` after an edit."""
        number = _int(request.match_info["id"], 0, 0, 2**63)
        for account in list(self.world.accounts.values()):
            if account.served_as != "mastodon":
                continue
            account.catch_up(self.world.clock.now())
            item = next((i for i in account.items if i.number == number), None)
            if item is not None and account.status in ("active", "protected"):
                return web.json_response(render.masto_status(account, item, self.url("mastodon")))
        return web.json_response({"error": "Record not found"}, status=404)

    # X -----------------------------------------------------------------------------------------

    async def x_lookup(self, request: web.Request) -> web.Response:
        """`GET /2/tweets?ids=` (at most 100): the posts still there in `data`, each other id in `errors`."""
        refused = self._x_authorized(request)
        if refused:
            return refused
        ids = [i for i in request.query.get("ids", "").split(",") if i][:100]
        shown: dict[str, tuple[MockAccount, Any]] = {}
        for account in list(self.world.accounts.values()):
            if account.served_as == "x":
                account.catch_up(self.world.clock.now())
                if account.status == "active":
                    shown.update({str(i.number): (account, i) for i in account.items})
        data, errors = [], []
        for ident in ids:
            if ident in shown:
                account, item = shown[ident]
                data.append(render.x_tweet(account, item, self._new_names(account))[0])
            else:
                errors.append(
                    {
                        "value": ident,
                        "detail": f"Could not find tweet with ids: [{ident}].",
                        "title": "Not Found Error",
                        "resource_type": "tweet",
                        "parameter": "ids",
                        "resource_id": ident,
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                    }
                )
        body: dict[str, Any] = {}
        if data:
            body["data"] = data
        if errors:
            body["errors"] = errors
        return web.json_response(body)

    @staticmethod
    def _x_authorized(request: web.Request) -> web.Response | None:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response(
                {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, status=401
            )
        return None

    def _new_names(self, account: MockAccount) -> bool:
        if self.x_names == "mixed":
            return int(account.number_id) % 2 == 1
        return self.x_names == "new"

    async def x_user(self, request: web.Request) -> web.Response:
        refused = self._x_authorized(request)
        if refused:
            return refused
        username = request.match_info["username"]
        account = self.world.find("x", username)
        if account is None:
            return web.json_response(render.x_user_error(username, "deleted"))
        if account.status in render.X_USER_ERRORS:
            return web.json_response(render.x_user_error(username, account.status))
        return web.json_response({"data": render.x_user(account)})

    async def x_tweets(self, request: web.Request) -> web.Response:
        refused = self._x_authorized(request)
        if refused:
            return refused
        account = self.world.find_number(request.match_info["id"])
        if account is None or account.served_as != "x" or account.status in ("deleted", "deactivated"):
            return web.json_response(
                {
                    "errors": [
                        {
                            "detail": "Could not find user",
                            "title": "Not Found Error",
                            "type": "https://api.twitter.com/2/problems/resource-not-found",
                        }
                    ]
                }
            )
        if account.status in ("protected", "suspended"):
            kind = "not-authorized-for-resource" if account.status == "protected" else "resource-unavailable"
            return web.json_response(
                {
                    "errors": [
                        {
                            "value": account.number_id,
                            "parameter": "id",
                            "resource_type": "user",
                            "title": "Authorization Error" if account.status == "protected" else "Forbidden",
                            "detail": f"Sorry, you are not authorized to see the user with id: [{account.number_id}]."
                            if account.status == "protected"
                            else f"User has been suspended: [{account.handle}].",
                            "type": f"https://api.twitter.com/2/problems/{kind}",
                        }
                    ]
                }
            )
        q = request.query
        limit = _int(q.get("max_results"), 10, 5, 100)
        items = list(account.items)
        if q.get("since_id"):
            items = [i for i in items if i.number > _int(q["since_id"], 0, 0, 2**63)]
        items.reverse()
        start = _int(q.get("pagination_token"), 0, 0, 10**9)
        page = items[start : start + limit]
        new_names = self._new_names(account)
        data: list[dict[str, Any]] = []
        ref_tweets: dict[str, Any] = {}
        ref_users: dict[str, Any] = {}
        for item in page:
            tweet, ref, user = render.x_tweet(account, item, new_names)
            data.append(tweet)
            if ref and user:
                ref_tweets[ref["id"]] = ref
                ref_users[user["id"]] = user
        meta: dict[str, Any] = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        if start + limit < len(items):
            meta["next_token"] = str(start + limit)
        body: dict[str, Any] = {"meta": meta}
        if data:
            body["data"] = data
        if ref_tweets:
            body["includes"] = {
                ("posts" if new_names else "tweets"): list(ref_tweets.values()),
                "users": list(ref_users.values()),
            }
        return web.json_response(body)

    # RSS / Atom --------------------------------------------------------------------------------

    async def feed(self, request: web.Request) -> web.Response:
        handle = request.match_info["handle"]
        account = next((a for a in (self.world.find(kind, handle) for kind in ("rss", "atom", "youtube")) if a), None)
        if account is None or account.status == "deleted":
            return web.Response(text="<html><body>Not Found</body></html>", status=404, content_type="text/html")
        site = self.url("rss") + "/site"
        if account.served_as == "rss":
            response = web.Response(text=render.rss_document(account, site), content_type="application/rss+xml")
        else:
            response = web.Response(
                text=render.atom_document(account, site, account.served_as == "youtube"),
                content_type="application/atom+xml",
            )
        if account.updated:
            response.headers["Last-Modified"] = format_datetime(account.updated.astimezone(timezone.utc), usegmt=True)
        return response

    # Telegram ------------------------------------------------------------------------------------

    async def tg_preview(self, request: web.Request) -> web.StreamResponse:
        channel = request.match_info["channel"]
        recorded = self.telegram_pages.get(channel.lower())
        if recorded is not None:
            return web.Response(text=recorded, content_type="text/html")
        account = self.world.find("telegram", channel)
        if account is None or account.status == "deleted":
            return web.Response(text=render.tg_no_preview(channel), status=404, content_type="text/html")
        if account.status != "active":  # made private: Telegram sends the visitor away from /s/
            raise web.HTTPFound(f"/{account.handle}")
        before = _int(request.query.get("before"), 0, 0, 2**31) or None
        response = web.Response(text=render.tg_page(account, self.url("telegram"), before), content_type="text/html")
        return response

    async def tg_contact(self, request: web.Request) -> web.Response:
        return web.Response(text=render.tg_no_preview(request.match_info["channel"]), content_type="text/html")

    # Admin -------------------------------------------------------------------------------------

    async def admin_stats(self, request: web.Request) -> web.Response:
        stats = dict(self.stats)
        stats["faults"] = dict(self.stats["faults"])
        stats["user_agents"] = dict(self.stats["user_agents"])
        stats["not_modified_paths"] = dict(self.stats["not_modified_paths"])
        stats["paths"] = dict(self.stats["paths"])
        stats["clock"] = render.iso(self.world.clock.now())
        stats["cpu_s"] = time.process_time()  # of the whole server process
        stats["rules"] = [r.to_dict() for r in self.faults]
        return web.json_response(stats)

    async def admin_accounts(self, request: web.Request) -> web.Response:
        return web.json_response(self.world.handles())

    async def admin_add_fault(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
            rule = self.add_fault(FaultRule(**{k: v for k, v in body.items() if k != "fired"}))
        except (ValueError, TypeError) as exc:
            return web.json_response({"error": f"bad fault rule: {exc}"}, status=400)
        return web.json_response(rule.to_dict(), status=201)

    async def admin_clear_faults(self, request: web.Request) -> web.Response:
        self.clear_faults()
        return web.json_response({"cleared": True})

    async def admin_events(self, request: web.Request) -> web.Response:
        """Body: {"activities": [Activity records], "as": optional platform, "release": "now"|"at"}."""
        try:
            body = await request.json()
            activities = [parse_activity(a) for a in body.get("activities", [])]
            count = self.world.load(
                activities, served_as=body.get("as"), release_now=body.get("release", "now") == "now"
            )
        except (ActivityError, ValueError, TypeError, AttributeError) as exc:
            return web.json_response({"error": f"bad events: {exc}"}, status=400)
        return web.json_response({"scheduled": count}, status=201)

    async def admin_clock(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "advance" in body:
            self.world.clock.advance(float(body["advance"]))
        if "speed" in body:
            self.world.clock.set_speed(float(body["speed"]))
        return web.json_response({"now": render.iso(self.world.clock.now()), "speed": self.world.clock.speed})

    async def admin_config(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("x_names") in ("old", "new", "mixed"):
            self.x_names = body["x_names"]
        if "rate_limit" in body:
            self.rate_limit = int(body["rate_limit"])
        return web.json_response({"x_names": self.x_names, "rate_limit": self.rate_limit})


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        number = default
    return min(high, max(low, number))
