"""A day of the week it rarely acts on."""

from __future__ import annotations

from ..counts import Bins
from .base import Finding, Signal, surprisal
from .words import percent


class WeekdaySignal(Signal):
    name = "weekday"
    context = True
    memories = {"days": ("bins", 7)}
    days: Bins

    def score_one(self, p, o, a, meta, world):
        mass = self.days.mass()
        if mass < 50:
            return None
        share = self.days.shares()[o.dow]
        bits = surprisal(max(share, 0.5 / (mass + 1))) - 5.0
        if bits <= 0:
            return None
        return Finding(
            "weekday", min(bits, 3.0), f"on a {a.at:%A}, when it rarely acts ({percent(share)})", f"weekday:{o.dow}"
        )

    def learn_one(self, p, o, weight: float):
        self.days.add(o.dow, weight)
