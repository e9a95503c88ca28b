"""X API v2 with an app-only bearer token: user lookup (profile, protected) and the user's timeline
with referenced posts (retweets, quotes, replies), polled with `since_id`.

X does not show another account's likes (private since June 2024) and no longer sends the `source`
(client) field. The API is mid-rename, so both the older and the newer field names are read:
`referenced_tweets`/`referenced_posts`, `edit_history_tweet_ids`/`edit_history_post_ids`,
`includes.tweets`/`includes.posts`, `most_recent_tweet_id`/`most_recent_post_id`.

Deletions: a bounded re-check of recent ids (`GET /2/tweets?ids=`, the newest `RECHECK_LIMIT` posts of the
last `RECHECK_HOURS`, at most once every `recheck_seconds`). An id answered with a resource-not-found
problem was deleted (a retweet: un-retweeted); one the account's protection hides is not. Re-reading the
same post within a UTC day is not billed again, so the re-check costs little after its first daily read.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from bot.activity import Activity, ActivityError
from bot.feeds import Rejected
from bot.sources.base import PollResult
from bot.sources.common import (
    Seen,
    clean_profile,
    dump_state,
    first_time,
    id_order,
    item_id,
    keep_validators,
    kept_validators,
    load_state,
    parse_or_reject,
    remember_validators,
    safe_profile,
    snapshot_changes,
    time_or_none,
    utcnow,
    validators,
)
from bot.sources.http import BadPayload, ConfigError, FeedError, Fetcher, decode_json, validators_of

log = logging.getLogger(__name__)

API = "https://api.x.com"
USER_FIELDS = (
    "created_at,description,location,name,username,profile_image_url,protected,url,verified,"
    "verified_type,withheld,public_metrics"
)
TWEET_FIELDS = (
    "created_at,lang,entities,referenced_tweets,possibly_sensitive,in_reply_to_user_id,author_id,"
    "edit_history_tweet_ids,withheld,note_tweet,attachments"
)
EXPANSIONS = "referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id"
REFERENCE_KINDS = {"retweeted": "repost", "quoted": "quote", "replied_to": "reply"}
RECHECK_SECONDS = 300.0
RECHECK_LIMIT = 20
RECHECK_HOURS = 72


class XSource:
    platform = "x"

    def __init__(
        self,
        handle: str,
        fetcher: Fetcher,
        *,
        bearer_token: str | None,
        base_url: str = API,
        max_results: int = 100,
        max_pages: int = 32,
        recheck_seconds: float = RECHECK_SECONDS,
    ):
        self.check_token(bearer_token)
        self.handle = handle.lstrip("@")
        self.fetcher = fetcher
        self.base_url = base_url.rstrip("/")
        self._auth = {"Authorization": f"Bearer {bearer_token}"}
        self.max_results = max_results
        self.max_pages = max_pages
        self.recheck_seconds = recheck_seconds
        self.etag: str | None = None
        self.last_modified: str | None = None

    @staticmethod
    def check_token(bearer_token: str | None) -> None:
        if not bearer_token:
            raise ConfigError("the X source needs an API bearer token (set DIPLOWATCH_X_BEARER_TOKEN)")

    async def aclose(self) -> None:
        await self.fetcher.release()

    def __repr__(self) -> str:  # never show the token
        return f"XSource({self.handle!r}, base_url={self.base_url!r})"

    async def poll(self, cursor: str | None) -> PollResult:
        state = load_state(cursor, f"x/{self.handle}")
        backfill = "status" not in state
        now = utcnow()
        rejects: list[Rejected] = []
        found = await self._user(state)
        activities: list[Activity] = []
        if found is not None:  # None: 304, the user is as the last committed poll saw it (active)
            user, status = found
            where = f"x/{self.handle}"
            profile = safe_profile(profile_of, user, f"{where} users/by/username", rejects) if user else None
            activities += snapshot_changes(self.platform, self.handle, state, profile, status, now, user)
            if status != "active" or user is None:
                return PollResult(activities, dump_state(state), rejects, backfill)
            state["id"] = str(user["id"])
        seen = Seen(state.get("seen"))
        recent = state.setdefault("recent", {})
        tweets, includes = await self._timeline(state)
        for tweet in sorted(tweets, key=lambda t: id_order(item_id(t))):
            activity = parse_or_reject(
                lambda t: tweet_to_activity(t, self.handle, includes), tweet, f"x/{self.handle} timeline", rejects
            )
            if activity is not None and seen.add(activity.id):
                activities.append(activity)
                recent[activity.id] = [activity.at_iso, activity.target_account if activity.kind == "repost" else None]
        state["seen"] = seen.dump()
        if backfill:
            state["checked_at"] = now.isoformat()
        else:
            activities += await self._recheck(state, now)
        state["recent"] = dict(sorted(recent.items(), key=lambda kv: id_order(kv[0]))[-RECHECK_LIMIT:])
        return PollResult(activities, dump_state(state), rejects, backfill)

    async def _recheck(self, state: dict[str, Any], now) -> list[Activity]:
        """Deletions among the recent posts (see the module docstring); a failed re-check reports nothing
        and is tried again at the next poll."""
        recent: dict[str, list] = state.get("recent", {})
        last = time_or_none(state.get("checked_at"), "checked_at")
        if not recent or (last is not None and (now - last).total_seconds() < self.recheck_seconds):
            return []
        horizon = now - timedelta(hours=RECHECK_HOURS)
        ids = [i for i, (at, _) in recent.items() if (time_or_none(at, "at") or now) >= horizon]
        if not ids:
            state["checked_at"] = now.isoformat()
            return []
        try:
            response = await self.fetcher.get(
                f"{self.base_url}/2/tweets",
                headers=self._auth,
                params={"ids": ",".join(sorted(ids, key=id_order)[-100:]), "tweet.fields": "created_at"},
                where="re-check tweets",
            )
        except FeedError as exc:
            log.info("x/%s: re-check of recent posts failed (%s); trying again next poll", self.handle, exc.reason)
            return []
        body = decode_json(response, "re-check tweets") if response.status_code == 200 else None
        if not isinstance(body, dict):
            return []
        out = []
        errors = body.get("errors")
        for error in errors if isinstance(errors, list) else []:
            if not isinstance(error, dict) or not str(error.get("type", "")).endswith("resource-not-found"):
                continue  # hidden by protection or withheld: not a deletion
            ident = str(error.get("resource_id") or error.get("value") or "")
            if ident not in recent:
                continue
            at, about = recent.pop(ident)
            target = {"id": ident, **({"account": about} if about else {})}
            out.append(
                Activity(
                    id=f"{ident}#delete",
                    platform=self.platform,
                    account=self.handle,
                    kind="delete",
                    at=now,
                    target=target,
                    raw={"removed": ident, "error": error},
                )
            )
        state["checked_at"] = now.isoformat()
        return out

    async def _user(self, state: dict[str, Any]) -> tuple[dict[str, Any] | None, str] | None:
        """The user and its availability; None when X answers 304 to the validators of the last
        committed poll's answer (asked only of an active account whose id is known)."""
        url = f"{self.base_url}/2/users/by/username/{self.handle}"
        asked = (
            kept_validators(state, "user_http", url) if state.get("status") == "active" and state.get("id") else None
        )
        response = await self.fetcher.get(
            url, params={"user.fields": USER_FIELDS}, headers=self._auth, where="users/by/username", validators=asked
        )
        if response.status_code == 304 and asked is not None:
            return None
        state.pop("user_http", None)
        if response.status_code in (401, 403) and not _is_problem(response):
            raise FeedError(f"users/by/username: X refused the bearer token (HTTP {response.status_code})")
        body = decode_json(response, "users/by/username")
        if not isinstance(body, dict):
            raise BadPayload("users/by/username: expected a JSON object")
        data = body.get("data")
        if isinstance(data, dict) and id_order(data.get("id")):
            if response.status_code == 200 and not data.get("protected"):
                keep_validators(state, "user_http", url, response)
            return data, "protected" if data.get("protected") else "active"
        status = status_from_errors(body.get("errors"))
        if status:
            return None, status
        raise FeedError(f"users/by/username: HTTP {response.status_code} without user data")

    async def _timeline(self, state: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, dict]]:
        url = f"{self.base_url}/2/users/{state['id']}/tweets"
        since = state.get("newest_id")
        params: dict[str, Any] = {
            "max_results": self.max_results,
            "tweet.fields": TWEET_FIELDS,
            "expansions": EXPANSIONS,
            "user.fields": "username,name,verified_type",
        }
        if since:
            params["since_id"] = since
        tweets: list[dict[str, Any]] = []
        includes: dict[str, dict] = {"tweets": {}, "users": {}}
        newest = since
        token = None
        for _ in range(self.max_pages):
            if token:
                params["pagination_token"] = token
            key = f"{url}?since_id={since}"
            response = await self.fetcher.get(
                url,
                params=params,
                headers=self._auth,
                validators=None if token else validators(state, key),
                where="users/:id/tweets",
            )
            if response.status_code == 304:
                break
            body = decode_json(response, "users/:id/tweets")
            if not isinstance(body, dict):
                raise BadPayload("users/:id/tweets: expected a JSON object")
            if response.status_code != 200 or ("data" not in body and body.get("errors")):
                status = status_from_errors(body.get("errors"))
                raise FeedError(f"users/:id/tweets: HTTP {response.status_code}" + (f" ({status})" if status else ""))
            if not token:
                found = validators_of(response)
                state.pop("http", None)
                remember_validators(state, key, found)
                self.etag, self.last_modified = found.etag, found.last_modified
            data = body.get("data") or []
            if not isinstance(data, list):
                raise BadPayload("users/:id/tweets: 'data' is not a list")
            tweets += data
            # Odd shapes in the side parts of a page are skipped; the posts themselves are judged one by one.
            given = body.get("includes")
            extra: dict[str, Any] = given if isinstance(given, dict) else {}
            for name, kind in (("tweets", "tweets"), ("posts", "tweets"), ("users", "users")):
                listed = extra.get(name)
                for item in listed if isinstance(listed, list) else []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]:
                        includes[kind][item["id"]] = item
            given = body.get("meta")
            meta: dict[str, Any] = given if isinstance(given, dict) else {}
            # The newest id moves since_id: only a real numeric id may, else the newest valid post's.
            page_newest = max([id_order(meta.get("newest_id"))] + [id_order(item_id(t)) for t in data])
            if page_newest and page_newest > id_order(newest):
                newest = str(page_newest)
            token = meta.get("next_token") if isinstance(meta.get("next_token"), str) else None
            # Backfill reads one page; later polls page back to the stored since_id (the timeline
            # holds at most 3,200 posts: 32 pages), so a burst between two polls leaves no gap.
            if not token or not since:
                break
        if newest:
            state["newest_id"] = newest
        return tweets, includes


