"""A Jetstream-shaped WebSocket server on 127.0.0.1 (v1 `/subscribe`, docs/feeds.md), with faults.

Speaks what the real one does: `wantedDids`, `wantedCollections`, `cursor` (unix microseconds,
replayed from there; a cursor older than what is kept is silently clamped to the oldest event kept,
as v1 does), `requireHello` plus `options_update` messages that change the filter on a live connection.
Events come from `publish` or, after `attach(world)`, from the mock world's Bluesky accounts, with the
same record keys the mock AppView and PDS show, so the poller and the stream name things alike.

Faults (`add_fault`): `drop` closes the connection after `after` events; `duplicate` sends an event
twice; `reorder` sends an event after the one that follows it; `refuse` answers the upgrade with 503.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from bot.activity import Activity
from bot.mockfeed import render
from bot.mockfeed.world import MockAccount, World, did_for

LOOPBACK = "127.0.0.1"
RETENTION_US = 36 * 3600 * 10**6
JET_FAULTS = ("drop", "duplicate", "reorder", "refuse")
POST, REPOST, LIKE, FOLLOW, PROFILE = (
    "app.bsky.feed.post",
    "app.bsky.feed.repost",
    "app.bsky.feed.like",
    "app.bsky.graph.follow",
    "app.bsky.actor.profile",
)
ACCOUNT_EVENT: dict[str, dict[str, Any]] = {
    "active": {"active": True},
    "suspended": {"active": False, "status": "takendown"},
    "deactivated": {"active": False, "status": "deactivated"},
    "deleted": {"active": False, "status": "deleted"},
}


@dataclass
class JetFault:
    fault: str
    count: int = 1  # how many times it fires
    after: int = 0  # drop: events sent on the connection first
    fired: int = 0

    def __post_init__(self) -> None:
        if self.fault not in JET_FAULTS:
            raise ValueError(f"unknown Jetstream fault {self.fault!r}; known: {', '.join(JET_FAULTS)}")

    def take(self) -> bool:
        if self.fired >= self.count:
            return False
        self.fired += 1
        return True


class _Filter:
    def __init__(self, dids: list[str], collections: list[str]):
        self.dids, self.collections = set(dids), set(collections)

    def matches(self, event: dict[str, Any]) -> bool:
        if self.dids and event["did"] not in self.dids:
            return False
        if event["kind"] == "commit" and self.collections:
            return event["commit"]["collection"] in self.collections
        return True  # identity and account events ignore wantedCollections (Jetstream docs §4.5)


class MockJetstream:
    def __init__(self, *, host: str = LOOPBACK, port: int = 0, retention_us: int = RETENTION_US):
        if host not in (LOOPBACK, "localhost", "::1"):
            raise ValueError("the mock Jetstream listens on loopback only")
        self.host, self.requested_port, self.retention_us = host, port, retention_us
        self.port = 0
        self.events: list[dict[str, Any]] = []
        self._times: list[int] = []
        self.faults: list[JetFault] = []
        self.stats = {
            "connections": 0,
            "hellos": 0,
            "options_updates": 0,
            "sent": 0,
            "clamped": 0,
            "dropped": 0,
            "refused": 0,
            "open": 0,
            "wanted_dids": 0,
        }
        self._wake = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._ticker: asyncio.Task | None = None
        self._seen: dict[str, dict[str, set[str]]] = {}
        self.world: World | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/subscribe", self.subscribe)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.requested_port)
        await site.start()
        assert site._server is not None  # started above
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]  # a Server, as TCPSite makes

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> "MockJetstream":
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def add_fault(self, fault: str, **options) -> JetFault:
        rule = JetFault(fault, **options)
        self.faults.append(rule)
        return rule

    def _fault(self, kind: str) -> JetFault | None:
        return next((r for r in self.faults if r.fault == kind and r.fired < r.count), None)

    async def drop_all(self) -> None:
        """Close every open connection (the instance restarting)."""
        for ws in list(self._sockets):
            await ws.close(code=1012)

    # --- events ------------------------------------------------------------------------------

    def publish(self, event: dict[str, Any], time_us: int | None = None) -> dict[str, Any]:
        """Add one event (without `time_us`, it gets the next microsecond from now)."""
        last = self._times[-1] if self._times else 0
        stamp = time_us if time_us is not None else max(last + 1, int(time.time() * 1e6))
        event = {**event, "time_us": stamp}
        index = bisect.bisect_right(self._times, stamp)
        self._times.insert(index, stamp)
        self.events.insert(index, event)
        horizon = max(int(time.time() * 1e6), self._times[-1]) - self.retention_us
        cut = bisect.bisect_left(self._times, horizon)
        if cut:
            del self._times[:cut], self.events[:cut]
        self._wake.set()
        self._wake = asyncio.Event()
        return event

    def forget_before(self, time_us: int) -> int:
        """Drop the events older than `time_us` (the replay window moving past them); returns how many."""
        cut = bisect.bisect_left(self._times, time_us)
        del self._times[:cut], self.events[:cut]
        return cut

    # --- the world's Bluesky accounts as events --------------------------------------------------

    def attach(self, world: World, tick: float = 0.02) -> None:
        """Turn every later release of a Bluesky account in `world` into events. The world releases
        lazily, so a ticker catches the accounts up to the clock."""
        self.world = world
        for account in world.accounts.values():
            account.catch_up(world.clock.now())
            self._seen[account.did] = _keys(account)
        world.watchers.append(self._released)
        self._ticker = asyncio.get_running_loop().create_task(self._tick(world, tick))

    async def _tick(self, world: World, tick: float) -> None:
        while True:
            now = world.clock.now()
            for account in list(world.accounts.values()):
                if account.served_as == "bluesky" and account.pending and account.pending[0][0] <= now:
                    account.catch_up(now)
            await asyncio.sleep(tick)

    def _released(self, account: MockAccount, activity: Activity) -> None:
        if account.served_as != "bluesky" or self.world is None:
            return
        did = account.did
        if activity.kind == "profile":
            p = account.profile
            record = {"$type": PROFILE, "displayName": p.get("name") or "", "description": p.get("bio") or ""}
            if p.get("url"):
                record["website"] = p["url"]
            self.publish(_commit(did, "update", PROFILE, "self", record))
            return
        if activity.kind == "status":
            self.publish(
                {
                    "did": did,
                    "kind": "account",
                    "account": {
                        "did": did,
                        "seq": len(self.events) + 1,
                        "time": render.iso(activity.at),
                        **ACCOUNT_EVENT.get(account.status, {"active": True}),
                    },
                }
            )
            return
        old, new = self._seen.get(did) or {c: set() for c in (POST, REPOST, LIKE, FOLLOW)}, _keys(account)
        self._seen[did] = new
        for collection in (POST, REPOST, LIKE, FOLLOW):
            for rkey in sorted(new[collection] - old[collection]):
                self.publish(_commit(did, "create", collection, rkey, self._record(account, collection, rkey)))
            for rkey in sorted(old[collection] - new[collection]):
                self.publish(_commit(did, "delete", collection, rkey, None))

    def _record(self, account: MockAccount, collection: str, rkey: str) -> dict[str, Any]:
        world = self.world
        assert world is not None  # only called from publish_activity, which needs a world
        if collection == POST:
            item = next(i for i in account.items if i.rkey == rkey)
            view = render.bsky_post_view(world, account, item)
            record = dict(view["record"])
            embed = view.get("embed") or {}
            if item.kind == "quote":
                quoted = embed["record"]
                record["embed"] = {
                    "$type": "app.bsky.embed.record",
                    "record": {"uri": quoted["uri"], "cid": quoted["cid"]},
                }
            elif "external" in embed:
                record["embed"] = {"$type": "app.bsky.embed.external", "external": embed["external"]}
            return record
        return next(
            r["value"] for r in render.bsky_records(world, account, collection) if r["uri"].endswith("/" + rkey)
        )

    # --- the WebSocket endpoint -------------------------------------------------------------------

    async def subscribe(self, request: web.Request) -> web.StreamResponse:
        refuse = self._fault("refuse")
        if refuse and refuse.take():
            self.stats["refused"] += 1
            return web.Response(status=503, text="upstream unavailable")
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=8 * 2**20)
        await ws.prepare(request)
        self.stats["connections"] += 1
        self.stats["open"] += 1
        self._sockets.add(ws)
        query = request.query
        flt = _Filter(query.getall("wantedDids", []), query.getall("wantedCollections", []))
        hello = asyncio.Event()
        if query.get("requireHello") != "true":
            hello.set()
        reader = asyncio.create_task(self._read(ws, flt, hello))
        sender = asyncio.create_task(self._hello_then_send(ws, flt, hello, query.get("cursor")))
        try:
            # Whichever ends first ends the connection: a client that hung up must not leave a sender
            # waiting for the next event (that would hold the server's shutdown).
            await asyncio.wait({reader, sender}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reader, sender):
                task.cancel()
            await asyncio.gather(reader, sender, return_exceptions=True)
            self._sockets.discard(ws)
            self.stats["open"] -= 1
        return ws

    async def _hello_then_send(
        self, ws: web.WebSocketResponse, flt: _Filter, hello: asyncio.Event, cursor: str | None
    ) -> None:
        await hello.wait()
        try:
            await self._send_from(ws, flt, cursor)
        except (ConnectionResetError, RuntimeError):
            pass

    async def _read(self, ws: web.WebSocketResponse, flt: _Filter, hello: asyncio.Event) -> None:
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                body = json.loads(message.data)
            except ValueError:
                continue
            if body.get("type") == "options_update":
                payload = body.get("payload") or {}
                flt.dids = set(payload.get("wantedDids") or [])
                flt.collections = set(payload.get("wantedCollections") or [])
                self.stats["options_updates"] += 1
                self.stats["wanted_dids"] = len(flt.dids)
                if not hello.is_set():
                    self.stats["hellos"] += 1
                    hello.set()
        hello.set()  # closed before saying hello: let the sender notice and stop

    async def _send_from(self, ws: web.WebSocketResponse, flt: _Filter, cursor: str | None) -> None:
        if cursor and cursor.isdigit():
            start = int(cursor)
            if self._times and start < self._times[0]:
                self.stats["clamped"] += 1  # v1 clamps silently: what is older was not kept
            last_sent = start - 1  # replay from the cursor on
        else:
            last_sent = self._times[-1] if self._times else 0  # live only
        sent, held = 0, None
        drop = self._fault("drop")
        while not ws.closed:
            wake = self._wake
            index = bisect.bisect_right(self._times, last_sent)
            if index >= len(self._times):
                await wake.wait()
                continue
            event = self.events[index]
            last_sent = event["time_us"]
            if not flt.matches(event):
                continue
            reorder = self._fault("reorder")
            if held is None and reorder is not None and index + 1 < len(self._times) and reorder.take():
                held = event  # sent after the next matching event
                continue
            await self._send(ws, event)
            sent += 1
            if held is not None:
                await self._send(ws, held)
                held = None
            duplicate = self._fault("duplicate")
            if duplicate is not None and duplicate.take():
                await self._send(ws, event)
            if drop is not None and sent >= drop.after and drop.take():
                self.stats["dropped"] += 1
                await ws.close(code=1011)
                return

    async def _send(self, ws: web.WebSocketResponse, event: dict[str, Any]) -> None:
        await ws.send_str(json.dumps(event, separators=(",", ":")))
        self.stats["sent"] += 1


def _commit(did: str, operation: str, collection: str, rkey: str, record: dict[str, Any] | None) -> dict[str, Any]:
    commit: dict[str, Any] = {"rev": rkey, "operation": operation, "collection": collection, "rkey": rkey}
    if record is not None:
        commit["record"] = record
        commit["cid"] = "bafy" + did_for(rkey)[8:]
    return {"did": did, "kind": "commit", "commit": commit}


def _keys(account: MockAccount) -> dict[str, set[str]]:
    return {
        POST: {i.rkey for i in account.items if i.kind != "repost"},
        REPOST: set(account.reposts),
        LIKE: set(account.likes),
        FOLLOW: set(account.follows),
    }
