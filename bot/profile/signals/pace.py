"""A pace it rarely reaches: many activities in 10 minutes."""

from __future__ import annotations

import math

from ..counts import Bins
from .base import Finding, Signal, surprisal
from .words import percent

PACE_BINS = 8  # log2 of activities in 10 minutes


def pace_bin(count: int) -> int:
    return min(PACE_BINS - 1, int(math.log2(max(1, count))))


class PaceSignal(Signal):
    name = "pace"
    context = True
    memories = {"paces": ("bins", PACE_BINS)}
    paces: Bins

    def score_one(self, p, o, a, meta, world):
        count = p.pace(o.t)
        if count < 4 or self.paces.mass() < 30 or p.told_recently(o.t):
            return None  # minutes after an alert, the spree's pace is the story told (11, 12, 16 in 10 minutes)
        tail = self.paces.tail_from(pace_bin(count))
        bits = surprisal(max(tail, 0.2 / (self.paces.mass() + 1))) - 3.0
        if bits < 0.5:
            return None
        # "0.00%" read as a pace it had never reached, and a faded tail of 0.004% as one it had
        share = f"that pace is {percent(tail, 2)} of its history" if tail > 0 else "a pace it never reached before"
        return Finding("pace", min(bits, 6.0), f"{count} activities in 10 minutes; {share}")

    def learn_one(self, p, o, weight: float):
        pace = p.pace(o.t)
        # a burst of N would otherwise teach N high-pace moments and mask itself: count it about once
        self.paces.add(pace_bin(pace), weight / pace if pace >= 4 else weight)
