"""What the mock feed server knows: accounts, their recorded activity, and an accelerated clock that
releases that activity over time.

Activity comes in as the project's own `Activity` records (the fixture feeds); each release changes an
account's state (a post appears, a like record is created or removed, a profile is edited, the account
is suspended), and the renderers show that state in each platform's API shape.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import itertools
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, overload

from bot.activity import Activity

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
X_EPOCH_MS = 1288834974657
# Platforms an account can be served as; "atom" and "youtube" are Atom feeds, "rss" RSS 2.0.
SERVED_AS = ("bluesky", "mastodon", "x", "rss", "atom", "youtube", "telegram")
SHOWN_KINDS = ("post", "reply", "quote", "repost")


class Clock:
    """Feed time = origin + elapsed real time x speed (+ manual advances)."""

    def __init__(self, origin: datetime, speed: float = 60.0):
        self.origin = origin
        self.speed = speed
        self.started = time.monotonic()
        self.offset = 0.0

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self.started) * self.speed + self.offset
        return self.origin + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def set_speed(self, speed: float) -> None:
        # Keep the current feed time continuous across the change.
        current = self.now()
        self.origin, self.started, self.offset, self.speed = current, time.monotonic(), 0.0, speed


def stable_number(text: str, digits: int = 18) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % (10**digits)


def did_for(handle: str) -> str:
    digest = hashlib.sha256(handle.lower().encode()).digest()
    return "did:plc:" + base64.b32encode(digest).decode().lower()[:24]


def tid(micros: int, clock_id: int) -> str:
    """A Bluesky record key: 13 base32-sortable characters of (microseconds << 10 | clock id)."""
    number = (micros << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


@dataclass
class Item:
    """One released thing the account shows: a post, reply, quote, repost, like or follow."""

    activity: Activity
    released: datetime
    seq: int
    rkey: str  # Bluesky record key (TID)
    number: int  # Mastodon / X / Telegram id, increasing in release order
    text: str | None = None  # the text after an edit (None: never edited)
    edited_at: datetime | None = None

    @property
    def kind(self) -> str:
        return self.activity.kind

    @property
    def shown_text(self) -> str | None:
        return self.text if self.edited_at is not None else self.activity.text


@dataclass
class MockAccount:
    served_as: str
    handle: str
    profile: dict[str, Any]
    status: str = "active"
    pending: list[tuple[datetime, int, Activity]] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    likes: dict[str, Item] = field(default_factory=dict)
    follows: dict[str, Item] = field(default_factory=dict)
    reposts: dict[str, Item] = field(default_factory=dict)
    seq: itertools.count = field(default_factory=itertools.count)
    updated: datetime | None = None
    # Where its repo lives on the mock PDS service: "" at its root, or a path ("/pds2") after the account
    # moved to another PDS; its DID document names it, and the old place answers RepoNotFound.
    pds: str = ""
    # Called with (account, activity) after each release (the mock Jetstream turns it into events).
    watchers: list = field(default_factory=list)

    @property
    def user(self) -> str:
        return self.handle.split("@", 1)[0]

    @property
    def did(self) -> str:
        return did_for(self.handle)

    @property
    def number_id(self) -> str:
        return str(stable_number(f"{self.served_as}:{self.user}", 17) + 10**17)

    def schedule(self, release: datetime, activity: Activity) -> None:
        bisect.insort(self.pending, (release, next(self.seq), activity), key=lambda e: (e[0], e[1]))

    def catch_up(self, now: datetime) -> None:
        while self.pending and self.pending[0][0] <= now:
            release, seq, activity = self.pending.pop(0)
            self._apply(release, seq, activity)
            for watch in self.watchers:
                watch(self, activity)

    def _apply(self, release: datetime, seq: int, activity: Activity) -> None:
        micros = int(release.timestamp() * 1_000_000)
        item = Item(activity, release, seq, tid(micros, seq), self._number(release, seq))
        self.updated = release
        kind = activity.kind
        if kind in SHOWN_KINDS:
            self.items.append(item)
            if kind == "repost":
                self.reposts[item.rkey] = item
        elif kind == "like":
            self.likes[item.rkey] = item
        elif kind == "follow":
            self.follows[item.rkey] = item
        elif kind == "unlike":
            _remove_matching(self.likes, activity.target or {})
        elif kind == "unfollow":
            _remove_matching(self.follows, activity.target or {})
        elif kind == "delete":
            gone = (activity.target or {}).get("id")
            self.items = [i for i in self.items if gone not in (i.activity.id, self.native_id(i))]
            self.reposts = {k: i for k, i in self.reposts.items() if gone not in (i.activity.id, self.native_id(i))}
        elif kind == "profile":
            self.profile.update({k: v for k, v in (activity.profile or {}).items() if k != "labels"})
        elif kind == "status" and activity.status:
            self.status = activity.status

    def edit(self, ident: str, text: str, at: datetime) -> Item:
        """The author edits a shown item (by its activity id or native id): its text changes, `edited_at` is set."""
        item = next((i for i in self.items if ident in (i.activity.id, self.native_id(i))), None)
        if item is None:
            raise KeyError(f"{self.handle} shows no item {ident!r}")
        item.text, item.edited_at, self.updated = text, at, at
        return item

    def _number(self, release: datetime, seq: int) -> int:
        ms = int(release.timestamp() * 1000)
        if self.served_as == "telegram":
            return seq + 1  # message ids count up from 1 in each channel
        if self.served_as == "x":
            return ((ms - X_EPOCH_MS) << 22) | (seq & 0x3FFFFF)
        return (ms << 16) | (seq & 0xFFFF)

    def native_id(self, item: Item) -> str:
        if self.served_as == "bluesky":
            collection = "app.bsky.feed.repost" if item.kind == "repost" else "app.bsky.feed.post"
            return f"at://{self.did}/{collection}/{item.rkey}"
        return str(item.number)


def _remove_matching(records: dict[str, Item], target: dict[str, Any]) -> None:
    """An un-like or unfollow removes the newest record with the same target."""
    for rkey in sorted(records, reverse=True):
        other = records[rkey].activity.target or {}
        if (target.get("id") and other.get("id") == target.get("id")) or (
            not target.get("id") and other.get("account") == target.get("account")
        ):
            del records[rkey]
            return


def default_profile(handle: str) -> dict[str, Any]:
    name = handle.split("@", 1)[0].replace("_", " ").replace("-", " ").title()
    return {
        "name": name,
        "bio": f"Official account of {name}.",
        "location": None,
        "url": None,
        "avatar": f"https://cdn.example/avatar/{stable_number(handle, 10)}.jpg",
    }


class World:
    """All mock accounts, keyed by (served_as, handle or user part)."""

    def __init__(self, clock: Clock):
        self.clock = clock
        self.accounts: dict[tuple[str, str], MockAccount] = {}
        self.by_did: dict[str, MockAccount] = {}
        self.by_number: dict[str, MockAccount] = {}
        # Posts and handles of other accounts that likes, reposts and follows point at, so
        # getPosts and getProfiles can hydrate them as the real AppView does.
        self.posts: dict[str, dict[str, Any]] = {}
        self.handles_by_did: dict[str, str] = {}
        self.watchers: list = []  # shared with every account (see MockAccount.watchers)

    @overload
    def account(self, served_as: str, handle: str, create: Literal[True] = True) -> MockAccount: ...
    @overload
    def account(self, served_as: str, handle: str, create: bool) -> MockAccount | None: ...
    def account(self, served_as: str, handle: str, create: bool = True) -> MockAccount | None:
        handle = handle.lstrip("@")
        key = (served_as, handle.split("@", 1)[0].lower() if served_as == "mastodon" else handle.lower())
        account = self.accounts.get(key)
        if account is None and create:
            account = MockAccount(served_as, handle, default_profile(handle), watchers=self.watchers)
            self.accounts[key] = account
            self.by_did[account.did] = account
            self.by_number[account.number_id] = account
        return account

    def find(self, served_as: str, handle: str) -> MockAccount | None:
        account = self.account(served_as, handle, create=False)
        if account is not None:
            account.catch_up(self.clock.now())
        return account

    def find_did(self, did: str) -> MockAccount | None:
        account = self.by_did.get(did)
        if account is not None:
            account.catch_up(self.clock.now())
        return account

    def find_number(self, number: str) -> MockAccount | None:
        account = self.by_number.get(number)
        if account is not None:
            account.catch_up(self.clock.now())
        return account

    def load(self, activities: list[Activity], served_as: str | None = None, release_now: bool = False) -> int:
        """Schedule activities for release at their own time (or now). `served_as` overrides the
        platform named in the records (for fixture feeds recorded under another platform)."""
        now = self.clock.now()
        for activity in activities:
            platform = served_as or activity.platform
            if platform not in SERVED_AS:
                raise ValueError(
                    f"activity {activity.id}: platform {platform!r} cannot be served "
                    f"(choose one of {', '.join(SERVED_AS)})"
                )
            account = self.account(platform, activity.account)
            account.schedule(now if release_now else activity.at, activity)
        return len(activities)

    def edit(self, served_as: str, handle: str, ident: str, text: str) -> Item:
        """Edit an item an account already shows (after releasing what is due), at the clock's time."""
        account = self.find(served_as, handle)
        if account is None:
            raise KeyError(f"no {served_as} account {handle!r}")
        return account.edit(ident, text, self.clock.now())

    def handles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for (served_as, _), account in sorted(self.accounts.items()):
            out.setdefault(served_as, []).append(account.handle)
        return out
