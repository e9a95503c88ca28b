"""One account's behavioural profile: fading memories of what it does, learned online.

Every memory is capped (values beyond the cap fall out lightest first) so a profile's JSON state stays
small however long the account has been watched.
"""

from __future__ import annotations

import math
from collections import deque
from datetime import datetime, timezone
from typing import Any

from .counts import Bins, Clock, Counter, Moments
from .observe import MASS_KINDS, TARGET_GROUP, Observation

STATE_VERSION = 1
RECENT_TIMES = 64  # timestamps kept for pace and mass-action checks
RECENT_POSTS = 200  # own item ids kept to time deletions
MAX_EXEMPT = 200
MAX_HELD = 200
HELD_TARGET_WEIGHT = 0.25
MAX_INCIDENTS = 20
CAPS = {"kinds": 16, "scripts": 16, "langs": 40, "tlangs": 40, "clients": 40, "domains": 300, "hashtags": 300,
        "partners": 500, "amplify": 400, "reply": 300, "follow": 300, "tcats": 200, "labels": 32, "vocab": 1500,
        "styles": 8}
GAP_BINS = 22  # log2 minutes: up to ~4,000 days
PACE_BINS = 8  # log2 of activities in 10 minutes


def gap_bin(seconds: float) -> int:
    minutes = max(1.0, seconds / 60.0)
    return min(GAP_BINS - 1, int(math.log2(minutes)))


