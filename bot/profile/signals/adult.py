"""Engaging with sexual content (S2's liked clip)."""

from __future__ import annotations

from .base import Finding, Signal
from .words import kind_name

KINDS = frozenset({"like", "repost", "quote", "follow", "reply"})


class AdultSignal(Signal):
    name = "adult"
    learned = False
    kinds = KINDS

    def score_one(self, p, o, a, meta, world):
        for category, evidence in o.categories:
            if category == "adult":
                if "target_kind:adult" in p.exempt:
                    return None
                seen = p.tcats.count("adult")
                return Finding("adult", 20.0 / (1.0 + seen), f"{kind_name(o.kind)} of {evidence}", "target_kind:adult")
        return None
