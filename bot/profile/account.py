"""One account's behavioural profile: the memories its signals share (action mix, partners, hours,
recent times, its own items), one object per signal for the rest (signals/), and what moderators told it.

Every memory is capped (values beyond the cap fall out lightest first) so a profile's state stays small
however long the account has been watched: see STATE_BOUND and docs/detection.md.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from .counts import Bins, Clock, Counter
from .langid import language_name
from .observe import OWN_TEXT_KINDS, Observation
from .signals import BY_KIND, CONTEXT_FEATURES, SHARED, SIGNALS, Signal
from .signals.adult import partners_words
from .signals.wording import WordingSignal
from .signals.words import usual, usual_text
from .text import prose
from .typo import slipped_word

STATE_VERSION = 2
RECENT_TIMES = 64  # timestamps kept for pace and mass-action checks
RECENT_POSTS = 200  # own item ids kept to time deletions
# Its last own texts, to tell a slip fixed from a retraction: a post deleted minutes after it was
# posted again corrected ("Prime Minsiter" then "Prime Minister") is how a typo is fixed where posts
# cannot be edited, and a post whose words stay up in another of its posts (a duplicate posted twice by
# mistake, one copy deleted) retracts nothing. A correction comes within minutes, but slips happen in
# live coverage: an independent check's slips fixed during a burst of 17 posts in 10 minutes had left
# the last eight texts by the time the slip was deleted, and alerted as retractions.
RECENT_TEXTS = 24
# A copy posted twice by mistake comes minutes after the first: an earlier copy counts within this many
# seconds. The same words posted again days later and withdrawn (a reminder taken back) may be news.
DUPLICATE_WINDOW = 3600.0
# How alike (rapidfuzz's ratio of their words, 0-100) a post and its corrected version are at least: a
# letter or two, a word, a link changed in a tweet-long text is 90 or more; two posts of one template
# with different names ("Happy birthday, @A" / "Happy birthday, @B") are blanked of their mentions and
# links first, and another post of the same day shares little else.
CORRECTION_LIKENESS = 85.0
MAX_EXEMPT = 200
MAX_HELD = 200
MAX_INCIDENTS = 20
MAX_FALSE_ALARMS = 200
SHARED_CAPS = {"kinds": 16, "partners": 500, "tcats": 200}
OWN_ITEM_KINDS = ("post", "reply", "quote", "repost")
# The serialised state of one account never exceeds this many bytes of JSON: every memory is capped
# (counters by their caps, bins by their sizes, recent items by the constants above). Checked by
# tests/profile/test_state.py on 50,000 activities.
STATE_BOUND = 256 * 1024
# Minutes after an alert, its account's activity is the same story: the spree's pace is not news again
# (signals/pace.py), and what it does is not learned as normal either (ProfileBook.learn).
STORY_WINDOW = 900.0
# What the rest of an alerted spree did is learned at this weight until a moderator rules on the alert:
# not as normal (a hijacker's second, third and fourth like must not make the fifth routine), nor as
# nothing (an office's first evening of English replies is still its evening, whatever the verdict).
# Whom it engaged and what the engaged posts say (partners, kinds of content) are not learned at all:
# a hijacker's thirty likes of critics must make neither the critics partners nor criticism routine.
SPREE_CONTENT_WEIGHT = 0.25
# How it did something, told in an alert, is the same story when the next activities of the window do
# it again: the second post from a never-used client or in a never-used language, two minutes after the
# alert on the first, is one story, not two alerts (MinPres's two Korean posts, the Elysee's evening of
# English replies). What it did and with whom (a target, a claim, a deletion) is never told this way: a
# second election-fraud repost of another stranger alerts again. Such a finding keeps this share.
STORY_FEATURES = frozenset({"client", "domain", "lang", "target_lang", "hashtag", "style"})
# A statement put into several languages it never wrote, minutes apart (the European Council's
# president to Ukraine, then to Georgia), is one story whichever the language: after an alert on a first
# language, the next first language of the window is told too.
ANY_VALUE_STORIES = ("lang:", "target_lang:")
TOLD_SHARE = 0.1
# Timing, kind and wording are no new incident either (a new language's words are all new): only a
# finding outside these and STORY_FEATURES makes the activity more than the same story.
PLAIN_FEATURES = CONTEXT_FEATURES | {"wording"}

# What a snapshot of a profile copies: everything but the indexes rebuilt from `signals`.
PICKLED = (
    "platform",
    "handle",
    "clock",
    "n",
    "kind_total",
    "kind_last",
    "first_at",
    "last_at",
    "kinds",
    "partners",
    "tcats",
    "hours",
    "recent",
    "posts",
    "undo",
    "texts",
    "held",
    "last_alert_at",
    "told",
    "near",
    "profile",
    "profile_before",
    "status",
    "country",
    "exempt",
    "incidents",
    "false_alarms",
    "signals",
    "_tails",
)


class AccountProfile:
    def __init__(self, platform: str, handle: str):
        self.platform = platform
        self.handle = handle
        self.clock = Clock()
        self.n = 0  # behavioural activities learned (not faded)
        self.kind_total: dict[str, int] = {}
        self.kind_last: dict[str, int] = {}  # kind -> value of n when last seen
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.kinds = Counter(self.clock, SHARED_CAPS["kinds"])
        self.partners = Counter(self.clock, SHARED_CAPS["partners"])  # amplified, mentioned or answered
        self.tcats = Counter(self.clock, SHARED_CAPS["tcats"])  # kinds of target and claim engaged with
        self.hours = Bins(self.clock, 24)
        self.recent: deque[tuple[float, str]] = deque(maxlen=RECENT_TIMES)
        # own item id -> (time posted, whom it amplified or "", the bits its own score found): a quick
        # deletion is judged by what it deleted, not only by the delay
        self.posts: dict[str, tuple[float, str, float]] = {}
        # the item a repost or quote amplified -> its own repost: an "undo repost" may name either
        self.undo: dict[str, str] = {}
        # own recent text id -> (time posted, its words lower-cased, links and mentions blanked)
        self.texts: dict[str, tuple[float, str]] = {}
        self.held: list[str] = []  # alerted activities kept out of the baseline, awaiting a moderator
        self.last_alert_at: float | None = None  # when it last alerted: a spree's habits are told once
        self.told: dict[str, float] = {}  # how it did something, told in an alert -> when (STORY_FEATURES)
        self.near: tuple[float, float, str] | None = None  # its last near miss: when, bits, why (run.py)
        self.profile: dict[str, Any] | None = None
        self.profile_before: dict[str, Any] | None = None  # to restore when a change is confirmed as an incident
        self.status: str | None = None
        self.country: str | None = None  # from the watch list, for telling governments apart
        self.exempt: set[str] = set()  # behaviour a moderator marked as normal (feedback)
        self.incidents: list[dict[str, Any]] = []  # confirmed incidents
        self.false_alarms: list[str] = []  # activities a moderator cleared (book.feedback: each taught once)
        self.signals: dict[str, Signal] = {s.name: SHARED.get(s.name) or s(self.clock) for s in SIGNALS}
        self._index_signals()
        self._tails: tuple[int, tuple[list[float], list[float]]] | None = None

    def _index_signals(self) -> None:
        self._by_kind: dict[str, tuple[Signal, ...]] = {
            kind: tuple(self.signals[s.name] for s in group) for kind, group in BY_KIND.items()
        }
        # the signals that learn anything (about half: the rest judge without a memory of their own)
        self._learners: dict[str, tuple[Signal, ...]] = {
            kind: tuple(s for s in group if type(s).learn_one is not Signal.learn_one)
            for kind, group in self._by_kind.items()
        }

    # The indexes of `signals` by kind are rebuilt from it, not copied: every poll's transaction takes a
    # snapshot of the profiles it may change (ProfileBook.snapshot), and they were a tenth of its objects.
    # (listed, not read from __dict__: compiled with mypyc, a profile has no __dict__)
    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in PICKLED}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)
        self._index_signals()

    def signals_for(self, kind: str) -> tuple[Signal, ...]:
        return self._by_kind.get(kind, ())

    # ---- learning -------------------------------------------------------------------------------
    def learn(
        self,
        obs: Observation,
        activity_id: str,
        weight: float = 1.0,
        bits: float = 0.0,
        timed: bool = True,
        content_weight: float | None = None,
    ) -> None:
        """Fold one activity in. `timed=False`: its time is already remembered (it was held when it
        alerted, and a moderator now calls it a false alarm). `content_weight`: the rest of an alerted
        spree (SPREE_CONTENT_WEIGHT): what it did counts at this weight, its habits (kind, hour, pace)
        at `weight`, and whom it engaged and what their posts say not at all."""
        if not obs.behaviour:
            return
        if weight > 0:
            self.clock.tick()
            self.n += 1
            self.kind_total[obs.kind] = self.kind_total.get(obs.kind, 0) + 1
            self.kind_last[obs.kind] = self.n
        self.kinds.add(obs.kind, weight)
        self.hours.add(obs.hour, weight)
        content = weight if content_weight is None else content_weight
        if content_weight is None:
            for signal in self._learners[obs.kind]:
                signal.learn_one(self, obs, weight)
        else:
            for signal in self._learners[obs.kind]:
                signal.learn_one(self, obs, weight if signal.context else content)
        # shared memories last: a signal may ask whether the target was new before this activity.
        # In the rest of an alerted spree, whom it engaged and what those posts say are held out (a
        # hijacker's thirty likes of critics make neither the critics partners nor criticism routine)
        if content_weight is None:
            for category, evidence in obs.categories:
                # an adult word in a partner's post (Cameron's adviser on the online porn filter, liked
                # again and again) is that partner's subject, not the account engaging with adult content:
                # counted, it made a later like of an explicit clip a third of a first. Asked before this
                # activity makes its author a partner.
                if category != "adult" or not partners_words(self, obs, evidence):
                    self.tcats.add(category, content)
            for partner in obs.partners:
                self.partners.add(partner, content)
            for term in obs.terms:
                self.tcats.add(term, content)
        if weight > 0 and timed:
            self._remember_time(obs, activity_id, bits)

    def hold(self, obs: Observation, activity_id: str, bits: float = 0.0, told: tuple[str, ...] = ()) -> None:
        """An alerted activity: remember when it happened (pace, sprees, what a later deletion undoes) but
        learn nothing of its content, so a second incident of the same shape is as novel as the first.
        A moderator's "false alarm" learns it later (ProfileBook.feedback)."""
        if not obs.behaviour:
            return
        self._remember_time(obs, activity_id, bits)
        self.last_alert_at = max(obs.t, self.last_alert_at or obs.t)
        self.near = None  # a near miss before the alert is part of its story, not the start of a run
        if told or self.told:
            self.told = {k: t for k, t in self.told.items() if 0.0 <= obs.t - t <= STORY_WINDOW}
            self.told.update(dict.fromkeys(told, obs.t))
        # what each signal still takes of a held activity (its target at a quarter weight, its place in a spree)
        for signal in self._learners[obs.kind]:
            signal.hold_one(self, obs)
        if activity_id not in self.held:
            self.held = [*self.held[-(MAX_HELD - 1) :], activity_id]

    def _remember_time(self, obs: Observation, activity_id: str, bits: float) -> None:
        if self.first_at is None or obs.t < self.first_at:
            self.first_at = obs.t
        if self.last_at is None or obs.t > self.last_at:
            self.last_at = obs.t
        self.recent.append((obs.t, obs.kind))
        if obs.kind in OWN_ITEM_KINDS:
            self.posts[activity_id] = (obs.t, obs.target or "", round(bits, 2))
            if len(self.posts) > RECENT_POSTS * 1.25:
                for key in list(self.posts)[: len(self.posts) - RECENT_POSTS]:
                    del self.posts[key]
            if obs.item_id:
                self.undo[obs.item_id] = activity_id
                if len(self.undo) > RECENT_POSTS * 1.25:
                    for key in list(self.undo)[: len(self.undo) - RECENT_POSTS]:
                        del self.undo[key]
        if obs.kind in OWN_TEXT_KINDS and obs.text:
            self.texts[activity_id] = (obs.t, _wording(obs.text))
            while len(self.texts) > RECENT_TEXTS:
                del self.texts[next(iter(self.texts))]
        elif obs.kind == "delete":
            # what it deleted is no longer up: a later deletion of its copy retracts the words
            gone = self.own_key(obs.deleted_id)
            if gone is not None:
                self.texts.pop(gone, None)

    def own_key(self, item_id: str | None) -> str | None:
        """The key of one of its own recent items by the id a deletion names: its own id, with or without
        the platform's prefix ("x:123" or "123"), or the id of the item its repost amplified (an undone
        repost named by what it reposted)."""
        if not item_id:
            return None
        bare = item_id.split(":", 1)[1] if ":" in item_id else item_id
        for key in (item_id, f"{self.platform}:{bare}", bare):
            if key in self.posts:
                return key
            if key in self.undo and self.undo[key] in self.posts:
                return self.undo[key]
        return None

    def own_item(self, item_id: str | None) -> tuple[float, str, float] | None:
        """One of its own recent items by the id a deletion names (own_key): (time posted, whom it
        amplified or "", the bits its own score found)."""
        key = self.own_key(item_id)
        return self.posts[key] if key is not None else None

    def corrected(self, item_id: str | None, t: float) -> tuple[float, float] | None:
        """Whether the words of one of its own recent texts are still up by t in another of its posts,
        not deleted: posted again, corrected, after it, or posted within the hour before it (a duplicate
        posted by mistake): (seconds from the one to the other, negative for an earlier copy; how alike
        they are, 0-100), or None."""
        key = self.own_key(item_id)
        own = self.texts.get(key) if key is not None else None
        if own is None or not own[1]:
            return None
        at, words = own
        for other, (when, theirs) in self.texts.items():
            # a correction after it, by t; or a copy before it, posted twice by mistake (DUPLICATE_WINDOW)
            if other != key and when <= t and (when > at or at - when <= DUPLICATE_WINDOW):
                likeness = fuzz.ratio(words, theirs, score_cutoff=CORRECTION_LIKENESS)
                if likeness:
                    return when - at, likeness
        return None

    def misspelt(self, item_id: str | None, elsewhere: Callable[[str], bool] | None = None) -> tuple[str, str] | None:
        """A slip of the fingers in one of its own recent texts (typo.py): (the slip, the word it
        meant), or None. `elsewhere`: whether another account writes a word (a word, then, not a slip)."""
        key = self.own_key(item_id)
        own = self.texts.get(key) if key is not None else None
        if own is None or not own[1]:
            return None
        wording = self.signals["wording"]
        return slipped_word(own[1], wording.vocab, elsewhere) if isinstance(wording, WordingSignal) else None

    # ---- helpers the signals use -------------------------------------------------------------------
    def pace(self, t: float, window: float = 600.0) -> int:
        """Activities in the `window` seconds up to t, counting the one at t."""
        count = 1
        for at, _ in reversed(self.recent):  # newest first: stop at the first one out of the window
            if at < t - window:
                break
            if at <= t:
                count += 1
        return count

    def told_in_story(self, key: str, t: float) -> bool:
        """Whether an alert of the STORY_WINDOW before t already told this (a STORY_FEATURES finding's key)."""
        at = self.told.get(key)
        if at is None and key.startswith(ANY_VALUE_STORIES):
            prefix = key[: key.index(":") + 1]
            at = max((when for told, when in self.told.items() if told.startswith(prefix)), default=None)
        return at is not None and 0.0 <= t - at <= STORY_WINDOW

    def told_recently(self, t: float) -> bool:
        """Whether it alerted in the STORY_WINDOW before t: activity then is the same story."""
        return self.last_alert_at is not None and 0.0 <= t - self.last_alert_at <= STORY_WINDOW

    def same_kind(self, kind: str, t: float, window: float = 900.0) -> int:
        count = 1
        for at, k in reversed(self.recent):
            if at < t - window:
                break
            if k == kind and at <= t:
                count += 1
        return count

    def _stamp(self) -> int:
        # the hour shares move slowly: worked out afresh every 25 activities once there are 200
        return self.n // 25 if self.n >= 200 else self.n

    def hour_tails(self) -> tuple[list[float], list[float]]:
        """For each hour, the share of its activity in hours at most as busy (smoothed over neighbours),
        and the raw shares."""
        stamp = self._stamp()
        if self._tails is not None and self._tails[0] == stamp:
            return self._tails[1]
        shares = self.hours.shares()
        smooth = [0.25 * shares[(h - 1) % 24] + 0.5 * shares[h] + 0.25 * shares[(h + 1) % 24] for h in range(24)]
        tails = [sum(s for s in smooth if s <= here + 1e-12) for here in smooth]
        self._tails = (stamp, (tails, shares))
        return tails, shares

    def usual_hours(self, share: float = 0.8) -> tuple[int, int] | None:
        """The shortest run of hours (UTC, wrapping) holding `share` of its activity, as it is now: only
        what is shown asks (an alert's baseline, a shown reason), so it is not cached."""
        shares = self.hours.shares()
        found: tuple[int, int] | None = None
        if any(shares):
            doubled = shares + shares
            for length in range(1, 25):
                window = sum(doubled[:length])
                for start in range(24):
                    if window >= share - 1e-9:
                        found = (start, (start + length - 1) % 24)
                        break
                    window += doubled[start + length] - doubled[start]
                if found:
                    break
        return found

    def kinds_since(self, kind: str) -> int | None:
        """How many activities since it last did this kind (None: never)."""
        last = self.kind_last.get(kind)
        return None if last is None else self.n - last

    # ---- persistence ----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "n": self.n,
            "kind_total": self.kind_total,
            "kind_last": self.kind_last,
            "first_at": self.first_at,
            "last_at": self.last_at,
            "kinds": self.kinds.state(),
            "partners": self.partners.state(),
            "tcats": self.tcats.state(),
            "hours": self.hours.state(),
            "recent": [[round(t, 1), k] for t, k in self.recent],
            "posts": {k: [round(t, 1), who, odd] for k, (t, who, odd) in list(self.posts.items())[-RECENT_POSTS:]},
            "undo": dict(list(self.undo.items())[-RECENT_POSTS:]),
            "texts": {k: [round(t, 1), words] for k, (t, words) in list(self.texts.items())[-RECENT_TEXTS:]},
            "held": self.held[-MAX_HELD:],
            "last_alert_at": self.last_alert_at,
            "told": self.told,
            "near": list(self.near) if self.near else None,
            "profile": self.profile,
            "profile_before": self.profile_before,
            "status": self.status,
            "country": self.country,
            "exempt": sorted(self.exempt)[:MAX_EXEMPT],
            "incidents": self.incidents[-MAX_INCIDENTS:],
            "false_alarms": self.false_alarms[-MAX_FALSE_ALARMS:],
            "signals": {name: s.state() for name, s in self.signals.items() if s.memories},
        }

    def load(self, data: dict[str, Any]) -> None:
        if isinstance(data, dict) and data.get("v") == 1:
            data = upgrade_v1(data)
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            raise ValueError(f"baseline state for {self.platform}:{self.handle} is not version {STATE_VERSION}")
        self.clock.gain = 1.0
        self.n = int(data.get("n", 0))
        self.kind_total = {str(k): int(v) for k, v in (data.get("kind_total") or {}).items()}
        self.kind_last = {str(k): int(v) for k, v in (data.get("kind_last") or {}).items()}
        self.first_at = data.get("first_at")
        self.last_at = data.get("last_at")
        self.kinds.load(data.get("kinds") or {})
        self.partners.load(data.get("partners") or {})
        self.tcats.load(data.get("tcats") or {})
        self.hours.load(data.get("hours") or [])
        self.recent = deque(((float(t), str(k)) for t, k in data.get("recent") or []), maxlen=RECENT_TIMES)
        self.posts = {str(k): _posted(v) for k, v in (data.get("posts") or {}).items()}
        self.undo = {str(k): str(v) for k, v in (data.get("undo") or {}).items()}
        self.texts = {str(k): (float(v[0]), str(v[1])) for k, v in (data.get("texts") or {}).items()}
        self.held = [str(k) for k in data.get("held") or []]
        self.last_alert_at = data.get("last_alert_at")
        self.told = {str(k): float(v) for k, v in (data.get("told") or {}).items()}
        near = data.get("near")
        self.near = (float(near[0]), float(near[1]), str(near[2])) if near else None
        self.profile = data.get("profile")
        self.profile_before = data.get("profile_before")
        self.status = data.get("status")
        self.country = data.get("country")
        self.exempt = set(data.get("exempt") or [])
        self.incidents = list(data.get("incidents") or [])
        self.false_alarms = [str(k) for k in data.get("false_alarms") or []]
        for name, state in (data.get("signals") or {}).items():
            signal = self.signals.get(name)
            if signal is not None and signal.memories and isinstance(state, dict):
                signal.load(state)

    # ---- description ----------------------------------------------------------------------------
    def _memory(self, signal: str, name: str):
        return getattr(self.signals[signal], name)

    def summary(self) -> dict[str, Any]:
        return {
            "activities": self.n,
            "since": _day(self.first_at),
            "last": _day(self.last_at),
            "hours": [round(h, 2) for h in self.hours.state()],
            "usual_hours_utc": hours_text(self.usual_hours()),
            "counts_by_kind": dict(sorted(self.kind_total.items(), key=lambda kv: -kv[1])),
            "languages": [(k, round(s, 3)) for k, s in self._memory("lang", "langs").top(5)],
            "clients": [(k, round(s, 3)) for k, s in self._memory("client", "clients").top(5)],
            "top_partners": [(k, round(s, 3)) for k, s in self.partners.top(10)],
            "top_domains": [(k, round(s, 3)) for k, s in self._memory("domain", "domains").top(5)],
            "top_hashtags": [(k, round(s, 3)) for k, s in self._memory("hashtag", "hashtags").top(5)],
            "status": self.status,
            "profile": self.profile,
            "confirmed_incidents": len(self.incidents),
        }

    def baseline(self, tz=None) -> str:
        if self.n == 0:
            return "no history yet"
        # as it is now: it is written only when shown (types.Verdict)
        return f"{self.n:,} activities since {_day(self.first_at)}" + self._describe(tz)

    def _describe(self, tz=None) -> str:
        parts = [""]
        total = sum(self.kind_total.values()) or 1
        mix = sorted(self.kind_total.items(), key=lambda kv: -kv[1])[:3]
        # the kinds worth naming, as its languages and clients below: not "89% posts, 11% reposts, 0% replies"
        shares = [(k, v / total) for k, v in mix]
        parts[0] += ": " + ", ".join(f"{100 * s:.0f}% {_plural(k)}" for k, s in usual(shares))
        langs = self._memory("lang", "langs").top(3)
        if langs:
            parts.append(usual_text(langs, language_name))
        clients = self._memory("client", "clients").top(2)
        if clients:
            parts.append("via " + usual_text(clients))
        hours = self.usual_hours()
        if hours:
            parts.append("hours " + hours_text(hours, tz))
        return "; ".join(parts)


