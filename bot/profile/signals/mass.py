"""Mass actions (S2's wiped likes, I30's unfollows): many of one kind in 15 minutes, far beyond its
earlier sprees. Needs no baseline. Fires when the spree crosses its threshold and again at double and
four times it, so a spree makes a few alerts, not one per action."""

from __future__ import annotations

import math
from typing import Any

from .base import ALERT_BITS, Finding, Signal
from .words import plural

MASS_KINDS = frozenset({"like", "unlike", "follow", "unfollow", "delete", "repost"})
RUN_GAP = 900  # seconds between two actions of one run
# repost sprees happen on election nights and summits: a repost spree must be larger and further
# beyond its earlier ones than a spree of likes or follows. On the real timelines, 15 instead of 20
# made three real alerts more a run; three times its most before instead of four made none.
REPOST_MIN = 20
REPOST_FACTOR = 3.0
# A spree of reposts mostly of its own circle is live coverage (a prime minister's office reposting 23 of
# his posts during a speech, a government its president's announcements): a minister's account
# reposting militant accounts for hours (I17) amplifies strangers. At least this share of the spree's
# reposts must be of accounts outside its circle.
REPOST_STRANGER_SHARE = 0.5
CIRCLE_COUNT = 2.0  # times in its partners' memory that make an account one of its circle
# A like or a follow of an account of its circle, or a follow of another watched official, is not what
# makes a spree a takeover's: five follows of official accounts within minutes are a new press officer
# catching up, or an office following the governments it met at a summit (an independent check's
# look-alike, five follows of watched officials, alerted on both its seeds as "5 follows within 15
# minutes"); a hijacker's follows and likes go to strangers. Such a one never crosses the line itself;
# it still counts in the spree.
CIRCLE_KINDS = frozenset({"like", "follow"})
# A spree of likes and reposts of accounts outside its circle (I17's militant accounts, dozens of likes of
# strangers in minutes), counted across the two kinds: a hijacker's spree mixes them, and each kind
# alone may stay under its own line. The real timelines' accounts took up at most 6 new accounts in 15
# minutes, most of them, and 19 at the very most (Martinelli, reposting supporters); at 12, the
# replays of the real timelines alerted on 6-10 such sprees (Mbabazi, Kirchner, Calderón, Chinchilla,
# Modi's office, Martinelli): a party's or a campaign's night. At 20 they stay quiet.
STRANGER_KINDS = frozenset({"like", "repost"})
STRANGER_MIN = 20
STRANGER_FACTOR = 2.0
STRANGERS = "strangers"  # its key among the kinds' peaks and runs
SPREE_KEPT = 160  # the newest of a spree's likes and reposts kept (its state stays bounded; 4 x 40 counts)


