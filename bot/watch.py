"""A watched account: which account, who runs it, and where its alerts go."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime


HEADLESS = 0  # the scope of `diplowatch watch ...`: alerts printed by `watch run`, no Discord server
LEGACY = -1  # rows from before servers were separate, until the bot moves them to their server


@dataclass(slots=True)
class WatchedAccount:
    platform: str
    handle: str
    channel_id: int | None = None
    owner: str | None = None
    role: str | None = None
    country: str | None = None
    host_country: str | None = None
    affiliation: str | None = None
    muted_until: str | None = None  # RFC 3339; alerts are kept but not delivered before it
    added_by: str | None = None
    # A Discord channel webhook its alerts also go to. A secret: never in repr, logs or the outbox.
    webhook_url: str | None = field(default=None, repr=False)
    tz: str | None = None  # IANA time zone (Asia/Shanghai): hours shown and judged in local time; None: UTC
    # Whose entry this is: a Discord server's id, or HEADLESS (the command line's own watch list).
    guild_id: int = 0

    @property
    def key(self) -> tuple[str, str]:
        """The account itself (polled once, whoever watches it)."""
        return (self.platform, self.handle)

    def muted_at(self, now: datetime) -> bool:
        return self.muted_until is not None and self.muted_until > now.strftime("%Y-%m-%dT%H:%M:%SZ")

    @classmethod
    def from_row(cls, row) -> "WatchedAccount":
        names = {f.name for f in fields(cls)}
        return cls(**{k: row[k] for k in row.keys() if k in names})
