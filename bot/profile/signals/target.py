"""Whom it amplifies, answers or follows: a never-seen target, weighted by how rarely its targets are new,
and, for a post it amplifies, by how rarely such a post names nothing of its world."""

from __future__ import annotations

from ..counts import Counter
from ..text import prose
from .base import Finding, Signal, surprisal
from .naming import cased, names_its_world
from .words import counted, plural

# Which interaction-target memory a kind consults: amplifying, answering or following someone.
TARGET_GROUP = {
    "repost": "amplify",
    "quote": "amplify",
    "like": "amplify",
    "unlike": "amplify",
    "reply": "reply",
    "follow": "follow",
    "unfollow": "follow",
}
TARGET_CAP = 10.0  # a never-seen target for an account whose targets are almost never new
KIND_RATE_MIN = 10.0  # actions of a kind before its own rate of new targets counts
HELD_TARGET_WEIGHT = 0.25  # an alerted activity's target, learned while the alert awaits a moderator
VERBS = {"amplify": "amplified", "reply": "replied to", "follow": "followed"}
# what a group's rate of new targets is a share of, told in a reason
GROUP_ACTIONS = {"amplify": "amplifications", "reply": "replies", "follow": "follows"}
UNDOING = frozenset({"unlike", "unfollow"})
# Most posts it amplifies from an account it never engaged name something of its world (someone of its
# circle, a hashtag it uses, a name it writes: naming.py): a citizen's thanks to its president, a report
# on its minister. On the 65 real timelines, 2,274 of 7,015 such firsts in a cased script named nothing
# of it, from 4% to 58% per account. One that names nothing is rarer by the account's own share, judged
# as if it had NAMELESS_PRIOR more such firsts at the timelines' share: S2's likes of critics, or a
# stranger's claim of a stolen election, name nothing of an ambassador's world. A watched official's
# post reposted or quoted is the stranger check's to read (stranger.py), as part of that event.
AMPLIFYING = frozenset({"repost", "quote", "like"})
# The endorsements S1 is made of, whose watched officials the stranger check reads (stranger.py): a like
# is the lighter one, judged here as any like, whoever wrote what it liked.
ENDORSING = frozenset({"repost", "quote"})
NAMELESS_SHARE = 0.32
NAMELESS_PRIOR = 10.0
NAMELESS_CAP = 5.0


def names_it(p, o) -> bool:
    """Whether the post it amplifies names the account itself: whoever wrote it has just addressed it
    ("Warm welcome to Brussels for @dilmabr", reposted by her), so its author is no stranger."""
    return o.kind in ("repost", "quote", "like") and p.handle.lower() in o.mentions


