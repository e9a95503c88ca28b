"""A first activity after months of silence, rarer than its usual gaps."""

from __future__ import annotations

import math

from ..counts import Bins
from .base import Finding, Signal, surprisal
from .words import percent

GAP_BINS = 22  # log2 minutes: up to ~4,000 days
MONTH = 30 * 86400


def gap_bin(seconds: float) -> int:
    minutes = max(1.0, seconds / 60.0)
    return min(GAP_BINS - 1, int(math.log2(minutes)))


def _silences(tail: float) -> str:
    """How often it was silent that long before (`tail`, the share of its gaps at least that long)."""
    if tail <= 0:
        return "never silent that long before"
    return f"gaps that long: {percent(tail, 2)} of its history"


class DormancySignal(Signal):
    name = "dormancy"
    context = True
    memories = {"gaps": ("bins", GAP_BINS)}
    gaps: Bins

    def score_one(self, p, o, a, meta, world):
        if p.last_at is None or o.t <= p.last_at:
            return None
        gap = o.t - p.last_at
        if gap < MONTH:
            return None  # holidays and quiet months are ordinary; dormancy is measured in months
        mass = self.gaps.mass()
        tail = self.gaps.tail_from(gap_bin(gap)) if mass > 0 else 0.0
        # rarer than its usual gaps, and the longer the silence the stronger (months count, not weeks)
        bits = surprisal(max(tail, 0.2 / (mass + 1))) - 2.0 + math.log2(gap / MONTH)
        if p.n < 30:
            bits = max(bits, 6.0 if gap > 180 * 86400 else 0.0)
        if bits < 0.5:
            return None
        return Finding(
            "dormancy",
            min(bits, 9.0),
            f"first activity in {gap / 86400:,.0f} days ({_silences(tail)})",
        )

    def learn_one(self, p, o, weight: float):
        if p.last_at is not None and o.t >= p.last_at:
            self.gaps.add(gap_bin(o.t - p.last_at), weight)
