"""ProfileBook: every watched account's profile, scoring before learning, and feedback."""

from __future__ import annotations

from typing import Any

from bot.activity import Activity

from .account import AccountProfile
from .combine import MAX_REASONS, THIN_ACTIVITIES, confidence, to_score
from .coordination import CoordinationTracker
from .features import ABSOLUTE_CHECKS, FEATURES, LEARNED_CHECKS, Finding, _zone
from .observe import Observation, observe
from .types import AccountMeta, Verdict

FEEDBACK_WEIGHT = 5.0  # a false alarm teaches as much as five ordinary activities


class ProfileBook:
    def __init__(self) -> None:
        self.profiles: dict[tuple[str, str], AccountProfile] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._last: tuple[Activity | None, Observation | None] = (None, None)
        self.coordination = CoordinationTracker(self._country_of)

    # ---- profiles ---------------------------------------------------------------------------------
    def profile(self, platform: str, handle: str) -> AccountProfile:
        key = (platform, handle)
        found = self.profiles.get(key)
        if found is None:
            found = self.profiles[key] = AccountProfile(platform, handle)
        return found

    def _observe(self, activity: Activity, meta: AccountMeta) -> Observation:
        # score() then learn() on the same activity is the usual order: observe it once.
        last, obs = self._last
        if last is activity and obs is not None:
            return obs
        obs = observe(activity, meta)
        self._last = (activity, obs)
        return obs

    def _country_of(self, platform: str, handle: str) -> str | None:
        found = self.profiles.get((platform, handle))
        return found.country if found else None

    # ---- scoring ----------------------------------------------------------------------------------
    def findings(self, activity: Activity, meta: AccountMeta) -> tuple[list[Finding], AccountProfile, float]:
        profile = self.profiles.get((activity.platform, activity.account)) or AccountProfile(
            activity.platform, activity.account)
        obs = self._observe(activity, meta)
        found: list[Finding] = []
        trust = confidence(profile.n)
        if obs.behaviour and trust > 0:
            for check in LEARNED_CHECKS:
                finding = check(profile, obs, activity, meta)
                if finding is not None:
                    finding.bits *= trust
                    found.append(finding)
        for check in ABSOLUTE_CHECKS:
            finding = check(profile, obs, activity, meta)
            if finding is not None:
                found.append(finding)
        for finding in found:
            if finding.exempt_key and finding.exempt_key in profile.exempt:
                finding.bits *= 0.1
        return found, profile, trust

    def score(self, activity: Activity, meta: AccountMeta) -> Verdict:
        """How out of character this activity is for its account. Pure: learns nothing."""
        found, profile, trust = self.findings(activity, meta)
        bits = sum(f.bits for f in found)
        features = dict.fromkeys(FEATURES, 0.0)
        for f in found:
            features[f.feature] = max(features[f.feature], round(f.bits, 3))
        ranked = sorted((f for f in found if f.bits >= 0.5), key=lambda f: -f.bits)
        reasons = [f.reason for f in ranked[:MAX_REASONS]]
        thin = profile.n < THIN_ACTIVITIES
        if thin:
            reasons.append(f"baseline thin: only {profile.n:,} activities so far, so its habits are not judged yet "
                           f"(checks that need no history still ran)")
        if not reasons:
            reasons.append("in character for this account")
        return Verdict(score=to_score(bits), reasons=reasons, thin=thin,
                       baseline=profile.baseline(_zone(meta)), features=features)

    # ---- learning ---------------------------------------------------------------------------------
    def learn(self, activity: Activity, meta: AccountMeta, weight: float = 1.0) -> None:
        """Fold the activity into its account's profile (old behaviour fades as new arrives)."""
        profile = self.profile(activity.platform, activity.account)
        if meta.country:
            profile.country = meta.country
        if activity.kind == "profile" and activity.profile:
            profile.profile_before = profile.profile
            profile.profile = dict(activity.profile)
        elif activity.kind == "status" and activity.status:
            profile.status = activity.status
        else:
            profile.learn(self._observe(activity, meta), activity.id, weight)
        self._dirty.add((activity.platform, activity.account))

    def feedback(self, activity: Activity, meta: AccountMeta, verdict: str) -> None:
        """A moderator's verdict on an alert: a false alarm becomes normal; a confirmed incident is kept."""
        if verdict not in ("false_alarm", "confirmed"):
            raise ValueError(f"verdict must be 'false_alarm' or 'confirmed', got {verdict!r}")
        found, profile, _ = self.findings(activity, meta)
        profile = self.profile(activity.platform, activity.account)
        obs = self._observe(activity, meta)
        if verdict == "false_alarm":
            for finding in found:
                if finding.exempt_key and finding.bits >= 1.0:
                    profile.exempt.add(finding.exempt_key)
            if obs.behaviour:
                profile.learn(obs, activity.id, FEEDBACK_WEIGHT)
        else:
            profile.incidents.append({
                "id": activity.id, "at": activity.at_iso, "kind": activity.kind,
                "reasons": [f.reason for f in sorted(found, key=lambda f: -f.bits)[:3]],
            })
            # if it was learned as ordinary behaviour, take that back: an incident is not its normal
            if activity.kind == "profile" and profile.profile == activity.profile:
                profile.profile = profile.profile_before
            if obs.behaviour and profile.n > 0:
                profile.learn(obs, activity.id, -1.0)
        self._dirty.add((activity.platform, activity.account))

    # ---- persistence and description ---------------------------------------------------------------
    def state(self, platform: str, handle: str) -> dict[str, Any]:
        return self.profile(platform, handle).state()

    def load(self, platform: str, handle: str, state: dict[str, Any]) -> None:
        profile = AccountProfile(platform, handle)
        profile.load(state)
        self.profiles[(platform, handle)] = profile

    def dirty(self) -> set[tuple[str, str]]:
        return set(self._dirty)

    def clear_dirty(self) -> None:
        self._dirty.clear()

    def summary(self, platform: str, handle: str) -> dict[str, Any]:
        return self.profile(platform, handle).summary()

    def baseline(self, platform: str, handle: str) -> str:
        return self.profile(platform, handle).baseline()
