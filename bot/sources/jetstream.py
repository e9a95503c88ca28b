"""Bluesky in real time: one Jetstream WebSocket subscription filtered to the watched DIDs.

Commit events become the same Activity records the poller (bot.sources.bluesky) makes, with the same
ids (the record's at:// URI, plus `#delete`, `#unlike`, `#unfollow` for deletions), so an item seen by
both paths is stored once. Profile updates and account status events go through the poller's own
snapshot (its cursor state), so the poller's next look finds nothing new and both paths give the same
ids. The Jetstream cursor (time_us) is saved in the same transaction as the activities it produced.

The client is aiohttp's WebSocket client: aiohttp is already pinned (discord.py runs on it), it is
well kept, and it has ping/pong heartbeats and size limits built in; the atproto SDK would bring
pydantic models that refuse unknown shapes (docs/feeds.md), and `websockets` would be a second
WebSocket stack for the same job.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Coroutine
from urllib.parse import urlencode

import aiohttp

from bot.activity import Activity, ActivityError
from bot.feeds import Rejected
from bot.sources.bluesky import (
    MENTION,
    _did_of,
    _labels,
    _lang,
    _links,
    _tags,
    feed_item_to_activity,
    follow_to_activity,
    like_to_activity,
    web_url,
)
from bot.sources.common import (
    clean_profile,
    dump_state,
    first_time,
    load_state,
    reason_of,
    reject,
    snapshot_changes,
    valid_only,
)
from storage import activities as activity_store
from storage import watch as watch_store

log = logging.getLogger(__name__)

# The public instances (docs/feeds.md); a failing one is left for the next.
INSTANCES = (
    "wss://jetstream1.us-east.bsky.network",
    "wss://jetstream2.us-east.bsky.network",
    "wss://jetstream1.us-west.bsky.network",
    "wss://jetstream2.us-west.bsky.network",
)
POST, REPOST, LIKE, FOLLOW, BLOCK, PROFILE = (
    "app.bsky.feed.post",
    "app.bsky.feed.repost",
    "app.bsky.feed.like",
    "app.bsky.graph.follow",
    "app.bsky.graph.block",
    "app.bsky.actor.profile",
)
COLLECTIONS = (POST, REPOST, LIKE, FOLLOW, BLOCK, PROFILE)
# A removed record's id, as the poller names it.
DELETE_SUFFIX = {POST: "#delete", REPOST: "#delete", LIKE: "#unlike", FOLLOW: "#unfollow", BLOCK: "#unblock"}
DELETE_KIND = {POST: "delete", REPOST: "delete", LIKE: "unlike", FOLLOW: "unfollow", BLOCK: "unblock"}
# Jetstream account status -> our availability; other statuses (desynchronized, throttled) are the
# relay's business, not something the account did.
ACCOUNT_STATUS = {
    "takendown": "suspended",
    "suspended": "suspended",
    "deactivated": "deactivated",
    "deleted": "deleted",
}
MAX_DIDS = 10_000  # Jetstream's own limit on wantedDids
REPLAY_WINDOW_US = 24 * 3600 * 10**6  # documented ~36 h; a cursor older than this may have been clamped
REWIND_US = 5 * 10**6  # instances differ in time_us: rewind on reconnect, ids absorb repeats
CURSOR_PLATFORM, CURSOR_NAME = "jetstream", "bluesky"


def instances_from(setting: str) -> tuple[str, ...]:
    """The DIPLOWATCH_BLUESKY_JETSTREAM setting (comma-separated URLs) -> instances; empty: the public ones."""
    found = tuple(u.strip().rstrip("/") for u in setting.split(",") if u.strip())
    for url in found:
        if not url.startswith(("ws://", "wss://")):
            raise ValueError(f"Jetstream instance {url!r} must be a ws:// or wss:// URL")
    return found or INSTANCES


class JetstreamError(ValueError):
    """A Jetstream message that cannot be read."""


def parse_message(text: str | bytes) -> dict[str, Any]:
    """One WebSocket text frame -> the event dict; JetstreamError naming what is wrong."""
    try:
        event = json.loads(text)
    except ValueError as exc:
        raise JetstreamError(f"not valid JSON ({exc})") from None
    if not isinstance(event, dict):
        raise JetstreamError("event is not a JSON object")
    if not isinstance(event.get("did"), str) or not event["did"].startswith("did:"):
        raise JetstreamError("event has no 'did'")
    if not isinstance(event.get("time_us"), int) or isinstance(event["time_us"], bool):
        raise JetstreamError("event has no integer 'time_us'")
    if event.get("kind") not in ("commit", "identity", "account"):
        raise JetstreamError(f"unknown event kind {event.get('kind')!r}")
    return event


def _event_time(event: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(event["time_us"] / 1e6, timezone.utc)


def commit_to_activity(
    event: dict[str, Any],
    handle: str,
    removed: Activity | None = None,
    views: dict[str, dict] | None = None,
    handles: dict[str, str] | None = None,
) -> Activity | None:
    """A commit event of a watched account -> its activity (None for collections we do not report
    and for profile commits, which `JetstreamConsumer` turns into snapshot changes).
    `removed` is the stored activity a delete refers to, which tells whom it was about. `views` (AppView
    post views by URI) and `handles` (DID -> handle) hydrate the record as the poller does, so both
    paths store the same content under the same id; without them the record alone is used."""
    commit = event["commit"]
    collection, operation, rkey = commit["collection"], commit["operation"], commit["rkey"]
    if collection not in COLLECTIONS or collection == PROFILE:
        return None
    if not isinstance(rkey, str) or not rkey or "/" in rkey:
        raise ActivityError("commit.rkey", f"not a record key: {rkey!r}")
    uri = f"at://{event['did']}/{collection}/{rkey}"
    if operation == "delete":
        return _deleted(event, handle, collection, uri, removed)
    if operation not in ("create", "update"):
        raise ActivityError("commit.operation", f"unknown operation {operation!r}")
    record = commit["record"]
    if not isinstance(record, dict):
        raise ActivityError("commit.record", "must be an object")
    when = ((record.get("createdAt"), "record.createdAt"), (_iso(event), "time_us"))
    views, handles = views or {}, handles or {}
    if collection == LIKE:
        subject = views.get(_subject_uri(record) or "")
        like = like_to_activity({"uri": uri, "value": record}, handle, subject)
        like.raw = {"event": event, "post": subject}
        return like
    if collection == FOLLOW:
        subject = record.get("subject")
        follow = follow_to_activity(
            {"uri": uri, "value": record}, handle, handles.get(subject) if isinstance(subject, str) else None
        )
        follow.raw = event
        return follow
    if collection == BLOCK:
        subject = record["subject"]
        return Activity(
            id=uri,
            platform="bluesky",
            account=handle,
            kind="block",
            at=first_time(*when),
            target={"account": subject, "id": subject},
            raw=event,
        )
    if collection == REPOST:
        subject = record["subject"]["uri"]
        if isinstance(views.get(subject), dict):  # as the author feed shows it
            repost = feed_item_to_activity(
                {
                    "post": views[subject],
                    "reason": {
                        "$type": "app.bsky.feed.defs#reasonRepost",
                        "uri": uri,
                        "indexedAt": first_time(*when).isoformat(),
                    },
                },
                handle,
            )
            repost.raw = {"event": event, "post": views[subject]}
            return repost
        return Activity(
            id=uri,
            platform="bluesky",
            account=handle,
            kind="repost",
            at=first_time(*when),
            url=web_url(subject, None),
            target=_clean({"id": subject, "account": _did_of(subject), "url": web_url(subject, None)}),
            raw=event,
        )
    own = views.get(uri)
    if isinstance(own, dict) and own.get("record"):  # as the author feed shows it (media, labels, handles)
        item: dict[str, Any] = {"post": own}
        parent = (
            ((record.get("reply") or {}).get("parent") or {}).get("uri")
            if isinstance(record.get("reply"), dict)
            else None
        )
        if parent and isinstance(views.get(parent), dict):
            item["reply"] = {"parent": views[parent]}
        post = feed_item_to_activity(item, handle)
        post.raw = {"event": event, "post": own}
        return post
    return _post(event, handle, uri, record, when)


def _subject_uri(record: dict[str, Any]) -> str | None:
    subject = record.get("subject")
    uri = subject.get("uri") if isinstance(subject, dict) else None
    return uri if isinstance(uri, str) else None


def hydration_wanted(event: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The post URIs and DIDs a create commit needs looked up to be shown as the poller shows it."""
    commit = event.get("commit") if event.get("kind") == "commit" else None
    if (
        not isinstance(commit, dict)
        or commit.get("operation") != "create"
        or not isinstance(commit.get("record"), dict)
    ):
        return [], []
    collection, record, rkey = commit.get("collection"), commit["record"], commit.get("rkey")
    if collection == FOLLOW:
        return [], [record["subject"]] if isinstance(record.get("subject"), str) else []
    if collection in (LIKE, REPOST):
        return [u for u in [_subject_uri(record)] if u], []
    if collection == POST and isinstance(rkey, str):
        uris = [f"at://{event['did']}/{POST}/{rkey}"]
        reply = record.get("reply")
        parent = (
            (reply.get("parent") or {}).get("uri")
            if isinstance(reply, dict) and isinstance(reply.get("parent"), dict)
            else None
        )
        return uris + ([parent] if isinstance(parent, str) else []), []
    return [], []


