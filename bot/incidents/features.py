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
from bot.incidents.vocab import normalize_country, normalize_platform, normalize_role

# Heads of state or government, their offices and close stand-ins: handle (lowercase) -> country.
# Enough to recognise "an embassy amplified a foreign leader"; the watch list can add more through
# the target's own metadata later.
LEADERS = {
    "realdonaldtrump": "united states", "potus": "united states", "whitehouse": "united states",
    "joebiden": "united states", "barackobama": "united states", "potus45": "united states",
    "narendramodi": "india", "pmoindia": "india", "rashtrapatibhvn": "india",
    "number10gov": "united kingdom", "theresa_may": "united kingdom", "borisjohnson": "united kingdom",
    "rishisunak": "united kingdom", "keir_starmer": "united kingdom", "david_cameron": "united kingdom",
    "emmanuelmacron": "france", "elysee": "france", "bundeskanzler": "germany", "olafscholz": "germany",
    "jmilei": "argentina", "casarosada": "argentina", "lulaoficial": "brazil", "jairbolsonaro": "brazil",
    "netanyahu": "israel", "israelipm": "israel", "zelenskyyua": "ukraine", "kremlinrussia_e": "russia",
    "kremlinrussia": "russia", "medvedevrussia": "russia", "rterdogan": "turkey", "imrankhanpti": "pakistan",
    "cmshehbaz": "pakistan", "justintrudeau": "canada", "albomp": "australia", "scottmorrisonmp": "australia",
    "jacindaardern": "new zealand", "cyrilramaphosa": "south africa", "mbuhari": "nigeria",
    "khamenei_ir": "iran", "khameneisite": "iran", "raisi_com": "iran", "nicolasmaduro": "venezuela",
    "pontifex": "holy see", "franciscus": "holy see", "kishida230": "japan", "jokowi": "indonesia",
    "yoweri_museveni": "uganda", "hhshkmohd": "united arab emirates", "kingsalman": "saudi arabia",
}

EXPLICIT_LABELS = {"porn", "sexual", "nudity", "explicit", "adult", "nsfw"}
STATE_LABELS = {"state-affiliated", "state-media", "state affiliated media", "government", "government-affiliated"}


def _words(*patterns: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")\b", re.IGNORECASE)


# Wording that marks the kind of target, checked on the text posted or amplified.
TARGET_PATTERNS = {
    "explicit-content": _words(r"porn\w*", "xxx", "nsfw", "onlyfans", "escort", "nude\\w*", "sex\\w*", "adult film"),
    "crypto": _words("bitcoin", "btc", "crypto\\w*", "nft\\w*", "ethereum", "eth", "wallet", "memecoin",
                     "airdrop", "giveaway", "token", "double your", "\\$[A-Z]{3,6}"),
    "election": _words("election\\w*", "vote\\w*", "voting", "ballot\\w*", "rigged", "cheat\\w*",
                       "candidate\\w*", "midterm\\w*", "electoral", "polls?", "overturn\\w*", "fraud"),
    "extremist": _words("isis", "caliphate", "jihad\\w*", "terror\\w*", "martyr\\w*", "revenge",
                        "death to", "behead\\w*", "kill\\w*"),
    "false-news": _words("breaking", "explosions?", "injured", "resign\\w*", "nuclear leak", "legal tender"),
    "political": _words("democrats?", "republicans?", "gop", "liberals?", "conservatives?", "senator",
                        "resign\\w*", "congress", "parliament"),
    "critic": _words("ccp", "communist party", "xi jinping", "tiananmen", "uyghurs?", "uighurs?",
                     "falun", "free tibet", "hong kong protest\\w*", "regime", "dictator\\w*", "tyrant",
                     "down with", "navalny", "corrupt\\w*"),
    "abusive": _words("white power", "idiot\\w*", "scum", "traitor\\w*"),
    "disinformation": _words("hoax", "staged", "fake news", "bioweapon", "miracle cure", "crisis actors?"),
}

