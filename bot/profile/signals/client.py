"""The app it posts from: real takeovers were sent from apps the account never used (COMPA's client
feature, see docs/detection.md)."""

from __future__ import annotations

from ..counts import Counter
from .base import Signal
from .categorical import categorical
from .words import counted, percent, usual_text


def _reason(value: str, share: float, top: list, seen: float) -> str:
    return (
        f"sent from {value!r}, "
        + (f"{percent(share)} of its activity" if share else f"never used in {counted(seen, 'activity', 'activities')}")
        + f" (usually {usual_text(top)})"
    )


class ClientSignal(Signal):
    name = "client"
    memories = {"clients": ("counter", 40)}
    clients: Counter

    def score_one(self, p, o, a, meta, world):
        return categorical(self.clients, o.client, "client", 9.0, _reason, floor=5.0)

    def learn_one(self, p, o, weight: float):
        if o.client:
            self.clients.add(o.client, weight)
