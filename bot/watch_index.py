"""Which watch-list entries speak for an activity's account, and the AccountMeta scoring reads from them.

Apart from the pipeline so that the process reading ahead of a replay (bot/read_ahead.py) describes
every account exactly as the pipeline does: it is plain data, sent to that process whole.
"""

from __future__ import annotations

from typing import Iterable

from bot.activity import Activity
from bot.profile import AccountMeta
from bot.watch import WatchedAccount

# A description of the account, for scoring: the first scope's value of each field.
DESCRIBED = ("owner", "role", "country", "host_country", "affiliation", "tz")


class WatchIndex:
    def __init__(self, accounts: Iterable[WatchedAccount] = ()):
        # (platform, handle) -> every scope's entry for it: one account, polled and scored once
        self.entries: dict[tuple[str, str], list[WatchedAccount]] = {}
        for a in sorted(accounts, key=lambda a: (a.platform, a.handle, a.guild_id)):
            self.entries.setdefault(a.key, []).append(a)
        self.by_handle: dict[str, list[WatchedAccount]] = {}
        for key, group in self.entries.items():
            self.by_handle.setdefault(key[1].lower(), []).extend(group)
        self.described = {key: describe(group) for key, group in self.entries.items()}
        self._metas: dict[tuple[str, str], AccountMeta] = {}  # meta_for's, per (platform, account)

    def entries_for(self, activity: Activity) -> list[WatchedAccount]:
        """Every scope's entry for the activity's account (none when nobody watches it)."""
        # A `fixture` feed carries records of the real platform, so fall back to the handle.
        return self.entries.get(activity.key[:1] + (activity.account,)) or self.by_handle.get(
            activity.account.lower(), []
        )

    def watched_for(self, activity: Activity) -> WatchedAccount | None:
        """The account as described for scoring (see describe); None when nobody watches it."""
        entries = self.entries_for(activity)
        return self.described.get(entries[0].key) if entries else None

    def meta_for(self, activity: Activity) -> AccountMeta:
        # one per account until the watch list changes (an AccountMeta is frozen): not one per activity
        key = (activity.platform, activity.account)
        meta = self._metas.get(key)
        if meta is None:
            meta = self._metas[key] = self._meta(activity)
        return meta

    def _meta(self, activity: Activity) -> AccountMeta:
        watched = self.watched_for(activity)
        if watched is None:
            return AccountMeta(platform=activity.platform, handle=activity.account)
        return AccountMeta(
            platform=activity.platform,
            handle=activity.account,
            role=watched.role,
            country=watched.country,
            affiliation=watched.affiliation,
            owner=watched.owner,
            host_country=watched.host_country,
            tz=watched.tz,
        )


def describe(group: list[WatchedAccount]) -> WatchedAccount:
    """One description of an account several scopes watch: each field from the first scope giving it
    (the headless scope first, then servers in the order of their ids)."""
    first = group[0]
    values = {name: next((getattr(a, name) for a in group if getattr(a, name)), None) for name in DESCRIBED}
    return WatchedAccount(first.platform, first.handle, guild_id=first.guild_id, **values)