def _post(event: dict[str, Any], handle: str, uri: str, record: dict[str, Any], when) -> Activity:
    kind, target = "post", None
    reply = record.get("reply")
    embed = record.get("embed") if isinstance(record.get("embed"), dict) else None
    if isinstance(reply, dict):
        parent = (reply.get("parent") or {}).get("uri")
        kind, target = (
            "reply",
            _clean({"id": parent, "account": _did_of(parent), "url": web_url(parent, None) if parent else None}),
        )
    quoted = _quoted_uri(embed)
    if quoted and kind == "post":
        kind, target = "quote", _clean({"id": quoted, "account": _did_of(quoted), "url": web_url(quoted, None)})
    text = record.get("text")
    return Activity(
        id=uri,
        platform="bluesky",
        account=handle,
        kind=kind,
        at=first_time(*when),
        text=text if isinstance(text, str) else None,
        lang=_lang(record),
        url=web_url(uri, handle),
        links=_links(record, embed),
        mentions=MENTION.findall(text if isinstance(text, str) else ""),
        hashtags=_tags(record),
        labels=_labels({}, record),
        target=target,
        raw=event,
    )


def _deleted(event: dict[str, Any], handle: str, collection: str, uri: str, removed: Activity | None) -> Activity:
    kind = DELETE_KIND[collection]
    about = (removed.target or {}) if removed is not None else {}
    if kind == "delete":
        target = _clean({"id": uri, "account": (removed.target_account if removed else None)})
    elif kind == "unlike":
        target = _clean({"id": about.get("id") or uri, "account": about.get("account"), "url": about.get("url")})
    else:
        target = {"account": about.get("account") or about.get("id") or uri}
    return Activity(
        id=uri + DELETE_SUFFIX[collection],
        platform="bluesky",
        account=handle,
        kind=kind,
        at=_event_time(event),
        target=target,
        raw={"removed": uri, "event": event},
    )


