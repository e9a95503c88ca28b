"""Engaging with sexual content (S2's liked clip)."""

from __future__ import annotations

from .base import Finding, Signal
from .words import kind_name

KINDS = frozenset({"like", "repost", "quote", "follow", "reply"})
# An adult word in a post by an account it already amplifies is that account talking about the subject
# (a prime minister's adviser announcing an online porn filter), not adult content: it weighs like a
# sensitive label. An adult account, or a stranger's post, keeps the full weight.
PARTNER_WORDS_CAP = 6.0


def partners_words(p, o, evidence: str) -> bool:
    """Whether the adult content found is only an adult word in a post of an account it already
    amplifies (no adult handle in the evidence): that account talking about the subject."""
    return "@" not in evidence and bool(o.target_key) and p.partners.count(o.target_key) > 0


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
                bits = 20.0 / (1.0 + seen)
                if partners_words(p, o, evidence):
                    bits = min(bits, PARTNER_WORDS_CAP)
                return Finding("adult", bits, f"{kind_name(o.kind)} of {evidence}", "target_kind:adult")
        return None
