"""A hashtag it never used."""

from __future__ import annotations

from ..counts import Counter
from .base import Finding, Signal, surprisal


class HashtagSignal(Signal):
    name = "hashtag"
    memories = {"hashtags": ("counter", 300)}
    hashtags: Counter

    def score_one(self, p, o, a, meta, world):
        memory = self.hashtags
        if not o.hashtags or memory.mass() < 10:
            return None
        new = [h for h in o.hashtags if memory.count(h) == 0]
        if not new:
            return None
        bits = 0.5 * surprisal(memory.p_new())
        if bits < 0.5:
            return None
        return Finding("hashtag", min(bits, 3.0), f"new hashtag #{new[0]}", f"hashtag:{new[0]}")

    def learn_one(self, p, o, weight: float):
        for tag in o.hashtags:
            self.hashtags.add(tag, weight)