def _is_problem(response) -> bool:
    return b'"errors"' in response.content[:2000]


def status_from_errors(errors: Any) -> str | None:
    """X problem details -> availability (suspended, protected, deleted)."""
    for error in errors if isinstance(errors, list) else []:
        if not isinstance(error, dict):
            continue
        kind = str(error.get("type", ""))
        detail = str(error.get("detail", "")).lower()
        if "suspended" in detail:
            return "suspended"
        if kind.endswith("not-authorized-for-resource") or "protected" in detail:
            return "protected"
        if kind.endswith("resource-not-found") or "could not find" in detail:
            return "deleted"
        if kind.endswith("resource-unavailable"):
            return "suspended"
    return None


def profile_of(user: dict[str, Any]) -> dict[str, Any]:
    labels = []
    if user.get("verified_type") and user["verified_type"] != "none":
        labels.append(f"verified_type:{user['verified_type']}")
    for country in (user.get("withheld") or {}).get("country_codes") or []:
        labels.append(f"withheld:{country}")
    return clean_profile(
        {
            "name": user.get("name"),
            "bio": user.get("description"),
            "avatar": user.get("profile_image_url"),
            "location": user.get("location"),
            "url": _expanded_profile_url(user),
            "labels": labels,
        }
    )


def _expanded_profile_url(user: dict[str, Any]) -> str | None:
    urls = (((user.get("entities") or {}).get("url") or {}).get("urls")) or []
    for item in urls:
        if isinstance(item, dict) and item.get("expanded_url"):
            return item["expanded_url"]
    return user.get("url")