def pace_bin(count: int) -> int:
    return min(PACE_BINS - 1, int(math.log2(max(1, count))))


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
        self.counters = {name: Counter(self.clock, cap) for name, cap in CAPS.items()}
        self.hours = Bins(self.clock, 24)
        self.days = Bins(self.clock, 7)
        self.gaps = Bins(self.clock, GAP_BINS)
        self.paces = Bins(self.clock, PACE_BINS)
        self.delays = Bins(self.clock, GAP_BINS)  # how long after posting it deletes (log2 minutes)
        self.novelty = Moments(self.clock)  # share of unfamiliar words in its own texts
        self.surprisal = Moments(self.clock)  # mean bits per word of its own texts under its vocabulary
        self.mass_peak: dict[str, float] = {}  # kind -> most actions of that kind in one run (fading)
        self.runs: dict[str, list[float]] = {}  # kind -> [last time, count] of the run in progress
        self.recent: deque[tuple[float, str]] = deque(maxlen=RECENT_TIMES)
        # own item id -> (time posted, whom it amplified or "", the bits its own score found): a quick
        # deletion is judged by what it deleted, not only by the delay
        self.posts: dict[str, tuple[float, str, float]] = {}
        self.held: list[str] = []  # alerted activities kept out of the baseline, awaiting a moderator
        self.profile: dict[str, Any] | None = None
        self.profile_before: dict[str, Any] | None = None  # to restore when a change is confirmed as an incident
        self.status: str | None = None
        self.country: str | None = None  # from the watch list, for telling governments apart
        self.exempt: set[str] = set()  # behaviour a moderator marked as normal (feedback)
        self.incidents: list[dict[str, Any]] = []  # confirmed incidents
        self._usual: tuple[int, tuple[int, int] | None] | None = None
        self._baseline: tuple[tuple, str] | None = None

    # ---- learning -------------------------------------------------------------------------------
    def learn(self, obs: Observation, activity_id: str, weight: float = 1.0, bits: float = 0.0,
              timed: bool = True) -> None:
        """Fold one activity in. `timed=False`: its time is already remembered (it was held when it
        alerted, and a moderator now calls it a false alarm)."""
        if obs.kind == "profile":
            return
        if obs.kind == "status":
            return
        c = self.counters
        if weight > 0:
            self.clock.tick()
            self.n += 1
            self.kind_total[obs.kind] = self.kind_total.get(obs.kind, 0) + 1
            self.kind_last[obs.kind] = self.n
        c["kinds"].add(obs.kind, weight)
        self.hours.add(obs.hour, weight)
        self.days.add(obs.dow, weight)
        if self.last_at is not None and obs.t >= self.last_at:
            self.gaps.add(gap_bin(obs.t - self.last_at), weight)
        pace = self.pace(obs.t)
        # a burst of N would otherwise teach N high-pace moments and mask itself: count it about once
        self.paces.add(pace_bin(pace), weight / pace if pace >= 4 else weight)
        if obs.kind in MASS_KINDS and weight > 0:
            # the most actions of a kind in one run (gaps under 15 minutes); a run counts once it is over,
            # so a spree in progress is compared with earlier sprees, not with itself
            run = self.runs.get(obs.kind)
            if run and 0 <= obs.t - run[0] <= 900:
                run[0], run[1] = obs.t, run[1] + 1
            else:
                if run:
                    peak = self.mass_peak.get(obs.kind, 0.0) * 0.99
                    self.mass_peak[obs.kind] = max(peak, float(run[1]))
                self.runs[obs.kind] = [obs.t, 1]
        if weight > 0:
            self._learn_delay(obs, weight)
        if obs.lang:
            c["langs"].add(obs.lang, weight)
        if obs.script:
            c["scripts"].add(obs.script, weight)
        if obs.target_lang:
            c["tlangs"].add(obs.target_lang, weight)
        if obs.client:
            c["clients"].add(obs.client, weight)
        for host in set(obs.domains):
            c["domains"].add(host, weight)
        for tag in set(obs.hashtags):
            c["hashtags"].add(tag, weight)
        group = TARGET_GROUP.get(obs.kind)
        if obs.target_key and group:
            c[group].add(obs.target_key, weight)
        for partner in {obs.target_key, *obs.mentions} - {None}:
            c["partners"].add(partner, weight)
        for category, _ in obs.categories:
            c["tcats"].add(category, weight)
        for term in obs.terms:
            c["tcats"].add(term, weight)
        for label in set(obs.labels):
            c["labels"].add(label, weight)
        if obs.keys:
            vocab = c["vocab"]
            if vocab.mass() >= 50:
                self.novelty.add(self.unfamiliar(obs.keys), weight)
                self.surprisal.add(self.word_bits(obs.keys), weight)
            for key in obs.keys:
                vocab.add(key, weight)
            c["styles"].add("text", weight)  # the denominator: how many of its own texts were read
            for flag in obs.styles:
                c["styles"].add(flag, weight)
        if weight > 0 and timed:
            self._remember_time(obs, activity_id, bits)

    def hold(self, obs: Observation, activity_id: str, bits: float = 0.0) -> None:
        """An alerted activity: remember when it happened (pace, sprees, what a later deletion undoes) but
        learn nothing of its content, so a second incident of the same shape is as novel as the first.
        A moderator's "false alarm" learns it later (ProfileBook.feedback)."""
        if obs.kind in ("profile", "status"):
            return
        self._remember_time(obs, activity_id, bits)
        group = TARGET_GROUP.get(obs.kind)
        if obs.target_key and group:
            # the same target again minutes later is the same story, not a second one: its target alone
            # is learned at a quarter weight (a different never-seen target stays as novel as the first)
            self.counters[group].add(obs.target_key, HELD_TARGET_WEIGHT)
        if activity_id not in self.held:
            self.held = [*self.held[-(MAX_HELD - 1):], activity_id]

    def _learn_delay(self, obs: Observation, weight: float = 1.0) -> None:
        if obs.kind == "delete":
            posted = self.posts.get(obs.deleted_id or "")
            # a deletion of something older than it remembers is an old one
            delay = obs.t - posted[0] if posted is not None and obs.t >= posted[0] else 10 ** 9
            self.delays.add(gap_bin(delay), weight)

    def _remember_time(self, obs: Observation, activity_id: str, bits: float) -> None:
        if self.first_at is None or obs.t < self.first_at:
            self.first_at = obs.t
        if self.last_at is None or obs.t > self.last_at:
            self.last_at = obs.t
        self.recent.append((obs.t, obs.kind))
        if obs.kind in ("post", "reply", "quote", "repost"):
            self.posts[activity_id] = (obs.t, obs.target or "", round(bits, 2))
            if len(self.posts) > RECENT_POSTS * 1.25:
                for key in list(self.posts)[: len(self.posts) - RECENT_POSTS]:
                    del self.posts[key]

    # ---- helpers the scorer uses ------------------------------------------------------------------
    def pace(self, t: float, window: float = 600.0) -> int:
        """Activities in the `window` seconds up to t, counting the one at t."""
        count = 1
        for at, _ in reversed(self.recent):  # newest first: stop at the first one out of the window
            if at < t - window:
                break
            if at <= t:
                count += 1
        return count

    def same_kind(self, kind: str, t: float, window: float = 900.0) -> int:
        count = 1
        for at, k in reversed(self.recent):
            if at < t - window:
                break
            if k == kind and at <= t:
                count += 1
        return count

    def word_bits(self, keys: frozenset[str]) -> float:
        """Mean surprisal of the distinct words under its own faded vocabulary (a unigram language
        model, the simplest form of Seyler et al.'s language-model divergence)."""
        vocab = self.counters["vocab"]
        weights, gain = vocab.weights, vocab.clock.gain
        mass = max(vocab.mass(), 1.0)
        return sum(min(16.0, math.log2(mass / (weights.get(k, 0.0) / gain + 0.5))) for k in keys) / len(keys)

    def unfamiliar(self, keys: frozenset[str]) -> float:
        vocab = self.counters["vocab"].weights
        return sum(1 for k in keys if k not in vocab) / len(keys)

    def usual_hours(self, share: float = 0.8) -> tuple[int, int] | None:
        """The shortest run of hours (UTC, wrapping) holding `share` of its activity (cached a while)."""
        stamp = self.n // 25 if self.n >= 200 else self.n
        if self._usual is not None and self._usual[0] == stamp:
            return self._usual[1]
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
        self._usual = (stamp, found)
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
            "counters": {name: counter.state() for name, counter in self.counters.items()},
            "hours": self.hours.state(),
            "days": self.days.state(),
            "gaps": self.gaps.state(),
            "paces": self.paces.state(),
            "delays": self.delays.state(),
            "novelty": self.novelty.state(),
            "surprisal": self.surprisal.state(),
            "mass_peak": {k: round(v, 2) for k, v in self.mass_peak.items()},
            "runs": self.runs,
            "recent": [[round(t, 1), k] for t, k in self.recent],
            "posts": {k: [round(t, 1), who, odd] for k, (t, who, odd) in list(self.posts.items())[-RECENT_POSTS:]},
            "held": self.held[-MAX_HELD:],
            "profile": self.profile,
            "profile_before": self.profile_before,
            "status": self.status,
            "country": self.country,
            "exempt": sorted(self.exempt)[:MAX_EXEMPT],
            "incidents": self.incidents[-MAX_INCIDENTS:],
        }

    def load(self, data: dict[str, Any]) -> None:
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            raise ValueError(f"baseline state for {self.platform}:{self.handle} is not version {STATE_VERSION}")
        self.clock.gain = 1.0
        self.n = int(data.get("n", 0))
        self.kind_total = {str(k): int(v) for k, v in (data.get("kind_total") or {}).items()}
        self.kind_last = {str(k): int(v) for k, v in (data.get("kind_last") or {}).items()}
        self.first_at = data.get("first_at")
        self.last_at = data.get("last_at")
        for name, counter in self.counters.items():
            counter.load((data.get("counters") or {}).get(name) or {})
        self.hours.load(data.get("hours") or [])
        self.days.load(data.get("days") or [])
        self.gaps.load(data.get("gaps") or [])
        self.paces.load(data.get("paces") or [])
        self.delays.load(data.get("delays") or [])
        self.novelty.load(data.get("novelty") or [])
        self.surprisal.load(data.get("surprisal") or [])
        self.mass_peak = {str(k): float(v) for k, v in (data.get("mass_peak") or {}).items()}
        self.runs = {str(k): [float(v[0]), float(v[1])] for k, v in (data.get("runs") or {}).items()}
        self.recent = deque(((float(t), str(k)) for t, k in data.get("recent") or []), maxlen=RECENT_TIMES)
        self.posts = {str(k): _posted(v) for k, v in (data.get("posts") or {}).items()}
        self.held = [str(k) for k in data.get("held") or []]
        self.profile = data.get("profile")
        self.profile_before = data.get("profile_before")
        self.status = data.get("status")
        self.country = data.get("country")
        self.exempt = set(data.get("exempt") or [])
        self.incidents = list(data.get("incidents") or [])

    # ---- description ----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        c = self.counters
        return {
            "activities": self.n,
            "since": _day(self.first_at),
            "last": _day(self.last_at),
            "hours": [round(h, 2) for h in self.hours.state()],
            "usual_hours_utc": _hours_text(self.usual_hours()),
            "counts_by_kind": dict(sorted(self.kind_total.items(), key=lambda kv: -kv[1])),
            "languages": [(k, round(s, 3)) for k, s in c["langs"].top(5)],
            "clients": [(k, round(s, 3)) for k, s in c["clients"].top(5)],
            "top_partners": [(k, round(s, 3)) for k, s in c["partners"].top(10)],
            "top_domains": [(k, round(s, 3)) for k, s in c["domains"].top(5)],
            "top_hashtags": [(k, round(s, 3)) for k, s in c["hashtags"].top(5)],
            "status": self.status,
            "profile": self.profile,
            "confirmed_incidents": len(self.incidents),
        }

    def baseline(self, tz=None) -> str:
        if self.n == 0:
            return "no history yet"
        # the shares move slowly: describe them afresh every 25 activities, the count every time
        stamp = (self.n // 25 if self.n >= 200 else self.n, str(tz))
        if self._baseline is None or self._baseline[0] != stamp:
            self._baseline = (stamp, self._describe(tz))
        return f"{self.n:,} activities since {_day(self.first_at)}" + self._baseline[1]

    def _describe(self, tz=None) -> str:
        parts = [""]
        total = sum(self.kind_total.values()) or 1
        mix = sorted(self.kind_total.items(), key=lambda kv: -kv[1])[:3]
        parts[0] += ": " + ", ".join(f"{round(100 * v / total)}% {_plural(k)}" for k, v in mix)
        langs = self.counters["langs"].top(3)
        if langs:
            parts.append(" ".join(f"{k} {round(100 * s)}%" for k, s in langs if s >= 0.01))
        clients = self.counters["clients"].top(2)
        if clients:
            parts.append("via " + ", ".join(f"{k} {round(100 * s)}%" for k, s in clients))
        hours = self.usual_hours()
        if hours:
            parts.append("hours " + _hours_text(hours, tz))
        return "; ".join(parts)


def _posted(value: Any) -> tuple[float, str, float]:
    # a baseline saved before deletions were judged by what they deleted kept the time alone
    if isinstance(value, (int, float)):
        return float(value), "", 0.0
    return float(value[0]), str(value[1]), float(value[2])


def _plural(kind: str) -> str:
    return {"reply": "replies"}.get(kind, kind + "s")


def _day(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")


def _hours_text(hours: tuple[int, int] | None, tz=None, at: datetime | None = None) -> str:
    if not hours:
        return "unknown"
    start, end = hours
    label = "UTC"
    if tz is not None:
        offset = (at or datetime.now(timezone.utc)).astimezone(tz).utcoffset()
        shift = int(offset.total_seconds() // 3600) if offset else 0
        start, end, label = (start + shift) % 24, (end + shift) % 24, "local"
    return f"{start:02d}-{end:02d} {label}"
