"""Amplifying criticism of its own government (S2's likes of posts attacking it)."""

from __future__ import annotations

from ..lexicon import IDEA
from .base import Finding, Signal
from .words import kind_name

CRITIC_BITS = 10.0
IDEA_CRITIC_BITS = 7.0  # only an idea matched loosely (a government and a word of blame in any wording)


class CriticSignal(Signal):
    name = "critic"
    learned = False

    def score_one(self, p, o, a, meta, world):
        for category, evidence in o.categories:
            if category == "critic":
                if "target_kind:critic" in p.exempt:
                    return None
                seen = p.tcats.count("critic")
                # fades slowly: a state account engaging critics of its own government is never routine, and
                # a hijacker's spree of such likes must not teach the profile that the fourth one is normal
                base = IDEA_CRITIC_BITS if IDEA in evidence else CRITIC_BITS
                return Finding(
                    "critic",
                    base / (1.0 + 0.25 * seen),
                    f"{kind_name(o.kind)} of content that {evidence}",
                    "target_kind:critic",
                )
        return None
