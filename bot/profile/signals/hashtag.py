"""A hashtag family it never used: #UNGA2017 after #UNGA71 and #unga is the same campaign again, and
#StopTheSteal on an account that never used it is new."""

from __future__ import annotations

import re

from ..counts import Counter
from .base import Finding, Signal, surprisal

# A family is the hashtag without case, digits and joiners: the yearly, numbered and spelled-out forms
# of one event or campaign (#UNGA, #UNGA71, #UNGA2017; #PASO2015, #PASO2017; #G20, #G20Summit is
# another family, as a summit's own tag is a campaign of its own).
_NOT_FAMILY_RE = re.compile(r"[\d_]+")
FAMILY_MIN = 3  # letters a family keeps; shorter (#G20 -> "g") stays the tag itself


def family(tag: str) -> str:
    kept = _NOT_FAMILY_RE.sub("", tag.lower())
    return kept if len(kept) >= FAMILY_MIN else tag.lower()


class HashtagSignal(Signal):
    name = "hashtag"
    memories = {"hashtags": ("counter", 300)}  # hashtag families
    hashtags: Counter

    def score_one(self, p, o, a, meta, world):
        memory = self.hashtags
        if not o.hashtags or memory.mass() < 10:
            return None
        new = [h for h in o.hashtags if memory.count(family(h)) == 0]
        if not new:
            return None
        bits = 0.5 * surprisal(memory.p_new())
        if bits < 0.5:
            return None
        return Finding("hashtag", min(bits, 3.0), f"new hashtag #{new[0]}", f"hashtag:{family(new[0])}")

    def learn_one(self, p, o, weight: float):
        for tag in o.hashtags:
            self.hashtags.add(family(tag), weight)
