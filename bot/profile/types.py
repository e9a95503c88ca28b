"""What callers pass in (AccountMeta) and get back (Verdict, CoordinatedGroup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AccountMeta:
    """What the watch list records about an account (from the `watched` table)."""

    platform: str
    handle: str
    role: str | None = None  # embassy, ambassador, foreign ministry, head of state, state media...
    country: str | None = None  # whose account it is ("China")
    affiliation: str | None = None  # "state" / "state media" when run by a state, else None
    owner: str | None = None  # who runs it ("Embassy of the PRC in the US")
    host_country: str | None = None  # where it is aimed ("US"): whose elections are off limits
    tz: str | None = None  # IANA zone to show local hours in; None shows UTC


@dataclass(slots=True)
class Verdict:
    """How out of character one activity is for its account."""

    score: float  # 0..1, calibrated: bot.alerts.severity_for(score) decides whether and how loud
    reasons: list[str]  # ranked by contribution, each with its numbers
    thin: bool  # the baseline is too thin to judge habits; the reasons say so
    baseline: str  # the account's baseline in one line
    features: dict[str, float] = field(default_factory=dict)  # evidence per feature, in bits

    @property
    def severity(self) -> str | None:
        from bot.alerts import severity_for

        return severity_for(self.score)


@dataclass(slots=True)
class CoordinatedGroup:
    """Several watched accounts doing the same unusual thing within a short window."""

    key: str  # stable while the group grows: what they share
    activity_ids: list[str]
    accounts: list[str]
    reason: str
    score: float
    platform: str = ""
    announced: int = 0  # how many accounts it had when an alert last told of it (pipeline)

    def worth_announcing(self) -> bool:
        """A grouped alert at each of its first five accounts, then each time the group doubles: a flood
        of one text from thousands of accounts is a handful of alerts, not one per account."""
        n = len(self.accounts)
        return n > self.announced and (n <= 5 or n >= 2 * self.announced)


class World(Protocol):
    """What a signal may ask about accounts other than its own (ProfileBook answers)."""

    def watched_handle(self, platform: str, handle: str) -> str | None: ...

    def in_circle(self, platform: str, one: str, two: str) -> bool: ...

    def knows(self, platform: str, one: str, two: str) -> bool: ...

    def country_of(self, platform: str, handle: str) -> str | None: ...
