"""An hour of the day it rarely or never uses (UTC bins, shown in the account's local time)."""

from __future__ import annotations

from .base import Finding, Signal, surprisal
from .words import local, percent, zone

HOUR_CAP = 6.0


class HourSignal(Signal):
    name = "hour"
    context = True

    def score_one(self, p, o, a, meta, world):
        mass = p.hours.mass()
        if mass < 20:
            return None
        tails, shares = p.hour_tails()
        bits = surprisal(max(tails[o.hour], 0.5 / (mass + 1))) - 3.0
        if bits <= 0:
            return None

        def reason() -> str:  # written only if shown (base.Finding)
            at, label = local(a.at, meta.tz)
            usual = p.usual_hours()
            usual_text = ""
            if usual:
                from ..account import hours_text

                usual_text = ", usual hours " + hours_text(usual, zone(meta.tz), a.at)
            return f"{at:%H:%M} {label}{usual_text} ({percent(shares[o.hour])} of its activity in this hour)"

        return Finding("hour", min(bits, HOUR_CAP), reason, f"hour:{o.hour}")
