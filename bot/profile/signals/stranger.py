"""S1's shape: amplifying another watched official account it has never had anything to do with (the
Chinese Embassy in the US reposting the US president). The watch list itself says who the officials
are, so this needs no word list: neither account has ever amplified, mentioned or answered the other.
With countries on the watch list, an account of its own government is never a stranger."""

from __future__ import annotations

import math

from .base import Finding, Signal
from .words import kind_name

STRANGER_BITS = 8.0
KINDS = frozenset({"repost", "quote", "like"})


class StrangerSignal(Signal):
    name = "stranger"
    kinds = KINDS

    def score_one(self, p, o, a, meta, world):
        if not o.target_key:
            return None
        official = world.watched_handle(a.platform, o.target_key)
        if official is None or official.lower() == a.account.lower():
            return None
        if world.in_circle(a.platform, a.account, official):
            return None
        theirs = world.country_of(a.platform, official)
        mine = meta.country or p.country
        if mine and theirs and mine.lower() == theirs.lower():
            return None  # its own government's account: a first repost of one's own leader is not S1
        # an account that amplifies many other officials does this more often: weigh the first by it
        officials = world.officials_amplified(a.platform, p)
        bits = STRANGER_BITS - math.log2(1.0 + officials)
        if bits < 0.5:
            return None
        whose = f" of {theirs}" if theirs and mine else ""
        reason = (f"{kind_name(o.kind)} of @{official}, a watched official account{whose} outside its circle "
                  f"(neither ever amplified, mentioned or answered the other; it amplified {officials} other "
                  f"watched accounts before)")
        return Finding("stranger", bits, reason, f"target:{o.target_key}")
