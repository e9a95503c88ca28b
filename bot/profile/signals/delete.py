"""A deletion judged by how fast it came, against how fast this account usually deletes, and by what
it deleted: a repost of an account it never amplified, undone 12 minutes later, is S1's shape. A post
deleted after it was posted again corrected is a slip fixed, and one whose words stay up in an earlier
post of its own a duplicate cleared: neither is a retraction."""

from __future__ import annotations

from ..counts import Bins
from .base import Finding, Signal, surprisal
from .dormancy import GAP_BINS, gap_bin
from .words import counted

QUICK_DELETE_PRIOR = 5.0  # deletions assumed slow before its own say otherwise (officials rarely retract)
QUICK_DELETE_BITS = 4.0  # a retraction within hours is news in itself, more so from an account that never does
DELETED_SHARE = 0.8  # how much of the deleted item's own oddity the deletion carries
OLD = 10**9  # seconds: a deletion of something older than it remembers
# A repost of an account it had never amplified, taken back within the hour, is S1 as it ended: the
# embassy undoing its retweet of the president. What it deleted was scored by how new its target was,
# and for an account that reposts new accounts every day that is little (2 bits for an office whose
# reposts go to new accounts 58% of the time), so an independent check's undone reposts of strangers
# stayed at 9-12 bits on such accounts. Taking back a first amplification is rare whatever the rate of
# firsts: it is counted apart, as a retraction in itself is.
UNDONE_FIRST_BITS = 4.0
UNDONE_FIRST_WINDOW = 3600.0
# A post of its own deleted within a minute and a half is how a slip is fixed where posts cannot be
# edited, most often before the corrected post is up (which comes after, unseen yet when the deletion
# is judged); a retraction comes when others have seen the post, minutes to hours later (the embassy's
# "Perdió Cristina" and Number 10's "Arrogant and offensive" went minutes later). Two independent checks'
# slip fixes, a post deleted a minute later and posted again corrected, alerted in a third of their
# cases on the speed alone. So fast, an ordinary post's deletion counts the flat QUICK_DELETE_BITS, not
# the surprisal of its speed; what the post itself scored still counts (a hijacker's post deleted at
# once is odd for what it said).
SLIP_SECONDS = 90.0
SLIP_ODD = 2.0
# Slower, a post holding a slip of the fingers (a word it never wrote, one keystroke from one it writes:
# typo.py) is still a typo being fixed: the evaluation's and two independent checks' slips, deleted one
# to six minutes later before the correction was up, alerted on their speed (12-19 of 40 a run, 9 of
# 30). A retraction has no slip to fix ("Perdió Cristina", "Arrogant and offensive").
TYPO_SECONDS = 900.0


