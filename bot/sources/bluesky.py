"""Bluesky without login: profile and author feed from the AppView, the account's own like, repost,
follow and post records from its PDS (found through its DID document).

Un-likes and unfollows are records that disappeared between two polls of
`com.atproto.repo.listRecords`. A post or repost that left the author feed inside the window the last
poll saw is a deletion only when its record is gone from the account's own repo
(`com.atproto.repo.getRecord` on its PDS): a repost whose subject vanished because its author deleted
it or was deactivated leaves the feed too, but the watched account did nothing. Suspended, deactivated
and deleted accounts are recognised from the errors `app.bsky.actor.getProfile` returns.

The account's PDS comes from its DID document. It is looked up again when the PDS fails or refuses the
repo (the account may have moved: the new one is used at once), and at least every PDS_RECHECK_HOURS.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial
from typing import Any, Awaitable, Callable, TypeVar
from urllib.parse import quote, unquote

import httpx

from bot.activity import Activity, checked, format_time, parse_time
from bot.feeds import Rejected
from bot.sources.base import Context, PollResult
from bot.sources.common import (
    reason_of,
    reject,
    Seen,
    clean_profile,
    dump_state,
    first_time,
    keep_validators,
    kept_validators,
    load_state,
    parse_or_reject,
    records_diff,
    remember_validators,
    safe_profile,
    snapshot_changes,
    utcnow,
    validators,
)
from bot.sources.http import BadPayload, FeedError, Fetcher, Validators, decode_json, validators_of

APPVIEW = "https://public.api.bsky.app"
PLC_DIRECTORY = "https://plc.directory"
# Repo collections we diff, because no feed shows them: new records are likes and follows, records
# that disappeared are un-likes and unfollows. Posts and reposts (and their deletion) come from the
# author feed, which carries the text and authors as well.
COLLECTIONS = ("app.bsky.feed.like", "app.bsky.graph.follow")
# getProfile errors -> availability (JBGruber/atrrr#39, blacksky.community#96/#100, atproto#532).
ACCOUNT_ERRORS = {
    "AccountTakedown": "suspended",
    "RepoTakendown": "suspended",
    "AccountDeactivated": "deactivated",
    "RepoDeactivated": "deactivated",
    "RepoNotFound": "deleted",
    "AccountNotFound": "deleted",
}
SELF_LABEL_SENSITIVE = {"porn", "sexual", "nudity", "graphic-media"}
PDS_RECHECK_HOURS = 6  # a DID document that changed (the account moved) is noticed within this
LOOKUP_CACHE = 32  # hydration answers kept for a conditional repeat of the same lookup
T = TypeVar("T")
MENTION = re.compile(r"(?<![\w@])@([a-zA-Z0-9][a-zA-Z0-9.-]*\.[a-zA-Z]{2,})")


class BlueskySource:
    platform = "bluesky"

    def __init__(
        self,
        handle: str,
        fetcher: Fetcher,
        *,
        appview: str = APPVIEW,
        plc: str = PLC_DIRECTORY,
        feed_limit: int = 50,
        records_limit: int = 100,
        backfill_pages: int = 10,
    ):
        self.handle = handle.lstrip("@")
        self.fetcher = fetcher
        self.appview = appview.rstrip("/")
        self.plc = plc.rstrip("/")
        self.feed_limit = feed_limit
        self.records_limit = records_limit
        # The first poll reads this many pages back, so the baseline has more than one page of history.
        self.backfill_pages = backfill_pages
        self.etag: str | None = None
        self.last_modified: str | None = None
        # getPosts / getProfiles answers by request, oldest first (see `_lookup`)
        self._lookups: dict[str, tuple[Validators, Any]] = {}

    async def aclose(self) -> None:
        await self.fetcher.release()

    async def poll(self, cursor: str | None) -> PollResult:
        state = load_state(cursor, f"bluesky/{self.handle}")
        backfill = "status" not in state
        now = utcnow()
        activities: list[Activity] = []
        rejects: list[Rejected] = []
        context: list[Context] = []

        found = await self._profile(state.get("did") or self.handle, state)
        if found is None:  # 304: the profile is as the last committed poll saw it (active, same DID)
            did = state["did"]
        else:
            profile_payload, status = found
            if status != "active":
                activities += snapshot_changes(self.platform, self.handle, state, None, status, now, profile_payload)
                return PollResult(activities, dump_state(state), rejects, backfill)
            did = profile_payload.get("did")
            if not isinstance(did, str) or not did.startswith("did:"):
                raise BadPayload(f"getProfile: no DID in the profile of {self.handle}")
            state["did"] = did
            profile = safe_profile(profile_of, profile_payload, f"bluesky/{self.handle} getProfile", rejects)
            activities += snapshot_changes(self.platform, self.handle, state, profile, "active", now, profile_payload)
        if "pds" not in state or self._pds_stale(state, now):
            state["pds"], state["pds_at"] = await self._resolve_pds(did, state), format_time(now)

        seen = Seen(state.get("seen"))
        # Page back until a page holds something already seen (one page, usually): a burst of
        # activity between two polls is read whole. The backfill reads back as far as allowed.
        items, more = await self._author_feed(state, did, self.backfill_pages, seen.ids)
        if items is not None:  # None: 304, the feed did not change
            page: dict[str, list[str]] = {}
            for item in reversed(items):  # oldest first, so activities come out in time order
                activity = parse_or_reject(
                    lambda i: feed_item_to_activity(i, self.handle),
                    item,
                    f"bluesky/{self.handle} getAuthorFeed",
                    rejects,
                )
                if activity is None:
                    continue
                page[_feed_key(activity, item)] = [activity.id, activity.target_account or ""]
                if seen.add(activity.id):
                    activities.append(activity)
            old_feed = (state.get("feed") or {}).get("items", {})
            _, removed, state["feed"] = records_diff(state.get("feed"), page, more)
            vanished: list[list[str]] = []
            for key in removed:  # left the feed: deleted only if its record left the repo too
                gone = await self._on_pds(state, did, now, partial(self._record_gone, state, did, old_feed[key][0]))
                if gone:
                    activities.append(self._deleted(old_feed[key], now))
                elif "/app.bsky.feed.repost/" in old_feed[key][0]:
                    vanished.append(old_feed[key])  # its subject vanished; the repost is still there
            context = await self._vanished_subjects(vanished, now)
        state["seen"] = seen.dump()

        records = state.setdefault("records", {})
        for collection in COLLECTIONS:
            known = set((records.get(collection) or {}).get("items", {}))
            listed, more = await self._on_pds(
                state, did, now, partial(self._list_records, state, did, collection, self.backfill_pages, known)
            )
            if listed is None:  # 304: nothing changed in this collection
                continue
            current: dict[str, Any] = {}
            for record in listed:
                try:
                    current[_rkey(record["uri"])] = _subject(collection, record)
                except Exception as exc:  # any odd shape: kept aside, the other records go on
                    rejects.append(reject(f"bluesky/{self.handle} listRecords {collection}", reason_of(exc), record))
            old_items = (records.get(collection) or {}).get("items", {})
            for rkey in current.keys() & old_items.keys():
                current[rkey] = old_items[rkey]  # keeps the handle learned when the record was new
            added, removed, records[collection] = records_diff(records.get(collection), current, more)
            by_rkey = {
                r["uri"].rsplit("/", 1)[-1]: r for r in listed if isinstance(r, dict) and isinstance(r.get("uri"), str)
            }
            activities += await self._record_activities(
                collection, did, added, removed, by_rkey, current=current, old=old_items, now=now, rejects=rejects
            )
        return PollResult(activities, dump_state(state), rejects, backfill, context)

    async def _vanished_subjects(self, reposts: list[list[str]], now) -> list[Context]:
        """A note for each repost (known as [its uri, the reposted account]) whose subject left the feed
        while the repost record stayed: why it is gone, from the reposted account's profile (one
        getProfile per account; an account that is still active deleted its post)."""
        why: dict[str, str] = {}
        out: list[Context] = []
        for uri, about in reposts:
            if about and about not in why:
                why[about] = await self._why_gone(about)
            reason = why.get(about, "its author deleted it or was deactivated")
            out.append(
                Context(
                    platform=self.platform,
                    account=self.handle,
                    activity_id=uri,
                    at=now,
                    target_account=about or None,
                    note=f"the reposted post by @{about or 'an unknown account'} is gone: {reason}; "
                    "the watched account did not delete its repost",
                )
            )
        return out

    async def _why_gone(self, actor: str) -> str:
        try:
            response = await self.fetcher.get(
                f"{self.appview}/xrpc/app.bsky.actor.getProfile",
                params={"actor": actor},
                where="getProfile (reposted account)",
            )
            body = decode_json(response, "getProfile (reposted account)")
        except FeedError:
            return "its author deleted it or was deactivated"
        if response.status_code == 200:
            return "its author deleted it, or it was taken down (the author's account is still active)"
        status = account_status_from_error(response.status_code, body)
        if status:
            return f"its author's account is {status}"
        return "its author deleted it or was deactivated"

    async def _profile(self, actor: str, state: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """The profile and the account's availability; None when the AppView answers 304 to the
        validators of the last committed poll's answer (asked only of an active account with a DID)."""
        url = f"{self.appview}/xrpc/app.bsky.actor.getProfile"
        key = f"{url}?actor={actor}"
        asked = (
            kept_validators(state, "profile_http", key)
            if state.get("status") == "active" and state.get("did")
            else None
        )
        response = await self.fetcher.get(url, params={"actor": actor}, where="getProfile", validators=asked)
        if response.status_code == 304 and asked is not None:
            return None
        state.pop("profile_http", None)
        body = decode_json(response, "getProfile")
        if response.status_code == 200 and isinstance(body, dict):
            keep_validators(state, "profile_http", key, response)
            return body, "active"
        status = account_status_from_error(response.status_code, body)
        if status:
            return body if isinstance(body, dict) else {}, status
        raise FeedError(f"getProfile: unexpected {response.status_code}: {_error_text(body)}")

    @staticmethod
    def _pds_stale(state: dict[str, Any], now) -> bool:
        try:
            return now - parse_time(state.get("pds_at") or "") > timedelta(hours=PDS_RECHECK_HOURS)
        except ValueError:
            return True

    async def _on_pds(self, state: dict[str, Any], did: str, now, call: Callable[[], Awaitable[T]]) -> T:
        """A call to the account's PDS; when the PDS fails or no longer has the repo, the DID document is
        read again, and a PDS it now names (the account moved) gets the call instead."""
        try:
            return await call()
        except FeedError:
            moved = await self._resolve_pds(did, state)
            state["pds_at"] = format_time(now)
            if moved == state["pds"]:
                raise
            state["pds"] = moved
            return await call()

    async def _record_gone(self, state: dict[str, Any], did: str, uri: str) -> bool:
        """Whether the account's own repo no longer holds the record `uri` (its post or repost)."""
        repo, _, path = uri.removeprefix("at://").partition("/")
        collection, _, rkey = path.partition("/")
        if repo != did or not collection or not rkey:
            return True  # not a record of this repo (an id we cannot look up): the feed's word stands
        url = f"{state['pds'].rstrip('/')}/xrpc/com.atproto.repo.getRecord"
        where = f"getRecord {collection}"
        response = await self.fetcher.get(
            url, params={"repo": did, "collection": collection, "rkey": rkey}, where=where
        )
        body = decode_json(response, where)
        if response.status_code == 200:
            return False
        if response.status_code in (400, 404) and isinstance(body, dict) and body.get("error") == "RecordNotFound":
            return True
        raise FeedError(f"{where}: HTTP {response.status_code}: {_error_text(body)}")

    async def _resolve_pds(self, did: str, state: dict[str, Any]) -> str:
        """The PDS the DID document names. Asked conditionally when a PDS is known already: a 304 says
        the document, and so the PDS, did not change."""
        if did.startswith("did:web:"):
            host = unquote(did[len("did:web:") :].split(":", 1)[0])
            scheme = "http" if host.startswith(("127.", "localhost")) else "https"
            url = f"{scheme}://{host}/.well-known/did.json"
        else:
            url = f"{self.plc}/{quote(did, safe=':')}"
        asked = kept_validators(state, "did_http", url) if state.get("pds") else None
        response = await self.fetcher.get(url, where="DID document", validators=asked)
        if response.status_code == 304 and asked is not None:
            return state["pds"]
        if response.status_code != 200:
            raise FeedError(f"DID document for {did}: HTTP {response.status_code}")
        pds = pds_endpoint(decode_json(response, "DID document"), did)
        keep_validators(state, "did_http", url, response)
        return pds

    async def _author_feed(
        self, state: dict[str, Any], did: str, pages: int, known: set[str]
    ) -> tuple[list[dict[str, Any]] | None, bool]:
        """(feed items newest first, whether older items exist beyond them); None when unchanged (304).
        Reads back (the cursor pages backwards) until a page holds a known item, at most `pages` pages."""
        url = f"{self.appview}/xrpc/app.bsky.feed.getAuthorFeed"
        limit = self.feed_limit if known else 100
        params: dict[str, Any] = {"actor": did, "limit": limit, "filter": "posts_with_replies"}
        items: list[dict[str, Any]] = []
        for number in range(pages):
            response = await self.fetcher.get(
                url, params=params, where="getAuthorFeed", validators=validators(state, url) if number == 0 else None
            )
            if response.status_code == 304:
                return None, False
            body = decode_json(response, "getAuthorFeed")
            if response.status_code != 200:
                raise FeedError(f"getAuthorFeed: HTTP {response.status_code}: {_error_text(body)}")
            if number == 0:
                found = validators_of(response)
                remember_validators(state, url, found)
                self.etag, self.last_modified = found.etag, found.last_modified
            feed = body.get("feed") if isinstance(body, dict) else None
            if not isinstance(feed, list):
                raise BadPayload("getAuthorFeed: response has no 'feed' list")
            items += feed
            more = isinstance(body.get("cursor"), str) and bool(body["cursor"]) and len(feed) >= limit
            if not more:
                return items, False
            if any(_item_id(item) in known for item in feed):
                return items, True
            params["cursor"] = body["cursor"]
        return items, True

    async def _list_records(
        self, state: dict[str, Any], did: str, collection: str, pages: int, known: set[str]
    ) -> tuple[list[dict[str, Any]] | None, bool]:
        """(records newest first, whether older records exist beyond them); None when unchanged (304).
        Reads back until a page holds a known record key, at most `pages` pages."""
        url = f"{state['pds'].rstrip('/')}/xrpc/com.atproto.repo.listRecords"
        key = f"{url}?{collection}"
        params: dict[str, Any] = {"repo": did, "collection": collection, "limit": self.records_limit}
        records: list[dict[str, Any]] = []
        where = f"listRecords {collection}"
        for number in range(pages):
            response = await self.fetcher.get(
                url, params=params, where=where, validators=validators(state, key) if number == 0 else None
            )
            if response.status_code == 304:
                return None, False
            body = decode_json(response, where)
            if response.status_code != 200:
                raise FeedError(f"{where}: HTTP {response.status_code}: {_error_text(body)}")
            if number == 0:
                remember_validators(state, key, validators_of(response))
            page = body.get("records") if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise BadPayload(f"{where}: response has no 'records' list")
            records += page
            if not (isinstance(body.get("cursor"), str) and body["cursor"] and len(page) >= self.records_limit):
                return records, False
            if any(isinstance(r, dict) and str(r.get("uri", "")).rsplit("/", 1)[-1] in known for r in page):
                return records, True
            params["cursor"] = body["cursor"]
        return records, True

    async def _record_activities(
        self,
        collection: str,
        did: str,
        added: list[str],
        removed: list[str],
        by_rkey: dict[str, dict],
        current: dict[str, Any],
        old: dict[str, Any],
        now,
        rejects: list[Rejected],
    ) -> list[Activity]:
        out: list[Activity] = []
        base = f"at://{did}/{collection}/"
        if collection == "app.bsky.feed.like" and added:
            posts = await self._hydrate([current[k][0] for k in added])
        else:
            posts = {}
        if collection == "app.bsky.graph.follow" and added:
            handles = await self._handles([current[k][0] for k in added])
        else:
            handles = {}
        for rkey in added:
            record = by_rkey.get(rkey, {})
            try:
                if collection == "app.bsky.feed.like":
                    activity = like_to_activity(record, self.handle, posts.get(current[rkey][0]))
                elif collection == "app.bsky.graph.follow":
                    activity = follow_to_activity(record, self.handle, handles.get(current[rkey][0]))
                else:
                    continue
                activity = checked(activity)
                out.append(activity)
                # Remember who it was about: an un-like or unfollow later only has the record key.
                current[rkey] = [current[rkey][0], activity.target_account or ""]
            except Exception as exc:  # ActivityError, or a shape nobody foresaw
                rejects.append(reject(f"bluesky/{self.handle} listRecords {collection}", reason_of(exc), record))
        for rkey in removed:
            subject = old.get(rkey) or ["", ""]
            uri = base + rkey
            if collection == "app.bsky.feed.like":
                out.append(
                    Activity(
                        id=uri + "#unlike",
                        platform=self.platform,
                        account=self.handle,
                        kind="unlike",
                        at=now,
                        target=_target_from_uri(subject[0], subject[1]),
                        raw={"removed": uri},
                    )
                )
            elif collection == "app.bsky.graph.follow":
                out.append(
                    Activity(
                        id=uri + "#unfollow",
                        platform=self.platform,
                        account=self.handle,
                        kind="unfollow",
                        at=now,
                        target={"account": subject[1] or subject[0]},
                        raw={"removed": uri, "subject": subject[0]},
                    )
                )
        return out

    def _deleted(self, known: list[str], now) -> Activity:
        """A post or repost that left the author feed inside the window we hold: it was deleted
        (for a repost: un-reposted). `known` is [its uri, the account it was about]."""
        uri, about = known
        target = {"id": uri}
        if about:
            target["account"] = about
        return Activity(
            id=uri + "#delete",
            platform=self.platform,
            account=self.handle,
            kind="delete",
            at=now,
            target=target,
            raw={"removed": uri},
        )

    async def _hydrate(self, uris: list[str]) -> dict[str, dict[str, Any]]:
        """The liked posts' authors and text (`getPosts`, 25 at a time); a missing one is deleted or hidden."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(uris), 25):
            chunk = uris[start : start + 25]
            body = await self._lookup(
                f"{self.appview}/xrpc/app.bsky.feed.getPosts",
                httpx.QueryParams([("uris", u) for u in chunk]),
                "getPosts",
            )
            # None: the like is still reported, with what the record alone says
            for post in body.get("posts", []) if isinstance(body, dict) else []:
                if isinstance(post, dict) and isinstance(post.get("uri"), str):
                    out[post["uri"]] = post
        return out

    async def _handles(self, dids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(dids), 25):
            chunk = dids[start : start + 25]
            body = await self._lookup(
                f"{self.appview}/xrpc/app.bsky.actor.getProfiles",
                httpx.QueryParams([("actors", d) for d in chunk]),
                "getProfiles",
            )
            for profile in body.get("profiles", []) if isinstance(body, dict) else []:
                if (
                    isinstance(profile, dict)
                    and isinstance(profile.get("did"), str)
                    and isinstance(profile.get("handle"), str)
                    and profile["handle"]
                ):
                    out[profile["did"]] = profile["handle"]
        return out

    async def _lookup(self, url: str, params: httpx.QueryParams, where: str) -> Any:
        """A hydration lookup's JSON body, or None when it failed. Asked conditionally when the same
        lookup was answered before (a poll repeated after a rollback, the stream hydrating what a poll
        did): a 304 reuses that answer. The answers are a cache of what the AppView said, not cursor
        state, so they live in memory, the last LOOKUP_CACHE of them."""
        key = f"{url}?{params}"
        cached = self._lookups.pop(key, None)
        response = await self.fetcher.get(url, params=params, where=where, validators=cached[0] if cached else None)
        if response.status_code == 304 and cached is not None:
            self._lookups[key] = cached
            return cached[1]
        if response.status_code != 200:
            return None
        body = decode_json(response, where)
        found = validators_of(response)
        if found.etag or found.last_modified:
            self._lookups[key] = (found, body)
            while len(self._lookups) > LOOKUP_CACHE:
                self._lookups.pop(next(iter(self._lookups)))
        return body


def _item_id(item: Any) -> str | None:
    """The id a feed item's activity gets: the repost record's URI for a repost, else the post's."""
    if not isinstance(item, dict):
        return None
    reason = item.get("reason")
    if (
        isinstance(reason, dict)
        and str(reason.get("$type", "")).endswith("reasonRepost")
        and isinstance(reason.get("uri"), str)
    ):
        return reason["uri"]
    post = item.get("post")
    uri = post.get("uri") if isinstance(post, dict) else None
    return uri if isinstance(uri, str) else None


