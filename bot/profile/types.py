"""What callers pass in (AccountMeta) and get back (Verdict, CoordinatedGroup)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .counts import Counter


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


# The one reason of an activity with nothing out of character in it.
IN_CHARACTER = "in character for this account"


class Verdict:
    """How out of character one activity is for its account.

    `baseline` may be handed over as a function that writes it: it is shown only with an alert, and
    one activity in a few hundred alerts. It is written the first time it is read, from the account as
    it is then: read it before the account learns the activity (as pipeline._judge does)."""

    __slots__ = ("score", "reasons", "thin", "_baseline", "features")

    def __init__(
        self,
        score: float,  # 0..1, calibrated: bot.alerts.severity_for(score) decides whether and how loud
        reasons: list[str],  # ranked by contribution, each with its numbers
        thin: bool,  # the baseline is too thin to judge habits; the reasons say so
        baseline: str | Callable[[], str],  # the account's baseline in one line
        features: dict[str, float] | None = None,  # evidence per feature, in bits
    ) -> None:
        self.score = score
        self.reasons = reasons
        self.thin = thin
        self._baseline = baseline
        self.features = features if features is not None else {}

    @property
    def baseline(self) -> str:
        baseline = self._baseline
        if not isinstance(baseline, str):
            baseline = self._baseline = baseline()
        return baseline

    @property
    def severity(self) -> str | None:
        from bot.alerts import severity_for

        return severity_for(self.score)

    def __repr__(self) -> str:
        return (
            f"Verdict(score={self.score!r}, reasons={self.reasons!r}, thin={self.thin!r}, baseline={self.baseline!r})"
        )


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

    def knows(self, platform: str, one: str, two: str) -> bool: ...

    def country_of(self, platform: str, handle: str) -> str | None: ...

    def vocabulary(self, platform: str, handle: str) -> Counter | None:
        """The words an account writes (its wording check's faded vocabulary), None if it has no profile."""
        ...
