"""I43 (@USSTRATCOM posts ';l;;gmlxzssaw'): an official post with no word in it is someone else at the
keyboard, or nobody."""

from __future__ import annotations

from .base import Finding, Signal


class GibberishSignal(Signal):
    name = "gibberish"
    learned = False
    kinds = frozenset({"post", "reply", "quote"})

    def score_one(self, p, o, a, meta, world):
        if "gibberish" in p.exempt or not o.gibberish:  # (observe.py)
            return None
        return Finding("gibberish", 14.0, f"posted a string with no word in it ({a.text.strip()[:40]!r})", "gibberish")
