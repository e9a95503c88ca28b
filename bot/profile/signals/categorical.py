"""The shared rule of the signals that count values (languages, clients, scripts): a value never used
is as surprising as its account's values are rarely new; a value used a few times is one of its own."""

from __future__ import annotations

from typing import Callable

from ..counts import Counter
from .base import Finding, surprisal

KNOWN_VALUE_COUNT = 2.0
KNOWN_VALUE_DISCOUNT = 2.0
# A value it never used here but knows from its other side (a language it amplified but never wrote
# in, or wrote in but never amplified) is about a tenth as likely as one of its own: a French
# president's first English post, after years of reposting English, is no stranger's writing.
RELATED_SHARE = 0.1


def categorical(
    memory: Counter,
    value: str | None,
    feature: str,
    cap: float,
    describe: Callable[[str, float, list, float], str],
    floor: float = 4.0,
    related: Counter | None = None,
    prior: float = 1.0,
    prior_over: float | None = None,
) -> Finding | None:
    if not value or memory.mass() < 5:
        return None
    share = memory.share(value)
    if share > 0:
        # a value it has used a few times is one of its own, however rarely (a French president's
        # English posts): only a first, or a lone earlier use, is strong evidence
        known = memory.count(value) >= KNOWN_VALUE_COUNT
        bits = surprisal(share) - floor - (KNOWN_VALUE_DISCOUNT if known else 0.0)
    else:
        bits = surprisal(memory.p_new(prior, prior_over))
        if related is not None and related.count(value) >= KNOWN_VALUE_COUNT:
            bits = min(bits, surprisal(RELATED_SHARE * related.share(value)) - floor)
    if bits < 0.5:
        return None
    # the reason tells how many it has seen the first is new among ("a first in 1,110 texts")
    return Finding(feature, min(bits, cap), describe(value, share, memory.top(2), memory.mass()), f"{feature}:{value}")
