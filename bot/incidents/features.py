"""What an alert is about, in the terms incidents are described in.

An activity says *what* was done (kind, target, text); the watch list says *who* did it (role,
country, affiliation); the alert's reasons say *why it stood out* (hours, language, client). This
module turns the three into `Features`, the query the similarity index compares with incidents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from bot.activity import Activity
from bot.incidents.vocab import normalize_country, normalize_platform, normalize_role, role_group
from bot.profile.lexicon import CASHTAG_RE, lexicon
from bot.profile.observe import observe
from bot.profile.signals.critic import CATEGORIES as CRITIC_CATEGORIES

STATE_LABELS = {"state-affiliated", "state-media", "state affiliated media", "government", "government-affiliated"}


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# Wording that marks the kinds of target the detection lexicon (bot.profile.lexicon) does not cover,
# checked on the text posted or amplified.
TARGET_PATTERNS = {
    "election": _words(
        "election\\w*",
        "vote\\w*",
        "voting",
        "ballot\\w*",
        "rigged",
        "cheat\\w*",
        "candidate\\w*",
        "midterm\\w*",
        "electoral",
        "polls?",
        "overturn\\w*",
        "fraud",
    ),
    "extremist": _words(
        "isis", "caliphate", "jihad\\w*", "terror\\w*", "martyr\\w*", "revenge", "death to", "behead\\w*", "kill\\w*"
    ),
    "false-news": _words("breaking", "explosions?", "injured", "resign\\w*", "nuclear leak", "legal tender"),
    "political": _words(
        "democrats?",
        "republicans?",
        "gop",
        "liberals?",
        "conservatives?",
        "senator",
        "resign\\w*",
        "congress",
        "parliament",
    ),
    "critic": _words("regime", "dictator\\w*", "tyrant", "down with"),
    "abusive": _words("white power", "idiot\\w*", "scum", "traitor\\w*"),
    "disinformation": _words("hoax", "staged", "fake news", "bioweapon", "miracle cure", "crisis actors?"),
}

# What the scorer's reasons say (the wording of bot/profile/signals/), as incident tags.
REASON_TAGS = (
    (re.compile(r"\d\d:\d\d (local|utc)|usual hours|in this hour|at night"), "unusual-hours"),
    (re.compile(r"language|written in"), "language-switch"),
    (re.compile(r"sent from|\bclient\b|posted from"), "new-client"),
    (re.compile(r"dormant|silent for|first activity in"), "dormant-account"),
    (re.compile(r"renamed|display name"), "rename"),
    (re.compile(r"avatar|profile picture|banner"), "avatar-change"),
    (re.compile(r"\bbio\b|profile change|profile shows"), "profile-change"),
    (re.compile(r"deleted"), "deleted"),
    (re.compile(r"coordinated|sister accounts|several accounts"), "mass-compromise"),
)
# Targets the reasons can name outright (e.g. "reposted a foreign leader").
REASON_TARGETS = (
    (re.compile(r"foreign (leader|head of state|president|prime minister)"), "foreign-leader"),
    (re.compile(r"explicit|porn|sexual|nudity|adult"), "explicit-content"),
    (re.compile(r"crypto|bitcoin|nft"), "crypto"),
    (re.compile(r"election|candidate|ballot"), "election"),
)
# Query tags incidents can share; the index encodes incident tags in this order as a bitmask.
QUERY_TAGS = (
    "unusual-hours",
    "language-switch",
    "new-client",
    "dormant-account",
    "rename",
    "avatar-change",
    "profile-change",
    "deleted",
    "mass-compromise",
)
_TAG_EQUIVALENTS = {"removed": "deleted", "removed-within-hour": "deleted", "dormancy": "dormant-account"}


@dataclass(slots=True)
class AccountInfo:
    """What the watch list knows about an account (any of it may be missing)."""

    role: str | None = None
    country: str | None = None
    owner: str | None = None
    affiliation: str | None = None
    host_country: str | None = None
    disclosed: bool | None = None  # True when the account itself labels its state affiliation


def account_info(meta: Any) -> AccountInfo:
    """A dict, an AccountInfo, the lead's AccountMeta or a watch-list row -> AccountInfo."""
    if meta is None:
        return AccountInfo()
    if isinstance(meta, AccountInfo):
        return meta
    get = meta.get if isinstance(meta, Mapping) else (lambda name, default=None: getattr(meta, name, default))
    return AccountInfo(
        role=get("role"),
        country=get("country"),
        owner=get("owner"),
        affiliation=get("affiliation"),
        host_country=get("host_country"),
        disclosed=get("disclosed"),
    )


