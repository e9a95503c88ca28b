"""Crypto-scam patterns (I34, I35, I49, I57, I60): wallet addresses, 'send 1 get 2', airdrops."""

from __future__ import annotations

from .base import Finding, Signal

KINDS = frozenset({"post", "reply", "quote", "repost", "like"})


class CryptoSignal(Signal):
    name = "crypto"
    learned = False
    kinds = KINDS

    def score_one(self, p, o, a, meta, world):
        if "crypto" in p.exempt:
            return None
        hits = o.crypto  # its text's and its links' evidence (observe.py)
        if not hits:
            return None
        wallet = any(h.startswith("wallet address") for h in hits)
        return Finding(
            "crypto", 20.0 if wallet else 16.0, "crypto-scam pattern (" + ", ".join(hits[:4]) + ")", "crypto"
        )
