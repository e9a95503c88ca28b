"""S1's shape: amplifying another watched official account it has never had anything to do with (the
Chinese Embassy in the US reposting the US president). The watch list itself says who the officials
are, so this needs no word list: neither account has ever amplified, mentioned or answered the other.
With countries on the watch list, an account of its own government is never a stranger.

Weighted by how rare such a first is for this account: the officials it took up so far against all
its amplifications. It is scored as the surprise of a stranger official beyond that of any new target
(TargetSignal already counts the newness), so the two add up to the surprise of the event itself. Most
such firsts are about the account (the post names its person, its country, someone of its circle): one
that names nothing of its world counts the rarity of that too."""

from __future__ import annotations

from ..counts import GROWTH
from ..text import prose
from .base import Finding, Signal, surprisal
from .naming import cased, names_its_world
from .target import ENDORSING, NAMELESS_CAP, names_it
from .words import kind_name

STRANGER_CAP = 13.0  # the whole event, new target included
# Its rate of such firsts is estimated with a prior: official accounts rarely take up a stranger
# official (41 times in the 40,018 reposts and quotes of the 65 real timelines replayed from their start
# with every account watched, about 1 in 976, officials it had only named included), so a short history
# is judged as if it had PRIOR_AMPLIFICATIONS more amplifications at about that rate.
PRIOR_AMPLIFICATIONS = 100.0
PRIOR_FIRSTS = 0.1
# Reposts and quotes: the endorsements S1 is made of. A like is the lighter one, and the real incidents
# of likes are about what was liked (explicit clips, criticism of its own government: S2, I19, I22,
# I38), never about a foreign official liked; a like of a stranger official's ordinary post alerted on 44
# of the 65 real timelines' accounts probed (Obama's account liking Montenegro's government on its
# troops for Afghanistan), and in the evaluation's routine likes, where an account likes what it
# reposts, Netanyahu's liking Santos. A like is judged as any like: by whom (a new account, at its own
# rate) and by what it liked.
KINDS = ENDORSING


FIRSTS_KEPT = 300

# Most of an official's firsts of this kind are about the account itself: the post it amplifies names its
# person, its country or its event ("Excellent meeting with Lars Løkke Rasmussen", "PM is in UAE to help
# boost British business", "Good to meet New Zealand PM @johnkeypm"): a name it writes itself, a hashtag
# it uses ("#Montenegro" reposted by Montenegro's government), or someone of its circle (naming.py). Of
# the 41 such firsts of the real timelines replayed from their start, 24 did. One that names nothing of
# its world (a foreign leader's election claim reposted by an embassy) is rarer by the share of its own
# firsts that named nothing (the target check learns it: a ministry whose firsts nearly always name its
# world pays more than an ex-president who reposts what he reads), and counts that surprisal beyond the
# event's, capped or not.


