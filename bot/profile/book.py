"""ProfileBook: every watched account's profile, scoring before learning, and feedback."""

from __future__ import annotations

import io
import pickle
from typing import Any

from bot.activity import Activity

from .account import MAX_FALSE_ALARMS, PLAIN_FEATURES, SPREE_CONTENT_WEIGHT, STORY_FEATURES, TOLD_SHARE, AccountProfile
from .combine import MAX_REASONS, SUBSTANCE_MIN, THIN_ACTIVITIES, combine_bits, confidence, to_score
from .coordination import CoordinationTracker
from .counts import Counter
from .lexicon import lexicon
from .observe import Observation, observe
from .run import remember, run_finding
from .signals import CONTEXT_FEATURES, FEATURES, SHARED, Finding
from .signals.wording import WordingSignal
from .signals.words import zone
from .types import IN_CHARACTER, AccountMeta, Verdict

# when it acted, not what it did (combine.py's context, less the kind of action)
TIMING_FEATURES = CONTEXT_FEATURES - {"kind"}
SCORED_FEATURES = (*FEATURES, "run")  # every signal, and the run of near misses (run.py)
FEEDBACK_WEIGHT = 5.0  # a false alarm teaches as much as five ordinary activities


class ProfileBook:
    def __init__(self) -> None:
        self.profiles: dict[tuple[str, str], AccountProfile] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._last: tuple[Activity | None, Observation | None] = (None, None)
        # observations worked out elsewhere (a replay's reading process), by the activity's identity
        self._primed: dict[int, tuple[Activity, Observation]] = {}
        # the last activity scored, its evidence in bits, and its findings (what an alert on it tells)
        self._scored: tuple[Activity | None, float, list[Finding]] = (None, 0.0, [])
        self.coordination = CoordinationTracker(self._country_of, self._in_circle, self._familiarity)
        self._handles: dict[tuple[str, str], str] = {}  # (platform, lower-cased handle) -> handle as watched
        self._countries: dict[tuple[str, str], str] = {}  # (platform, handle) -> country, from the watch list

    # ---- profiles ---------------------------------------------------------------------------------
    def profile(self, platform: str, handle: str) -> AccountProfile:
        key = (platform, handle)
        found = self.profiles.get(key)
        if found is None:
            found = self.profiles[key] = AccountProfile(platform, handle)
            self._handles[(platform, handle.lower())] = handle
        return found

    def watch(self, platform: str, handle: str, country: str | None = None) -> None:
        """A watch-list entry: an official account, known as such before it has any activity."""
        self._handles[(platform, handle.lower())] = handle
        if country:
            self._countries[(platform, handle)] = country

    # ---- what signals may ask about other accounts (types.World) -------------------------------------
    def watched_handle(self, platform: str, handle: str) -> str | None:
        """The handle of a watched account, as watched, by any spelling; None if it is not watched."""
        return self._handles.get((platform, handle.lower()))

    def knows(self, platform: str, one: str, two: str) -> bool:
        """Whether `one` has amplified, mentioned or answered `two`."""
        return self._familiarity(platform, one, two) > 0

    def country_of(self, platform: str, handle: str) -> str | None:
        return self._country_of(platform, handle)

    def prime(self, activity: Activity, obs: Observation) -> None:
        """Hand over the observation of an activity about to be scored, worked out by observe() with the
        same meta in another process (bot/read_ahead.py), so it is not worked out again here."""
        self._primed[id(activity)] = (activity, obs)

    def unprime(self, activities: list[Activity]) -> None:
        """Forget what was primed for these (those never scored: already stored, or kept aside)."""
        for activity in activities:
            self._primed.pop(id(activity), None)

    def _observe(self, activity: Activity, meta: AccountMeta) -> Observation:
        # score() then learn() on the same activity is the usual order: observe it once.
        last, obs = self._last
        if last is activity and obs is not None:
            return obs
        primed = self._primed.pop(id(activity), None)
        # the entry holds the activity itself, so its id cannot have been reused by another object
        if primed is not None and primed[0] is activity:
            obs = primed[1]
            if obs.lists is not None:  # the signals' own word-list checks read the same text
                lexicon().scanner.remember(obs.text, obs.lists)
        else:
            obs = observe(activity, meta)
        self._last = (activity, obs)
        return obs

    def vocabulary(self, platform: str, handle: str) -> Counter | None:
        """The words an account writes (its wording check's faded vocabulary), None if it has no profile."""
        found = self.profiles.get((platform, handle))
        wording = found.signals["wording"] if found is not None else None
        return wording.vocab if isinstance(wording, WordingSignal) else None

    def writes(self, platform: str, key: str, besides: str) -> bool:
        """Whether an account other than `besides` has the word (its vocabulary key) in its vocabulary:
        the watched accounts' words together are the dictionary a slip of the fingers is told by."""
        for (where, handle), profile in self.profiles.items():
            wording = profile.signals["wording"]
            if where == platform and handle != besides and isinstance(wording, WordingSignal):
                if wording.vocab.count(key) >= 1.0:
                    return True
        return False

    def _familiarity(self, platform: str, one: str, two: str) -> float:
        """How often `one` has amplified, mentioned or answered `two` (faded; 0 for never)."""
        found = self.profiles.get((platform, one))
        return found.partners.count(two.lower()) if found is not None else 0.0

    def _in_circle(self, platform: str, one: str, two: str) -> bool:
        """Whether either account has amplified, mentioned or answered the other."""
        return self.knows(platform, one, two) or self.knows(platform, two, one)

    def _country_of(self, platform: str, handle: str) -> str | None:
        found = self.profiles.get((platform, handle))
        return (found.country if found else None) or self._countries.get((platform, handle))

    # ---- scoring ----------------------------------------------------------------------------------
    def findings(self, activity: Activity, meta: AccountMeta) -> tuple[list[Finding], AccountProfile, float]:
        profile = self.profiles.get((activity.platform, activity.account)) or AccountProfile(
            activity.platform, activity.account
        )
        obs = self._observe(activity, meta)
        found: list[Finding] = []
        trust = confidence(profile.n)
        exempt = profile.exempt
        for signal in profile.signals_for(obs.kind):
            if signal.learned and trust <= 0:
                continue
            finding = signal.score_one(profile, obs, activity, meta, self)
            if finding is None:
                continue
            if signal.learned:
                finding.bits *= trust
            if exempt and finding.exempt_key and finding.exempt_key in exempt:
                finding.bits *= 0.1
            found.append(finding)
        if profile.told:
            _retold(profile, obs.t, found)
        if profile.near is not None:  # (an alert clears it, and the rest of a spree remembers none)
            run = run_finding(profile, obs.t, found)
            if run is not None:
                found.append(run)
        return found, profile, trust

    def score(self, activity: Activity, meta: AccountMeta) -> Verdict:
        """How out of character this activity is for its account. Pure: learns nothing."""
        found, profile, trust = self.findings(activity, meta)
        bits = combine_bits(found)
        self._scored = (activity, bits, found)
        features = dict.fromkeys(SCORED_FEATURES, 0.0)
        for f in found:
            features[f.feature] = max(features[f.feature], round(f.bits, 3))
        ranked = sorted((f for f in found if f.bits >= 0.5), key=lambda f: -f.bits)
        reasons = [f.reason for f in ranked[:MAX_REASONS]]
        thin = profile.n < THIN_ACTIVITIES
        if thin:
            reasons.append(
                f"baseline thin: only {profile.n:,} activities so far, so its habits are not judged yet "
                f"(checks that need no history still ran)"
            )
        if not reasons:
            reasons.append(IN_CHARACTER)
        return Verdict(
            score=to_score(bits),
            reasons=reasons,
            thin=thin,
            # written when an alert shows it, before the account learns this activity (pipeline._judge)
            baseline=lambda: profile.baseline(zone(meta.tz)),
            features=features,
        )

    # ---- learning ---------------------------------------------------------------------------------
    def learn(self, activity: Activity, meta: AccountMeta, weight: float = 1.0, *, alerted: bool = False) -> None:
        """Fold the activity into its account's profile (old behaviour fades as new arrives).

        An alerted activity is held out instead: it is not normal until a moderator says it was a false
        alarm, so a second incident of the same shape on the same account alerts again."""
        profile = self.profile(activity.platform, activity.account)
        if meta.country:
            profile.country = meta.country
        if activity.kind == "profile" and activity.profile:
            # an alerted profile is not the account's own until a moderator says so: later edits are
            # compared with the profile it had before (a false alarm adopts it, see feedback)
            if not alerted:
                profile.profile_before = profile.profile
                profile.profile = dict(activity.profile)
        elif activity.kind == "status" and activity.status:
            profile.status = activity.status  # a status is a fact, alerted or not (reactivation needs it)
        elif alerted:
            scored, _, found = self._scored
            # how it did what the alert tells (STORY_FEATURES): the same again minutes later is the same story
            told = tuple(
                f.exempt_key
                for f in (found if scored is activity else ())
                if f.feature in STORY_FEATURES and f.exempt_key and f.bits >= 0.5
            )
            profile.hold(self._observe(activity, meta), activity.id, self._bits_of(activity), told)
        elif profile.told_recently(activity.at.timestamp()):
            # minutes after an alert, the same spree is the same story: what it does is not normal until a
            # moderator rules on the alert either (its habits of timing and kind are learned)
            obs = self._observe(activity, meta)
            profile.learn(
                obs, activity.id, weight, self._bits_of(activity), content_weight=SPREE_CONTENT_WEIGHT * weight
            )
        else:
            profile.learn(self._observe(activity, meta), activity.id, weight, self._bits_of(activity))
            scored, _, found = self._scored
            if scored is activity:
                remember(profile, activity.at.timestamp(), found)
        self._dirty.add((activity.platform, activity.account))

    def _bits_of(self, activity: Activity) -> float:
        """The evidence its own score found in what it did, not in when it did it (0 when it was learned
        without scoring: the backfill). A later deletion carries this: an ordinary post after a long
        silence, or at an odd hour, is no odder a thing to take back, and its fix within a minute is a
        slip fixed (with the silence counted, a typo fixed on an account's first post in 95 days alerted
        high). A rare kind of action is what it did: a first repost taken back still carries it."""
        scored, _, found = self._scored
        if scored is not activity:
            return 0.0
        return sum((f.bits for f in found if f.feature not in TIMING_FEATURES), 0.0)

    def feedback(self, activity: Activity, meta: AccountMeta, verdict: str) -> None:
        """A moderator's verdict on an alert: a false alarm becomes normal; a confirmed incident is kept.

        Each verdict is taught once (a second click, or a second server agreeing, teaches nothing more),
        and a changed mind undoes the verdict before: a false alarm confirmed after all loses what it
        taught (its exemptions, its weight in the baseline), so the same incident alerts again; an
        incident called a false alarm after all leaves the confirmed ones and is taught as normal."""
        if verdict not in ("false_alarm", "confirmed"):
            raise ValueError(f"verdict must be 'false_alarm' or 'confirmed', got {verdict!r}")
        profile = self.profile(activity.platform, activity.account)
        confirmed = any(incident.get("id") == activity.id for incident in profile.incidents)
        cleared = activity.id in profile.false_alarms
        if (verdict == "false_alarm" and cleared) or (verdict == "confirmed" and confirmed):
            return
        obs = self._observe(activity, meta)
        if verdict == "false_alarm":
            if confirmed:
                profile.incidents = [i for i in profile.incidents if i.get("id") != activity.id]
            found, _, _ = self.findings(activity, meta)
            for finding in found:
                if finding.exempt_key and finding.bits >= 1.0:
                    profile.exempt.add(finding.exempt_key)
            if activity.kind == "profile" and activity.profile and profile.profile != activity.profile:
                profile.profile_before, profile.profile = profile.profile, dict(activity.profile)
            if obs.behaviour:
                held = activity.id in profile.held
                if held:
                    profile.held.remove(activity.id)
                # its time is remembered already when it was held, or held and then confirmed
                profile.learn(obs, activity.id, FEEDBACK_WEIGHT, timed=not held and not confirmed)
            profile.false_alarms = [*profile.false_alarms[-(MAX_FALSE_ALARMS - 1) :], activity.id]
        else:
            if cleared:
                # what the false alarm taught, taken back: its weight first, so that its findings show
                # again whose exemptions it added
                profile.false_alarms.remove(activity.id)
                if obs.behaviour and profile.n > 0:
                    profile.learn(obs, activity.id, -FEEDBACK_WEIGHT)
                self._unexempt(activity, meta, profile)
            found, _, _ = self.findings(activity, meta)
            profile.incidents.append(
                {
                    "id": activity.id,
                    "at": activity.at_iso,
                    "kind": activity.kind,
                    "reasons": [f.reason for f in sorted(found, key=lambda f: -f.bits)[:3]],
                }
            )
            # if it was learned as ordinary behaviour, take that back: an incident is not its normal
            if activity.kind == "profile" and profile.profile == activity.profile:
                profile.profile = profile.profile_before
            if activity.id in profile.held:
                profile.held.remove(activity.id)  # held out when it alerted: it stays novel as it is
            elif obs.behaviour and profile.n > 0 and not cleared:
                profile.learn(obs, activity.id, -1.0)
        self._dirty.add((activity.platform, activity.account))

    def _unexempt(self, activity: Activity, meta: AccountMeta, profile: AccountProfile) -> None:
        """The exemptions a false alarm on this activity added, taken back: what its findings would be
        with none in force."""
        kept, profile.exempt = profile.exempt, set()
        try:
            found, _, _ = self.findings(activity, meta)
        finally:
            profile.exempt = kept
        for finding in found:
            if finding.exempt_key:
                profile.exempt.discard(finding.exempt_key)

    # ---- persistence and description ---------------------------------------------------------------
    def state(self, platform: str, handle: str) -> dict[str, Any]:
        return self.profile(platform, handle).state()

    def load(self, platform: str, handle: str, state: dict[str, Any]) -> None:
        profile = AccountProfile(platform, handle)
        profile.load(state)
        self.profiles[(platform, handle)] = profile
        self._handles[(platform, handle.lower())] = handle

    def dirty(self) -> set[tuple[str, str]]:
        return set(self._dirty)

    def clear_dirty(self) -> None:
        self._dirty.clear()

    # ---- rollback: the pipeline puts back what a transaction that did not commit taught -------------
    def snapshot(self, keys: set[tuple[str, str]]) -> Any:
        """An exact copy of what learning or feedback may change for these accounts, and of the
        coordination window, for `restore` (cheap: only the accounts one transaction touches; pickled,
        which is faster than a deep copy, and read back only when restored)."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = _shared_id  # type: ignore[method-assign]
        pickler.dump({key: self.profiles.get(key) for key in keys})
        names = {key: self._handles.get((key[0], key[1].lower())) for key in keys}
        return (buffer.getvalue(), names, self.coordination.snapshot(), set(self._dirty))

    def restore(self, snap: Any) -> None:
        pickled, names, coordination, dirty = snap
        unpickler = pickle.Unpickler(io.BytesIO(pickled))
        unpickler.persistent_load = _SHARED_BY_ID.__getitem__  # type: ignore[method-assign]
        for key, profile in unpickler.load().items():
            if profile is None:
                self.profiles.pop(key, None)
            else:
                self.profiles[key] = profile
            name_key = (key[0], key[1].lower())
            if names[key] is None:
                self._handles.pop(name_key, None)
            else:
                self._handles[name_key] = names[key]
        self.coordination.restore(coordination)
        self._dirty = dirty
        self._last, self._scored = (None, None), (None, 0.0, [])

    def summary(self, platform: str, handle: str) -> dict[str, Any]:
        return self.profile(platform, handle).summary()

    def baseline(self, platform: str, handle: str) -> str:
        return self.profile(platform, handle).baseline()


def _retold(profile: AccountProfile, t: float, found: list[Finding]) -> None:
    """The same story again: how it did something that its alert of minutes before told (STORY_FEATURES)
    counts TOLD_SHARE, unless this activity does something new of substance, with a new target or a new
    claim (another president's election-fraud repost from the hijacker's client is a second incident)."""
    if any(
        f.feature not in STORY_FEATURES and f.feature not in PLAIN_FEATURES and f.bits >= SUBSTANCE_MIN for f in found
    ):
        return
    for finding in found:
        if finding.exempt_key and profile.told_in_story(finding.exempt_key, t):
            finding.bits *= TOLD_SHARE
            finding.reason += ", as told in its alert minutes before"


# Signals without memories of their own are one object shared by every profile: a snapshot refers to
# them instead of copying them.
_SHARED_BY_ID = {id(signal): signal for signal in SHARED.values()}


# (set on the pickler, not by subclassing it: a Pickler subclass compiled with mypyc crashes)
def _shared_id(obj: Any) -> int | None:
    return id(obj) if id(obj) in _SHARED_BY_ID else None