class TargetSignal(Signal):
    name = "target"
    kinds = frozenset(TARGET_GROUP)
    # "fresh" counts, per kind, its actions and those whose target was new then: reposts of strangers
    # can be everyday news work while likes of strangers never happen, so each kind has its own rate
    memories = {
        "amplify": ("counter", 400),
        "reply": ("counter", 300),
        "follow": ("counter", 300),
        "fresh": ("counter", 32),
    }
    amplify: Counter
    reply: Counter
    follow: Counter
    fresh: Counter

    def memory(self, kind: str):
        return getattr(self, TARGET_GROUP[kind])

    def engaged(self, key: str, besides: float = 0.0) -> bool:
        """Whether it ever amplified or answered the account (naming it in its own posts is not engaging),
        beyond `besides`: the weight of the activity being learned, when this check has learned it already."""
        return self.amplify.count(key) > besides * (1.0 + 1e-6) or self.reply.count(key) > 0

    def _rate(self, kind: str, memory) -> tuple[float, bool]:
        """The chance that its next action of this kind has a target it never had (the kind's own rate
        once there are enough of them, else its group's, reposts, quotes and likes together, else the
        memory's own estimate), and whether it is the kind's own rate: a first like is judged by the rate
        of its amplifications, and its reason must say so, not "20% of its likes"."""
        for key in (kind, "group:" + TARGET_GROUP[kind]):
            done = self.fresh.count(key)
            if done >= KIND_RATE_MIN:
                return (self.fresh.count("new:" + key) + 0.5) / (done + 1.0), key == kind
        return memory.p_new(), False

    def _nameless(self, p, o) -> bool | None:
        """For a post it amplifies, in a cased script (names are read by their capitals): whether it names
        nothing of the account's world. None when that cannot be read."""
        if o.kind not in AMPLIFYING or not cased(prose(o.target_text)):
            return None
        return not names_its_world(p, o)

    def nameless_share(self) -> float:
        """The share of its amplified firsts (in a cased script) whose post named nothing of its world."""
        fresh = self.fresh
        return (fresh.count("nameless:amplify") + NAMELESS_SHARE * NAMELESS_PRIOR) / (
            fresh.count("cased:amplify") + NAMELESS_PRIOR
        )

    def _newness(self, p, o, a, world) -> tuple[float, float, bool, float, bool, float] | None:
        """(bits, seen, named, p_new, own_rate, nameless bits) for a target it judges, or None: how new
        the target is (its rate of new targets), divided by how well it knows it (its faded
        interactions, half its mentions and answers from them, and one more when the post names the
        account itself); and, for a never-seen one, how rarely its firsts name nothing of its world."""
        if not o.target_key or o.kind in UNDOING:
            # withdrawing says nothing of whom it engages with: an un-like of a post it liked before it
            # was watched, or an unfollow, is of an account its memory may never have seen (a spree of
            # them is the mass check's)
            return None
        memory = self.memory(o.kind)
        if memory.mass() < 3:
            return None  # nothing to compare with yet: the kind check speaks for a first-ever action
        named = names_it(p, o)
        seen = memory.count(o.target_key) + 0.5 * p.partners.count(o.target_key) + (1.0 if named else 0.0)
        p_new, own_rate = self._rate(o.kind, memory)
        bits = surprisal(p_new) / (1.0 + 2.0 * seen)
        if bits < 0.5:
            return None
        nameless = 0.0
        # (a watched official's post reposted or quoted is the stranger check's: it is not read here at all)
        official = o.kind in ENDORSING and world.watched_handle(a.platform, o.target_key) is not None
        if seen < 0.05 and not official and self._nameless(p, o):
            nameless = min(NAMELESS_CAP, surprisal(self.nameless_share()))
        return bits, seen, named, p_new, own_rate, nameless

    def counts_bits(self, p, o, a, world) -> float:
        """The bits this check's finding carries for the activity (0.0 when it has none): what another
        check that scores the whole event subtracts, so that the two add up to it."""
        found = self._newness(p, o, a, world)
        return min(found[0], TARGET_CAP) + found[5] if found else 0.0

    def score_one(self, p, o, a, meta, world):
        found = self._newness(p, o, a, world)
        if found is None:
            return None
        bits, seen, named, p_new, own_rate, nameless = found
        memory = self.memory(o.kind)
        verb = VERBS[TARGET_GROUP[o.kind]]
        if seen < 0.05:
            reason = (
                f"never interacted with @{o.target} before ({counted(len(memory.weights), 'account', 'accounts')} "
                f"{verb}; "
                f"{100 * p_new:.0f}% of its "
                f"{plural(o.kind) if own_rate else GROUP_ACTIONS[TARGET_GROUP[o.kind]]} are of new accounts)"
            )
            if nameless:
                reason += (
                    "; its post names nothing of the account's world (no one of its circle, no name or hashtag "
                    f"of its own), as {100 * self.nameless_share():.0f}% of the posts it took up from new accounts did"
                )
        elif named and seen < 1.05:
            reason = f"first amplification of @{o.target}, whose post names it"
        else:
            reason = f"rarely interacts with @{o.target} ({_how_often(memory.count(o.target_key))})"
        return Finding("target", min(bits, TARGET_CAP) + nameless, reason, f"target:{o.target_key}")

    def learn_one(self, p, o, weight: float):
        if o.target_key:
            memory = self.memory(o.kind)
            if o.kind not in ("unlike", "unfollow"):
                new = memory.count(o.target_key) <= 0 and p.partners.count(o.target_key) <= 0
                for key in (o.kind, "group:" + TARGET_GROUP[o.kind]):
                    self.fresh.add(key, weight)
                    if new:
                        self.fresh.add("new:" + key, weight)
                nameless = self._nameless(p, o) if new else None
                if nameless is not None:  # (learned before the shared partners: read as it was scored)
                    self.fresh.add("cased:amplify", weight)
                    if nameless:
                        self.fresh.add("nameless:amplify", weight)
            memory.add(o.target_key, weight)

    def hold_one(self, p, o) -> None:
        """The same target again minutes later is the same story, not a second one: its target alone is
        learned at a fraction of a weight (a different never-seen target stays as novel as the first)."""
        if o.target_key:
            self.memory(o.kind).add(o.target_key, HELD_TARGET_WEIGHT)


def _how_often(done: float) -> str:
    """How often it did this with the target before, as a journalist reads it (`done` is the faded
    count, recent ones weighing most): "about once before"."""
    if done < 0.75:
        return "hardly ever before: long ago, or only named"
    if done < 1.5:
        return "about once before"
    return f"about {done:.0f} times before"