class MassSignal(Signal):
    name = "mass"
    learned = False
    kinds = MASS_KINDS
    memories = {"mass_peak": ("map", 0), "runs": ("map", 0)}
    mass_peak: dict[str, Any]
    runs: dict[str, Any]
    spree: list[list[Any]]  # its likes and reposts of strangers in the last 15 minutes: [time, account]

    def __init__(self, clock=None):
        super().__init__(clock)
        self.spree = []

    def score_one(self, p, o, a, meta, world):
        # a spree of its kind and one of strangers: the larger one is told (its kind's on a tie)
        same = self._same_kind(p, o, a, world)
        strangers = self._strangers(p, o)
        if strangers is None or (same is not None and same.bits >= strangers.bits):
            return same
        return strangers

    def _same_kind(self, p, o, a, world) -> Finding | None:
        """Many of one kind in 15 minutes, far beyond its earlier sprees of that kind."""
        if o.kind in CIRCLE_KINDS and o.target_key:
            # catching up with its own circle, or following the officials the watch list holds, is no
            # spree's sign (CIRCLE_KINDS)
            if p.partners.count(o.target_key) >= CIRCLE_COUNT or (
                o.kind == "follow" and world.watched_handle(a.platform, o.target_key)
            ):
                return None
        count = p.same_kind(o.kind, o.t)
        peak = self.mass_peak.get(o.kind, 0.0)
        threshold = self._threshold(o.kind)
        if count not in (threshold, 2 * threshold, 4 * threshold):
            return None
        if o.kind == "repost" and self._circle_share(p, o) > 1.0 - REPOST_STRANGER_SHARE:
            return None
        bits = ALERT_BITS + 3.0 * math.log2(count / threshold)  # alerts alone: no baseline needed
        return Finding(
            "mass", min(bits, 19.0), f"{count} {plural(o.kind)} within 15 minutes (its most before: {peak:.0f})"
        )

    def _strangers(self, p, o) -> Finding | None:
        """A spree of likes and reposts of accounts outside its circle, far beyond its earlier ones."""
        if o.kind not in STRANGER_KINDS or not self._stranger(p, o):
            return None
        count = self._in_spree(o.t) + 1
        peak = self.mass_peak.get(STRANGERS, 0.0)
        threshold = self._threshold(STRANGERS)
        if count not in (threshold, 2 * threshold, 4 * threshold):
            return None
        bits = ALERT_BITS + 3.0 * math.log2(count / threshold)
        return Finding(
            "mass",
            min(bits, 19.0),
            f"{count} likes and reposts of accounts outside its circle within 15 minutes (its most before: {peak:.0f})",
        )

    def hold_one(self, p, o) -> None:
        # an alerted like or repost of a stranger is still of the spree: counted only when learned, its
        # count stood still at the line and every later one alerted again
        strangers = self._count(p, o)
        # A spree at its line when an alert went out is the alert's story, not the account's habit: its
        # size must not become the peak the next spree is measured against, or a second takeover's forty
        # follows on the same account pass under a line raised by the first one's (an independent check's
        # repeated bursts: 3 of 43 caught). A moderator's "false alarm" makes it normal (learn_one).
        if o.kind in MASS_KINDS:
            window = p.same_kind(o.kind, o.t) - 1  # it is remembered already: same_kind counts it twice
            if window >= self._threshold(o.kind):
                self._run(o.kind, o.t, window, held=True)
        if strangers >= self._threshold(STRANGERS):
            self._run(STRANGERS, o.t, strangers, held=True)

    def _threshold(self, key: str) -> int:
        peak = self.mass_peak.get(key, 0.0)
        if key == STRANGERS:
            return max(STRANGER_MIN, math.ceil(STRANGER_FACTOR * peak))
        if key == "repost":
            return max(REPOST_MIN, math.ceil(REPOST_FACTOR * peak))
        return max(5, math.floor(1.5 * peak) + 1)

    def _count(self, p, o) -> int:
        """Count a like or repost of a stranger into the spree; the spree's count with it, 0 for anything
        else."""
        if o.kind not in STRANGER_KINDS or not self._stranger(p, o):
            return 0
        window = self._in_spree(o.t) + 1
        kept = [[at, key] for at, key in self.spree if o.t - RUN_GAP <= at][-(SPREE_KEPT - 1) :]
        self.spree = [*kept, [o.t, o.target_key]]
        return window

    def _in_spree(self, t: float, account: str | None = None) -> int:
        """How many of its likes and reposts of strangers (of `account`, if given) fell in the 15 minutes
        before t."""
        return sum(1 for at, key in self.spree if t - RUN_GAP <= at <= t and (account is None or key == account))

    def _stranger(self, p, o) -> bool:
        """Whether it amplifies an account outside its circle as it was before this spree (the spree's own
        likes of an account do not make it one of its circle: eight likes of four militant accounts are
        eight of strangers)."""
        key = o.target_key
        return bool(key) and p.partners.count(key) - self._in_spree(o.t, key) < CIRCLE_COUNT

    @staticmethod
    def _circle_share(p, o) -> float:
        """The share of its items with a target (reposts, quotes, replies) of the last 15 minutes, this one
        included, that are of its circle as it was before them (the spree's own reposts of an account do
        not make it one of its circle)."""
        window: dict[str, int] = {}
        for at, target, _ in reversed(p.posts.values()):
            if at < o.t - RUN_GAP:
                break
            if target and at <= o.t:
                key = target.lower()
                window[key] = window.get(key, 0) + 1
        if o.target_key:
            window[o.target_key] = window.get(o.target_key, 0) + 1
        partners = p.partners
        # this one is not learned yet: its own count in the window is not in its partners' memory
        mine = sum(
            n
            for key, n in window.items()
            if partners.count(key) - (n - (1 if key == o.target_key else 0)) >= CIRCLE_COUNT
        )
        return mine / max(1, sum(window.values()))

    def learn_one(self, p, o, weight: float):
        # more than an ordinary weight is a moderator's "false alarm" (book.FEEDBACK_WEIGHT): the spree
        # the activity belongs to is normal after all, held or not
        taught = weight > 1.0
        window = self._count(p, o)
        if window and weight > 0:
            self._run(STRANGERS, o.t, window, taught=taught)
        if weight <= 0:
            return
        # the most actions of a kind within 15 minutes, as the spree being scored is counted (a steady
        # afternoon of reposts every ten minutes is a long run but never many in one window: counting
        # the whole run made its peak 60 and hid a 25-repost burst later). A run's most counts once the
        # run is over, so a spree in progress is compared with earlier sprees, not with itself.
        self._run(o.kind, o.t, p.same_kind(o.kind, o.t), taught=taught)

    def _run(self, key: str, t: float, window: int, held: bool = False, taught: bool = False) -> None:
        """Count one action into its run ([newest time, most in 15 minutes, held, first time]); a run's
        most becomes its peak when the run is over, unless an alert was out on it (hold_one). `taught`:
        a false alarm's lesson, which makes the run it belongs to count, or, if that run is over, its
        size at the action a peak at once."""
        run = self.runs.get(key)
        if taught:
            if run and run[3] <= t <= run[0]:
                run[1], run[2] = max(run[1], window), 0.0
            else:
                self.mass_peak[key] = max(self.mass_peak.get(key, 0.0), float(window))
            return
        if run and 0 <= t - run[0] <= RUN_GAP:
            run[0], run[1] = t, max(run[1], window)
            run[2] = 1.0 if held or run[2] else 0.0
        else:
            if run and not run[2]:
                peak = self.mass_peak.get(key, 0.0) * 0.99
                self.mass_peak[key] = max(peak, float(run[1]))
            self.runs[key] = [t, window, 1.0 if held else 0.0, t]

    def state(self) -> dict[str, Any]:
        return {
            "mass_peak": {k: round(v, 2) for k, v in self.mass_peak.items()},
            "runs": self.runs,
            "spree": [[round(t, 1), key] for t, key in self.spree],
        }

    def load(self, data: dict[str, Any]) -> None:
        self.mass_peak = {str(k): float(v) for k, v in (data.get("mass_peak") or {}).items()}
        # a run saved before runs were held is not held, and begins where it was last seen
        self.runs = {
            str(k): [float(v[0]), float(v[1]), float(v[2]) if len(v) > 2 else 0.0, float(v[3] if len(v) > 3 else v[0])]
            for k, v in (data.get("runs") or {}).items()
        }
        self.spree = [[float(t), str(key)] for t, key in data.get("spree") or []]
