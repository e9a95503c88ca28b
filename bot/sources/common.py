"""Pieces every live adapter shares: the cursor state, profile snapshots, and HTML to text."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any, Callable

import httpx

from bot.activity import Activity, ActivityError, PROFILE_FIELDS, checked, escape_surrogates, parse_time
from bot.feeds import Rejected
from bot.sources.http import BadPayload, Validators, validators_of

STATE_VERSION = 1
# How many recent item ids a cursor remembers to avoid reporting an item twice.
SEEN_LIMIT = 400


def reason_of(exc: Exception) -> str:
    """Why a payload item could not become an activity: the model's own message, else the error type."""
    return str(exc) if isinstance(exc, ActivityError) else f"{type(exc).__name__}: {exc}"


def reject(where: str, reason: str, record: Any, position: int = 0) -> Rejected:
    """A payload item kept aside: where it came from (source and endpoint), why, and the item itself.
    `position` is 0 for API items (they have no line in a file)."""
    if isinstance(record, dict) and record.get("id") is not None:
        where = f"{where} item {_short(record.get('id'))}"
    try:
        text = json.dumps(record, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = repr(record)
    return Rejected(where, position, reason, escape_surrogates(text[:20000]))


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def parse_or_reject(
    parse: Callable[[Any], Activity], item: Any, where: str, rejects: list[Rejected]
) -> Activity | None:
    """One payload item as a valid activity, or None with the item kept aside in `rejects` with its
    reason. Never raises: whatever shape the item has, the feed goes on past it."""
    try:
        return checked(parse(item))
    except Exception as exc:  # ActivityError, or a shape nobody foresaw (a null, a list, "²" as an id)
        rejects.append(reject(where, reason_of(exc), item))
        return None


def valid_only(activities: list[Activity], where: str, rejects: list[Rejected]) -> list[Activity]:
    """The activities that pass `checked`; each other one kept aside in `rejects` with its reason."""
    out = []
    for activity in activities:
        try:
            out.append(checked(activity))
        except Exception as exc:
            rejects.append(reject(where, reason_of(exc), getattr(activity, "raw", None) or repr(activity)))
    return out


def safe_profile(
    profile_of: Callable[[Any], dict[str, Any]], payload: Any, where: str, rejects: list[Rejected]
) -> dict[str, Any] | None:
    """The profile of an account payload, or None (no profile change reported) when its shape is odd."""
    try:
        return profile_of(payload)
    except Exception as exc:
        rejects.append(reject(f"{where} profile", reason_of(exc), payload))
        return None


def id_order(value: Any) -> int:
    """A numeric id (Mastodon, X) as a sort key; 0 for anything else ("²" is a digit, but no number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and 0 < len(value) <= 40 and value.isascii() and value.isdecimal():
        return int(value)
    return 0


def item_id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def load_state(cursor: str | None, where: str) -> dict[str, Any]:
    """The adapter's state from its cursor; an unreadable cursor is an error, never a silent reset
    (a reset would re-learn the account and could report old items as new)."""
    if not cursor:
        return {}
    try:
        state = json.loads(cursor)
    except ValueError as exc:
        raise BadPayload(f"{where}: stored cursor is not valid JSON ({exc})") from None
    if not isinstance(state, dict) or state.get("v") != STATE_VERSION:
        raise BadPayload(f"{where}: stored cursor has an unknown format (expected version {STATE_VERSION})")
    return state


def dump_state(state: dict[str, Any]) -> str:
    state["v"] = STATE_VERSION
    # A lone surrogate from a payload (say in a profile snapshot) stays an escape: storable as UTF-8.
    return escape_surrogates(json.dumps(state, ensure_ascii=False, separators=(",", ":"), sort_keys=True))


class Seen:
    """A bounded, ordered set of ids kept in the cursor."""

    def __init__(self, ids: list[str] | None = None, limit: int = SEEN_LIMIT):
        self.order = list(ids or [])
        self.ids = set(self.order)
        self.limit = limit

    def __contains__(self, ident: str) -> bool:
        return ident in self.ids

    def add(self, ident: str) -> bool:
        """Remember the id; True when it is new (so the item is reported this once)."""
        if ident in self.ids:
            return False
        self.ids.add(ident)
        self.order.append(ident)
        return True

    def dump(self) -> list[str]:
        return self.order[-self.limit :]


def validators(state: dict[str, Any], url: str) -> Validators:
    etag, modified = state.get("http", {}).get(url, [None, None])
    return Validators(etag, modified)


def remember_validators(state: dict[str, Any], url: str, found: Validators) -> None:
    if found.etag or found.last_modified:
        state.setdefault("http", {})[url] = [found.etag, found.last_modified]


def kept_validators(state: dict[str, Any], slot: str, key: str) -> Validators | None:
    """The validators of the last good answer to `key` kept in the cursor under `slot`, or None (ask in
    full). Kept in the cursor, they move only with a committed poll: a rolled-back poll asks again."""
    known = state.get(slot)
    if isinstance(known, list) and len(known) == 3 and known[2] == key and (known[0] or known[1]):
        return Validators(known[0], known[1])
    return None


def keep_validators(state: dict[str, Any], slot: str, key: str, response: httpx.Response) -> None:
    """Keep the validators of a full (200) answer to `key` for the next poll's conditional request."""
    fresh = validators_of(response)
    if fresh.etag or fresh.last_modified:
        state[slot] = [fresh.etag, fresh.last_modified, key]
    else:
        state.pop(slot, None)


def edited_post(
    *,
    platform: str,
    account: str,
    edited: str,
    edit_id: str,
    at: datetime,
    old_text: str | None,
    new_text: str | None,
    url: str | None,
    raw: dict[str, Any],
    **content: Any,
) -> Activity:
    """An edit as its own activity: the new text as a post, with the item it replaced (and its old text) as
    target. The activity model has no edit kind, and the detector refuses kinds it does not know, so an
    edit is shown as a post about the item it replaced. `content` is the rest of the new version (links,
    mentions, hashtags, media, ...)."""
    target = {k: v for k, v in {"id": edited, "text": old_text, "account": account, "url": url}.items() if v}
    return Activity(
        id=edit_id,
        platform=platform,
        account=account,
        kind="post",
        at=at,
        text=new_text,
        url=url,
        target=target,
        raw={"edited": edited, "old_text": old_text, "new_text": new_text, **raw},
        **content,
    )


def clean_profile(values: dict[str, Any]) -> dict[str, Any]:
    """Only the profile fields the activity model knows, as strings (labels as a sorted list)."""
    out: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = values.get(name)
        if name == "labels":
            out[name] = sorted({str(v) for v in value or []})
        elif value is not None and value != "":
            out[name] = str(value)
    return out


def snapshot_changes(
    platform: str,
    account: str,
    state: dict[str, Any],
    profile: dict[str, Any] | None,
    status: str,
    now: datetime,
    raw: Any,
) -> list[Activity]:
    """Compare this poll's profile and availability with the last snapshot in `state`, update it, and
    return a `status` activity for a change of availability and a `profile` activity (new values in
    `profile`, old ones in `raw["old"]`, each change in `raw["changed"]`) for a profile edit.

    Ids carry a per-account sequence number, so a profile that changes back and forth gives distinct
    ids, while a poll repeated after a crash (same stored state) gives the same id again."""
    out: list[Activity] = []
    first = "status" not in state
    old_status = state.get("status", "active")
    if status != old_status or (first and status != "active"):
        state["seq"] = state.get("seq", 0) + 1
        out.append(
            Activity(
                id=_snapshot_id(account, "status", state["seq"], status),
                platform=platform,
                account=account,
                kind="status",
                at=now,
                status=status,
                raw={"old": old_status, "new": status, "payload": raw},
            )
        )
    state["status"] = status
    if profile is not None:
        old = state.get("profile")
        if old is not None and old != profile:
            changed = {
                name: [old.get(name), profile.get(name)]
                for name in sorted(set(old) | set(profile))
                if old.get(name) != profile.get(name)
            }
            state["seq"] = state.get("seq", 0) + 1
            out.append(
                Activity(
                    id=_snapshot_id(account, "profile", state["seq"], json.dumps(profile, sort_keys=True)),
                    platform=platform,
                    account=account,
                    kind="profile",
                    at=now,
                    profile=profile,
                    raw={"old": old, "changed": changed, "payload": raw},
                )
            )
        state["profile"] = profile
    return out


def _snapshot_id(account: str, what: str, seq: int, salt: str) -> str:
    digest = hashlib.sha1(f"{account}|{what}|{seq}|{salt}".encode()).hexdigest()[:10]
    return f"{account}#{what}-{seq}-{digest}"


def time_or_none(value: Any, field_name: str) -> datetime | None:
    try:
        return parse_time(value, field_name)
    except ActivityError:
        return None


def first_time(*candidates: tuple[Any, str]) -> datetime:
    """The first parseable timestamp among (value, field name) pairs; ActivityError if none."""
    for value, name in candidates:
        parsed = time_or_none(value, name)
        if parsed is not None:
            return parsed
    names = ", ".join(name for _, name in candidates)
    raise ActivityError(candidates[0][1], f"no usable timestamp in {names}")


class _TextAndLinks(HTMLParser):
    BLOCK = {"p", "br", "div", "li"}
    HIDDEN = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        if tag in self.BLOCK and self.parts:
            self.parts.append("\n")
        if tag == "a":
            attributes = dict(attrs)
            classes = (attributes.get("class") or "").split()
            href = attributes.get("href")
            # Mastodon marks mention and hashtag links; those are not outbound links.
            if href and not {"mention", "hashtag", "u-url"} & set(classes):
                self.links.append(href)

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # script and style bodies are not text anyone reads
            self.parts.append(data)


def html_to_text(html: str | None) -> tuple[str, list[str]]:
    """Plain text and outbound links of an HTML fragment (Mastodon content, RSS summaries)."""
    if not html:
        return "", []
    parser = _TextAndLinks()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line), parser.links


def records_diff(
    previous: dict[str, Any] | None, page: dict[str, Any], full_page: bool
) -> tuple[list[str], list[str], dict[str, Any]]:
    """Diff two snapshots of a newest-first list keyed by sortable keys (Bluesky TIDs, ids).

    `page` is this poll's first page; when it is full, keys older than its oldest are outside the
    window, so only known keys inside the window that are missing count as removed, and unknown keys
    older than the newest known one were merely out of the old window (not new).
    Returns (added keys, removed keys, the snapshot to keep)."""
    previous = previous or {"complete": True, "items": {}}
    known: dict[str, Any] = previous["items"]
    oldest = min(page) if page else None
    newest_known = max(known) if known else None
    if full_page and oldest is not None:
        removed = [k for k in known if k >= oldest and k not in page]
    else:
        removed = [k for k in known if k not in page]
    added = [k for k in page if k not in known and (previous["complete"] or newest_known is None or k > newest_known)]
    return sorted(added), sorted(removed), {"complete": not full_page, "items": page}