# Which signal owns each memory a version-1 state kept in one flat layout.
V1_OWNERS = {
    "amplify": "target",
    "reply": "target",
    "follow": "target",
    "langs": "lang",
    "scripts": "lang",
    "tlangs": "target_lang",
    "clients": "client",
    "domains": "domain",
    "hashtags": "hashtag",
    "vocab": "wording",
    "novelty": "wording",
    "surprisal": "wording",
    "styles": "style",
    "labels": "labels",
    "days": "weekday",
    "paces": "pace",
    "gaps": "dormancy",
    "delays": "delete",
    "mass_peak": "mass",
    "runs": "mass",
}


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A baseline saved before the signals each kept their own memories: the same figures, regrouped."""
    counters = data.get("counters") or {}
    out = {k: v for k, v in data.items() if k != "counters" and k not in V1_OWNERS}
    out["v"] = STATE_VERSION
    for name in ("kinds", "partners", "tcats"):
        out[name] = counters.get(name) or {}
    signals: dict[str, dict[str, Any]] = {}
    for memory, owner in V1_OWNERS.items():
        value = counters.get(memory, data.get(memory))
        if value is not None:
            signals.setdefault(owner, {})[memory] = value
    out["signals"] = signals
    return out


def _wording(text: str) -> str:
    """A text's words as a correction is compared with its slip: lower-cased, its links and mentions
    blanked (a link posted again is shortened anew), punctuation dropped, at most a long post's length."""
    return default_process(prose(text))[:300]


def _posted(value: Any) -> tuple[float, str, float]:
    # a baseline saved before deletions were judged by what they deleted kept the time alone
    if isinstance(value, (int, float)):
        return float(value), "", 0.0
    return float(value[0]), str(value[1]), float(value[2])


def _plural(kind: str) -> str:
    return {"reply": "replies"}.get(kind, kind + "s")


@lru_cache(maxsize=4096)
def _day(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")


def hours_text(hours: tuple[int, int] | None, tz=None, at: datetime | None = None) -> str:
    if not hours:
        return "unknown"
    start, end = hours
    label = "UTC"
    if tz is not None:
        offset = (at or datetime.now(timezone.utc)).astimezone(tz).utcoffset()
        shift = int(offset.total_seconds() // 3600) if offset else 0
        start, end, label = (start + shift) % 24, (end + shift) % 24, "local"
    if start == end:  # all in one hour: "10-10" would read as no span at all
        return f"{start:02d}:00-{start:02d}:59 {label}"
    return f"{start:02d}-{end:02d} {label}"