def _feed_key(activity: Activity, item: dict[str, Any]) -> str:
    """The author feed's order: when the item entered the feed (repost time for reposts), then its id."""
    given = item.get("reason")
    reason: dict[str, Any] = given if isinstance(given, dict) else {}
    when = reason.get("indexedAt") or item["post"].get("indexedAt")
    return f"{when if isinstance(when, str) else activity.at_iso}|{activity.id}"


def account_status_from_error(status_code: int, body: Any) -> str | None:
    if not isinstance(body, dict) or status_code not in (400, 404):
        return None
    error = body.get("error")
    if error in ACCOUNT_ERRORS:
        return ACCOUNT_ERRORS[error]
    message = str(body.get("message", "")).lower()
    if error == "InvalidRequest" and ("not found" in message or "could not find" in message):
        return "deleted"
    return None


def pds_endpoint(document: Any, did: str) -> str:
    if isinstance(document, dict):
        for service in document.get("service") or []:
            if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
                endpoint = service.get("serviceEndpoint")
                if isinstance(endpoint, str) and endpoint.startswith(("http://", "https://")):
                    return endpoint.rstrip("/")
    raise BadPayload(f"DID document for {did} names no #atproto_pds service")


def profile_of(payload: dict[str, Any]) -> dict[str, Any]:
    labels = [label.get("val") for label in payload.get("labels") or [] if isinstance(label, dict)]
    verified = (payload.get("verification") or {}).get("verifiedStatus")
    if verified and verified != "none":
        labels.append(f"verified:{verified}")
    return clean_profile(
        {
            "name": payload.get("displayName"),
            "bio": payload.get("description"),
            "avatar": payload.get("avatar"),
            "url": payload.get("website"),
            "labels": [label for label in labels if label],
        }
    )