class StrangerSignal(Signal):
    name = "stranger"
    kinds = KINDS
    # the accounts it amplified for the first time (target -> its activity number then), most recent
    # last: which of them are watched officials is asked of the watch list when scoring, so a later
    # watch list still counts
    memories = {"firsts": ("map", 0)}
    firsts: dict[str, int]

    def officials_first(self, world, platform: str, account: str, country: str | None, now: int) -> tuple[int, float]:
        """The stranger officials it took up: watched accounts of another government (when countries
        are known) that never amplified, mentioned or answered it back. A first of an official who
        knows it (its own embassy, a partner that mentions it) is not a first of this kind, and counting
        it would make the next stranger look routine. Returned as a count and as a weight faded as its
        amplifications are (`now` is its activity number, counts.HALF_LIFE)."""
        count, faded = 0, 0.0
        for handle, then in self.firsts.items():
            official = world.watched_handle(platform, handle)
            if official is None or world.knows(platform, official, account):
                continue
            theirs = world.country_of(platform, official)
            if country and theirs and country.lower() == theirs.lower():
                continue
            count += 1
            faded += _fade(now, then)
        return count, faded

    def score_one(self, p, o, a, meta, world):
        if not o.target_key:
            return None
        official = world.watched_handle(a.platform, o.target_key)
        if official is None or official.lower() == a.account.lower():
            return None
        # its circle, for amplifying: whom it amplified or answered, and who amplified, mentioned or
        # answered it. Its own mentions are not enough: an embassy names a foreign leader when it reports
        # a meeting or a congratulation, and a first repost of him is still its first endorsement
        target = p.signals["target"]
        key = official.lower()
        if target.engaged(key) or world.knows(a.platform, official, a.account):
            return None
        if names_it(p, o):
            return None  # a visit's host thanking it ("received the visit of @larsloekke") is no stranger
        theirs = world.country_of(a.platform, official)
        mine = meta.country or p.country
        if mine and theirs and mine.lower() == theirs.lower():
            return None  # its own government's account: a first repost of one's own leader is not S1
        amplified = target.fresh.count("group:amplify")
        officials, faded = self.officials_first(world, a.platform, a.account, mine, p.n)
        rate = (faded + PRIOR_FIRSTS) / (amplified + PRIOR_AMPLIFICATIONS)
        # names are read by their capitals: a text without any (Arabic, Thai, Chinese) may name its
        # world unseen, so only a text in a cased script can be said to name nothing of it
        nameless = cased(prose(o.target_text)) and not names_its_world(p, o, world.vocabulary(a.platform, official))
        event = min(STRANGER_CAP, surprisal(rate))
        if nameless:
            event += min(NAMELESS_CAP, surprisal(target.nameless_share()))
        # what the target check says of it: the newness of the target, less where the account only ever
        # named the official (its own mentions are no engagement, so the event is the same first
        # endorsement, and the whole of it is counted between the two)
        bits = event - target.counts_bits(p, o, a, world)
        if bits < 0.5:
            return None
        whose = f" of {theirs}" if theirs and mine else ""
        reason = (
            f"{kind_name(o.kind)} of @{official}, a watched official account{whose} outside its circle "
            f"({_apart(p.partners.count(key) > 0)}; {_firsts(officials)} in {amplified:,.0f} amplifications)"
        )
        if nameless:
            reason += "; it names nothing of the account's own: no name it writes, no one of its circle"
        return Finding("stranger", bits, reason, f"target:{o.target_key}")

    def learn_one(self, p, o, weight: float):
        # a first: an account it never amplified or answered before this, as its circle is read above (an
        # official it had only named is a stranger to amplify, and counts among its firsts of this kind,
        # or its reasons would say "0 such firsts" of an account that had made one). The target check
        # learns first, so this activity's own weight is already in its memory
        if weight > 0 and o.target_key and not p.signals["target"].engaged(o.target_key, besides=weight):
            firsts = self.firsts
            firsts.pop(o.target_key, None)
            firsts[o.target_key] = p.n
            if len(firsts) > FIRSTS_KEPT:
                del firsts[next(iter(firsts))]


def _fade(now: int, then: int) -> float:
    """The weight now of a first taken up at activity number `then`: faded as the amplifications it is
    counted against are. Counted in full, an embassy's two firsts of 2013 weighed against its last
    three years' amplifications alone, as if it took up a stranger official every hundred. A first kept
    from before the activity number was stored (an epoch time, larger than any number) counts in full."""
    return GROWTH ** -(now - then) if then <= now else 1.0


def _apart(named: bool) -> str:
    """How far apart the two accounts are, as the reason tells it."""
    if named:
        return "it only ever named them in its own posts, never amplified or answered them, nor they it"
    return "neither ever amplified, mentioned or answered the other"


def _firsts(officials: int) -> str:
    """How many stranger officials it took up before: "a first", "1 such first", "5 such firsts"."""
    return "a first" if officials == 0 else f"{officials} such first{'' if officials == 1 else 's'}"