def tweet_to_activity(tweet: dict[str, Any], account: str, includes: dict[str, dict]) -> Activity:
    ident = tweet["id"]
    if not id_order(ident) or not isinstance(ident, str):
        raise ActivityError("id", f"must be a post id of ASCII digits, got {str(ident)[:40]!r}")
    refs = tweet.get("referenced_tweets") or tweet.get("referenced_posts") or []
    kind, target = "post", None
    for ref in refs:
        ref_kind = REFERENCE_KINDS.get(ref.get("type"))
        if ref_kind is None:
            continue
        # A retweet wins over a quote, a quote over a reply.
        if kind == "post" or (ref_kind == "repost") or (ref_kind == "quote" and kind == "reply"):
            kind = ref_kind
            target = _target(str(ref.get("id")), includes, tweet)
    entities = tweet.get("entities") or {}
    text = ((tweet.get("note_tweet") or {}).get("text")) or tweet.get("text")
    labels = ["sensitive"] if tweet.get("possibly_sensitive") else []
    labels += [f"withheld:{c}" for c in (tweet.get("withheld") or {}).get("country_codes") or []]
    return Activity(
        id=ident,
        platform="x",
        account=account,
        kind=kind,
        at=first_time((tweet.get("created_at"), "created_at")),
        text=text,
        lang=_lang(tweet.get("lang")),
        client=tweet.get("source") or None,
        url=f"https://x.com/{account}/status/{ident}",
        links=[
            u.get("expanded_url") or u.get("url")
            for u in entities.get("urls") or []
            if u.get("expanded_url") or u.get("url")
        ],
        mentions=[m["username"] for m in entities.get("mentions") or [] if m.get("username")],
        hashtags=[h["tag"] for h in entities.get("hashtags") or [] if h.get("tag")],
        labels=labels,
        target=target,
        raw=tweet,
    )


def _target(ident: str, includes: dict[str, dict], tweet: dict[str, Any]) -> dict[str, Any]:
    ref = includes["tweets"].get(ident) or {}
    author_id = str(ref.get("author_id") or tweet.get("in_reply_to_user_id") or "")
    author = includes["users"].get(author_id, {}).get("username")
    target = {
        "id": ident,
        "account": author or (author_id or None),
        "text": ref.get("text"),
        "lang": _lang(ref.get("lang")),
        "url": f"https://x.com/{author}/status/{ident}" if author else f"https://x.com/i/status/{ident}",
    }
    return {k: v for k, v in target.items() if v is not None}


def _lang(value: Any) -> str | None:
    # X uses "und" (undetermined) and "qme"/"zxx" style codes for non-language content.
    if not isinstance(value, str) or value in ("und", "zxx") or value.startswith("q"):
        return None
    return value