def web_url(uri: str, handle: str | None) -> str | None:
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and parts[1] == "app.bsky.feed.post":
        return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"
    return None


def feed_item_to_activity(item: dict[str, Any], account: str) -> Activity:
    """One `feedViewPost` -> post, reply, quote or repost."""
    post = item["post"]
    record = post.get("record") or {}
    author = post.get("author") or {}
    reason = item.get("reason") or {}
    if str(reason.get("$type", "")).endswith("reasonRepost"):
        uri = reason.get("uri") or f"{post['uri']}#repost-by-{account}"
        return Activity(
            id=uri,
            platform="bluesky",
            account=account,
            kind="repost",
            at=first_time((reason.get("indexedAt"), "reason.indexedAt"), (post.get("indexedAt"), "post.indexedAt")),
            url=web_url(post["uri"], author.get("handle")),
            target=_clean(
                {
                    "id": post["uri"],
                    "account": author.get("handle") or author.get("did"),
                    "text": record.get("text"),
                    "url": web_url(post["uri"], author.get("handle")),
                    "labels": _labels(post, record) or None,
                    "lang": _lang(record),
                }
            ),
            raw=item,
        )
    kind, target = "post", None
    if record.get("reply"):
        kind = "reply"
        parent = (item.get("reply") or {}).get("parent") or {}
        parent_uri = parent.get("uri") or record["reply"].get("parent", {}).get("uri")
        parent_author = (parent.get("author") or {}).get("handle") or _did_of(parent_uri)
        target = _clean(
            {
                "id": parent_uri,
                "account": parent_author,
                "text": (parent.get("record") or {}).get("text"),
                "url": web_url(parent_uri, parent_author) if parent_uri else None,
            }
        )
    quoted = _quoted(post.get("embed"))
    if quoted is not None and kind == "post":
        kind = "quote"
        q_author = (quoted.get("author") or {}).get("handle") or _did_of(quoted.get("uri"))
        target = _clean(
            {
                "id": quoted.get("uri"),
                "account": q_author,
                "text": (quoted.get("value") or {}).get("text"),
                "url": web_url(quoted.get("uri", ""), q_author),
            }
        )
    text = record.get("text")
    return Activity(
        id=post["uri"],
        platform="bluesky",
        account=account,
        kind=kind,
        at=first_time((record.get("createdAt"), "record.createdAt"), (post.get("indexedAt"), "post.indexedAt")),
        text=text if isinstance(text, str) else None,
        lang=_lang(record),
        url=web_url(post["uri"], author.get("handle") or account),
        links=_links(record, post.get("embed")),
        mentions=MENTION.findall(text or ""),
        hashtags=_tags(record),
        labels=_labels(post, record),
        media=_media(post.get("embed")),
        target=target,
        raw=item,
    )


