"""What every signal is: one small object per account that learns one side of its behaviour
(`learn_one`) and says how surprising a new activity is on that side (`score_one`), in bits.

A signal declares the fading memories it owns (`memories`), the kinds of activity it looks at (`kinds`),
and whether it is learned (judged against the account's own history, muted while that history is thin)
or absolute (needs no history). Memories shared by several signals (the action mix, partners, hours,
recent times, own items) live on the AccountProfile. A signal with no memory of its own is one object
shared by every account.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from ..counts import Bins, Clock, Counter, Moments

if TYPE_CHECKING:
    from bot.activity import Activity

    from ..account import AccountProfile
    from ..observe import Observation
    from ..types import AccountMeta, World

# Kinds that make up the account's everyday behaviour (profile and status changes are events on top).
BEHAVIOUR_KINDS = frozenset(
    {"post", "reply", "repost", "quote", "like", "unlike", "follow", "unfollow", "delete", "block", "unblock"}
)
ALL_KINDS = BEHAVIOUR_KINDS | {"profile", "status"}
# The evidence at which an alert starts (combine.py): set on the evaluation's tuning seeds, where 13.0
# kept false alerts near 0.5 per 1,000 real activities (0.64-0.72 at 12.5) for 1.5 points of recall.
ALERT_BITS = 13.0


class Finding:
    """What one signal found odd: its feature, its evidence in bits, why (with its numbers), and what a
    moderator's "false alarm" makes normal (`exempt_key`).

    The reason may be handed over as a function that writes it: most findings are too weak, or not
    among the top reasons, to be shown, and writing one (an hour in local time beside the usual hours)
    costs more than scoring it. It is written the first time it is read, so a function must not read
    what learning changes unless its reason is read while scoring (the verdict's reasons are)."""

    __slots__ = ("feature", "bits", "_reason", "exempt_key")

    def __init__(
        self, feature: str, bits: float, reason: str | Callable[[], str], exempt_key: str | None = None
    ) -> None:
        self.feature = feature
        self.bits = bits
        self._reason = reason
        self.exempt_key = exempt_key

    @property
    def reason(self) -> str:
        reason = self._reason
        if not isinstance(reason, str):
            reason = self._reason = reason()
        return reason

    @reason.setter
    def reason(self, value: str) -> None:
        self._reason = value

    def __repr__(self) -> str:
        return f"Finding({self.feature!r}, {self.bits!r}, {self.reason!r}, {self.exempt_key!r})"


def surprisal(p: float) -> float:
    """Bits of surprise at an event of probability p: -log2(p), never negative (0 for a certainty)."""
    return -math.log2(max(p, 1e-12))


class Signal:
    name: ClassVar[str]
    kinds: ClassVar[frozenset[str]] = BEHAVIOUR_KINDS
    learned: ClassVar[bool] = True  # judged against its own history: scaled by how much there is
    context: ClassVar[bool] = False  # timing or habit only: capped unless something of substance is odd too
    # memory name -> ("counter", cap) | ("bins", size) | ("moments", 0) | ("map", 0)
    memories: ClassVar[dict[str, tuple[str, int]]] = {}

    def __init__(self, clock: Clock | None = None):
        for attr, (what, size) in self.memories.items():
            setattr(self, attr, _memory(what, size, clock))

    def score_one(
        self, p: AccountProfile, o: Observation, a: Activity, meta: AccountMeta, world: World
    ) -> Finding | None:
        raise NotImplementedError

    def learn_one(self, p: AccountProfile, o: Observation, weight: float) -> None:
        """Fold one activity in (weight 1 ordinary, 5 a false alarm, -1 a confirmed incident taken back)."""

    def hold_one(self, p: AccountProfile, o: Observation) -> None:
        """An alerted activity, held out of what it learns until a moderator rules: most signals learn
        nothing of it; a signal whose memory must still see it (a spree's count) says what."""

    def state(self) -> dict[str, Any]:
        return {attr: _state_of(getattr(self, attr)) for attr in self.memories}

    def load(self, data: dict[str, Any]) -> None:
        for attr, (what, _) in self.memories.items():
            value = data.get(attr)
            if value is None:
                continue
            if what == "map":
                setattr(self, attr, {str(k): v for k, v in value.items()})
            else:
                getattr(self, attr).load(value)


def _memory(what: str, size: int, clock: Clock | None):
    if what == "map":
        return {}
    assert clock is not None, "a signal with fading memories needs its account's clock"
    if what == "counter":
        return Counter(clock, size)
    if what == "bins":
        return Bins(clock, size)
    if what == "moments":
        return Moments(clock)
    raise ValueError(f"unknown memory {what!r}")


def _state_of(memory: Any) -> Any:
    if isinstance(memory, dict):
        return memory
    return memory.state()