def _quoted_uri(embed: dict[str, Any] | None) -> str | None:
    if not embed:
        return None
    kind = str(embed.get("$type", ""))
    inner = embed.get("record")
    if kind.startswith("app.bsky.embed.recordWithMedia") and isinstance(inner, dict):
        inner = inner.get("record")
    if kind.startswith("app.bsky.embed.record") and isinstance(inner, dict) and isinstance(inner.get("uri"), str):
        return inner["uri"]
    return None


def _iso(event: dict[str, Any]) -> str:
    return _event_time(event).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _clean(target: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in target.items() if v is not None}


def profile_from_record(old: dict[str, Any] | None, record: dict[str, Any]) -> dict[str, Any]:
    """The profile snapshot after a profile commit: name and bio from the record; avatar and labels stay
    as the AppView last showed them (the record has only a blob reference and self-labels), so the
    poller's next snapshot of an unchanged avatar matches this one."""
    values = dict(old or {})
    values["name"] = record.get("displayName")
    values["bio"] = record.get("description")
    if "website" in record:
        values["url"] = record.get("website")
    return clean_profile(values)


def options_update(dids: list[str]) -> str:
    return json.dumps(
        {
            "type": "options_update",
            "payload": {"wantedCollections": list(COLLECTIONS), "wantedDids": dids, "maxMessageSizeBytes": 0},
        }
    )