def like_to_activity(record: dict[str, Any], account: str, post: dict[str, Any] | None) -> Activity:
    value = record["value"]
    subject = value["subject"]["uri"]
    author = (post or {}).get("author") or {}
    handle = author.get("handle") or _did_of(subject)
    post_record = (post or {}).get("record") or {}
    return Activity(
        id=record["uri"],
        platform="bluesky",
        account=account,
        kind="like",
        at=first_time((value.get("createdAt"), "value.createdAt")),
        target=_clean(
            {
                "id": subject,
                "account": handle,
                "text": post_record.get("text"),
                "url": web_url(subject, handle),
                "labels": _labels(post or {}, post_record) or None,
                "lang": _lang(post_record),
            }
        ),
        raw={"record": record, "post": post},
    )


def follow_to_activity(record: dict[str, Any], account: str, handle: str | None) -> Activity:
    value = record["value"]
    return Activity(
        id=record["uri"],
        platform="bluesky",
        account=account,
        kind="follow",
        at=first_time((value.get("createdAt"), "value.createdAt")),
        target={"account": handle or value["subject"], "id": value["subject"]},
        raw=record,
    )


def _rkey(uri: str) -> str:
    rkey = uri.rsplit("/", 1)[-1]
    if not rkey:
        raise ValueError(f"record uri {uri!r} has no record key")
    return rkey