class DeleteSignal(Signal):
    name = "delete"
    kinds = frozenset({"delete"})
    memories = {"delays": ("bins", GAP_BINS)}  # how long after posting it deletes (log2 minutes)
    delays: Bins

    def score_one(self, p, o, a, meta, world):
        posted = p.own_item(o.deleted_id)
        if posted is None:
            return None
        at, what, odd = posted
        delay = max(0.0, o.t - at)
        if delay > 6 * 3600:
            return None
        # posted again, corrected, before the slip was deleted (how typos are fixed where posts cannot
        # be edited), or posted twice and one copy cleared: its words are still up, scored as a post of
        # their own; deleting the slip or the copy adds nothing.
        if not what and p.corrected(o.deleted_id, o.t) is not None:
            return None
        # share of its deletions at least this fast (a prior of slow ones: officials rarely retract)
        shares = self.delays.shares()
        mass = self.delays.mass()
        fast = mass * sum(shares[: gap_bin(delay) + 1])
        # with no deletion of its own to compare, how fast it deletes is the prior alone, and the kind
        # check already counts that it never deletes (its first deletion in 2,000 activities): counting
        # both made a typo fixed ten minutes later a critical alert. An account whose deletions were all
        # slips fixed or copies cleared (learned as deletions, not as retractions) has deleted before,
        # so the kind check says nothing: the prior speaks. Without it, an independent check's repost of
        # a stranger undone 25 minutes later counted only 4 bits for its speed on such an account.
        bits = QUICK_DELETE_BITS
        deleted_before = p.kinds.count("delete") >= 1.0
        slip = _slip(what, delay, odd)
        typo = None if slip else _typo(p, o, what, delay, odd, lambda key: world.writes(a.platform, key, a.account))
        slip = slip or typo is not None
        if (mass >= 1.0 or deleted_before) and not slip:
            bits = min(9.0, bits + surprisal((fast + 0.5) / (mass + QUICK_DELETE_PRIOR)))
        bits += DELETED_SHARE * min(odd, 12.0)
        first = bool(what) and delay <= UNDONE_FIRST_WINDOW and _only_amplification(p, what)
        if first:
            bits += UNDONE_FIRST_BITS
        minutes = delay / 60
        when = counted(minutes, "minute", "minutes") if minutes < 120 else f"{minutes / 60:.1f} hours"
        item = f"its repost of @{what}" if what else "its own post"
        share = (
            f"{100 * fast / mass:.0f}% of its {counted(mass, 'deletion', 'deletions')} were this fast"
            if mass >= 1
            else "no retraction before: its deletions fixed slips or cleared copies"
            if deleted_before
            else "no deletions before"
        )
        reason = f"deleted {item} {when} after posting ({share})"
        if typo is not None:
            reason += f"; a slip to fix in it ('{typo[0]}', where it writes '{typo[1]}')"
        elif slip:
            reason += "; as fast as a slip is fixed"
        if first:
            reason += f"; it had never amplified @{what} before that repost"
        if odd >= 2.0:
            reason += f"; the deleted item scored {odd:.1f} bits itself"
        return Finding("delete", bits, reason)

    def learn_one(self, p, o, weight: float):
        if weight <= 0:
            return
        delay = float(OLD)
        key = p.own_key(o.deleted_id)
        if key is not None:
            at, what, odd = p.posts[key]
            if not what and (
                p.corrected(o.deleted_id, o.t) is not None
                or _slip(what, o.t - at, odd)
                or _typo(p, o, what, o.t - at, odd) is not None
            ):
                return  # how fast it fixes a slip (its correction up, or still to come) says nothing of retracting
            if key in p.held:
                # the retraction of an alerted item is the end of that incident's story, not a habit of
                # deleting fast: learned, at the story's weight, it made an account's next quick deletion
                # "22% of its deletions were this fast" (the evaluation's second incidents)
                return
            if o.t >= at:
                delay = o.t - at
        self.delays.add(gap_bin(delay), weight)


def _slip(what: str, delay: float, odd: float) -> bool:
    """Whether a deletion is as fast as a slip's fix: an ordinary post of its own, within SLIP_SECONDS."""
    return _ordinary(what, delay, odd, SLIP_SECONDS)


def _typo(p, o, what: str, delay: float, odd: float, elsewhere=None) -> tuple[str, str] | None:
    """The slip of the fingers in an ordinary post of its own deleted within TYPO_SECONDS (typo.py), read
    once for the deletion and kept on its observation: learning takes what scoring read, the only one
    that asks the other accounts (`elsewhere`) whether the word is theirs; learned without scoring (a
    backfill), the account's own words alone say."""
    if not o.typo_read:
        o.typo = p.misspelt(o.deleted_id, elsewhere) if _ordinary(what, delay, odd, TYPO_SECONDS) else None
        o.typo_read = True
    return o.typo


def _ordinary(what: str, delay: float, odd: float, within: float) -> bool:
    """Whether the deleted item is an ordinary post of its own, deleted within `within` seconds."""
    return not what and 0.0 <= delay <= within and odd < SLIP_ODD


def _only_amplification(p, target: str) -> bool:
    """Whether the deleted repost was the only time it amplified, answered or named the account: its
    memories hold that repost at most (a whole weight learned, a quarter held when it alerted)."""
    key = target.lower()
    return not p.signals["target"].engaged(key, besides=1.0) and p.partners.count(key) <= 1.0 + 1e-6
