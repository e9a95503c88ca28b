"""Mastodon: account lookup, the account itself (profile, suspended, moved), and its public statuses
with boosts, polled with `min_id` so a page never skips a gap. Always the account's home instance:
a remote instance only has the posts it happened to see.

Mastodon does not expose the favourites (likes) of an account, nor follow times.

Edits and deletions: a bounded re-check of the recent statuses (at most one conditional request for the
newest page every `recheck_seconds`, plus a lookup of each status that left it, at most
`RECHECK_CONFIRM` a poll). A status whose `edited_at` moved becomes an edit activity with the old and the
new text; a status missing from the page inside the span of ids it shows, and answered 404 when looked
up, becomes a deletion (of a boost: an un-boost). The streaming API is not used: its user stream needs
the account's own token, and the public streams carry a whole instance rather than one account.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from bot.activity import Activity, ActivityError
from bot.feeds import Rejected
from bot.sources.base import PollResult
from bot.sources.common import (
    Seen,
    clean_profile,
    dump_state,
    edited_post,
    first_time,
    html_to_text,
    id_order,
    item_id,
    load_state,
    parse_or_reject,
    remember_validators,
    safe_profile,
    snapshot_changes,
    time_or_none,
    utcnow,
    validators,
)
from bot.sources.http import BadPayload, FeedError, Fetcher, Validators, decode_json, validators_of

log = logging.getLogger(__name__)

RECHECK_SECONDS = 300.0  # the newest page is looked at again at most this often, for edits and deletions
RECHECK_LIMIT = 40  # recent statuses remembered for it (one page)
RECHECK_CONFIRM = 10  # statuses that left the page looked up one by one, per poll
OLD_TEXT_LIMIT = 1000


def split_handle(handle: str) -> tuple[str, str | None]:
    """'embassy@mastodon.example' -> ('embassy', 'mastodon.example')."""
    user, _, instance = handle.lstrip("@").partition("@")
    return user, instance or None


class MastodonSource:
    platform = "mastodon"

    def __init__(
        self,
        handle: str,
        fetcher: Fetcher,
        *,
        base_url: str | None = None,
        page_limit: int = 40,
        max_pages: int = 5,
        recheck_seconds: float = RECHECK_SECONDS,
    ):
        self.handle = handle.lstrip("@")
        self.user, instance = split_handle(self.handle)
        if base_url is None:
            if instance is None:
                raise ValueError(f"mastodon handle {handle!r} needs its instance (user@instance) or a base URL")
            base_url = f"https://{instance}"
        self.base_url = base_url.rstrip("/")
        self.fetcher = fetcher
        self.page_limit = page_limit
        self.max_pages = max_pages
        self.recheck_seconds = recheck_seconds
        self.etag: str | None = None
        self.last_modified: str | None = None

    async def aclose(self) -> None:
        await self.fetcher.release()

    async def poll(self, cursor: str | None) -> PollResult:
        state = load_state(cursor, f"mastodon/{self.handle}")
        backfill = "status" not in state
        now = utcnow()
        activities: list[Activity] = []
        rejects: list[Rejected] = []
        if "id" not in state:
            state["id"] = await self._lookup()
        found = await self._account(state["id"], state)
        if found is None:  # 304: the account is as the last poll saw it; no profile or status change
            status = state.get("status", "active")
        else:
            account, status = found
            where = f"mastodon/{self.handle}"
            profile = (
                safe_profile(profile_of, account, f"{where} accounts/:id", rejects) if status == "active" else None
            )
            activities += snapshot_changes(self.platform, self.handle, state, profile, status, now, account)
        if status != "active":
            return PollResult(activities, dump_state(state), rejects, backfill)

        seen = Seen(state.get("seen"))
        recent = state.setdefault("recent", {})
        for item in await self._new_statuses(state):
            activity = parse_or_reject(
                lambda i: status_to_activity(i, self.handle), item, f"mastodon/{self.handle} statuses", rejects
            )
            if activity is not None and seen.add(activity.id):
                activities.append(activity)
                recent[activity.id] = _remembered(activity, item)
        state["seen"] = seen.dump()
        if backfill:
            state["checked_at"] = now.isoformat()
        else:
            activities += await self._recheck(state, now)
        state["recent"] = dict(sorted(recent.items(), key=lambda kv: id_order(kv[0]))[-RECHECK_LIMIT:])
        return PollResult(activities, dump_state(state), rejects, backfill)

    async def _recheck(self, state: dict[str, Any], now) -> list[Activity]:
        """Edits and deletions among the recent statuses (see the module docstring). A failed re-check
        reports nothing and is tried again at the next poll: only a 404 makes a deletion."""
        recent: dict[str, list] = state.get("recent", {})
        last = time_or_none(state.get("checked_at"), "checked_at")
        if not recent or (last is not None and (now - last).total_seconds() < self.recheck_seconds):
            return []
        url = f"{self.base_url}/api/v1/accounts/{state['id']}/statuses"
        key = f"{url}?recheck"
        try:
            response = await self.fetcher.get(
                url, params={"limit": self.page_limit}, validators=validators(state, key), where="re-check statuses"
            )
            if response.status_code == 304:
                state["checked_at"] = now.isoformat()
                return []
            body = decode_json(response, "re-check statuses")
            if response.status_code != 200 or not isinstance(body, list):
                return []
            page = {str(item_id(s)): s for s in body if isinstance(s, dict) and id_order(item_id(s))}
            out: list[Activity] = []
            for ident, status in page.items():
                known = recent.get(ident)
                edited = status.get("edited_at")
                if known is not None and isinstance(edited, str) and edited and edited != known[2]:
                    edit = self._edit(ident, status, known)
                    if edit is not None:
                        out.append(edit)
                        recent[ident] = [known[0], _old_text(edit.text), edited, known[3]]
            low = min((id_order(i) for i in page), default=None) if len(body) >= self.page_limit else 0
            gone = [i for i in recent if i not in page and low is not None and id_order(i) >= low]
            # Each one left unsettled (an error, an odd answer, more than RECHECK_CONFIRM) keeps the next
            # re-check from being answered "not modified", so it is looked up again then.
            unsettled = max(0, len(gone) - RECHECK_CONFIRM)
            for ident in sorted(gone, key=id_order)[-RECHECK_CONFIRM:]:
                try:
                    looked = await self.fetcher.get(f"{self.base_url}/api/v1/statuses/{ident}", where="statuses/:id")
                    still = looked.status_code == 200 and isinstance(decode_json(looked, "statuses/:id"), dict)
                except FeedError:
                    looked, still = None, False
                if looked is None or (looked.status_code not in (404, 410) and not still):
                    unsettled += 1
                elif looked.status_code in (404, 410):
                    known = recent.pop(ident)
                    target = {"id": ident, **({"account": known[3]} if known[3] else {})}
                    out.append(
                        Activity(
                            id=f"{ident}#delete",
                            platform=self.platform,
                            account=self.handle,
                            kind="delete",
                            at=now,
                            target=target,
                            raw={"removed": ident, "old_text": known[1] or None, "status": looked.status_code},
                        )
                    )
        except FeedError as exc:
            log.info(
                "mastodon/%s: re-check of recent statuses failed (%s); trying again next poll", self.handle, exc.reason
            )
            return []
        if unsettled:
            state.get("http", {}).pop(key, None)
        else:
            remember_validators(state, key, validators_of(response))
        state["checked_at"] = now.isoformat()
        return out

    def _edit(self, ident: str, status: dict[str, Any], known: list) -> Activity | None:
        """The edited status as its own activity (common.edited_post); None when it does not read."""
        try:
            new = status_to_activity(status, self.handle)
            at = first_time((status.get("edited_at"), "edited_at"))
        except (ActivityError, KeyError, TypeError, ValueError):
            return None
        return edited_post(
            platform=self.platform,
            account=self.handle,
            edited=ident,
            edit_id=f"{ident}#edit-{status['edited_at']}",
            at=at,
            old_text=known[1] or None,
            new_text=new.text,
            url=new.url,
            raw={"status": status},
            lang=new.lang,
            client=new.client,
            links=new.links,
            mentions=new.mentions,
            hashtags=new.hashtags,
            labels=new.labels,
            media=new.media,
        )

    async def _lookup(self) -> str:
        response = await self.fetcher.get(
            f"{self.base_url}/api/v1/accounts/lookup", params={"acct": self.user}, where="accounts/lookup"
        )
        body = decode_json(response, "accounts/lookup")
        if response.status_code == 404:
            raise FeedError(f"accounts/lookup: no account @{self.user} on {urlsplit(self.base_url).netloc}")
        if response.status_code != 200 or not isinstance(body, dict) or not id_order(body.get("id")):
            raise FeedError(f"accounts/lookup: HTTP {response.status_code}: {_error_text(body)}")
        return str(body["id"])

    async def _account(self, ident: str, state: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """The account and its availability; None when the server answers 304 Not Modified to the
        validators of the last answer (kept in the cursor, so they move only with a committed poll)."""
        known = state.get("account_http") or [None, None]
        asked = Validators(*known) if "status" in state else None
        response = await self.fetcher.get(
            f"{self.base_url}/api/v1/accounts/{ident}", where="accounts/:id", validators=asked
        )
        if response.status_code == 304 and asked is not None:
            return None
        state.pop("account_http", None)
        if response.status_code == 410:  # before 3.3.0 a suspended account was Gone
            return {}, "suspended"
        body = decode_json(response, "accounts/:id")
        if response.status_code == 404:
            return body if isinstance(body, dict) else {}, "deleted"
        if response.status_code != 200 or not isinstance(body, dict):
            raise FeedError(f"accounts/:id: HTTP {response.status_code}: {_error_text(body)}")
        fresh = validators_of(response)
        if fresh.etag or fresh.last_modified:
            state["account_http"] = [fresh.etag, fresh.last_modified]
        return body, "suspended" if body.get("suspended") else "active"

    async def _new_statuses(self, state: dict[str, Any]) -> list[dict[str, Any]]:
        """Statuses newer than the cursor, oldest first. `min_id` returns the page right after the
        cursor (unlike `since_id`, which returns the newest page and can leave a gap)."""
        url = f"{self.base_url}/api/v1/accounts/{state['id']}/statuses"
        collected: list[dict[str, Any]] = []
        last = state.get("last_id")
        for _ in range(self.max_pages):
            params: dict[str, Any] = {"limit": self.page_limit}
            if last:
                params["min_id"] = last
            key = f"{url}?min_id={last}"
            response = await self.fetcher.get(
                url, params=params, validators=validators(state, key), where="accounts/:id/statuses"
            )
            if response.status_code == 304:
                break
            body = decode_json(response, "accounts/:id/statuses")
            if response.status_code != 200:
                raise FeedError(f"accounts/:id/statuses: HTTP {response.status_code}: {_error_text(body)}")
            if not isinstance(body, list):
                raise BadPayload("accounts/:id/statuses: expected a JSON list of statuses")
            found = validators_of(response)
            self.etag, self.last_modified = found.etag, found.last_modified
            state.pop("http", None)  # only the validators of the current cursor position are useful
            remember_validators(state, key, found)
            ids = [n for n in (id_order(item_id(s)) for s in body) if n]
            collected += body
            if not ids:
                break
            last = str(max(ids))
            if not state.get("last_id") and "min_id" not in params:
                break  # backfill: the newest page is the baseline; older history is not fetched
            if len(body) < self.page_limit:
                break
        if last:
            state["last_id"] = last
        return sorted(collected, key=lambda s: id_order(item_id(s)))


def _old_text(text: str | None) -> str:
    return (text or "")[:OLD_TEXT_LIMIT]


def _remembered(activity: Activity, status: dict[str, Any]) -> list:
    """What a re-check needs of a status: [kind, its text (bounded), edited_at, whom a boost amplified]."""
    edited = status.get("edited_at") if isinstance(status.get("edited_at"), str) else None
    about = activity.target_account if activity.kind == "repost" else None
    return [activity.kind, _old_text(activity.text), edited, about]


def profile_of(account: dict[str, Any]) -> dict[str, Any]:
    note, _ = html_to_text(account.get("note"))
    labels = [name for name in ("bot", "locked", "limited", "memorial", "group") if account.get(name)]
    moved = account.get("moved")
    if isinstance(moved, dict) and moved.get("acct"):
        labels.append(f"moved:{moved['acct']}")
    fields = [f for f in account.get("fields") or [] if isinstance(f, dict)]
    url = next((html_to_text(f.get("value"))[0] for f in fields if f.get("verified_at")), None)
    return clean_profile(
        {
            "name": account.get("display_name"),
            "bio": note,
            "avatar": account.get("avatar"),
            "url": url,
            "labels": labels,
        }
    )


def status_to_activity(status: dict[str, Any], account: str) -> Activity:
    ident = status["id"]
    if not isinstance(ident, str) or not id_order(ident):
        raise ActivityError("id", f"must be a status id of ASCII digits, got {str(ident)[:40]!r}")
    at = first_time((status.get("created_at"), "created_at"))
    boosted = status.get("reblog")
    if isinstance(boosted, dict):
        text, _ = html_to_text(boosted.get("content"))
        return Activity(
            id=ident,
            platform="mastodon",
            account=account,
            kind="repost",
            at=at,
            url=status.get("url") or status.get("uri"),
            client=_client(status),
            target=_clean(
                {
                    "id": str(boosted.get("uri") or boosted.get("id")),
                    "account": (boosted.get("account") or {}).get("acct"),
                    "text": text or None,
                    "url": boosted.get("url"),
                    "lang": boosted.get("language"),
                    "labels": ["sensitive"] if boosted.get("sensitive") else None,
                }
            ),
            raw=status,
        )
    text, links = html_to_text(status.get("content"))
    if status.get("spoiler_text"):
        text = f"{status['spoiler_text']}\n{text}".strip()
    card = status.get("card") or {}
    if isinstance(card, dict) and card.get("url") and card["url"] not in links:
        links.append(card["url"])
    kind, target = "post", None
    if status.get("in_reply_to_id"):
        kind = "reply"
        replied = next(
            (
                m.get("acct")
                for m in status.get("mentions") or []
                if str(m.get("id")) == str(status.get("in_reply_to_account_id"))
            ),
            None,
        )
        if replied is None and str(status.get("in_reply_to_account_id")) == str(
            (status.get("account") or {}).get("id")
        ):
            replied = account
        target = _clean({"id": str(status["in_reply_to_id"]), "account": replied})
    quoted = _quoted(status.get("quote"))
    if quoted and kind == "post":
        kind = "quote"
        q_text, _ = html_to_text(quoted.get("content"))
        target = _clean(
            {
                "id": str(quoted.get("uri") or quoted.get("id")),
                "account": (quoted.get("account") or {}).get("acct"),
                "text": q_text or None,
                "url": quoted.get("url"),
                "lang": quoted.get("language"),
            }
        )
    return Activity(
        id=ident,
        platform="mastodon",
        account=account,
        kind=kind,
        at=at,
        text=text or None,
        lang=status.get("language"),
        client=_client(status),
        url=status.get("url") or status.get("uri"),
        links=links,
        mentions=[m["acct"] for m in status.get("mentions") or [] if m.get("acct")],
        hashtags=[t["name"] for t in status.get("tags") or [] if t.get("name")],
        labels=["sensitive"] if status.get("sensitive") else [],
        media=[
            {"type": m.get("type", "unknown"), "url": m["url"]}
            for m in status.get("media_attachments") or []
            if m.get("url")
        ],
        target=target,
        raw=status,
    )


def _quoted(quote: Any) -> dict[str, Any] | None:
    """Mastodon 4.4+ `quote` is {state, quoted_status}; some servers put the status in directly."""
    if not isinstance(quote, dict):
        return None
    inner = quote.get("quoted_status", quote)
    return inner if isinstance(inner, dict) and inner.get("id") else None


def _client(status: dict[str, Any]) -> str | None:
    application = status.get("application")
    return application.get("name") if isinstance(application, dict) else None


def _clean(target: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in target.items() if v is not None}


def _error_text(body: Any) -> str:
    return str(body.get("error", body))[:120] if isinstance(body, dict) else str(body)[:120]
