"""The closed vocabularies of the incident library, and how free-text metadata maps onto them.

Kept in one place so the library loader, the similarity index and the docs (docs/incidents.md) agree.
"""

from __future__ import annotations

import re

from bot.activity import KINDS, STATUSES
from bot.profile.lexicon import lexicon

# How an incident turned out. Small and closed on purpose: journalists compare outcomes at a glance.
OUTCOMES = {
    "hacked": "outsiders took over the account (claimed by the owner or shown by investigators)",
    "staff error": "someone entitled to use the account slipped: wrong account, stray click, typo",
    "insider": "someone with legitimate access acted deliberately against the owner's wishes",
    "unauthorised": "the owner disowned the action as not cleared or not authorised, without claiming a hack",
    "platform action": "the platform removed, locked, froze or suspended content or the account",
    "undisclosed affiliation": "state-run or state-funded content published without saying so",
    "deliberate": "the owner meant it, whether it was defended or later retracted",
    "routine": "housekeeping or automation that looked odd from outside",
    "unexplained": "no explanation, or a bare denial",
}

# What the action was aimed at or carried, beyond its kind.
TARGET_KINDS = {
    "foreign-leader": "a foreign head of state or government, or their words",
    "host-politics": "the domestic politics of the country hosting a mission",
    "foreign-government": "an attack on, or a threat to, another country or its government",
    "critic": "content attacking the account's own government or leader",
    "explicit-content": "pornographic or sexually explicit material, escort or adult-performer accounts",
    "crypto": "cryptocurrency, NFT or token promotion, giveaways and scams",
    "election": "an election, its candidates or its result",
    "political": "partisan domestic politics",
    "false-news": "fabricated announcements or breaking news",
    "extremist": "militant or terrorist material, violent threats",
    "abusive": "trolls, abuse, racist or hateful content",
    "disinformation": "propaganda, health or war disinformation",
}

# Roles, grouped so an ambassador's incident still counts as close to an embassy's.
ROLE_GROUPS = {
    "embassy": "diplomatic",
    "ambassador": "diplomatic",
    "foreign ministry": "diplomatic",
    "foreign minister": "diplomatic",
    "head of state": "leader",
    "head of government": "leader",
    "leader's office": "leader",
    "politician": "leader",
    "minister": "government",
    "ministry": "government",
    "government agency": "government",
    "legislator": "government",
    "government-aligned": "government",
    "military": "military",
    "state media": "media",
    "news agency": "media",
    "other": "other",  # a confirmed alert whose account's role the watch list does not know
}
ROLES = tuple(ROLE_GROUPS)

# Free-text roles a moderator might type (watch list), mapped onto the vocabulary. First match wins.
_ROLE_PATTERNS = (
    (r"embass|consul|mission|legation", "embassy"),
    (r"ambassador|envoy|diplomat|charg", "ambassador"),
    (r"foreign minister|minister of foreign|secretary of state", "foreign minister"),
    (r"foreign (affairs|ministry|office)|\bmfa\b|spokes", "foreign ministry"),
    (r"head of state|president|king|queen|monarch|emir|pope|supreme leader", "head of state"),
    (r"head of government|prime minister|premier|chancellor", "head of government"),
    (r"office|white house|downing|kremlin|palace|presidency", "leader's office"),
    (r"state media|state tv|broadcaster|propaganda|state news|state-run media|state-affiliated", "state media"),
    (r"news agency|newswire|news", "news agency"),
    (r"army|military|defen[cs]e|navy|air force|command|armed forces|intelligence", "military"),
    (r"ministry|department", "ministry"),
    (r"minister|secretary", "minister"),
    (r"agency|regulator|service|government|authority", "government agency"),
    (r"senator|legislator|parliament|congress|\bmp\b|deputy|lawmaker", "legislator"),
    (r"candidate|politician|party|former", "politician"),
    (r"aligned|linked|pro-government", "government-aligned"),
)


def normalize_role(text: str | None) -> str | None:
    """A watch-list or alert role in free text -> a role of the vocabulary (None when unknown)."""
    if not text:
        return None
    lowered = text.strip().lower()
    if lowered in ROLE_GROUPS:
        return lowered
    for pattern, role in _ROLE_PATTERNS:
        if re.search(pattern, lowered):
            return role
    return None


def role_group(role: str | None) -> str | None:
    return ROLE_GROUPS.get(role or "")


# Platform names as sources spell them -> the project's platform names (bot.activity).
PLATFORM_ALIASES = {"twitter": "x", "x": "x", "website": "web", "web": "web"}


def normalize_platform(text: str) -> str:
    lowered = text.strip().lower()
    return PLATFORM_ALIASES.get(lowered, lowered)


def normalize_country(text: str | None) -> str | None:
    """A country as written anywhere (name or ISO code) -> one comparable key, the ISO code if known.

    The detection lexicon (bot.profile.lexicon) knows the watched countries; the few library
    countries it lacks are added here.
    """
    if not text or not text.strip():
        return None
    lowered = " ".join(text.lower().split())
    return lexicon().country(lowered) or _MORE_COUNTRIES.get(lowered) or lowered


_MORE_COUNTRIES = {
    "qatar": "QA",
    "bahrain": "BH",
    "myanmar": "MM",
    "burma": "MM",
    "holy see": "VA",
    "vatican": "VA",
    "nigeria": "NG",
    "uganda": "UG",
    "kenya": "KE",
    "egypt": "EG",
    "chile": "CL",
    "netherlands": "NL",
    "serbia": "RS",
    "philippines": "PH",
    "belarus": "BY",
    "syria": "SY",
    "afghanistan": "AF",
}

__all__ = [
    "KINDS",
    "STATUSES",
    "OUTCOMES",
    "TARGET_KINDS",
    "ROLES",
    "ROLE_GROUPS",
    "normalize_role",
    "role_group",
    "normalize_platform",
    "normalize_country",
]