def _subject(collection: str, record: dict[str, Any]) -> list[str]:
    """What a removed record must still tell us: [subject uri or DID, subject handle if known]."""
    value = record.get("value") or {}
    subject = value.get("subject")
    if isinstance(subject, dict):
        return [str(subject.get("uri", "")), _did_of(subject.get("uri")) or ""]
    if isinstance(subject, str):
        return [subject, ""]
    return ["", ""]


def _did_of(uri: Any) -> str | None:
    if isinstance(uri, str) and uri.startswith("at://"):
        return uri[5:].split("/", 1)[0]
    return None


def _target_from_uri(uri: str, account: str) -> dict[str, Any]:
    return _clean(
        {"id": uri or None, "account": account or _did_of(uri), "url": web_url(uri, account) if uri else None}
    )


def _clean(target: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in target.items() if v is not None}


def _lang(record: dict[str, Any]) -> str | None:
    langs = record.get("langs")
    return langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) else None


def _labels(post: dict[str, Any], record: dict[str, Any]) -> list[str]:
    found = [label.get("val") for label in post.get("labels") or [] if isinstance(label, dict)]
    self_labels = record.get("labels") or {}
    if isinstance(self_labels, dict):
        found += [v.get("val") for v in self_labels.get("values") or [] if isinstance(v, dict)]
    out = sorted({str(v).lower() for v in found if v})
    if SELF_LABEL_SENSITIVE & set(out):
        out.append("sensitive")
    return out


