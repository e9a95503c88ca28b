"""Takeovers that sign their work ('Hacked by ...', 'Tango down': I05, I06, I10, I12)."""

from __future__ import annotations

from ..lexicon import lexicon
from .base import Finding, Signal

# A takeover signs at the head of its post ("Hacked by ...", "Tango down. This account has been taken
# over"); "hacked by" deep in a sentence is reported speech ("after it was supposedly hacked by Russia",
# the only hit in the real timelines' 130,000 texts).
SIGNATURE_HEAD = 60  # characters


class HackClaimSignal(Signal):
    name = "hack_claim"
    learned = False
    kinds = frozenset({"post", "reply", "quote"})

    def score_one(self, p, o, a, meta, world):
        if not o.text or "hack_claim" in p.exempt:
            return None
        hits = lexicon().hack_claims.find(o.text)
        if hits:
            own = (a.text or "").lower()
            hits = [hit for hit in hits if 0 <= own.find(hit) <= SIGNATURE_HEAD]
        if not hits:
            return None
        return Finding("hack_claim", 16.0, "its own text claims a takeover (" + ", ".join(hits[:2]) + ")", "hack_claim")
