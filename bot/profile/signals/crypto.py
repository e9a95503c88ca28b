"""Crypto-scam patterns (I34, I35, I49, I57, I60): wallet addresses, 'send 1 get 2', airdrops."""

from __future__ import annotations

import re

from ..lexicon import lexicon
from .base import Finding, Signal

KINDS = frozenset({"post", "reply", "quote", "repost", "like"})
HOST_SPLIT_RE = re.compile(r"[.\-]")


class CryptoSignal(Signal):
    name = "crypto"
    learned = False
    kinds = KINDS

    def score_one(self, p, o, a, meta, world):
        if "crypto" in p.exempt:
            return None
        # scam links name themselves ("btc-double.io"): their domains' words count as text
        words = " ".join(part for host in o.domains for part in HOST_SPLIT_RE.split(host))
        hits = lexicon().crypto_scam(f"{o.text} {words}", o.target if o.kind != "post" else None)
        if not hits:
            return None
        wallet = any(h.startswith("wallet address") for h in hits)
        return Finding(
            "crypto", 20.0 if wallet else 16.0, "crypto-scam pattern (" + ", ".join(hits[:4]) + ")", "crypto"
        )