def _links(record: dict[str, Any], embed: Any) -> list[str]:
    links = []
    for facet in record.get("facets") or []:
        for feature in (facet or {}).get("features") or []:
            if str(feature.get("$type", "")).endswith("#link") and feature.get("uri"):
                links.append(feature["uri"])
    external = (embed or {}).get("external") if isinstance(embed, dict) else None
    if isinstance(external, dict) and external.get("uri") and external["uri"] not in links:
        links.append(external["uri"])
    return links


def _tags(record: dict[str, Any]) -> list[str]:
    tags = []
    for facet in record.get("facets") or []:
        for feature in (facet or {}).get("features") or []:
            if str(feature.get("$type", "")).endswith("#tag") and feature.get("tag"):
                tags.append(feature["tag"])
    return tags


def _media(embed: Any) -> list[dict[str, str]]:
    if not isinstance(embed, dict):
        return []
    if "media" in embed:  # recordWithMedia
        return _media(embed["media"])
    out = []
    for image in embed.get("images") or []:
        url = image.get("fullsize") or image.get("thumb")
        if url:
            out.append({"type": "image", "url": url})
    if str(embed.get("$type", "")).startswith("app.bsky.embed.video") and embed.get("playlist"):
        out.append({"type": "video", "url": embed["playlist"]})
    return out


def _quoted(embed: Any) -> dict[str, Any] | None:
    if not isinstance(embed, dict):
        return None
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        inner = (embed.get("record") or {}).get("record")
        return inner if isinstance(inner, dict) else None
    if kind.startswith("app.bsky.embed.record"):
        inner = embed.get("record")
        if isinstance(inner, dict) and str(inner.get("$type", "")).endswith("#viewRecord"):
            return inner
        if isinstance(inner, dict) and "uri" in inner and "value" in inner:
            return inner
    return None


def _error_text(body: Any) -> str:
    if isinstance(body, dict):
        return f"{body.get('error', '')} {body.get('message', '')}".strip()
    return str(body)[:100]
