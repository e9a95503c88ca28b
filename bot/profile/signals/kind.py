"""A kind of action it rarely or never takes (a first like in 3,000 activities)."""

from __future__ import annotations

import math

from .base import Finding, Signal, surprisal
from .words import counted, kind_name, percent, plural

# undoing or echoing a kind it does is in character: a quote from an account that reposts
RELATED = {"repost": "quote", "quote": "repost", "unlike": "like"}
# A like is the lighter endorsement of what it reposts, and feeds rarely carry likes from before an account
# is watched (the 65 real timelines carry none): an account that reposts every week and shows no like has
# not shown that it never likes. Its reposts set a floor under its rate of likes (RELATED_WEIGHT of theirs),
# so its first like is judged by whom and what it likes (the probes' first like of a stranger's ordinary
# post, 13 bits of kind alone, alerted on 20 of the 65 accounts). The floor shrinks as its own likes are
# seen (divided by one more than their count): once the feed shows them, its likes speak for themselves.
# One that never amplified anyone keeps the full first.
LIGHTER = {"like": "repost"}
RELATED_WEIGHT = 0.3
NEWS_KINDS = ("like", "unlike", "follow", "unfollow", "delete")  # a first of these is news by itself
# Actions come in runs: minutes after a reply, another reply is likely whatever the long-run mix says.
# A kind it took within this window (learned or held out after an alert) is no news as a kind; a
# palace's first replies, three in five minutes, are one first, and the rest is judged by what they say.
RUN_WINDOW = 900.0


class KindSignal(Signal):
    name = "kind"
    context = True

    def score_one(self, p, o, a, meta, world):
        kinds = p.kinds
        total = kinds.mass()
        if total <= 0 or p.same_kind(o.kind, o.t, RUN_WINDOW) > 1:
            return None
        own = kinds.count(o.kind)
        related = RELATED.get(o.kind)
        related_count = kinds.count(related) if related else 0.0
        prob = (own + RELATED_WEIGHT * related_count + 0.5) / (total + 5.0)
        heavier = LIGHTER.get(o.kind)
        heavier_count = kinds.count(heavier) if heavier else 0.0
        prob = max(prob, RELATED_WEIGHT * heavier_count / ((total + 5.0) * (1.0 + own)))
        bits = surprisal(prob) - 3.0
        if own < 0.5 and not (related_count >= 1.0 or heavier_count >= 1.0):
            # never once in its history: the longer the history, the stronger
            cap = 13.0 if o.kind in NEWS_KINDS else 10.0
            bits = max(bits, min(cap, math.log2(p.n / 2.0 + 1.0) + 3.0))
        if bits <= 0:
            return None
        since = p.kinds_since(o.kind)
        if since is None or own < 0.5:
            reason = f"first {kind_name(o.kind)} in {p.n if since is None else since:,} activities"
        else:
            reason = (
                f"{plural(o.kind)} are {percent(own / total)} of its activity "
                f"(last one {counted(since, 'activity', 'activities')} ago)"
            )
        return Finding("kind", bits, reason, f"kind:{o.kind}")
