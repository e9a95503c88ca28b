"""Who or what it engages with, by kind (a foreign leader, a partisan claim, the host's politics): each
kind counts in proportion to how new it is for this account, and the kinds add up. The kinds come from
the word lists (observe.py), so this signal only ever adds weight to what the structure shows."""

from __future__ import annotations

from ..lexicon import FLASH_IDEA, IDEA, claims_alarm
from .base import Finding, Signal, surprisal
from .naming import names_its_world
from .target import names_it
from .words import counted

TERM_CATEGORIES = ("alarm", "partisan_claim")
# Bits of surprisal a kind of engagement needs before it counts (tried lower for alarms: real
# condolences after attacks use the same words, see docs/detection.md).
CATEGORY_FLOOR: dict[str, float] = {"alarm": 1.0}
TARGET_KIND_BITS = {
    "foreign_leader": 6.0,
    "host_politics": 3.0,
    "partisan_claim": 8.0,
    "alarm": 11.0,
    "crypto_promoter": 8.0,
    "foreign_partisan": 8.0,
    "disown": 6.0,
}
# An account with a short history has not had the chance to show that it never does these things: its
# rate is judged as if it had this many more activities without them (official accounts rarely do).
CATEGORY_PRIOR_ACTIVITIES = 100.0
# Several distinct alarming or partisan claims in one text ("surrender", "the war is lost", "lay down
# your weapons") are more than one: each one beyond the first adds this, twice at most.
EXTRA_TERM_BITS = 2.0
# An idea found by its stems in any wording (lexicon.Concepts), with no exact phrase of the lists: looser
# evidence, so it weighs less than a listed phrase ("the minister who stepped down last year..."). An
# alarm idea headed by a news-flash label it never used ("BREAKING: The Prime Minister steps down") is
# asserted as news, and weighs as a listed phrase.
IDEA_BITS = 7.0
# Withdrawing from something (an un-like, an unfollow) is not engaging with it: unfollowing a foreign
# vice-president it once followed says nothing of what it now amplifies.
UNDOING = frozenset({"unlike", "unfollow"})


def distinct_terms(terms: list[str]) -> int:
    """Distinct terms, not counting one inside another ("resigning" inside "i am resigning")."""
    words = [t.split(":", 1)[-1] for t in terms]
    return sum(1 for t in words if not any(t != u and t in u for u in words))


class TargetKindSignal(Signal):
    name = "target_kind"

    def score_one(self, p, o, a, meta, world):
        if not o.categories or o.kind in UNDOING:
            return None
        tcats = p.tcats
        parts: list[tuple[float, str, str]] = []
        for category, evidence in o.categories:
            base = TARGET_KIND_BITS.get(category)
            if base is None:
                continue
            if category == "foreign_leader" and o.target_key and world.watched_handle(a.platform, o.target_key):
                continue  # a watched leader is judged by who it is to this account (stranger.py), not by a list
            if category == "foreign_leader" and (names_it(p, o) or names_its_world(p, o)):
                # a leader's post that names the account's own world (its leader, a city it writes about:
                # "Look forward to welcoming India's PM Modi", reposted by his office) is diplomacy
                # addressed to it; S1's leader claimed an election and named nothing of the embassy's
                continue
            if category == "host_politics" and (meta.affiliation or o.kind == "post"):
                continue  # its own posts on host politics are diplomatic work; the affiliation check judges the rest
            if category == "partisan_claim" and o.kind == "post":
                base /= 2  # in its own words it is a matter of tone; amplifying someone else's claim is the case
            seen = tcats.count(category)
            extra = 0.0
            if category in TERM_CATEGORIES:
                # judged by its rarest term: often "resigning" in the news is no licence for "nuclear leak"
                terms = [t for t in o.terms if t.startswith(category + ":")]
                # an idea headed by a label of urgent news, or by a news-flash label it never used, is
                # asserted as news; the label alone, with no claim the lists know, is only the idea of
                # urgent news
                asserted = (
                    category == "alarm"
                    and claims_alarm(terms)
                    and ("alarm:" + FLASH_IDEA in terms or p.signals["style"].flashes(p, o, a.text))
                )
                if terms and all(t.startswith(category + ":" + IDEA) for t in terms) and not asserted:
                    base = min(base, IDEA_BITS)  # an idea matched loosely, no exact phrase: less sure
                if terms:
                    seen = min(tcats.count(t) for t in terms)
                    if seen < 1.5:
                        extra = EXTRA_TERM_BITS * min(2, distinct_terms(terms) - 1)
            # surprisal of engaging with this kind at all, against all its activity (floored: some is normal)
            prior = CATEGORY_PRIOR_ACTIVITIES if category in TERM_CATEGORIES else 1.0
            rate = (seen + 0.5) / (p.kinds.mass() + prior)
            bits = min(base, surprisal(rate) - CATEGORY_FLOOR.get(category, 3.0)) + extra
            if f"target_kind:{category}" in p.exempt:
                continue
            if bits >= 0.5:
                parts.append((bits, evidence, category, seen))
        if not parts:
            return None
        parts.sort(reverse=True)
        bits = parts[0][0] + 0.7 * sum(part[0] for part in parts[1:])
        return Finding("target_kind", bits, _reason(parts, p.n), f"target_kind:{parts[0][2]}")


def _reason(parts: list[tuple[float, str, str, float]], activities: int) -> str:
    """What it engaged with and how new each kind is: "partisan claim (cheated, fraud); takes sides in
    US politics: each a first in 300 activities", or each kind with its count when some are not firsts."""
    if all(seen < 0.5 for *_, seen in parts):
        each = "each " if len(parts) > 1 else ""
        return (
            "; ".join(part[1] for part in parts) + f": {each}a first in {counted(activities, 'activity', 'activities')}"
        )
    return "; ".join(
        f"{evidence}; {'a first' if seen < 0.5 else f'{seen:.0f} such before'}" for _, evidence, _, seen in parts
    )