async def watched_dids(db) -> dict[str, str]:
    """DID -> watched handle, for every Bluesky account the poller has resolved. An account the poller
    has not seen yet joins after its first poll, which makes its baseline (no alerts from history)."""
    out: dict[str, str] = {}
    async with db.conn.execute(
        "SELECT c.handle, c.cursor FROM cursors c JOIN watched w ON w.platform = c.platform AND w.handle = c.handle"
        " WHERE c.platform = 'bluesky' AND c.cursor IS NOT NULL"
    ) as cur:
        rows = await cur.fetchall()
    for handle, cursor in rows:
        try:
            did = load_state(cursor, f"bluesky/{handle}").get("did")
        except ValueError:
            continue
        if isinstance(did, str) and did.startswith("did:"):
            out[did] = handle
    return out


@dataclass
class StreamStats:
    connections: int = 0
    events: int = 0
    stored: int = 0
    rejected: int = 0
    gaps: int = 0
    failovers: int = 0
    last_error: str | None = None
    batches: int = 0
    # (time_us of the event, time.time() when its batch committed), for the benchmark
    committed: list[tuple[int, float]] = field(default_factory=list)


class JetstreamConsumer:
    """Runs the subscription: connects (with backoff, failing over between instances), keeps the watch
    list in step, and ingests each batch of events with the cursor in one transaction."""

    def __init__(
        self,
        pipeline,
        *,
        instances: tuple[str, ...] | list[str] = INSTANCES,
        on_gap: Callable[[], Coroutine[Any, Any, None]] | None = None,
        replay_window_us: int = REPLAY_WINDOW_US,
        backoff_base: float = 0.5,
        backoff_cap: float = 60.0,
        batch_limit: int = 500,
        heartbeat: float = 30.0,
        rng: random.Random | None = None,
        record_latency: bool = False,
        hydrator=None,
    ):
        if not instances:
            raise ValueError("Jetstream needs at least one instance URL")
        self.pipeline = pipeline
        self.db = pipeline.db
        self.instances = [u.rstrip("/") for u in instances]
        self.on_gap = on_gap
        self.replay_window_us = replay_window_us
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.batch_limit = batch_limit
        self.heartbeat = heartbeat
        self.rng = rng or random.Random()
        self.record_latency = record_latency
        # Looks up what a record only points at (a BlueskySource: getPosts, getProfiles), so a streamed
        # activity carries the same content as the polled one; None: the record alone.
        self.hydrator = hydrator
        self.dids: dict[str, str] = {}
        # Called after a batch that raised alerts (the bot's delivery, the headless printer).
        self.on_alerts: Callable[[], None] | None = None
        self.stats = StreamStats()
        self.connected = asyncio.Event()
        self.instance = 0
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False

    # --- watch list ------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Re-read the watched DIDs; a running subscription is told with options_update (no reconnect)."""
        await self.set_dids(await watched_dids(self.db))

    async def set_dids(self, dids: dict[str, str]) -> None:
        if len(dids) > MAX_DIDS:
            raise ValueError(f"Jetstream filters at most {MAX_DIDS} DIDs on one connection, got {len(dids)}")
        changed = set(dids) != set(self.dids)
        self.dids = dict(dids)
        ws = self._ws
        if changed and ws is not None and not ws.closed:
            if self.dids:
                await ws.send_str(options_update(sorted(self.dids)))
            else:
                await ws.close()  # an empty wantedDids would mean every account on the network

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> asyncio.Task:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self.run(), name="jetstream")
        return self._task

    async def stop(self) -> None:
        self._stopping = True
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass

    async def run(self) -> None:
        try:
            await self._run()
        finally:
            self.connected.clear()  # nothing streams any more: polling goes back to its own pace

    async def _run(self) -> None:
        failures = 0
        async with aiohttp.ClientSession() as session:
            while not self._stopping:
                if not self.dids:
                    await asyncio.sleep(0.2)
                    continue
                url = self.instances[self.instance % len(self.instances)]
                try:
                    delivered = await self._session(session, url)
                    failures = 0 if delivered else failures + 1
                    error = None
                except Exception as exc:  # whatever it is, the stream goes on after the backoff
                    failures += 1
                    error = f"{type(exc).__name__}: {exc}"
                    if not isinstance(exc, (aiohttp.ClientError, OSError, asyncio.TimeoutError, JetstreamError)):
                        log.error("jetstream %s: unexpected failure", url, exc_info=exc)  # storage, or a bug
                self.connected.clear()
                if self._stopping:
                    break
                if failures:
                    self.stats.last_error = error or "connection closed before any event"
                    self.instance += 1  # fail over to the next instance
                    self.stats.failovers += 1
                    delay = min(self.backoff_cap, self.backoff_base * 2 ** (failures - 1))
                    log.warning(
                        "jetstream %s: %s; next try on %s in %.1fs",
                        url,
                        self.stats.last_error,
                        self.instances[self.instance % len(self.instances)],
                        delay,
                    )
                    await asyncio.sleep(delay * self.rng.uniform(0.5, 1.0))

    async def _session(self, session: aiohttp.ClientSession, base: str) -> bool:
        """One connection, until it closes. True when it delivered at least one event."""
        cursor = await self.stored_cursor()
        params: dict[str, Any] = {"requireHello": "true"}
        if cursor is not None:
            now_us = int(time.time() * 1e6)
            if now_us - cursor > self.replay_window_us and self.on_gap is not None:
                # Older than the replay window: the instance clamps to what it still has. Polling fills the rest.
                self.stats.gaps += 1
                # Kept in an attribute: a task nobody refers to may be collected before it ends.
                self._gap_task = asyncio.create_task(self.on_gap(), name="jetstream-gap-poll")
            params["cursor"] = str(max(0, cursor - REWIND_US))
        url = f"{base}/subscribe?{urlencode(params)}"
        delivered = False
        async with session.ws_connect(url, heartbeat=self.heartbeat, max_msg_size=4 * 2**20) as ws:
            self._ws = ws
            self.stats.connections += 1
            await ws.send_str(options_update(sorted(self.dids)))
            self.connected.set()
            queue: asyncio.Queue = asyncio.Queue()
            reader = asyncio.create_task(self._read(ws, queue))
            try:
                while True:
                    first = await queue.get()
                    if first is None:
                        break
                    batch, done = [first], False
                    while len(batch) < self.batch_limit and not queue.empty():
                        more = queue.get_nowait()
                        if more is None:
                            done = True
                            break
                        batch.append(more)
                    await self._ingest_or_set_aside(batch)
                    delivered = True
                    if done:
                        break
            finally:
                reader.cancel()
                self._ws = None
            failure = reader.exception() if reader.done() and not reader.cancelled() else None
            if failure is not None:
                raise failure
        return delivered

    async def _read(self, ws: aiohttp.ClientWebSocketResponse, queue: asyncio.Queue) -> None:
        try:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    queue.put_nowait(message.data)
                elif message.type == aiohttp.WSMsgType.ERROR:
                    break
        finally:
            queue.put_nowait(None)

    # --- cursor and ingest --------------------------------------------------------------------

    async def stored_cursor(self) -> int | None:
        row = await watch_store.get_cursor(self.db, CURSOR_PLATFORM, CURSOR_NAME)
        if not row or not row["cursor"]:
            return None
        state = load_state(row["cursor"], "jetstream")
        return int(state["time_us"]) if isinstance(state.get("time_us"), int) else None

    async def ingest(self, frames: list[str]) -> int:
        """Events of one batch, oldest first, stored with the cursor; returns how many were stored."""
        rejects: list[Rejected] = []
        events = []
        for frame in frames:
            try:
                events.append(parse_message(frame))
            except JetstreamError as exc:
                rejects.append(Rejected("jetstream", 0, str(exc), frame[:20000] if isinstance(frame, str) else ""))
        events.sort(key=lambda e: e["time_us"])  # out-of-order delivery is put back in order
        views, handles = await self._hydrate([e for e in events if e["did"] in self.dids])
        async with self.db.transaction() as tx:  # the batch, its cursors, alerts and baselines: all or nothing
            cursor = await self.stored_cursor()
            activities: list[Activity] = []
            states: dict[str, tuple[dict, str]] = {}
            for event in events:
                handle = self.dids.get(event["did"])
                if handle is None:
                    continue  # an account no longer watched (the filter catches up a moment later)
                try:
                    built = await self._activities(event, handle, states, activities, views, handles)
                except (ActivityError, KeyError, TypeError, AttributeError, ValueError) as exc:
                    rejects.append(reject(f"jetstream/{handle}", reason_of(exc), event))
                    continue
                # held to the rules of a recorded record, as the poller's are (health.poll_source)
                activities += valid_only(built, f"jetstream/{handle}", rejects)
            newest = max([e["time_us"] for e in events] + [cursor or 0])
            for handle, (state, loaded) in states.items():
                if dump_state(state) != loaded:  # the poller's snapshot moved with this event
                    await watch_store.save_cursor(tx, "bluesky", handle, cursor=dump_state(state))
            if rejects:
                await activity_store.keep_rejects(tx, [(r.source, r.line, r.reason, r.record) for r in rejects])
            # The cursor moves in the same transaction as the activities it covers.
            await watch_store.save_cursor(tx, CURSOR_PLATFORM, CURSOR_NAME, cursor=dump_state({"time_us": newest}))
            before = self.pipeline.stats.stored
            alerts = await self.pipeline.ingest(activities, tx=tx)
            stored = self.pipeline.stats.stored - before
            self.pipeline.stats.rejected += len(rejects)
        self.stats.events += len(events)
        self.stats.rejected += len(rejects)
        self.stats.stored += stored
        self.stats.batches += 1
        if alerts and self.on_alerts is not None:
            self.on_alerts()
        if self.record_latency:
            now = time.time()  # wall clock, comparable with the server's time_us
            self.stats.committed.extend((e["time_us"], now) for e in events)
        return stored

    async def _ingest_or_set_aside(self, frames: list[str]) -> None:
        """`ingest`; when a batch fails as a whole (it rolled back), its events one at a time, and an event
        that fails alone is kept aside with its reason, the cursor moved past it: one bad event neither
        ends the stream nor comes back to fail it again on every reconnect."""
        try:
            await self.ingest(frames)
            return
        except Exception as exc:
            if len(frames) == 1:
                await self._set_aside(frames[0], exc)
                return
            log.warning("jetstream: a batch of %d events failed (%s); storing them one by one", len(frames), exc)
        for frame in frames:
            await self._ingest_or_set_aside([frame])

    async def _set_aside(self, frame: str, exc: Exception) -> None:
        event = parse_message(frame)  # it was read once already, in `ingest`
        where = f"jetstream/{self.dids.get(event['did'], event['did'])}"
        log.error("%s: an event that cannot be stored is kept aside", where, exc_info=exc)
        kept = reject(where, reason_of(exc), event)
        async with self.db.transaction() as tx:
            await activity_store.keep_rejects(tx, [(kept.source, kept.line, kept.reason, kept.record)])
            newest = max(event["time_us"], await self.stored_cursor() or 0)
            await watch_store.save_cursor(tx, CURSOR_PLATFORM, CURSOR_NAME, cursor=dump_state({"time_us": newest}))
        self.stats.events += 1
        self.stats.rejected += 1
        self.pipeline.stats.rejected += 1

    async def _hydrate(self, events: list[dict[str, Any]]) -> tuple[dict[str, dict], dict[str, str]]:
        """Before taking the write lock: the AppView's views of the posts and handles the batch points at.
        A failed lookup leaves the records as they are (as the poller does when getPosts fails)."""
        if self.hydrator is None:
            return {}, {}
        uris: list[str] = []
        dids: list[str] = []
        for event in events:
            wanted_uris, wanted_dids = hydration_wanted(event)
            uris += [u for u in wanted_uris if u not in uris]
            dids += [d for d in wanted_dids if d not in dids]
        views: dict[str, dict] = {}
        handles: dict[str, str] = {}
        try:
            if uris:
                views = await self.hydrator._hydrate(uris)
            if dids:
                handles = await self.hydrator._handles(dids)
        except Exception as exc:  # FeedError, or a shape nobody foresaw: the records alone still count
            self.stats.last_error = f"hydration: {type(exc).__name__}: {exc}"
            log.info("jetstream: %s; storing the records as they are", self.stats.last_error)
        return views, handles

    async def _activities(
        self,
        event: dict[str, Any],
        handle: str,
        states: dict[str, tuple[dict, str]],
        pending: list[Activity],
        views: dict[str, dict] | None = None,
        handles: dict[str, str] | None = None,
    ) -> list[Activity]:
        kind = event["kind"]
        if kind == "commit":
            commit = event["commit"]
            if commit.get("collection") == PROFILE:
                if commit.get("operation") not in ("create", "update") or commit.get("rkey") != "self":
                    return []
                state = await self._poller_state(handle, states)
                if "profile" not in state:
                    return []
                new = profile_from_record(state["profile"], commit["record"])
                return snapshot_changes(
                    "bluesky", handle, state, new, state.get("status", "active"), _event_time(event), event
                )
            removed = None
            if commit.get("operation") == "delete":
                uri = f"at://{event['did']}/{commit['collection']}/{commit['rkey']}"
                removed = next((a for a in reversed(pending) if a.id == uri), None) or await activity_store.get(
                    self.db, "bluesky", uri
                )
            activity = commit_to_activity(event, handle, removed, views, handles)
            return [activity] if activity is not None else []
        if kind == "account":
            account = event["account"]
            status = "active" if account.get("active") else ACCOUNT_STATUS.get(account.get("status"))
            state = await self._poller_state(handle, states)
            if status is None or "status" not in state:
                return []
            return snapshot_changes("bluesky", handle, state, None, status, _event_time(event), event)
        identity = event["identity"]
        new_handle = identity.get("handle")
        state = await self._poller_state(handle, states)
        known = state.get("handle", handle)
        if not isinstance(new_handle, str) or new_handle == known or not state.get("profile"):
            return []
        state["handle"] = new_handle
        marker = identity.get("seq") or event["time_us"]
        return [
            Activity(
                id=f"at://{event['did']}#handle-{marker}",
                platform="bluesky",
                account=handle,
                kind="profile",
                at=_event_time(event),
                profile=state["profile"],
                raw={"changed": {"handle": [known, new_handle]}, "event": event},
            )
        ]

    async def _poller_state(self, handle: str, states: dict[str, tuple[dict, str]]) -> dict[str, Any]:
        if handle not in states:
            row = await watch_store.get_cursor(self.db, "bluesky", handle)
            state = load_state(row["cursor"] if row else None, f"bluesky/{handle}")
            states[handle] = (state, dump_state(dict(state)))
        return states[handle][0]