@dataclass(slots=True)
class Features:
    kind: str
    status: str | None = None
    was: str | None = None  # for a reactivation: the status it came back from (what incidents describe)
    targets: frozenset[str] = frozenset()
    role: str | None = None
    country: str | None = None
    platform: str | None = None
    undisclosed: bool = False
    tags: frozenset[str] = frozenset()
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def incident_tags(tags: Iterable[str]) -> frozenset[str]:
    """An incident's free tags reduced to the query tags they correspond to."""
    out = set()
    for tag in tags:
        tag = _TAG_EQUIVALENTS.get(tag, tag)
        if tag in QUERY_TAGS:
            out.add(tag)
    return frozenset(out)


def _amplified_text(activity: Activity) -> str:
    parts = [activity.text or "", (activity.target or {}).get("text") or ""]
    if activity.profile:
        parts += [str(activity.profile.get(name) or "") for name in ("name", "bio")]
    parts += activity.hashtags
    return " ".join(part for part in parts if part).strip()


def features_for(activity: Activity, meta: Any = None, reasons: Iterable[str] = ()) -> Features:
    """The similarity query for one activity of one account, given why the alert fired."""
    info = account_info(meta)
    lex = lexicon()
    country = normalize_country(info.country)
    host = normalize_country(info.host_country)
    text = _amplified_text(activity)
    target = activity.target or {}
    targets: set[str] = set()
    tags: set[str] = set()

    # The detector's own reading of the target (foreign leader, critic, adult, host politics), so
    # an alert and its prior incidents are described with the same lexicon.
    for category, _ in observe(activity, info).categories:
        if category == "foreign_leader":
            targets.add("foreign-leader")
        elif category in CRITIC_CATEGORIES:
            targets.add("critic")
        elif category == "adult":
            targets.add("explicit-content")
        elif category == "host_politics":
            targets.add("host-politics" if host and host != country else "political")
    for handle in activity.mentions:  # addressing another country's leader counts too
        leader = lex.leader_country(handle)
        if leader and leader != lex.country(info.country):
            targets.add("foreign-leader")
    labels = {label.lower() for label in activity.labels}
    labels |= {str(label).lower() for label in target.get("labels") or []}
    if labels & lex.explicit_labels or lex.adult_hits(text, target.get("account")):
        targets.add("explicit-content")
    if lex.crypto_scam(text, target.get("account")) or lex.crypto.find(text) or CASHTAG_RE.search(text):
        targets.add("crypto")
    for name, pattern in TARGET_PATTERNS.items():
        if text and pattern.search(text):
            targets.add(name)

    reason_text = " ".join(reasons).lower()
    for pattern, tag in REASON_TAGS:
        if pattern.search(reason_text):
            tags.add(tag)
    for pattern, found in REASON_TARGETS:
        if pattern.search(reason_text):
            targets.add(found)
    if activity.kind == "profile" and activity.profile:
        if activity.profile.get("name"):
            tags.add("rename")
        if activity.profile.get("avatar"):
            tags.add("avatar-change")
        tags.add("profile-change")

    was = None
    if activity.kind == "status" and activity.status == "active":
        said = re.search(r"\bwas (deactivated|suspended|protected|deleted)\b", reason_text)
        was = said.group(1) if said else None

    # Run by a state without saying so: the detector's affiliation reason says it outright;
    # otherwise an affiliated account whose activity carries no state label.
    # An embassy or a ministry is openly official whatever its affiliation field says.
    role = normalize_role(info.role)
    state_labelled = bool(labels & STATE_LABELS) or info.disclosed is True
    openly_official = role_group(role) in ("diplomatic", "leader", "government", "military")
    undisclosed = "disclose" in reason_text or (bool(info.affiliation) and not state_labelled and not openly_official)
    return Features(
        kind=activity.kind,
        status=activity.status,
        was=was,
        targets=frozenset(targets),
        role=role,
        country=country,
        platform=normalize_platform(activity.platform) if activity.platform else None,
        undisclosed=undisclosed,
        tags=frozenset(tags),
        text=text,
    )
