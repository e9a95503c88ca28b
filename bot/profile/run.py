"""A run of near misses: two out-of-character activities minutes apart are stronger evidence than either.

A hijacker who likes three critics' posts in six minutes leaves each like under the alert line on its own
(a like of a stranger is routine, and one critic's post is a few words), as S2's ambassador's likes
would have been one by one. A journalist reads the three together. So an activity with RUN_MIN bits of
substance (what it did and with whom, NOT_RUN below) remembers itself on its account, and the next
one of RUN_MIN bits within RUN_WINDOW adds the first one's evidence, less RUN_DISCOUNT.

On the real timelines' replayed part, 94 of 51,224 activities carry RUN_MIN bits or more of what-or-whom
evidence (one in 545) and none is followed by another within RUN_WINDOW: a run does not happen in
routine. Why a discount all the same: near misses of any kind cluster (counting how it wrote too, 5 of
194 are followed by another within 15 minutes, a statement and its translations), so a near miss just
after another is that much (about 3 bits) less of a surprise than one alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .account import PLAIN_FEATURES, STORY_FEATURES
from .signals import Finding

if TYPE_CHECKING:
    from .account import AccountProfile

# How it did something (a language, a client, a domain) twice in minutes is one story told twice (a
# statement and its translation, account.STORY_FEATURES), and timing and wording are no incident: a run is
# made of what it did and with whom (a target, a claim, a kind of content engaged).
NOT_RUN = STORY_FEATURES | PLAIN_FEATURES

RUN_MIN = 7.0  # bits of substance that make an activity a near miss
RUN_WINDOW = 900.0  # seconds within which two near misses are one run
RUN_DISCOUNT = 3.0  # bits a near miss just after another is less surprising than one alone
RUN_CAP = 12.0  # what the activity before can carry over: a run is not an alert by its first half alone


def substance(found: list[Finding]) -> float:
    return sum((f.bits for f in found if f.feature not in NOT_RUN), 0.0)


def run_finding(profile: AccountProfile, t: float, found: list[Finding]) -> Finding | None:
    """The evidence the near miss before adds to this activity, when both are near misses of one run."""
    near = profile.near
    if near is None:
        return None
    at, bits, reason = near
    if not 0.0 <= t - at <= RUN_WINDOW or substance(found) < RUN_MIN:
        return None
    extra = min(bits, RUN_CAP) - RUN_DISCOUNT
    if extra <= 0:
        return None
    minutes = max(1, round((t - at) / 60))
    return Finding(
        "run",
        extra,
        f"its second out-of-character activity in {minutes} minute{'s' if minutes != 1 else ''} (before: {reason})",
    )


def remember(profile: AccountProfile, t: float, found: list[Finding]) -> None:
    """After an activity is learned as ordinary: if it was a near miss, the next one may complete a run."""
    bits = substance(found)
    if bits < RUN_MIN:
        return
    top = max((f for f in found if f.feature not in NOT_RUN and f.feature != "run"), key=lambda f: f.bits, default=None)
    reason = top.reason if top is not None else "several signs"
    profile.near = (t, round(bits, 2), reason[:120])
