"""What a valid account handle looks like on each platform, with the message a moderator needs when not.

Used by `/watch add` (the Discord side re-validates everything autocomplete suggested) and usable by any
command line; no Discord here.
"""

from __future__ import annotations

import re

_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"

RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "fixture": (
        re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}"),
        "a feed file name without .jsonl: letters, digits, _ . - (e.g. ChineseEmbinUS)",
    ),
    "x": (re.compile(r"[A-Za-z0-9_]{1,15}"), "1-15 letters, digits or _ (e.g. ChineseEmbinUS)"),
    "bluesky": (re.compile(_DOMAIN + r"|did:plc:[a-z2-7]{24}"), "a domain handle (e.g. mfa.bsky.social)"),
    "mastodon": (
        re.compile(r"[A-Za-z0-9_]{1,30}(@" + _DOMAIN + ")?"),
        "user@instance (e.g. EU_Commission@ec.social-network.europa.eu), or user on DIPLOWATCH_MASTODON_BASE",
    ),
    "telegram": (
        re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}"),
        "a public channel's username, 5-32 letters, digits or _ (e.g. MID_Russia for t.me/s/MID_Russia)",
    ),
    "rss": (
        re.compile(r"https?://[^\s]{3,2000}|[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}"),
        "the feed's http(s) URL (e.g. https://www.mfa.gov.cn/rss.xml), or a path under DIPLOWATCH_RSS_BASE",
    ),
}
GENERIC = (re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}"), "letters, digits, _ . - (at most 64)")


class HandleError(ValueError):
    pass


def normalize_handle(platform: str, handle: str) -> str:
    """The handle as stored (leading @ dropped; domains lower-cased); HandleError says what would be right."""
    raw = (handle or "").strip()
    if platform != "rss":
        raw = raw.lstrip("@")
    if platform in ("bluesky",):
        raw = raw.lower()
    if platform == "mastodon" and "@" in raw:
        user, _, host = raw.partition("@")
        raw = f"{user}@{host.lower()}"
    pattern, shape = RULES.get(platform, GENERIC)
    if not raw:
        raise HandleError(f"the handle is empty; a {platform} handle is {shape}")
    if not pattern.fullmatch(raw):
        shown = raw if len(raw) <= 80 else raw[:79] + "…"
        raise HandleError(f'"{shown}" is not a {platform} handle; a {platform} handle is {shape}')
    return raw


# Platforms whose handles ignore letter case (for Mastodon, the user part; its host is a domain): @Foo1 and
# @foo1 are one account there. Fixture file names and RSS URLs keep their case.
CASELESS = frozenset({"x", "telegram", "mastodon", "bluesky"})


def same_account(platform: str, handle: str) -> str:
    """What identifies a handle on its platform: lower-cased where the platform ignores case, else as is.
    Two handles with the same result are one account, whatever their spelling."""
    handle = handle.lstrip("@") if platform != "rss" else handle
    return handle.lower() if platform in CASELESS else handle


def account_page(platform: str, handle: str) -> str | None:
    """The public page of an account, where the platform has one by its handle: what a confirmed incident
    cites when its alert has no link to a post (an account deactivated or renamed)."""
    handle = handle.lstrip("@")
    if platform == "x" and RULES["x"][0].fullmatch(handle):
        return f"https://x.com/{handle}"
    if platform == "bluesky" and RULES["bluesky"][0].fullmatch(handle):
        return f"https://bsky.app/profile/{handle}"
    if platform == "telegram" and RULES["telegram"][0].fullmatch(handle):
        return f"https://t.me/{handle}"
    if platform == "mastodon" and "@" in handle and RULES["mastodon"][0].fullmatch(handle):
        user, _, host = handle.partition("@")
        return f"https://{host}/@{user}"
    return None
