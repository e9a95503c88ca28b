"""A link to a domain it never linked, weighted by how often this account links somewhere new: per
activity, not per link, so an account that links twice a year pays dearly for a new domain, and a
newsroom that links a new outlet every day pays little."""

from __future__ import annotations

from ..counts import Counter
from .base import Finding, Signal, surprisal
from .words import counted, percent

# Its own rate decides, and its faded memory (counts.HALF_LIFE) already bounds that rate at about one
# new domain in 4,300 activities, 12 bits: a new domain alone stays just under the alert line, and any
# second sign (words it seldom uses, an opener label, an odd hour) carries a news flash linking a site
# it never linked (the AP hoax's shape). The cap was 9 bits (one in 500), which silenced that case on
# accounts that almost never link; lifting it cost no false alarm on the real timelines.
DOMAIN_CAP = 12.0
MIN_ACTIVITIES = 30  # before this, how often it links somewhere new is not known


def _linked(known: int, p_new: float, activities: float, shortened: float = 0.0) -> str:
    """How often it links somewhere new: "12 domains known; 1.4% of its activities link somewhere new",
    or, for an account that never showed a domain, its first link in so many activities, or its first
    whose domain shows when a shortener hid where its links led (the journalist must know that the
    account did link, only not where)."""
    if known == 0 and shortened >= 0.5:
        return (
            f"its first link whose domain shows in {counted(activities, 'activity', 'activities')}: its "
            f"{counted(shortened, 'link', 'links')} before were shortened, where they led unseen"
        )
    if known == 0:
        return f"its first link anywhere in {counted(activities, 'activity', 'activities')}"
    return f"{counted(known, 'domain', 'domains')} known; {percent(p_new)} of its activities link somewhere new"


class DomainSignal(Signal):
    name = "domain"
    # domains it linked; "seen" counts every activity it learned (the denominator of its rate of new
    # domains) and its shortened links ("short")
    memories = {"domains": ("counter", 300), "seen": ("counter", 2)}
    domains: Counter
    seen: Counter

    def p_new(self) -> float:
        """The chance that its next activity links a domain it never linked."""
        return (self.domains.novel / self.domains.clock.gain + 0.5) / (self.seen.count("all") + 1.0)

    def score_one(self, p, o, a, meta, world):
        if not o.domains or self.seen.count("all") < MIN_ACTIVITIES:
            return None
        memory = self.domains
        new = [host for host in o.domains if memory.count(host) <= 0]
        if not new:
            return None
        p_new = self.p_new()
        bits = surprisal(p_new)
        if bits < 0.5:
            return None
        return Finding(
            "domain",
            min(bits, DOMAIN_CAP),
            f"links to {new[0]}, never linked before "
            f"({_linked(len(memory.weights), p_new, self.seen.count('all'), self.seen.count('short'))})",
            f"domain:{new[0]}",
        )

    def learn_one(self, p, o, weight: float):
        self.seen.add("all", weight)
        if o.shortened:  # links it made whose domain no one sees (told, not scored: see _linked)
            self.seen.add("short", weight * o.shortened)
        for host in o.domains:
            self.domains.add(host, weight)