# What the scorer's reasons say, as incident tags. Matched on the lowercased reason strings.
REASON_TAGS = (
    (re.compile(r"\bhours?\b|local time|night|\d\d:\d\d local"), "unusual-hours"),
    (re.compile(r"language"), "language-switch"),
    (re.compile(r"\bclient\b|\bapp\b|posted from|source changed"), "new-client"),
    (re.compile(r"dormant|silent for|first activity in|inactive"), "dormant-account"),
    (re.compile(r"\bname\b|renamed|display name"), "rename"),
    (re.compile(r"avatar|profile picture|banner"), "avatar-change"),
    (re.compile(r"\bbio\b|profile change"), "profile-change"),
    (re.compile(r"deleted|removed"), "deleted"),
    (re.compile(r"coordinated|several accounts|accounts at once"), "mass-compromise"),
)
# Targets the reasons can name outright (e.g. "reposted a foreign leader").
REASON_TARGETS = (
    (re.compile(r"foreign (leader|head of state|president|prime minister)"), "foreign-leader"),
    (re.compile(r"explicit|porn|sexual|nudity|adult"), "explicit-content"),
    (re.compile(r"crypto|bitcoin|nft"), "crypto"),
    (re.compile(r"election|candidate|ballot"), "election"),
)
# Query tags incidents can share; the index encodes incident tags in this order as a bitmask.
QUERY_TAGS = ("unusual-hours", "language-switch", "new-client", "dormant-account", "rename",
              "avatar-change", "profile-change", "deleted", "mass-compromise")
_TAG_EQUIVALENTS = {"removed": "deleted", "removed-within-hour": "deleted", "profile-change": "profile-change",
                    "dormancy": "dormant-account", "hijack": None}


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
    return AccountInfo(role=get("role"), country=get("country"), owner=get("owner"),
                       affiliation=get("affiliation"), host_country=get("host_country"),
                       disclosed=get("disclosed"))


@dataclass(slots=True)
class Features:
    kind: str
    status: str | None = None
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
    country = normalize_country(info.country)
    text = _amplified_text(activity)
    targets: set[str] = set()
    tags: set[str] = set()

    labels = {label.lower() for label in activity.labels}
    labels |= {label.lower() for label in (activity.target or {}).get("labels") or []}
    if labels & EXPLICIT_LABELS:
        targets.add("explicit-content")
    for name, pattern in TARGET_PATTERNS.items():
        if text and pattern.search(text):
            targets.add(name)

    # Whose words were amplified or addressed: a leader of another country is a foreign leader,
    # the leader of the country an embassy sits in is also host-country politics.
    others = [activity.target_account] if activity.target_account else []
    others += activity.mentions
    for handle in others:
        leader_country = LEADERS.get((handle or "").lower())
        if not leader_country:
            continue
        if country and leader_country == country:
            continue  # the account's own leader: ordinary for official accounts
        targets.add("foreign-leader")
        if normalize_country(info.host_country) == leader_country:
            targets.add("host-politics")

    reason_text = " ".join(reasons).lower()
    for pattern, tag in REASON_TAGS:
        if pattern.search(reason_text):
            tags.add(tag)
    for pattern, target in REASON_TARGETS:
        if pattern.search(reason_text):
            targets.add(target)
    if activity.kind == "profile" and activity.profile:
        if activity.profile.get("name"):
            tags.add("rename")
        if activity.profile.get("avatar"):
            tags.add("avatar-change")
        tags.add("profile-change")

    state_labelled = bool(labels & STATE_LABELS) or info.disclosed is True
    undisclosed = bool(info.affiliation) and not state_labelled
    return Features(
        kind=activity.kind, status=activity.status, targets=frozenset(targets),
        role=normalize_role(info.role), country=country,
        platform=normalize_platform(activity.platform) if activity.platform else None,
        undisclosed=undisclosed, tags=frozenset(tags), text=text,
    )
