"""Amplifying criticism of its own government (S2's likes of posts attacking it)."""

from __future__ import annotations

from ..lexicon import IDEA
from .base import Finding, Signal
from .words import kind_name

CRITIC_BITS = 10.0
IDEA_CRITIC_BITS = 7.0  # only an idea matched loosely (a government and a word of blame in any wording)
# criticism of its government, and blame of the account itself by its own name (observe._attacks_itself)
CATEGORIES = ("critic", "critic_self")


class CriticSignal(Signal):
    name = "critic"
    learned = False

    def score_one(self, p, o, a, meta, world):
        for category, evidence in o.categories:
            if category in CATEGORIES:
                if "target_kind:" + category in p.exempt:
                    return None
                # each kind counted apart: an account that reposts its supporters answering blame aimed at
                # it ("... no Uribe. En vez de mentir y difamar, @ClaudiaLopez debería ...") has engaged
                # blame of itself, not critics of its government
                seen = p.tcats.count(category)
                # fades slowly: a state account engaging critics of its own government is never routine, and
                # a hijacker's spree of such likes must not teach the profile that the fourth one is normal.
                # Blame of the account itself by its own name is as plain as a critic's slogan: its name, not
                # any government's word, is what the blame is read with (observe._attacks_itself)
                base = IDEA_CRITIC_BITS if IDEA in evidence and category == "critic" else CRITIC_BITS
                return Finding(
                    "critic",
                    base / (1.0 + 0.25 * seen),
                    f"{kind_name(o.kind)} of content that {evidence}",
                    "target_kind:" + category,
                )
        return None
