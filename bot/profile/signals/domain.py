"""A link to a domain it never linked."""

from __future__ import annotations

from .base import Finding, Signal, surprisal

DOMAIN_CAP = 6.0


class DomainSignal(Signal):
    name = "domain"
    memories = {"domains": ("counter", 300)}

    def score_one(self, p, o, a, meta, world):
        memory = self.domains
        if not o.domains or memory.mass() < 5:
            return None
        new = [host for host in o.domains if memory.count(host) <= 0]
        if not new:
            return None
        bits = surprisal(memory.p_new())
        if bits < 0.5:
            return None
        return Finding("domain", min(bits, DOMAIN_CAP),
                       f"links to {new[0]}, never linked before ({len(memory.weights):,} domains known)",
                       f"domain:{new[0]}")

    def learn_one(self, p, o, weight):
        for host in o.domains:
            self.domains.add(host, weight)
